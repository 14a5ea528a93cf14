"""Writes of accounts and memberships (keyword-only arguments, transactions, e-mails sent after commit)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from inclusion.accounts.models import Membership, User
from inclusion.accounts.security import email_confirmation_token

logger = logging.getLogger(__name__)


class MembershipError(Exception):
    """A membership write that is not allowed (message in French, shown to the user)."""


def render_subject(template_name: str, context: dict) -> str:
    """An e-mail subject is plain text: rendered without HTML escaping (« D'Artagnan », not « D&#x27;Artagnan »)."""
    text = get_template(template_name).template.render(Context(context, autoescape=False))
    return "".join(text.splitlines()).strip()


def send_templated_mail(*, template: str, context: dict, to: list[str]) -> None:
    """Send templates/accounts/email/<template>_subject.txt and _body.txt once the transaction commits."""
    subject = render_subject(f"accounts/email/{template}_subject.txt", context)
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


def confirm_email_url(*, user: User, site_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_confirmation_token.make_token(user)
    path = reverse("accounts:confirm_email", kwargs={"uidb64": uid, "token": token})
    return site_url.rstrip("/") + path


def send_confirmation_link(*, user: User, site_url: str) -> None:
    """E-mail the single-use, expiring link that confirms the address (and sends the waiting requests)."""
    waiting = list(user.memberships.filter(status=Membership.Status.UNCONFIRMED).select_related("commune"))
    send_templated_mail(
        template="confirm_email",
        context={
            "user": user,
            "communes": [m.commune for m in waiting],
            "url": confirm_email_url(user=user, site_url=site_url),
            "hours": settings.EMAIL_CONFIRMATION_TIMEOUT // 3600,
        },
        to=[user.email],
    )


@transaction.atomic
def request_membership(*, user: User, commune, message: str = "", site_url: str = "") -> Membership:
    """Ask to join a commune (a refused request may be asked again). Tells the Hub's coordinators.

    From an address not confirmed yet, the request waits ("unconfirmed", seen by nobody) and the person receives
    the confirmation link instead: confirming sends every waiting request.
    """
    confirmed = user.email_confirmed_at is not None
    status = Membership.Status.PENDING if confirmed else Membership.Status.UNCONFIRMED
    membership, created = Membership.objects.select_for_update().get_or_create(
        user=user, commune=commune, defaults={"message": message, "status": status}
    )
    if not created:
        if membership.status not in (Membership.Status.REFUSED, Membership.Status.UNCONFIRMED):
            return membership
        membership.status = status
        membership.message = message
        membership.requested_at = timezone.now()
        membership.decided_at = None
        membership.decided_by = None
        membership.save()
    if not confirmed:
        send_confirmation_link(user=user, site_url=site_url)
        return membership
    _tell_coordinators(membership, site_url=site_url)
    return membership


def _tell_coordinators(membership: Membership, *, site_url: str) -> None:
    user, commune = membership.user, membership.commune
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


def _is_unclaimed(user: User) -> bool:
    """An account created by a sign-up whose address was never confirmed, never used, with no role."""
    return (
        user.email_confirmed_at is None
        and user.last_login is None
        and user.has_usable_password()
        and not user.is_staff
        and user.hub_id is None
        and not user.memberships.exclude(status=Membership.Status.UNCONFIRMED).exists()
    )


@transaction.atomic
def register_agent(
    *, email: str, password: str, first_name: str, last_name: str, commune, message: str = "", site_url: str = ""
) -> User:
    """A sign-up: the same outcome whatever the address, so the page never tells whether an account exists.

    - New address: an account (not confirmed) with a request waiting for confirmation; the confirmation link is
      e-mailed. The request reaches the Hub only once the link is followed.
    - Address of an account never confirmed nor used: whoever reads the mailbox may claim it, so the sign-up
      replaces its name, password and waiting request, and a new link is e-mailed.
    - Address of a real account: nothing changes; its owner is told by e-mail that someone tried to sign up,
      with the sign-in and "mot de passe oublié" links.
    """
    email = email.strip().lower()
    user = User.objects.select_for_update().filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, first_name=first_name, last_name=last_name)
    elif _is_unclaimed(user):
        user.first_name, user.last_name = first_name, last_name
        user.set_password(password)
        user.save(update_fields=["first_name", "last_name", "password"])
        user.memberships.filter(status=Membership.Status.UNCONFIRMED).delete()
    else:
        make_password(password)  # the same work as the other branches: the answer time tells nothing either
        send_templated_mail(
            template="signup_existing_account",
            context={
                "user": user,
                "login_url": site_url.rstrip("/") + reverse("accounts:login"),
                "reset_url": site_url.rstrip("/") + reverse("accounts:password_reset"),
            },
            to=[user.email],
        )
        return user
    request_membership(user=user, commune=commune, message=message, site_url=site_url)
    return user


@transaction.atomic
def confirm_email(*, user: User, site_url: str = "") -> list[Membership]:
    """The person proved they read the address: mark it confirmed and send the requests that waited for it."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
    sent = []
    waiting = Membership.objects.select_for_update().filter(user=user, status=Membership.Status.UNCONFIRMED)
    for membership in waiting.select_related("user", "commune", "commune__departement"):
        membership.status = Membership.Status.PENDING
        membership.requested_at = timezone.now()
        membership.save(update_fields=["status", "requested_at"])
        _tell_coordinators(membership, site_url=site_url)
        sent.append(membership)
    return sent


@transaction.atomic
def password_was_reset(*, user: User, site_url: str = "") -> None:
    """After a password (re)set through an e-mailed link: the address is proved, and the person may sign in again
    from any address (their failed-login lockouts are cleared)."""
    from axes.utils import reset

    reset(username=user.email)
    confirm_email(user=user, site_url=site_url)


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

    A new account gets an unusable password and a set-password link by e-mail; so does an existing account that
    never chose a password (the new link replaces a lost or expired one). An account with a password is told it
    has been added. Returns (user, membership, account_created).
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
    _send_invitation(membership=membership, invited_by=invited_by, site_url=site_url)
    return user, membership, created


def _send_invitation(*, membership: Membership, invited_by: User, site_url: str) -> None:
    user = membership.user
    needs_password = not user.has_usable_password()
    if needs_password:
        user.set_unusable_password()  # a new random marker: the links sent before stop working
        user.save(update_fields=["password"])
    send_templated_mail(
        template="invitation",
        context={
            "user": user,
            "commune": membership.commune,
            "invited_by": invited_by,
            "account_created": needs_password,
            "set_password_url": set_password_url(user=user, site_url=site_url) if needs_password else "",
            "login_url": site_url.rstrip("/") + reverse("accounts:login"),
        },
        to=[user.email],
    )


@transaction.atomic
def resend_invitation(*, membership: Membership, sent_by: User, site_url: str) -> Membership:
    """Send an invited agent who never chose a password a fresh set-password link (the old one may be expired)."""
    membership = Membership.objects.select_related("user", "commune").get(pk=membership.pk)
    if membership.user.has_usable_password():
        raise MembershipError(
            f"{membership.user} a déjà choisi son mot de passe : il peut se connecter, ou utiliser "
            "« Mot de passe oublié » sur la page de connexion."
        )
    if membership.status != Membership.Status.APPROVED:
        raise MembershipError("Cette adhésion n'est pas acceptée : invitez l'agent de nouveau.")
    membership.decided_at = timezone.now()  # the retention delay of unused invitations restarts (issue K)
    membership.save(update_fields=["decided_at"])
    _send_invitation(membership=membership, invited_by=sent_by, site_url=site_url)
    return membership
