"""Reads of the accounts app, scoped to the user who asks."""

from __future__ import annotations

from inclusion.accounts import roles
from inclusion.accounts.models import Membership


def pending_requests_for(user):
    """Membership requests waiting for a decision, in the communes this user may decide for (Hub or staff)."""
    qs = Membership.objects.filter(status=Membership.Status.PENDING).select_related(
        "user", "commune", "commune__departement"
    )
    return qs.filter(roles.communes_in_scope_q(user, prefix="commune__")).order_by("requested_at")
