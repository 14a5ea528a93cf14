"""Builders of MADE-UP territorial data (sources, régions, Hubs, départements, EPCI, communes, IFN, places).

Every name, code and figure produced here is invented for tests (the default data source says so). Codes use the
made-up département "99" and INSEE codes "99xxx" unless the caller passes real-looking ones:

    from tests.factories import make_commune

    commune = make_commune(insee="99001", name="Saint-Exemple", population=1200, ifn=6.5)
"""

from __future__ import annotations

import json

from django.utils import timezone

from territories.models import (
    Commune,
    CommuneIfn,
    CommunePlaceAccess,
    DataSource,
    Departement,
    Epci,
    Hub,
    Place,
    Region,
)
from territories.text import normalize_search

MADE_UP = "Données inventées pour les tests"

_BASE_LAT, _BASE_LON = 47.0, 2.5


def make_source(key: str = "test-made-up", **fields) -> DataSource:
    defaults = {
        "name": fields.pop("name", MADE_UP),
        "producer": fields.pop("producer", "Équipe de test"),
        "licence": fields.pop("licence", "Aucune (inventé)"),
        "vintage": fields.pop("vintage", "inventé 2026"),
        "imported_at": fields.pop("imported_at", timezone.now()),
        **fields,
    }
    source, _ = DataSource.objects.get_or_create(key=key, defaults=defaults)
    return source


def make_region(code: str = "99", name: str = "Région Imaginaire") -> Region:
    region, _ = Region.objects.get_or_create(code=code, defaults={"name": name, "source": make_source()})
    return region


def make_hub(
    slug: str = "hub-imaginaire", name: str = "Hub Imaginaire", url: str = "https://hub.example.org/", region=None
) -> Hub:
    hub, created = Hub.objects.get_or_create(slug=slug, defaults={"name": name, "url": url})
    if created:
        hub.regions.add(region or make_region())
    return hub


def make_departement(
    code: str = "99", name: str = "Département Imaginaire", region=None, hub: Hub | None | bool = True
) -> Departement:
    """`hub=True` attaches the default made-up Hub, `hub=None` leaves the département without one."""
    dep = Departement.objects.filter(code=code).first()
    if dep:
        return dep
    region = region or make_region()
    if hub is True:
        hub = make_hub(region=region)
    return Departement.objects.create(code=code, name=name, region=region, hub=hub or None, source=make_source())


def make_epci(siren: str = "999999999", name: str = "CC Imaginaire", kind: str = "CC") -> Epci:
    epci, _ = Epci.objects.get_or_create(siren=siren, defaults={"name": name, "kind": kind})
    return epci


def square(lat: float, lon: float, size: float = 0.04) -> dict:
    """A made-up square polygon (GeoJSON geometry) with its south-west corner at (lat, lon)."""
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def make_commune(
    insee: str = "99001",
    name: str = "Commune Imaginaire",
    dep: str | Departement = "99",
    population: int | None = 1000,
    ifn: float | dict | None = None,
    postcodes: str = "",
    epci: Epci | None = None,
    geometry: dict | None | bool = True,
) -> Commune:
    """A made-up commune. `ifn` is either the total (the five parts are then set to the same value) or a dict of
    CommuneIfn fields. `geometry=True` draws a small square placed from the INSEE code."""

    departement = dep if isinstance(dep, Departement) else make_departement(code=dep)
    if geometry is True:
        index = int(insee[-3:]) if insee[-3:].isdigit() else 0
        lat = _BASE_LAT + (index // 10) * 0.04
        lon = _BASE_LON + (index % 10) * 0.04
        geometry = square(lat, lon)
    commune = Commune.objects.create(
        insee=insee,
        name=name,
        search_name=normalize_search(name),
        departement=departement,
        epci=epci,
        population=population,
        postcodes=postcodes or f"{insee[:2]}000",
        source=make_source(),
        geometry=json.dumps(geometry) if geometry else "",
        geometry_source=make_source() if geometry else None,
        centroid_lat=(geometry["coordinates"][0][0][1] + 0.02) if geometry else None,
        centroid_lon=(geometry["coordinates"][0][0][0] + 0.02) if geometry else None,
    )
    if ifn is not None:
        make_ifn(commune, ifn)
    return commune


def make_ifn(commune: Commune, ifn: float | dict) -> CommuneIfn:
    if isinstance(ifn, dict):
        values = dict(ifn)
    else:
        values = dict.fromkeys(CommuneIfn.PARTS, ifn)
        values["total"] = ifn
    source = values.pop("source", None) or make_source(
        "test-made-up-ifn", name="IFN inventé pour les tests", producer="Équipe de test"
    )
    return CommuneIfn.objects.create(commune=commune, source=source, **values)


def make_place(
    name: str = "Lieu Imaginaire",
    kind: str = Place.Kind.MEDIATION,
    commune: Commune | None = None,
    lat: float | None = _BASE_LAT + 0.01,
    lon: float | None = _BASE_LON + 0.01,
    **fields,
) -> Place:
    source = fields.pop("source", None) or make_source(
        "test-made-up-places", name="Lieux inventés pour les tests", producer="Équipe de test"
    )
    ref = fields.pop("source_ref", f"{kind}-{Place.objects.count() + 1}")
    return Place.objects.create(
        kind=kind,
        source=source,
        source_ref=ref,
        name=name,
        commune=commune,
        latitude=lat,
        longitude=lon,
        city=commune.name if commune else "",
        **fields,
    )


def make_access(
    commune: Commune, place: Place | None, km: float | None = 2.5, within_10km: int = 1, kind: str | None = None
) -> CommunePlaceAccess:
    return CommunePlaceAccess.objects.create(
        commune=commune,
        kind=kind or (place.kind if place else Place.Kind.MEDIATION),
        nearest=place,
        nearest_km=km,
        within_10km=within_10km,
    )
