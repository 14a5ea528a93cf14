"""A person's rights over their data (RGPD): export, name correction and account deletion.

Deleting an account keeps the commune's diagnostics, plans, reviews and audit trail (they belong to the commune) but
erases the person: the user row stays only as a neutral "Ancien utilisateur" (no e-mail, no name, no password, inactive)
so that every "modifié par …" of the commune's documents reads "Ancien utilisateur", and the name or e-mail copied into
free text (plan owner, comments, audit values) is replaced by the same label. Memberships and login records go.
docs/personal-data.md is the record of processing that lists every field this touches.
"""

from __future__ import annotations

import re
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from inclusion.accounts import roles
from inclusion.accounts.models import Membership, User
from inclusion.accounts.services import send_templated_mail

NEUTRAL_LABEL = "Ancien utilisateur"
DELETED_EMAIL_DOMAIN = "compte-supprime.invalid"
SITE_NAME = "Diagnostic inclusion numérique"


class AccountDeletionRefused(Exception):
    """The account cannot be deleted (message in French, shown to the user)."""


def deletion_blocker(user: User) -> str | None:
    """Why `user` may not delete their account yet (French), or None.

    Someone must keep each role that runs the service: a Hub's last coordinator or the last staff member stays.
    """
    others = User.objects.filter(is_active=True).exclude(pk=user.pk)
    if user.is_staff and not others.filter(is_staff=True).exists():
        return (
            "Vous êtes la seule personne de l'équipe qui administre le site. Donnez d'abord ce rôle à une autre "
            "personne (interface d'administration), puis revenez supprimer votre compte."
        )
    if user.hub_id is not None and not others.filter(hub_id=user.hub_id).exists():
        return (
            f"Vous êtes le seul coordinateur du Hub {user.hub.name} : les communes de votre territoire n'auraient plus "
            "personne pour valider leurs demandes. Demandez à l'équipe du site de nommer un autre coordinateur, puis "
            "revenez supprimer votre compte."
        )
    return None


# Export ---------------------------------------------------------------------------------------------------------


def _when(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _diagnostic_label(diagnostic) -> str:
    return f"Diagnostic {diagnostic.year} — {diagnostic.commune.name} ({diagnostic.commune_id})"


def _login_records(email: str) -> dict:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    def rows(model, **extra):
        return [
            {
                "date": _when(record.attempt_time),
                "adresse_ip": record.ip_address,
                "navigateur": record.user_agent,
                **{label: getter(record) for label, getter in extra.items()},
            }
            for record in model.objects.filter(username__iexact=email).order_by("-attempt_time")
        ]

    return {
        "connexions": rows(AccessLog, deconnexion=lambda r: _when(r.logout_time)),
        "echecs": rows(AccessFailureLog, blocage=lambda r: r.locked_out),
        "tentatives_en_cours": rows(AccessAttempt, nombre_echecs=lambda r: r.failures_since_start),
    }


def export_personal_data(*, user: User) -> dict:
    """Everything the site holds that names `user`, as a JSON-serialisable dict with French keys."""
    from diagnostic.models import Answer, AuditEvent, Diagnostic, MeasureAction, ReviewComment

    memberships = user.memberships.select_related("commune", "decided_by").order_by("requested_at")
    decisions = Membership.objects.filter(Q(decided_by=user) | Q(invited_by=user)).select_related("commune")
    diagnostics = Diagnostic.objects.filter(Q(created_by=user) | Q(submitted_by=user)).select_related("commune")
    answers = Answer.objects.filter(updated_by=user).select_related("diagnostic__commune").order_by("updated_at")
    actions = MeasureAction.objects.filter(updated_by=user).select_related("diagnostic__commune")
    reviews = ReviewComment.objects.filter(author=user).select_related("diagnostic__commune").order_by("created_at")
    events = AuditEvent.objects.filter(user=user).select_related("diagnostic__commune").order_by("at", "id")
    return {
        "description": (
            f"Données personnelles vous concernant enregistrées par le site {SITE_NAME}, "
            "exportées à votre demande (article 15 du RGPD)."
        ),
        "date_export": _when(timezone.now()),
        "compte": {
            "adresse_email": user.email,
            "prenom": user.first_name,
            "nom": user.last_name,
            "role": roles.ROLE_LABELS[roles.role_of(user)],
            "hub_coordonne": user.hub.name if user.hub_id else None,
            "date_inscription": _when(user.date_joined),
            "derniere_connexion": _when(user.last_login),
            "adresse_confirmee_le": _when(user.email_confirmed_at),
        },
        "adhesions": [
            {
                "commune": f"{m.commune.name} ({m.commune_id})",
                "etat": m.get_status_display(),
                "message": m.message,
                "demandee_le": _when(m.requested_at),
                "decidee_le": _when(m.decided_at),
                "decidee_par": str(m.decided_by) if m.decided_by_id else None,
                "invitation": m.invited_by_id is not None,
            }
            for m in memberships
        ],
        "decisions_prises": [
            {
                "commune": f"{m.commune.name} ({m.commune_id})",
                "decision": m.get_status_display(),
                "le": _when(m.decided_at),
                "invitation_envoyee": m.invited_by_id == user.pk,
            }
            for m in decisions
        ],
        "diagnostics": [
            {
                "diagnostic": _diagnostic_label(d),
                "cree_par_vous": d.created_by_id == user.pk,
                "cree_le": _when(d.created_at),
                "transmis_par_vous": d.submitted_by_id == user.pk,
                "transmis_le": _when(d.submitted_at) if d.submitted_by_id == user.pk else None,
            }
            for d in diagnostics
        ],
        "reponses_modifiees": [
            {
                "diagnostic": _diagnostic_label(a.diagnostic),
                "question": a.question,
                "valeur": a.value,
                "commentaire": a.comment,
                "le": _when(a.updated_at),
            }
            for a in answers
        ],
        "suivi_des_mesures": [
            {
                "diagnostic": _diagnostic_label(a.diagnostic),
                "mesure": a.measure,
                "responsable": a.owner,
                "echeance": a.target_date.isoformat() if a.target_date else None,
                "etat": a.get_status_display(),
                "commentaire": a.comment,
                "le": _when(a.updated_at),
            }
            for a in actions
        ],
        "avis_rediges": [
            {"diagnostic": _diagnostic_label(r.diagnostic), "commentaire": r.body, "le": _when(r.created_at)}
            for r in reviews
        ],
        "historique_des_modifications": [
            {
                "diagnostic": _diagnostic_label(e.diagnostic),
                "le": _when(e.at),
                "objet": e.get_target_display(),
                "cle": e.key,
                "ancienne_valeur": e.old_value,
                "nouvelle_valeur": e.new_value,
            }
            for e in events
        ],
        "journal_de_connexion": _login_records(user.email),
    }


# Name correction ------------------------------------------------------------------------------------------------


@transaction.atomic
def update_name(*, user: User, first_name: str, last_name: str) -> User:
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.save(update_fields=["first_name", "last_name"])
    return user


# Deletion -------------------------------------------------------------------------------------------------------


def _identity_pattern(user: User) -> re.Pattern | None:
    """The person's full name (two words or more) and e-mail address, as found in free text."""
    needles = [user.email]
    full_name = " ".join(user.get_full_name().split())
    if len(full_name.split()) >= 2:
        needles.append(full_name)
        needles.append(f"{user.last_name.strip()} {user.first_name.strip()}")
    needles = [n for n in needles if n.strip()]
    if not needles:
        return None
    alternatives = "|".join(r"\s+".join(map(re.escape, n.split())) for n in sorted(set(needles), key=len, reverse=True))
    # Boundaries: "agent@x.fr" must not match inside "autre.agent@x.fr" nor "agent@x.fr.example".
    return re.compile(rf"(?<![\w.+-])(?:{alternatives})(?![\w-]|\.\w)", re.IGNORECASE)


def _scrub_value(value, pattern: re.Pattern):
    if isinstance(value, str):
        return pattern.sub(NEUTRAL_LABEL, value)
    if isinstance(value, list):
        return [_scrub_value(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: _scrub_value(v, pattern) for k, v in value.items()}
    return value


def _scrub_text_fields(user: User) -> int:
    """Replace the person's name and e-mail copied into the commune's free text by NEUTRAL_LABEL; rows changed."""
    from diagnostic.models import Answer, AuditEvent, MeasureAction, ReviewComment

    pattern = _identity_pattern(user)
    if pattern is None:
        return 0
    first_words = {user.email} | ({user.last_name.strip(), user.first_name.strip()} - {""})
    changed = 0
    for model, fields in (
        (Answer, ["comment"]),
        (MeasureAction, ["owner", "comment"]),
        (ReviewComment, ["body"]),
        (AuditEvent, ["old_value", "new_value"]),
    ):
        candidates = Q()
        for field in fields:
            for word in first_words:
                candidates |= Q(**{f"{field}__icontains": word})
        for row in model.objects.filter(candidates):
            updates = {f: _scrub_value(getattr(row, f), pattern) for f in fields}
            updates = {f: v for f, v in updates.items() if v != getattr(row, f)}
            if updates:
                model.objects.filter(pk=row.pk).update(**updates)
                changed += 1
    return changed


def delete_login_records(*, email: str) -> int:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    return sum(
        model.objects.filter(username__iexact=email).delete()[0]
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
    )


@transaction.atomic
def delete_account(*, user: User, notify: bool = True) -> None:
    """Erase the person behind `user` (see the module docstring); e-mail them a confirmation after commit.

    Raises AccountDeletionRefused when the account holds the last Hub coordinator or staff role.
    """
    # Lock the person and those who share their role, in one ordered statement (no deadlock), so that two last
    # coordinators (or staff members) leaving at once cannot both go.
    user = User.objects.get(pk=user.pk)
    peers = Q(pk=user.pk)
    if user.hub_id is not None:
        peers |= Q(hub_id=user.hub_id)
    if user.is_staff:
        peers |= Q(is_staff=True)
    list(User.objects.select_for_update().filter(peers).order_by("pk").values_list("pk", flat=True))
    user = User.objects.get(pk=user.pk)
    blocker = deletion_blocker(user)
    if blocker:
        raise AccountDeletionRefused(blocker)
    email, first_name = user.email, user.first_name
    _scrub_text_fields(user)
    delete_login_records(email=email)
    user.memberships.all().delete()
    user.groups.clear()
    user.user_permissions.clear()
    user.email = f"ancien-utilisateur-{user.pk}@{DELETED_EMAIL_DOMAIN}"
    user.first_name = NEUTRAL_LABEL
    user.last_name = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.hub = None
    user.last_login = None
    user.email_confirmed_at = None
    user.save()
    if notify:
        send_templated_mail(
            template="account_deleted",
            context={"first_name": first_name, "email": email, "site_name": SITE_NAME},
            to=[email],
        )


def is_deleted_account(user: User) -> bool:
    return user.email.endswith("@" + DELETED_EMAIL_DOMAIN)
