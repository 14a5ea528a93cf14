"""Public legal pages: "Mentions légales" and "Données personnelles" (both work without JavaScript)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe


@dataclass(frozen=True)
class LegalValue:
    """A legal setting: its value, or a visible "à compléter" placeholder naming the setting to fill in."""

    setting: str
    label: str

    @property
    def value(self) -> str:
        return str(getattr(settings, self.setting, "") or "").strip()

    @property
    def missing(self) -> bool:
        return not self.value


LEGAL_VALUES = {
    "publisher": LegalValue("INCLUSION_LEGAL_PUBLISHER", "nom de la commune ou du Hub qui publie le site"),
    "publisher_address": LegalValue("INCLUSION_LEGAL_PUBLISHER_ADDRESS", "adresse postale de l'éditeur"),
    "director": LegalValue("INCLUSION_LEGAL_DIRECTOR", "nom et fonction du directeur de la publication"),
    "host": LegalValue("INCLUSION_LEGAL_HOST", "nom de l'hébergeur"),
    "host_address": LegalValue("INCLUSION_LEGAL_HOST_ADDRESS", "adresse et téléphone de l'hébergeur"),
    "dpo": LegalValue("INCLUSION_DPO_CONTACT", "adresse e-mail ou postale du délégué à la protection des données"),
}


def legal_context() -> dict:
    return {"legal": LEGAL_VALUES, "legal_missing": [v for v in LEGAL_VALUES.values() if v.missing]}


def retention_days() -> dict[str, int]:
    return dict(settings.INCLUSION_RETENTION_DAYS)


@require_safe
def legal_notice(request):
    return render(request, "legal/legal_notice.html", legal_context())


@require_safe
def personal_data_policy(request):
    context = legal_context()
    context["retention"] = retention_days()
    context["session_days"] = settings.SESSION_COOKIE_AGE // 86400
    tiles = settings.INCLUSION_MAP_TILES_URL
    context["tiles_origin"] = urlsplit(tiles.replace("{s}.", "")).netloc if tiles else ""
    return render(request, "legal/personal_data_policy.html", context)
