"""Retention rules of the record of processing (docs/personal-data.md), applied by `manage.py purge_personal_data`.

Each rule deletes one kind of personal data once its delay (settings.INCLUSION_RETENTION_DAYS, in days) has passed,
counted from a stored date. Nothing else is deleted: the commune's diagnostics, plans and audit trail stay.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.utils import timezone


@dataclass(frozen=True)
class Rule:
    key: str  # key of settings.INCLUSION_RETENTION_DAYS
    singular: str  # French, feminine
    plural: str
    since: str  # what the delay counts from (French)
    querysets: Callable[[datetime], list]  # cutoff -> querysets to delete
    describe: Callable[[object], str]  # one row -> French description without personal data


def _unconfirmed_signups(cutoff):
    """Accounts of a sign-up whose address was never confirmed, with no role and no request past confirmation.

    The delay counts from the latest sign-up: a new sign-up with the same address re-creates the waiting request.
    """
    from inclusion.accounts.models import Membership, User

    used = Membership.objects.exclude(status=Membership.Status.UNCONFIRMED).values("user_id")
    recent = Membership.objects.filter(requested_at__gte=cutoff).values("user_id")
    return [
        User.objects.filter(
            email_confirmed_at__isnull=True,
            is_staff=False,
            is_superuser=False,
            hub__isnull=True,
            date_joined__lt=cutoff,
        )
        .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)  # invitations: see _unused_invitations
        .exclude(pk__in=used)
        .exclude(pk__in=recent)
    ]


def _pending_requests(cutoff):
    from inclusion.accounts.models import Membership

    return [Membership.objects.filter(status=Membership.Status.PENDING, requested_at__lt=cutoff)]


def _refused_requests(cutoff):
    from inclusion.accounts.models import Membership

    return [Membership.objects.filter(status=Membership.Status.REFUSED, decided_at__lt=cutoff)]


def _unused_invitations(cutoff):
    """Accounts created by an invitation whose holder never chose a password nor signed in, since the last link."""
    from inclusion.accounts.models import Membership, User

    invited = User.objects.filter(
        memberships__invited_by__isnull=False,
        password__startswith=UNUSABLE_PASSWORD_PREFIX,
        last_login__isnull=True,
        is_staff=False,
        is_superuser=False,
        hub__isnull=True,
        date_joined__lt=cutoff,
    ).values("pk")
    # The delay counts from the latest invitation sent (invite and resend stamp the membership's decided_at).
    recent = Membership.objects.filter(invited_by__isnull=False, decided_at__gte=cutoff).values("user_id")
    return [User.objects.filter(pk__in=invited).exclude(pk__in=recent)]


def _login_attempts(cutoff):
    from axes.models import AccessAttempt, AccessFailureLog

    return [
        AccessAttempt.objects.filter(attempt_time__lt=cutoff),
        AccessFailureLog.objects.filter(attempt_time__lt=cutoff),
    ]


def _login_logs(cutoff):
    from axes.models import AccessLog

    return [AccessLog.objects.filter(attempt_time__lt=cutoff)]


def _expired_sessions(cutoff):
    from django.contrib.sessions.models import Session

    return [Session.objects.filter(expire_date__lt=cutoff)]


def _membership(m) -> str:
    return f"adhésion n° {m.pk} (commune {m.commune_id}, demandée le {timezone.localdate(m.requested_at):%d/%m/%Y})"


def _user(u) -> str:
    return f"compte n° {u.pk} (créé le {timezone.localdate(u.date_joined):%d/%m/%Y})"


LOGIN_RECORD_LABELS = {"AccessAttempt": "compteur d'échecs", "AccessFailureLog": "échec", "AccessLog": "connexion"}


def _session(session) -> str:
    return f"session expirée le {timezone.localdate(session.expire_date):%d/%m/%Y}"


def _attempt(a) -> str:
    label = LOGIN_RECORD_LABELS[type(a).__name__]
    return f"{label} n° {a.pk} ({timezone.localdate(a.attempt_time):%d/%m/%Y})"


RULES = [
    Rule(
        "unconfirmed_signups",
        "inscription jamais confirmée (compte supprimé)",
        "inscriptions jamais confirmées (comptes supprimés)",
        "l'inscription",
        _unconfirmed_signups,
        _user,
    ),
    Rule(
        "pending_requests",
        "demande d'adhésion restée sans réponse",
        "demandes d'adhésion restées sans réponse",
        "la demande",
        _pending_requests,
        _membership,
    ),
    Rule(
        "refused_requests",
        "demande d'adhésion refusée",
        "demandes d'adhésion refusées",
        "le refus",
        _refused_requests,
        _membership,
    ),
    Rule(
        "unused_invitations",
        "invitation jamais utilisée (compte supprimé)",
        "invitations jamais utilisées (comptes supprimés)",
        "la création du compte",
        _unused_invitations,
        _user,
    ),
    Rule(
        "login_attempts",
        "tentative de connexion (adresse IP, navigateur)",
        "tentatives de connexion (adresse IP, navigateur)",
        "la tentative",
        _login_attempts,
        _attempt,
    ),
    Rule(
        "login_logs",
        "entrée du journal des connexions (adresse IP, navigateur)",
        "entrées du journal des connexions (adresse IP, navigateur)",
        "la connexion",
        _login_logs,
        _attempt,
    ),
    Rule(
        "expired_sessions",
        "session de connexion expirée",
        "sessions de connexion expirées",
        "l'expiration",
        _expired_sessions,
        _session,
    ),
]


@dataclass
class PurgeResult:
    rule: Rule
    days: int
    cutoff: datetime
    items: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.items)

    def summary(self, *, dry_run: bool) -> str:
        n = self.count
        noun = self.rule.singular if n <= 1 else self.rule.plural
        if dry_run:
            verb = "serait supprimée" if n <= 1 else "seraient supprimées"
        else:
            verb = "supprimée" if n <= 1 else "supprimées"
        unit = "jour" if self.days <= 1 else "jours"
        return f"{n} {noun} {verb} ({self.days} {unit} après {self.rule.since})"


def retention_days() -> dict[str, int]:
    return dict(settings.INCLUSION_RETENTION_DAYS)


def purge_personal_data(*, now: datetime | None = None, dry_run: bool = False) -> list[PurgeResult]:
    """Apply every rule at `now` (default: the current time); with dry_run, only list what would go."""
    now = now or timezone.now()
    days = retention_days()
    results = []
    with transaction.atomic():
        for rule in RULES:
            result = PurgeResult(rule=rule, days=days[rule.key], cutoff=now - timedelta(days=days[rule.key]))
            for queryset in rule.querysets(result.cutoff):
                rows = list(queryset.order_by("pk"))
                result.items.extend(rule.describe(row) for row in rows)
                if not dry_run and rows:
                    queryset.model.objects.filter(pk__in=[row.pk for row in rows]).delete()
            results.append(result)
    return results
