"""Lieux de médiation numérique from raw regional exports that follow no schema: one mapper per source.

- Hub-Lo (hub for a digital inclusion of Centre-Val de Loire): JSON array of `c_`-prefixed records (`gid`, `c_nom`,
  `c_postcode` as a number, `c_lat_coor1`/`c_long_coor1`, yes/no service flags, `c__edit_datemaj`).
- Région Sud, "Lieux d'inclusion numérique 2022": JSON array (`nom`, `adresse_code_postal` as a number whose leading
  zero is lost, `adresse_code_insee` mostly empty, `latitude`/`longitude`, `contact_*`, `horaires_*`, free-text
  `services`, `date` = 01/01/1970 everywhere, i.e. undated).

Both files are optional. The whole file is validated before anything is written: a record that cannot be read (not an
object, a missing field, a non-numeric coordinate, a duplicate identifier) stops the import with the file, line and
column of the record's field (`JsonDoc.error`). Records that can be read but not used are rejected with a reason and
counted in the summary (no name; same name and coordinates as an earlier record of the file; coordinates outside France
or far from the commune named by the address, and no commune found from postcode + city).

Placement is the shared one (`places.place_rows`: INSEE code, point-in-polygon on the commune contours, postcode + city)
after one extra check that these hand-geocoded sources need (`prepare`): coordinates outside France, or outside the
département of the commune named by the address, are dropped and the place is put at that commune's centroid
(location "approximate") instead of being placed or skipped far away.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import shapely

from territories.importers.base import INSEE_RE, FileFormatError, JsonDoc, Summary
from territories.importers.places import (
    CommuneLocator,
    PlaceRecord,
    _coords,
    _postcode,
    _postcode_in,
    _website,
)
from territories.models import Departement, Place
from territories.text import normalize_search

Kind = Place.Kind

HUB_LO = "mediation/hub-lo-lieux-centre-val-de-loire-dep18.json"
REGION_SUD = "mediation/regionsud-lieux-inclusion-numerique-2022-dep13-84.json"

HUB_LO_KEYS = ["gid", "c_nom", "c_adresse", "c_postcode", "c_city", "c_lat_coor1", "c_long_coor1", "c__edit_datemaj"]
REGION_SUD_KEYS = ["nom", "adresse_rue", "adresse_code_postal", "adresse_commune", "latitude", "longitude"]

# Hub-Lo yes/no flags -> service label (the v1 schema wording where the meaning is the same)
HUB_LO_SERVICES = [
    ("c_materiel_info", "Accès internet et matériel informatique"),
    ("c_formation", "Formations et ateliers au numérique"),
    ("c_accompagnement_personnel", "Accompagnement individuel"),
    ("c_espace_teletravail", "Espace de télétravail"),
]
# Hub-Lo free texts kept in `details`
HUB_LO_DETAILS = {
    "c_materiel_info_detail": "materiel",
    "c_formation_detail": "formation",
    "c_accompagnement_personnel_detail": "accompagnement",
    "c_varchar_public_cible": "public",
    "c_statut_juridique": "statut",
    "c_raison_sociale": "structure",
    "c_epci": "epci",
}
REGION_SUD_DETAILS = {
    "structure_porteuse": "structure",
    "type_lieu": "type_lieu",
    "statut": "statut",
    "nature_juridique": "nature_juridique",
    "public_cible": "public",
    "modalites_accompagnement": "modalites_accompagnement",
    "materiels_disponibles": "materiel",
    "itinerant": "itinerant",
}
HUB_LO_USED = [
    *HUB_LO_KEYS,
    *(key for key, _ in HUB_LO_SERVICES),
    *HUB_LO_DETAILS,
    "c_telephone",
    "c_mobile",
    "c_courriel",
    "c_site_web",
    "c_horaire_ouverture",
    "c_jours_semaine",
    "c_categories_espace",
    "c_etiquettes",
    "c_acces_pmr",
    "c_siren_site",
]
REGION_SUD_USED = [
    *REGION_SUD_KEYS,
    *REGION_SUD_DETAILS,
    "adresse_brut",
    "adresse_numero",
    "contact_telephone",
    "contact_telephone_details",
    "contact_email",
    "contact_web",
    "horaires_ouverture_brut",
    "horaires_ouverture_osm",
    "horaires_grand_public",
    "services",
    "labels",
    "en_ligne",
    "date",
]
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
COMMUNE_SIREN_RE = re.compile(r"^21(\d{2})0(\d{3})\d$")  # 21 + département + 0 + commune + key
PLACEHOLDER_YEAR = 1970  # "01/01/1970": an epoch default, not a date


@dataclass
class RawFile:
    """The usable records of a raw file, plus what was set aside while reading it."""

    records: list[PlaceRecord]
    total: int  # records in the file
    producer_label: str
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (reason, postcode)
    notes: list[str] = field(default_factory=list)
    dates: list[dt.date] = field(default_factory=list)
    default_vintage: str = ""

    @property
    def vintage(self) -> str:
        if not self.dates:
            return self.default_vintage
        first, last = min(self.dates).year, max(self.dates).year
        years = str(first) if first == last else f"{first}–{last}"
        return f"{years} (dates de mise à jour des fiches)"


# ---- small helpers ---------------------------------------------------------------------------------------------------


def _text(doc: JsonDoc, i: int, rec: dict, key: str) -> str:
    """A text-like field: a string, a number or null; anything else (list, object) is a malformed record."""
    value = rec.get(key)
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, str | int | float):
        return str(value).strip()
    raise doc.error(i, f"expected text, got {type(value).__name__}", key=key)


def _compact(text: str) -> str:
    """Collapse runs of spaces/tabs, keep one line break between non-empty lines."""
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in str(text).splitlines())
    return "\n".join(line for line in lines if line)


def _email(text: str) -> str:
    for part in re.split(r"[\s;,|]+", text or ""):
        if "@" in part and "." in part.split("@")[-1]:
            return part[:200]
    return ""


def _site(text: str) -> str:
    text = (text or "").strip()
    if text.lower().startswith("www."):
        text = "https://" + text
    elif text.lower().startswith(("http://", "https://")):
        scheme, rest = text.split("://", 1)
        text = f"{scheme.lower()}://{rest}"
    return _website(text)


def _phone(*values: str) -> str:
    seen: list[str] = []
    for value in values:
        value = _compact(value).replace("\n", " ")
        digits = re.sub(r"\D", "", value)
        if value and digits and digits not in [re.sub(r"\D", "", s) for s in seen]:
            seen.append(value)
    return " / ".join(seen)[:60]


def _split_outside_parentheses(text: str, separator: str = ",") -> list[str]:
    parts, depth, current = [], 0, []
    for char in text:
        if char in "([":
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
        if char == separator and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip(" .") for p in parts if p.strip(" .")]


def _join_services(items: list[str]) -> str:
    out: list[str] = []
    for item in items:
        item = re.sub(r"\s+", " ", item).strip()
        item = item[:1].upper() + item[1:]
        if item and item.lower() not in (o.lower() for o in out):
            out.append(item)
    return "; ".join(out)


def _insee(doc: JsonDoc, i: int, rec: dict, key: str) -> str:
    code = _text(doc, i, rec, key)
    if code.endswith(".0"):
        code = code[:-2]
    if code.isdigit() and len(code) == 4:  # a number that lost its leading zero
        code = "0" + code
    if code and not INSEE_RE.match(code):
        raise doc.error(i, f"invalid INSEE code {code!r} (expected 5 digits, or 2A/2B + 3 digits)", key=key)
    return code


def _ref(*parts) -> str:
    """A stable identifier for sources without one: a digest of what makes the record unique in its file."""
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:16]


class _Deduplicate:
    """Same name (normalised) + same coordinates (≈ 1 m) = one place listed twice."""

    def __init__(self):
        self.seen: dict[tuple, int] = {}

    def key(self, name: str, lat, lon, postcode: str, address: str) -> tuple:
        if lat is not None:
            return (normalize_search(name), round(lat, 5), round(lon, 5))
        return (normalize_search(name), postcode, normalize_search(address))

    def first(self, key: tuple, index: int) -> int | None:
        """The index of the earlier record with this key, or None (and remember this one)."""
        if key in self.seen:
            return self.seen[key]
        self.seen[key] = index
        return None


def _load(path: Path, keys: list[str]) -> JsonDoc:
    doc = JsonDoc(path)
    if not isinstance(doc.data, list):
        raise FileFormatError(path, "expected a JSON array of lieux", line=1, column=1)
    for i, rec in enumerate(doc.data):
        if not isinstance(rec, dict):
            raise doc.error(i, f"expected an object, got {type(rec).__name__}")
        for key in keys:
            if key not in rec:
                raise doc.error(i, f"missing field {key!r}")
    return doc


# ---- Hub-Lo ----------------------------------------------------------------------------------------------------------


def _hub_lo_date(text: str) -> dt.date | None:
    for fmt in ("%Y/%m/%d", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text.strip()[:10], fmt).date()
        except ValueError:
            continue
    return None


def _yes(value: str) -> bool:
    return value.strip().lower() in ("oui", "true", "1", "yes")


def parse_hub_lo(path: Path) -> RawFile:
    doc = _load(path, HUB_LO_KEYS)
    out = RawFile(records=[], total=len(doc.data), producer_label="Hub-Lo")
    out.default_vintage = "2020–2023"
    ids: dict[str, int] = {}
    dedup = _Deduplicate()
    for i, rec in enumerate(doc.data):
        ref = _text(doc, i, rec, "gid")
        if not ref:
            raise doc.error(i, "empty identifier", key="gid")
        if ref in ids:
            raise doc.error(i, f"duplicate identifier {ref!r} (first in record {ids[ref] + 1})", key="gid")
        ids[ref] = i

        def fail(message, i=i):
            raise doc.error(i, message, key="c_lat_coor1")

        lat, lon = _coords(rec.get("c_lat_coor1"), rec.get("c_long_coor1"), fail)
        t = {key: _text(doc, i, rec, key) for key in HUB_LO_USED if key in rec}
        name = _compact(t.get("c_nom", "")).replace("\n", " ")
        postcode = _postcode(t.get("c_postcode"))
        if not name:
            out.rejected.append(("no name", postcode))
            continue
        address = _compact(t.get("c_adresse", "")).replace("\n", " ").strip(" .,")
        earlier = dedup.first(dedup.key(name, lat, lon, postcode, address), i)
        if earlier is not None:
            out.rejected.append(("duplicate of an earlier record of the file (same name and coordinates)", postcode))
            continue
        updated = _hub_lo_date(t.get("c__edit_datemaj", ""))
        if updated:
            out.dates.append(updated)
        services = [label for key, label in HUB_LO_SERVICES if _yes(t.get(key, ""))]
        days = [d.strip(' "') for d in t.get("c_jours_semaine", "").strip("{}").split(",") if d.strip(' "')]
        hours = _compact(t.get("c_horaire_ouverture", ""))
        if days:
            hours = "\n".join(x for x in (f"Jours : {', '.join(days)}", hours) if x)
        categories = [
            c.strip(' "') for c in t.get("c_categories_espace", "").strip("{}").split(",") if c.strip(' "')
        ] or [c.strip() for c in t.get("c_etiquettes", "").split(",") if c.strip()]
        details: dict = {"source": "Hub-Lo"}
        if categories:
            details["categories"] = categories
        for key, label in HUB_LO_DETAILS.items():
            if t.get(key):
                details[label] = _compact(t[key])
        if t.get("c_acces_pmr"):
            details["acces_pmr"] = _yes(t["c_acces_pmr"])
        if t.get("c_siren_site"):
            details["siren"] = t["c_siren_site"]
        out.records.append(
            PlaceRecord(
                source_ref=ref,
                name=name,
                lat=lat,
                lon=lon,
                address=address,
                postcode=postcode,
                city=t.get("c_city", ""),
                phone=_phone(t.get("c_telephone", ""), t.get("c_mobile", "")),
                email=_email(t.get("c_courriel", "")),
                website=_site(t.get("c_site_web", "")),
                services=_join_services(services),
                hours=hours,
                details=details,
                updated_on=updated,
            )
        )
    return out


# ---- Région Sud ------------------------------------------------------------------------------------------------------


def _region_sud_date(text: str) -> dt.date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            value = dt.datetime.strptime(text.strip()[:10], fmt).date()
        except ValueError:
            continue
        return None if value.year <= PLACEHOLDER_YEAR else value
    return None


def parse_region_sud(path: Path) -> RawFile:
    doc = _load(path, REGION_SUD_KEYS)
    out = RawFile(records=[], total=len(doc.data), producer_label="Région Sud")
    out.default_vintage = "inventaire 2022 (fiches non datées)"
    dedup = _Deduplicate()
    undated = 0
    for i, rec in enumerate(doc.data):

        def fail(message, i=i):
            raise doc.error(i, message, key="latitude")

        lat, lon = _coords(rec.get("latitude"), rec.get("longitude"), fail)
        insee = _insee(doc, i, rec, "adresse_code_insee") if "adresse_code_insee" in rec else ""
        t = {key: _text(doc, i, rec, key) for key in REGION_SUD_USED if key in rec}
        name = _compact(t.get("nom", "")).replace("\n", " ")
        postcode = _postcode(t.get("adresse_code_postal"))
        if not name:
            out.rejected.append(("no name", postcode))
            continue
        address = t.get("adresse_brut") or " ".join(x for x in (t.get("adresse_numero"), t.get("adresse_rue")) if x)
        address = _compact(address).replace("\n", " ")
        key = dedup.key(name, lat, lon, postcode, address)
        if dedup.first(key, i) is not None:
            out.rejected.append(("duplicate of an earlier record of the file (same name and coordinates)", postcode))
            continue
        updated = _region_sud_date(t.get("date", ""))
        if updated:
            out.dates.append(updated)
        elif t.get("date"):
            undated += 1
        services = _split_outside_parentheses(t.get("services", ""))
        if t.get("materiels_disponibles"):
            services.append("Accès internet et matériel informatique")
        hours: list[str] = []
        for key_ in ("horaires_ouverture_brut", "horaires_ouverture_osm", "horaires_grand_public"):
            value = _compact(t.get(key_, ""))
            if value and value not in hours:
                hours.append(value)
        details: dict = {"source": "Région Sud"}
        for key_, label in REGION_SUD_DETAILS.items():
            if t.get(key_):
                details[label] = _compact(t[key_])
        if t.get("labels"):
            details["labels"] = [x.strip() for x in t["labels"].split(",") if x.strip()]
        if t.get("en_ligne", "").lower() == "oui":
            details["en_ligne"] = True
        out.records.append(
            PlaceRecord(
                source_ref=_ref(*key),
                name=name,
                insee=insee,
                lat=lat,
                lon=lon,
                address=address,
                postcode=postcode,
                city=t.get("adresse_commune", ""),
                phone=_phone(t.get("contact_telephone", ""), t.get("contact_telephone_details", "")),
                email=_email(t.get("contact_email", "")),
                website=_site(t.get("contact_web", "")),
                services=_join_services(services),
                hours="\n".join(hours),
                details=details,
                updated_on=updated,
            )
        )
    if undated:
        out.notes.append(f"{undated} records dated 01/01/1970 (a placeholder): no update date kept")
    return out


PARSERS = {
    "mediation-hub-lo": (HUB_LO, Kind.MEDIATION, parse_hub_lo),
    "mediation-region-sud": (REGION_SUD, Kind.MEDIATION, parse_region_sud),
}


# ---- placement check -------------------------------------------------------------------------------------------------


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


def prepare(
    raw: RawFile, *, locator: CommuneLocator, departements: set[str] | None, summary: Summary, meta: dict
) -> list[PlaceRecord]:
    """Records ready for `places.place_rows`; counts the file's rejections; sets the source's vintage in `meta`.

    Coordinates are dropped when they lie outside France, or more than ~2 km outside the département of the commune
    the record names (or, when no commune matches, of its postcode); the place then goes to the centroid of the named
    commune (location "approximate"). Such a record is rejected when no commune matches, or when the named commune is
    not the one whose SIREN the operator carries (a commune's own SIREN encodes its INSEE code): with coordinates,
    postcode/city and operator disagreeing, nothing says where the place is.
    A record whose postcode no commune carries (CEDEX) is placed by its city name inside the postcode's département.
    """
    meta["vintage"] = raw.vintage
    for reason, postcode in raw.rejected:
        if departements is None or not postcode or _postcode_in(postcode, departements):
            summary.reject(reason)
    summary.notes += raw.notes
    dep_shapes = {
        code: shapely.from_geojson(geometry)
        for code, geometry in Departement.objects.exclude(geometry="").values_list("code", "geometry")
    }
    finder = _Places(locator)
    out: list[PlaceRecord] = []
    dropped: Counter = Counter()
    by_city = 0
    for rec in raw.records:
        named, how = finder.named(rec)
        if how == "city" and rec.lat is None:
            rec = replace(rec, insee=named)  # place_rows then finds it by code
            by_city += 1
        if rec.lat is None:
            out.append(rec)
            continue
        if not in_france(rec.lat, rec.lon):
            problem = "coordinates outside France"
        else:
            deps = {locator.communes[named][0]} if named else _postcode_departements(rec.postcode)
            shapes = [dep_shapes[d] for d in deps if d in dep_shapes]
            point = shapely.Point(rec.lon, rec.lat)
            if not shapes or any(shapely.dwithin(s, point, DEPARTEMENT_MARGIN_DEG) for s in shapes):
                out.append(rec)
                continue
            problem = "coordinates outside the département of the address"
        outside = departements is not None and rec.postcode and not _postcode_in(rec.postcode, departements)
        if named is None and not rec.insee:
            if outside:
                out.append(replace(rec, lat=None, lon=None))  # counted by place_rows as outside the selection
            else:
                summary.reject(f"{problem}, and postcode/city match no single loaded commune")
            continue
        operator = finder.siren_commune(rec)
        if named and operator and operator != named:
            summary.reject(f"{problem}, and postcode/city name another commune than the operator's SIREN")
            continue
        dropped[problem] += 1
        out.append(replace(rec, lat=None, lon=None, insee=rec.insee or (named if how == "city" else "")))
        by_city += how == "city"
    if dropped:
        summary.notes.append(
            f"coordinates dropped for {sum(dropped.values())} records "
            f"({dropped['coordinates outside France']} outside France, "
            f"{dropped['coordinates outside the département of the address']} outside the département of their "
            "address): placed at their commune's centroid"
        )
    if by_city:
        summary.notes.append(f"{by_city} records placed by city name (postcode carried by no commune, e.g. CEDEX)")
    return out
