"""Whom to contact: the territorial Hub, then the nearest places of each kind, with distance and contact details."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Q

from diagnostic.plan.facts import NEARBY_MAX_KM
from territories.models import Commune, CommunePlaceAccess, Place
from territories.selectors import CACHE_SECONDS, data_version

PLACES_PER_KIND = 3
SEARCH_RADIUS_KM = NEARBY_MAX_KM
KIND_ORDER = (Place.Kind.MEDIATION, Place.Kind.FRANCE_SERVICES, Place.Kind.AIDANTS_CONNECT)
KIND_TITLES = {
    Place.Kind.MEDIATION: "Lieux de médiation numérique les plus proches",
    Place.Kind.FRANCE_SERVICES: "France services les plus proches",
    Place.Kind.AIDANTS_CONNECT: "Structures Aidants Connect les plus proches",
}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    rlat1, rlat2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = rlat2 - rlat1, math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(rlat1) * math.cos(rlat2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class Contact:
    place: Place
    km: float | None  # distance from the commune's centre; None when the place is not located

    @property
    def approximate(self) -> bool:
        return self.place.location == Place.Location.APPROXIMATE


@dataclass(frozen=True)
class ContactGroup:
    kind: str
    title: str
    contacts: tuple[Contact, ...]
    citation: str
    warnings: tuple[str, ...] = ()  # "liste de février 2023, plus de 18 mois : à vérifier auprès de …"


def sites_of_kind(kind: str):
    """One record per real site holding `kind` (merged across sources at import), none whose address is in doubt."""
    return (
        Place.objects.filter(Q(kind=kind) | Q(kinds__contains=kind), same_site_as__isnull=True)
        .exclude(address_check=Place.AddressCheck.FLAGGED)
        .select_related("source")
    )


def cached_nearest_places(commune: Commune, *, limit: int = PLACES_PER_KIND) -> list[ContactGroup]:
    """`nearest_places`, kept in the shared cache until the next import (places and distances only change through
    an import, which changes the data version in the key): the plan page, its PDF and CSV read it once."""
    key = f"plan-contacts:{commune.pk}:{limit}:{data_version()}"
    groups = cache.get(key)
    if groups is None:
        groups = nearest_places(commune, limit=limit)
        cache.set(key, groups, CACHE_SECONDS)
    return groups


def nearest_places(commune: Commune, *, limit: int = PLACES_PER_KIND) -> list[ContactGroup]:
    """For each kind, the `limit` nearest located places within SEARCH_RADIUS_KM of the commune's centre (places of
    the commune itself first when the commune has no centre)."""
    groups = []
    lat, lon = commune.centroid_lat, commune.centroid_lon
    # The import-time nearest place and distance win, so that the contacts agree with the plan's reasons.
    nearest = {
        row.kind: row
        for row in CommunePlaceAccess.objects.filter(commune=commune)
        .exclude(nearest=None)
        .select_related("nearest__source")
    }
    for kind in KIND_ORDER:
        contacts: list[Contact] = []
        if lat is not None and lon is not None:
            dlat = SEARCH_RADIUS_KM / 111.0
            dlon = SEARCH_RADIUS_KM / (111.0 * max(math.cos(math.radians(lat)), 0.1))
            candidates = sites_of_kind(kind).filter(
                latitude__gte=lat - dlat,
                latitude__lte=lat + dlat,
                longitude__gte=lon - dlon,
                longitude__lte=lon + dlon,
            )
            scored = [(haversine_km(lat, lon, p.latitude, p.longitude), p) for p in candidates]
            scored = sorted(((d, p) for d, p in scored if d <= SEARCH_RADIUS_KM), key=lambda item: item[0])
            access = nearest.get(kind)
            if access is not None and access.nearest_km is not None and access.nearest_km <= SEARCH_RADIUS_KM:
                scored = [(d, p) for d, p in scored if p.pk != access.nearest_id]
                scored.insert(0, (access.nearest_km, access.nearest))
            contacts = [Contact(p, d) for d, p in scored[:limit]]
        else:
            places = sites_of_kind(kind).filter(commune=commune)[:limit]
            contacts = [Contact(p, None) for p in places]
        sources = {c.place.source.pk: c.place.source for c in contacts}.values()
        citations = sorted({s.citation for s in sources})
        warnings = tuple(sorted({s.age_warning for s in sources} - {""}))
        groups.append(ContactGroup(kind, KIND_TITLES[kind], tuple(contacts), " ; ".join(citations), warnings))
    return groups
