"""The user's territory: communes, départements and EPCIs in scope, pending membership requests."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from diagnostic import access
from inclusion.accounts import roles
from inclusion.accounts.models import Membership
from territories.models import Commune, Departement, Epci


def communes_in_scope(user) -> QuerySet[Commune]:
    return access.communes_visible_to(user)


def open_data_territory(user) -> str | None:
    """The territory's part of a cache key, for values made of open data only: "france" for staff, "hub-<id>" for a
    coordinator (shared by every coordinator of the Hub); None for anyone else (an agent's territory is their
    memberships: never shared)."""
    if roles.is_staff(user):
        return "france"
    if roles.is_coordinator(user):
        return f"hub-{user.hub_id}"
    return None


def scope_departements(user) -> dict[str, str]:
    """{code: "Name (code)"} of the départements of the user's territory."""
    qs = Departement.objects.all()
    if not roles.is_staff(user):
        qs = qs.filter(hub_id=user.hub_id) if roles.is_coordinator(user) else qs.none()
    return {code: f"{name} ({code})" for code, name in qs.order_by("code").values_list("code", "name")}


def scope_epcis(user, departement: str | None = None) -> dict[str, str]:
    """{siren: name} of the EPCIs with at least one commune in the user's territory (and the département). Open data
    only: cached per data version for staff and coordinators (whose territory is open data too)."""
    from django.core.cache import cache

    from territories.selectors import CACHE_SECONDS, data_version

    territory = open_data_territory(user)
    key = f"scope-epcis:v1:{territory}:{departement or ''}:{data_version()}"
    epcis = cache.get(key) if territory else None
    if epcis is None:
        q = roles.communes_in_scope_q(user, prefix="communes__")
        if departement:
            q &= Q(communes__departement_id=departement)
        epcis = dict(Epci.objects.filter(q).distinct().order_by("name").values_list("siren", "name"))
        if territory:
            cache.set(key, epcis, CACHE_SECONDS)
    return epcis


def get_commune_in_scope(user, insee: str) -> Commune:
    """The commune if it is in the user's scope, else Http404."""
    from django.http import Http404

    commune = (
        communes_in_scope(user)
        .select_related("departement__region", "epci")
        .defer("geometry", "departement__geometry")
        .annotate(ifn_total=F("ifn__total"))
        .filter(insee=insee)
        .first()
    )
    if commune is None:
        raise Http404("Commune introuvable.")
    return commune


def pending_memberships(user, limit: int = 10) -> tuple[list[Membership], int]:
    """The oldest pending membership requests of the user's territory and their number (2 queries).

    Scoping is the accounts team's (inclusion.accounts.selectors.pending_requests_for), so that the dashboard lists
    exactly the requests their approve/refuse page shows.
    """
    from inclusion.accounts.selectors import pending_requests_for

    qs = pending_requests_for(user).defer("commune__geometry", "commune__departement__geometry")
    return list(qs[:limit]), qs.count()
