"""Shared role logic: who is a commune agent, a Hub coordinator or staff, and which communes they cover.

A user has one main role, checked in this order: staff (is_staff), Hub coordinator (hub set), agent (at least one
approved membership), pending agent (only pending or refused memberships), then "none" (signed-in without role)
and "anonymous".
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

ANONYMOUS = "anonymous"
NONE = "none"
PENDING_AGENT = "pending_agent"
AGENT = "agent"
COORDINATOR = "coordinator"
STAFF = "staff"

ROLE_LABELS = {
    ANONYMOUS: "Visiteur",
    NONE: "Sans rôle",
    PENDING_AGENT: "Agent en attente de validation",
    AGENT: "Agent de commune",
    COORDINATOR: "Coordinateur de Hub",
    STAFF: "Équipe",
}


def role_of(user) -> str:
    """The main role of a user (see the module docstring)."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    if not user.is_active:
        return NONE
    if user.is_staff:
        return STAFF
    if user.hub_id is not None:
        return COORDINATOR
    from inclusion.accounts.models import Membership

    statuses = set(user.memberships.values_list("status", flat=True))
    if Membership.Status.APPROVED in statuses:
        return AGENT
    if Membership.Status.PENDING in statuses:
        return PENDING_AGENT
    return NONE


def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def is_coordinator(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.hub_id is not None)


def approved_commune_ids(user) -> QuerySet:
    """INSEE codes of the communes where the user is an approved member (a values_list queryset)."""
    from inclusion.accounts.models import Membership

    if not (user and user.is_authenticated and user.is_active):
        return Membership.objects.none().values_list("commune_id", flat=True)
    return Membership.objects.filter(user=user, status=Membership.Status.APPROVED).values_list("commune_id", flat=True)


def is_agent_of(user, commune_id: str) -> bool:
    return approved_commune_ids(user).filter(commune_id=commune_id).exists()


def coordinates_commune(user, commune) -> bool:
    """True when the user is the coordinator of the Hub of the commune's département."""
    if not is_coordinator(user):
        return False
    return commune.departement.hub_id == user.hub_id


def communes_in_scope_q(user, prefix: str = "") -> Q:
    """A Q object on Commune (or on a model with a `<prefix>` path to a Commune) limiting to the user's scope.

    Staff: everything. Coordinator: communes of their Hub's départements. Agent: approved communes.
    Anyone else: nothing.
    """
    if is_staff(user):
        return Q()
    if is_coordinator(user):
        return Q(**{f"{prefix}departement__hub_id": user.hub_id})
    if user and user.is_authenticated and user.is_active:
        return Q(**{f"{prefix}insee__in": approved_commune_ids(user)})
    return Q(pk__in=[])


def can_decide_membership(user, membership) -> bool:
    """Staff, or the coordinator of the Hub of the membership's commune."""
    return is_staff(user) or coordinates_commune(user, membership.commune)


def role_required(*roles: str):
    """View decorator: anonymous users go to the sign-in page, users without one of `roles` get a 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if roles and role_of(request.user) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class RoleRequiredMixin:
    """Class-based counterpart of `role_required`: set `allowed_roles` (empty = any signed-in user)."""

    allowed_roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if self.allowed_roles and role_of(request.user) not in self.allowed_roles:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
