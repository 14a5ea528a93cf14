"""Coordinates of hand-geocoded sources (the raw Hub-Lo and Région Sud exports), checked before placement.

Coordinates are dropped when they lie outside France, or more than ~2 km outside the département of the commune the
record names (or, when no commune matches, of its postcode); the place then goes to the centroid of the named commune
(location "approximate") instead of being placed or skipped far away. Such a record is rejected when no commune
matches, or when the named commune is not the one whose SIREN the operator carries (a commune's own SIREN encodes its
INSEE code): with coordinates, postcode/city and operator disagreeing, nothing says where the place is.
A record whose postcode no commune carries (CEDEX) is placed by its city name inside the postcode's département.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

import shapely

from territories.formatting import agree, number, plural
from territories.importers.base import Summary
from territories.importers.mapping import PlaceRecord
from territories.importers.placement import CommuneLocator, postcode_in
from territories.models import Departement
from territories.text import normalize_search

# Bounding boxes of France (lat_min, lat_max, lon_min, lon_max): metropolitan + Corsica, DROM, COM. Generous margins.
FRANCE_BOXES = [
    (41.0, 51.6, -5.8, 10.0),  # metropolitan France and Corsica
    (15.8, 16.6, -61.9, -60.9),  # Guadeloupe
    (17.8, 18.2, -63.2, -62.7),  # Saint-Martin, Saint-Barthélemy
    (14.3, 14.95, -61.3, -60.7),  # Martinique
    (2.0, 6.0, -54.7, -51.5),  # Guyane
    (-21.5, -20.8, 55.1, 55.9),  # La Réunion
    (-13.1, -12.5, 44.9, 45.4),  # Mayotte
    (46.7, 47.2, -56.5, -56.0),  # Saint-Pierre-et-Miquelon
    (-28.0, -7.0, -155.0, -134.0),  # Polynésie française
    (-23.0, -19.0, 163.0, 169.0),  # Nouvelle-Calédonie
    (-14.5, -13.0, -178.5, -176.0),  # Wallis-et-Futuna
]
DEPARTEMENT_MARGIN_DEG = 0.02  # ≈ 2 km: simplified contours, places on the coast or on a border
OUTSIDE_FRANCE = "coordonnées hors de France"
OUTSIDE_DEPARTEMENT = "coordonnées hors du département de l'adresse"
COMMUNE_SIREN_RE = re.compile(r"^21(\d{2})0(\d{3})\d$")  # 21 + département + 0 + commune + key


def in_france(lat: float, lon: float) -> bool:
    return any(a <= lat <= b and c <= lon <= d for a, b, c, d in FRANCE_BOXES)


def _postcode_departements(postcode: str) -> set[str]:
    if not postcode:
        return set()
    if postcode.startswith("20"):
        return {"2A", "2B"}
    if postcode.startswith("97"):
        return {postcode[:3]}
    return {postcode[:2]}


class _Places:
    """Which commune a record names: INSEE code, postcode + city, else city name inside the postcode's département
    (CEDEX and other postcodes no commune carries, e.g. 18020 for Bourges)."""

    def __init__(self, locator: CommuneLocator):
        self.locator = locator
        self.by_dep_name: dict[tuple[str, str], list[str]] = {}
        for (_, name), code in locator.by_postcode_name.items():
            codes = self.by_dep_name.setdefault((locator.communes[code][0], name), [])
            if code not in codes:
                codes.append(code)

    def named(self, rec: PlaceRecord) -> tuple[str | None, str]:
        """(commune code, how) of the commune the record's code or address names."""
        if rec.insee:
            return self.locator.by_code(rec.insee), "code"
        code = self.locator.by_address(rec.postcode, rec.city)
        if code:
            return code, "address"
        name = normalize_search(rec.city)
        candidates = [c for dep in _postcode_departements(rec.postcode) for c in self.by_dep_name.get((dep, name), [])]
        return (candidates[0], "city") if len(candidates) == 1 else (None, "")

    def siren_commune(self, rec: PlaceRecord) -> str | None:
        """The commune whose own SIREN (21 + département + 0 + commune number + key) is the record's operator."""
        match = COMMUNE_SIREN_RE.match(str(rec.details.get("siren", "")))
        if not match or match.group(1) in ("20", "97"):
            return None
        code = match.group(1) + match.group(2)
        code = self.locator.current_code.get(code, code)
        return code if code in self.locator.cog_codes else None


def check_coordinates(
    records: list[PlaceRecord], *, locator: CommuneLocator, departements: set[str] | None, summary: Summary
) -> list[PlaceRecord]:
    """The records ready for `placement.place_rows`, coordinates far from the address dropped (see above)."""
    dep_shapes = {
        code: shapely.from_geojson(geometry)
        for code, geometry in Departement.objects.exclude(geometry="").values_list("code", "geometry")
    }
    finder = _Places(locator)
    out: list[PlaceRecord] = []
    dropped: Counter = Counter()
    by_city = 0
    for rec in records:
        named, how = finder.named(rec)
        if how == "city" and rec.lat is None:
            rec = replace(rec, insee=named)  # place_rows then finds it by code
            by_city += 1
        if rec.lat is None:
            out.append(rec)
            continue
        if not in_france(rec.lat, rec.lon):
            problem = OUTSIDE_FRANCE
        else:
            deps = {locator.communes[named][0]} if named else _postcode_departements(rec.postcode)
            shapes = [dep_shapes[d] for d in deps if d in dep_shapes]
            point = shapely.Point(rec.lon, rec.lat)
            if not shapes or any(shapely.dwithin(s, point, DEPARTEMENT_MARGIN_DEG) for s in shapes):
                out.append(rec)
                continue
            problem = OUTSIDE_DEPARTEMENT
        outside = departements is not None and rec.postcode and not postcode_in(rec.postcode, departements)
        if named is None and not rec.insee:
            if outside:
                out.append(replace(rec, lat=None, lon=None))  # counted by place_rows as outside the selection
            else:
                summary.reject(f"{problem}, et le code postal et la commune ne désignent pas une seule commune chargée")
            continue
        operator = finder.siren_commune(rec)
        if named and operator and operator != named:
            summary.reject(
                f"{problem}, et le code postal et la commune désignent une autre commune que le SIREN de la "
                "structure porteuse"
            )
            continue
        dropped[problem] += 1
        out.append(replace(rec, lat=None, lon=None, insee=rec.insee or (named if how == "city" else "")))
        by_city += how == "city"
    if dropped:
        count = sum(dropped.values())
        summary.notes.append(
            f"coordonnées écartées pour {plural(count, 'fiche', 'fiches')} ({number(dropped[OUTSIDE_FRANCE])} hors "
            f"de France, {number(dropped[OUTSIDE_DEPARTEMENT])} hors du département de l'adresse) : "
            + agree(count, "placée au centroïde de sa commune", "placées au centroïde de leur commune")
        )
    if by_city:
        placed = plural(by_city, "fiche placée", "fiches placées")
        summary.notes.append(f"{placed} par le nom de la commune (code postal porté par aucune commune, ex. CEDEX)")
    return out
