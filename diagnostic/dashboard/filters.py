"""Filters of the dashboard's commune table, read from the URL (GET) so that a filtered view can be shared.

Every parameter is validated: a bad value is ignored and reported with a French message, never an error page.

    annee               year of the diagnostics (default: current year)
    departement         INSEE code of a département of the user's territory
    epci                SIREN of an EPCI of the user's territory
    statut              aucun | brouillon | transmis (diagnostic of the year)
    classe_ifn          1..5 (see classes.IFN_CLASSES)
    mesure_prioritaire  1..5: the diagnostic of the year gives this measure a high priority
    tri                 nom, population, ifn, statut; "-" prefix for descending order
    page                page number of the table
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from diagnostic.dashboard.classes import IFN_CLASS_BY_NUMBER
from diagnostic.enums import NO_DIAGNOSTIC_LABEL, DiagnosticStatus
from diagnostic.measures import MEASURE_BY_NUMBER
from inclusion.inputs import parse_integer

STATUS_NONE = "aucun"
STATUS_DRAFT = "brouillon"
STATUS_SUBMITTED = "transmis"
STATUS_CHOICES = {
    STATUS_NONE: NO_DIAGNOSTIC_LABEL,
    STATUS_DRAFT: DiagnosticStatus.DRAFT.label,
    STATUS_SUBMITTED: DiagnosticStatus.SUBMITTED.label,
}
# URL value → Diagnostic.status (None = no diagnostic that year)
STATUS_TO_MODEL = {
    STATUS_NONE: None,
    STATUS_DRAFT: DiagnosticStatus.DRAFT,
    STATUS_SUBMITTED: DiagnosticStatus.SUBMITTED,
}

SORTS = {
    "nom": "Nom",
    "population": "Population",
    "ifn": "IFN",
    "statut": "Statut du diagnostic",
}
DEFAULT_SORT = "nom"

MIN_YEAR = 2024  # first year of the service

FILTER_KEYS = ("annee", "departement", "epci", "statut", "classe_ifn", "mesure_prioritaire", "tri")


@dataclass
class DashboardFilters:
    year: int
    departement: str | None = None
    epci: str | None = None
    status: str | None = None  # URL value (aucun, brouillon, transmis)
    ifn_class: int | None = None
    high_measure: int | None = None
    sort: str = DEFAULT_SORT  # with optional "-" prefix
    page: int = 1
    errors: list[str] = field(default_factory=list)

    @property
    def sort_key(self) -> str:
        return self.sort.lstrip("-")

    @property
    def sort_descending(self) -> bool:
        return self.sort.startswith("-")

    @property
    def is_filtered(self) -> bool:
        return any(v is not None for v in (self.departement, self.epci, self.status, self.ifn_class, self.high_measure))

    @property
    def is_filtered_beyond_departement(self) -> bool:
        return any(v is not None for v in (self.epci, self.status, self.ifn_class, self.high_measure))

    def params(self, **overrides) -> dict[str, str]:
        """The URL parameters of this state (defaults left out), with overrides (None removes a key)."""
        values = {
            "annee": str(self.year),
            "departement": self.departement,
            "epci": self.epci,
            "statut": self.status,
            "classe_ifn": self.ifn_class,
            "mesure_prioritaire": self.high_measure,
            "tri": None if self.sort == DEFAULT_SORT else self.sort,
            "page": None if self.page == 1 else self.page,
        }
        values.update(overrides)
        return {k: str(v) for k, v in values.items() if v is not None and v != ""}

    def querystring(self, **overrides) -> str:
        return urlencode(self.params(**overrides))

    def sort_querystring(self, key: str) -> str:
        """Query string that sorts by `key` (toggles the direction when already sorted by it), back to page 1."""
        new = f"-{key}" if self.sort == key else key
        return self.querystring(tri=None if new == DEFAULT_SORT else new, page=None)


def _int(value: str) -> int | None:
    try:
        return parse_integer(value)
    except (TypeError, ValueError):
        return None


def parse_filters(
    params, *, current_year: int, departements: dict[str, str], epcis: dict[str, str] | None = None
) -> DashboardFilters:
    """Clean the GET parameters. `departements` and `epcis` map the codes of the user's territory to names;
    a code outside them is ignored (the user cannot filter on another territory)."""
    errors: list[str] = []

    year = current_year
    raw = params.get("annee", "")
    if raw:
        value = _int(raw)
        if value is None or not MIN_YEAR <= value <= current_year + 1:
            errors.append(
                f"Année « {raw} » non valable (de {MIN_YEAR} à {current_year + 1}) : {current_year} affichée."
            )
        else:
            year = value
    filters = DashboardFilters(year=year, errors=errors)

    raw = params.get("departement", "").strip()
    if raw:
        if raw in departements:
            filters.departement = raw
        else:
            errors.append(f"Le département « {raw} » ne fait pas partie de votre territoire : filtre ignoré.")

    raw = params.get("epci", "").strip()
    if raw:
        if epcis is not None and raw in epcis:
            filters.epci = raw
        else:
            errors.append(f"L'EPCI « {raw} » ne fait pas partie de votre territoire : filtre ignoré.")

    raw = params.get("statut", "").strip()
    if raw:
        if raw in STATUS_CHOICES:
            filters.status = raw
        else:
            errors.append(f"Statut « {raw} » inconnu (aucun, brouillon ou transmis) : filtre ignoré.")

    raw = params.get("classe_ifn", "").strip()
    if raw:
        value = _int(raw)
        if value in IFN_CLASS_BY_NUMBER:
            filters.ifn_class = value
        else:
            errors.append(f"Classe IFN « {raw} » inconnue (de 1 à 5) : filtre ignoré.")

    raw = params.get("mesure_prioritaire", "").strip()
    if raw:
        value = _int(raw)
        if value in MEASURE_BY_NUMBER:
            filters.high_measure = value
        else:
            errors.append(f"Mesure « {raw} » inconnue (de 1 à 5) : filtre ignoré.")

    raw = params.get("tri", "").strip()
    if raw:
        if raw.lstrip("-") in SORTS and raw.count("-") <= 1:
            filters.sort = raw
        else:
            errors.append(f"Tri « {raw} » inconnu : tri par nom.")

    raw = params.get("page", "").strip()
    if raw:
        value = _int(raw)
        if value is None or value < 1:
            errors.append(f"Page « {raw} » non valable : première page affichée.")
        else:
            filters.page = value
    return filters
