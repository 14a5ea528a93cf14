"""Writes of accounts and memberships (keyword-only arguments, transactions, e-mails sent after commit)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from inclusion.accounts.models import Membership, User

logger = logging.getLogger(__name__)


class MembershipError(Exception):
    """A membership write that is not allowed (message in French, shown to the user)."""


def send_templated_mail(*, template: str, context: dict, to: list[str]) -> None:
    """Send templates/accounts/email/<template>_subject.txt and _body.txt once the transaction commits."""
    subject = "".join(render_to_string(f"accounts/email/{template}_subject.txt", context).splitlines()).strip()
    body = render_to_string(f"accounts/email/{template}_body.txt", context)
    recipients = [address for address in to if address]
    if not recipients:
        return

    def send():
        try:
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients).send()
        except Exception:  # a mail server outage must not break the page; it is logged
            logger.exception("E-mail %s to %s failed", template, recipients)

    transaction.on_commit(send)


def coordinators_of(commune) -> list[User]:
    """Who decides on the commune's requests: its Hub's coordinators, or staff when there is none."""
    hub_id = commune.departement.hub_id
    coordinators = list(User.objects.filter(hub_id=hub_id, is_active=True)) if hub_id is not None else []
    return coordinators or list(User.objects.filter(is_staff=True, is_active=True))


def set_password_url(*, user: User, site_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return site_url.rstrip("/") + path


@transaction.atomic
def request_membership(*, user: User, commune, message: str = "", site_url: str = "") -> Membership:
    """Ask to join a commune (a refused request may be asked again). Tells the Hub's coordinators."""
    membership, created = Membership.objects.select_for_update().get_or_create(
        user=user, commune=commune, defaults={"message": message}
    )
    if not created:
        if membership.status != Membership.Status.REFUSED:
            return membership
        membership.status = Membership.Status.PENDING
        membership.message = message
        membership.requested_at = timezone.now()
        membership.decided_at = None
        membership.decided_by = None
        membership.save()
    coordinators = coordinators_of(commune)
    send_templated_mail(
        template="membership_requested",
        context={
            "membership": membership,
            "user": user,
            "commune": commune,
            "url": site_url.rstrip("/") + reverse("accounts:memberships"),
        },
        to=[c.email for c in coordinators],
    )
    return membership


@transaction.atomic
def register_agent(
    *, email: str, password: str, first_name: str, last_name: str, commune, message: str = "", site_url: str = ""
) -> tuple[User, Membership]:
    """Create an agent's account and their pending request to join `commune`."""
    user = User.objects.create_user(email=email, password=password, first_name=first_name, last_name=last_name)
    membership = request_membership(user=user, commune=commune, message=message, site_url=site_url)
    return user, membership


@transaction.atomic
def decide_membership(
    *, membership: Membership, decided_by: User, approve: bool, message: str = "", site_url: str = ""
) -> Membership:
    """Approve or refuse a pending request; the agent is told by e-mail."""
    membership = Membership.objects.select_for_update().select_related("user", "commune").get(pk=membership.pk)
    if membership.status != Membership.Status.PENDING:
        raise MembershipError("Cette demande a déjà été traitée.")
    membership.status = Membership.Status.APPROVED if approve else Membership.Status.REFUSED
    membership.decided_at = timezone.now()
    membership.decided_by = decided_by
    membership.save(update_fields=["status", "decided_at", "decided_by"])
    send_templated_mail(
        template="membership_approved" if approve else "membership_refused",
        context={
            "membership": membership,
            "commune": membership.commune,
            "user": membership.user,
            "decided_by": decided_by,
            "message": message,
            "url": site_url.rstrip("/") + reverse("accounts:home"),
        },
        to=[membership.user.email],
    )
    return membership


@transaction.atomic
def invite_agent(
    *, invited_by: User, email: str, first_name: str, last_name: str, commune, site_url: str
) -> tuple[User, Membership, bool]:
    """Invite an agent to a commune: the membership is approved at once.

    A new account gets an unusable password and a set-password link by e-mail; an existing one is told it has
    been added. Returns (user, membership, account_created).
    """
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(email=email, password=None, first_name=first_name, last_name=last_name)
    elif user.is_staff or user.hub_id:
        raise MembershipError("Cette adresse appartient à un coordinateur ou à l'équipe.")
    membership, _ = Membership.objects.select_for_update().get_or_create(user=user, commune=commune)
    membership.status = Membership.Status.APPROVED
    membership.invited_by = invited_by
    membership.decided_by = invited_by
    membership.decided_at = timezone.now()
    membership.save()
    send_templated_mail(
        template="invitation",
        context={
            "user": user,
            "commune": commune,
            "invited_by": invited_by,
            "account_created": created,
            "set_password_url": set_password_url(user=user, site_url=site_url) if created else "",
            "login_url": site_url.rstrip("/") + reverse("accounts:login"),
        },
        to=[user.email],
    )
    return user, membership, created
