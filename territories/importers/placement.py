"""Placing the records of every source of places in communes, and writing them.

Each record is placed (`place_rows`):
1. an INSEE code (older codes and municipal arrondissements are mapped to the current commune) gives the commune;
   without coordinates the place is put at the commune's centroid, location=APPROXIMATE;
2. coordinates without a code: point-in-polygon against the stored commune contours (shapely STRtree);
3. otherwise postcode + city name (normalised) against the communes' postcodes.
When only some départements are loaded, places whose commune lies elsewhere are skipped.
"""

from __future__ import annotations

import numpy as np
import shapely
from django.db.models import Q

from territories.formatting import agree, number, plural
from territories.importers.base import Summary
from territories.importers.mapping import PlaceRecord
from territories.models import Commune, Place
from territories.services import sync_rows
from territories.text import normalize_search

Location = Place.Location


class CommuneLocator:
    """Finds the commune of a place from what the database holds (codes, contours, centroids, postcodes)."""

    def __init__(self, current_code: dict[str, str] | None = None, cog_codes: set[str] | None = None):
        self.current_code = current_code or {}
        self.cog_codes = cog_codes or set()  # every current commune of the COG file, loaded or not
        self.communes: dict[str, tuple] = {}
        self.by_postcode: dict[str, list[str]] = {}
        self.by_postcode_name: dict[tuple[str, str], str] = {}
        codes, geoms = [], []
        for insee, dep, lat, lon, postcodes, search_name, geometry in Commune.objects.values_list(
            "insee", "departement_id", "centroid_lat", "centroid_lon", "postcodes", "search_name", "geometry"
        ):
            self.communes[insee] = (dep, lat, lon)
            for postcode in postcodes.split("|"):
                if postcode:
                    self.by_postcode.setdefault(postcode, []).append(insee)
                    self.by_postcode_name[(postcode, search_name)] = insee
            if geometry:
                codes.append(insee)
                geoms.append(geometry)
        self.poly_codes = np.array(codes, dtype=object)
        self.tree = shapely.STRtree(shapely.from_geojson(geoms)) if geoms else None

    def by_code(self, code: str) -> str | None:
        code = self.current_code.get(code, code)
        return code if code in self.communes else None

    def by_points(self, lats: list[float], lons: list[float]) -> list[str | None]:
        found: list[str | None] = [None] * len(lats)
        if self.tree is None or not lats:
            return found
        points = shapely.points(np.array(lons), np.array(lats))
        point_idx, poly_idx = self.tree.query(points, predicate="within")
        for p, g in zip(point_idx, poly_idx, strict=True):
            found[p] = found[p] or self.poly_codes[g]
        return found

    def by_address(self, postcode: str, city: str) -> str | None:
        if not postcode:
            return None
        exact = self.by_postcode_name.get((postcode, normalize_search(city)))
        if exact:
            return exact
        candidates = self.by_postcode.get(postcode, [])
        return candidates[0] if len(candidates) == 1 else None


def postcode_in(postcode: str, departements: set[str]) -> bool:
    """Could this postcode lie in one of these départements? (Corsica 2A/2B uses 20xxx, overseas 97x.)"""
    prefixes = {"20" if dep in ("2A", "2B") else dep for dep in departements}
    return any(postcode.startswith(prefix) for prefix in prefixes)


def place_rows(
    *,
    records: list[PlaceRecord],
    kind: str,
    source_id: int,
    locator: CommuneLocator,
    departements: set[str] | None,
    summary: Summary,
) -> dict:
    """source_ref -> Place field values, for the places kept."""
    communes: list[str | None] = [None] * len(records)
    how: list[str] = [""] * len(records)
    for i, rec in enumerate(records):
        if rec.insee:
            communes[i] = locator.by_code(rec.insee)
            how[i] = "code"
            if communes[i] is None and locator.current_code.get(rec.insee, rec.insee) not in locator.cog_codes:
                # not a COG code at all (e.g. a postcode typed as INSEE code): try postcode + city name
                communes[i] = locator.by_address(rec.postcode, rec.city)
                how[i] = "address"
    need_points = [i for i, rec in enumerate(records) if communes[i] is None and rec.lat is not None and not rec.insee]
    found = locator.by_points([records[i].lat for i in need_points], [records[i].lon for i in need_points])
    for i, code in zip(need_points, found, strict=True):
        communes[i], how[i] = code, "point"
    for i, rec in enumerate(records):
        if communes[i] is None and not rec.insee:
            communes[i] = locator.by_address(rec.postcode, rec.city)
            how[i] = "address" if communes[i] else how[i]

    rows = {}
    stats = {"code": 0, "point": 0, "address": 0, "approximate": 0, "outside": 0, "unplaced": 0}
    for rec, code, method in zip(records, communes, how, strict=True):
        if code is None:
            if rec.insee:
                current = locator.current_code.get(rec.insee, rec.insee)
                if departements is not None and current in locator.cog_codes:
                    stats["outside"] += 1  # a real commune, in a département not loaded
                else:
                    summary.reject("code INSEE d'aucune commune du COG 2026")
                continue
            if rec.lat is None:
                if departements is not None and rec.postcode and not postcode_in(rec.postcode, departements):
                    stats["outside"] += 1
                else:
                    summary.reject(
                        "ni code INSEE ni coordonnées, et le code postal et la commune ne désignent pas une seule "
                        "commune chargée"
                    )
                continue
            if departements is not None:
                stats["outside"] += 1  # coordinates outside every loaded commune contour
                continue
            stats["unplaced"] += 1  # kept with its coordinates, commune unknown (no contour there)
        dep = locator.communes[code][0] if code else None
        if departements is not None and dep not in departements:
            stats["outside"] += 1
            continue
        if code:
            stats[method] += 1
        lat, lon, location = rec.lat, rec.lon, Location.EXACT
        if lat is None:
            _, lat, lon = locator.communes[code]
            location = Location.APPROXIMATE if lat is not None else Location.NONE
            stats["approximate"] += lat is not None
        rows[rec.source_ref[:120]] = {
            "kind": kind,
            "source_id": source_id,
            "name": rec.name.strip()[:300],
            "address": rec.address.strip()[:300],
            "postcode": rec.postcode,
            "city": rec.city.strip()[:200],
            "commune_id": code,
            "latitude": lat,
            "longitude": lon,
            "location": location,
            "phone": rec.phone.strip()[:60],
            "email": rec.email.strip()[:200],
            "website": rec.website,
            "services": rec.services,
            "hours": rec.hours,
            "details": rec.details,
            "updated_on": rec.updated_on,
            "address_check": "",  # set by addresses.check_rows
            "address_note": "",
        }
    approximate, outside, unplaced = stats["approximate"], stats["outside"], stats["unplaced"]
    summary.notes.append(
        f"commune trouvée par le code INSEE : {number(stats['code'])}, par la position dans un contour : "
        f"{number(stats['point'])}, par le code postal et la commune : {number(stats['address'])} ; "
        f"{plural(approximate, 'fiche placée', 'fiches placées')} au centroïde de "
        f"{agree(approximate, 'sa', 'leur')} commune (position approchée) ; "
        f"{plural(outside, 'fiche écartée', 'fiches écartées')} (hors des départements sélectionnés) ; "
        f"{plural(unplaced, 'fiche gardée', 'fiches gardées')} sans commune (coordonnées hors de tout contour "
        "enregistré, code postal et commune sans correspondance)"
    )
    return rows


PLACE_FIELDS = [
    "kind",
    "name",
    "address",
    "postcode",
    "city",
    "commune_id",
    "latitude",
    "longitude",
    "location",
    "phone",
    "email",
    "website",
    "services",
    "hours",
    "details",
    "updated_on",
    "address_check",
    "address_note",
]


def write_places(*, rows: dict, source_id: int, departements: set[str] | None, summary: Summary) -> Summary:
    existing = Place.objects.filter(source_id=source_id)
    stale = existing
    if departements is not None:
        stale = existing.filter(Q(commune__departement_id__in=departements) | Q(commune__isnull=True))
    counts = sync_rows(
        model=Place,
        rows=rows,
        key="source_ref",
        fields=[*PLACE_FIELDS, "source_id"],
        existing=existing,
        stale=stale,
    )
    return summary.add(counts)
