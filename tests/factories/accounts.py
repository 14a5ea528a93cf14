"""Builders of MADE-UP accounts: users (every role) and memberships. Names and addresses are invented."""

from __future__ import annotations

from django.utils import timezone

from inclusion.accounts.models import Membership, User

PASSWORD = "mot-de-passe-de-test-42"


def make_user(
    email: str,
    *,
    password: str | None = PASSWORD,
    hub=None,
    is_staff: bool = False,
    first_name: str = "Prénom",
    last_name: str = "Nom",
    **extra,
) -> User:
    """A made-up user whose address is confirmed unless the test passes `email_confirmed_at=None`."""
    extra.setdefault("email_confirmed_at", timezone.now())
    return User.objects.create_user(
        email=email, password=password, hub=hub, is_staff=is_staff, first_name=first_name, last_name=last_name, **extra
    )


def make_member(user: User, commune, status=Membership.Status.APPROVED, **fields) -> Membership:
    """`user` member of `commune`: approved by default, `status=Membership.Status.PENDING` for a request."""
    return Membership.objects.create(user=user, commune=commune, status=status, **fields)
