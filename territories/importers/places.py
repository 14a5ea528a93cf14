"""Places that give digital help: France services, Aidants Connect structures, lieux de médiation numérique.

Each file is parsed into plain records (validated whole), then placed:
1. an INSEE code (older codes and municipal arrondissements are mapped to the current commune) gives the commune;
   without coordinates the place is put at the commune's centroid, location=APPROXIMATE;
2. coordinates without a code: point-in-polygon against the stored commune contours (shapely STRtree);
3. otherwise postcode + city name (normalised) against the communes' postcodes.
When only some départements are loaded, places whose commune lies elsewhere are skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely

from territories.importers.base import INSEE_RE, CsvDoc, FileFormatError, JsonDoc, Summary, parse_float
from territories.models import Commune, Place
from territories.services import sync_rows
from territories.text import normalize_search

Kind = Place.Kind
Location = Place.Location

FRANCE_SERVICES = "mediation/france-services-liste-2023.csv"
AIDANTS_CONNECT = "mediation/aidants-connect-structures.csv"
HINAURA_V0 = "mediation/hinaura-lieux-mediation-numerique-aura.json"
MEDIATION_V1_CSV = "mediation/lieux-mediation-numerique.csv"

FS_COLUMNS = ["id_fs", "lib_fs", "adresse", "insee_com", "code_postal", "lib_com", "latitude", "longitude"]
AC_COLUMNS = ["Name", "ID", "Is Active", "City Insee Code", "Address", "Zip Code", "City", "Nombre d'aidants"]
V0_KEYS = ["id", "nom", "latitude", "longitude"]
V1_COLUMNS = ["id", "nom", "adresse", "code_postal", "commune", "latitude", "longitude", "services"]
V1_OPTIONAL = ["code_insee", "telephone", "courriels", "site_web", "horaires", "date_maj", "pivot", "typologie"]
V1_LISTS = [
    "publics_specifiquement_adresses",
    "prise_en_charge_specifique",
    "frais_a_charge",
    "modalites_acces",
    "modalites_accompagnement",
    "dispositif_programmes_nationaux",
    "formations_labels",
    "typologie",
]
POSTCODE_RE = re.compile(r"^\d{5}$")


@dataclass
class PlaceRecord:
    source_ref: str
    name: str
    insee: str = ""
    lat: float | None = None
    lon: float | None = None
    address: str = ""
    postcode: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    services: str = ""
    hours: str = ""
    details: dict = field(default_factory=dict)
    updated_on: dt.date | None = None


def _coords(lat_text, lon_text, raise_error) -> tuple[float | None, float | None]:
    try:
        lat, lon = parse_float(lat_text), parse_float(lon_text)
    except ValueError as exc:
        raise_error(str(exc))
    if (lat is None) != (lon is None):
        raise_error("latitude and longitude must both be given or both be empty")
    if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise_error(f"coordinates out of range: {lat}, {lon}")
    if lat == 0 and lon == 0:
        return None, None
    return lat, lon


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    text = str(text).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text[:10], fmt).date()
        except ValueError:
            continue
    return None


def _website(text: str | None) -> str:
    text = (text or "").strip().split("|")[0].strip()
    return text if text.startswith(("http://", "https://")) and len(text) <= 500 else ""


def _postcode(text) -> str:
    text = str(text or "").strip()
    if text.endswith(".0"):
        text = text[:-2]
    if text.isdigit() and len(text) == 4:
        text = "0" + text
    return text if POSTCODE_RE.match(text) else ""


def _check_insee(doc: CsvDoc, row, column: str) -> str:
    code = row.values[column].strip()
    if code and not INSEE_RE.match(code):
        raise doc.error(row, column, f"invalid INSEE code {code!r} (expected 5 digits, or 2A/2B + 3 digits)")
    return code


def _unique(doc: CsvDoc, row, column: str, seen: dict) -> str:
    ref = row.values[column].strip()
    if not ref:
        raise doc.error(row, column, "empty identifier")
    if ref in seen:
        raise doc.error(row, column, f"duplicate identifier {ref!r} (first on line {seen[ref]})")
    seen[ref] = row.line
    return ref


def parse_france_services(path: Path) -> list[PlaceRecord]:
    doc = CsvDoc(path, required=FS_COLUMNS)
    seen, out = {}, []
    days = ["h_lundi", "h_mardi", "h_mercredi", "h_jeudi", "h_vendredi", "h_samedi"]
    for row in doc.rows:
        v = row.values
        ref = _unique(doc, row, "id_fs", seen)
        insee = _check_insee(doc, row, "insee_com")

        def fail(message, row=row):
            raise doc.error(row, "latitude", message)

        lat, lon = _coords(v["latitude"], v["longitude"], fail)
        hours = "\n".join(f"{d[2:].capitalize()} : {v[d]}" for d in days if v.get(d))
        out.append(
            PlaceRecord(
                source_ref=ref,
                name=v["lib_fs"],
                insee=insee,
                lat=lat,
                lon=lon,
                address=" ".join(x for x in (v["adresse"], v.get("complement_adresse", "")) if x),
                postcode=_postcode(v["code_postal"]),
                city=v["lib_com"],
                phone=v.get("telephone", ""),
                email=v.get("mail", ""),
                hours=hours,
                details={k: v[k] for k in ("format_fs", "format_fs_anct", "itinerance", "labellisation") if v.get(k)},
            )
        )
    return out


def parse_aidants_connect(path: Path) -> list[PlaceRecord]:
    doc = CsvDoc(path, required=AC_COLUMNS)
    seen, out = {}, []
    for row in doc.rows:
        v = row.values
        ref = _unique(doc, row, "ID", seen)
        insee = _check_insee(doc, row, "City Insee Code")
        if v["Is Active"].strip().lower() not in ("true", "false", ""):
            raise doc.error(row, "Is Active", f"expected true/false, got {v['Is Active']!r}")
        aidants = v["Nombre d'aidants"].strip()
        if aidants and not aidants.isdigit():
            raise doc.error(row, "Nombre d'aidants", f"not a whole number: {aidants!r}")
        out.append(
            PlaceRecord(
                source_ref=ref,
                name=v["Name"],
                insee=insee,
                address=v["Address"],
                postcode=_postcode(v["Zip Code"]),
                city=v["City"],
                details={
                    "aidants": int(aidants) if aidants else None,
                    "active": v["Is Active"].strip().lower() == "true",
                    "france_services_label": v.get("France Services Label", "").strip().lower() == "true",
                },
            )
        )
    return out


def parse_mediation_v0_json(path: Path) -> list[PlaceRecord]:
    """Schéma des lieux de médiation numérique v0 (2022), a JSON array (e.g. Hinaura's source.json)."""
    doc = JsonDoc(path)
    if not isinstance(doc.data, list):
        raise FileFormatError(path, "expected a JSON array of lieux", line=1, column=1)
    seen, out = {}, []
    for i, rec in enumerate(doc.data):
        if not isinstance(rec, dict):
            raise doc.error(i, "expected an object")
        for key in V0_KEYS:
            if key not in rec:
                raise doc.error(i, f"missing field {key!r}")
        ref = str(rec["id"]).strip()
        if not ref or ref in seen:
            raise doc.error(i, f"duplicate or empty id {ref!r}", key="id")
        seen[ref] = i

        def fail(message, i=i):
            raise doc.error(i, message, key="latitude")

        lat, lon = _coords(rec.get("latitude"), rec.get("longitude"), fail)
        insee = str(rec.get("code_insee") or "").strip()
        if insee and not INSEE_RE.match(insee):
            raise doc.error(i, f"invalid INSEE code {insee!r}", key="code_insee")
        out.append(
            PlaceRecord(
                source_ref=ref,
                name=str(rec["nom"]),
                insee=insee,
                lat=lat,
                lon=lon,
                address=str(rec.get("adresse") or ""),
                postcode=_postcode(rec.get("code_postal")),
                city=str(rec.get("commune") or ""),
                phone=str(rec.get("telephone") or ""),
                email=str(rec.get("courriel") or ""),
                website=_website(rec.get("site_web")),
                services="; ".join(s.strip() for s in str(rec.get("services") or "").split(";") if s.strip()),
                hours=str(rec.get("horaires") or ""),
                details={
                    k: [s.strip() for s in str(rec[k]).split(";") if s.strip()]
                    for k in ("publics_accueillis", "conditions_acces", "modalites_accompagnement")
                    if rec.get(k)
                }
                | ({"source": rec["source"]} if rec.get("source") else {}),
                updated_on=_date(rec.get("date_maj")),
            )
        )
    return out


def parse_mediation_v1_csv(path: Path) -> list[PlaceRecord]:
    """Schéma des lieux de médiation numérique v1.x, CSV form (`,`-separated, multi-values `|`-separated)."""
    doc = CsvDoc(path, required=V1_COLUMNS)
    seen, out = {}, []
    for row in doc.rows:
        v = row.values
        ref = _unique(doc, row, "id", seen)
        insee = _check_insee(doc, row, "code_insee") if "code_insee" in v else ""

        def fail(message, row=row):
            raise doc.error(row, "latitude", message)

        lat, lon = _coords(v["latitude"], v["longitude"], fail)
        if not v["nom"].strip():
            raise doc.error(row, "nom", "empty name")
        details = {k: [s.strip() for s in v[k].split("|") if s.strip()] for k in V1_LISTS if v.get(k)}
        if v.get("pivot"):
            details["pivot"] = v["pivot"]
        if v.get("source"):
            details["source"] = v["source"]
        out.append(
            PlaceRecord(
                source_ref=ref,
                name=v["nom"],
                insee=insee,
                lat=lat,
                lon=lon,
                address=" ".join(x for x in (v["adresse"], v.get("complement_adresse", "")) if x),
                postcode=_postcode(v["code_postal"]),
                city=v["commune"],
                phone=v.get("telephone", ""),
                email=(v.get("courriels") or "").split("|")[0].strip(),
                website=_website(v.get("site_web")),
                services="; ".join(s.strip() for s in v["services"].split("|") if s.strip()),
                hours=v.get("horaires", ""),
                details=details,
                updated_on=_date(v.get("date_maj")),
            )
        )
    return out


PARSERS = {
    "france-services": (FRANCE_SERVICES, Kind.FRANCE_SERVICES, parse_france_services),
    "aidants-connect": (AIDANTS_CONNECT, Kind.AIDANTS_CONNECT, parse_aidants_connect),
    "mediation-hinaura": (HINAURA_V0, Kind.MEDIATION, parse_mediation_v0_json),
    "mediation-national": (MEDIATION_V1_CSV, Kind.MEDIATION, parse_mediation_v1_csv),
}


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


def _postcode_in(postcode: str, departements: set[str]) -> bool:
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
                    summary.reject("INSEE code not a commune of COG 2026")
                continue
            if rec.lat is None:
                if departements is not None and rec.postcode and not _postcode_in(rec.postcode, departements):
                    stats["outside"] += 1
                else:
                    summary.reject("no INSEE code, no coordinates, and postcode/city match no single loaded commune")
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
        }
    summary.notes.append(
        f"commune found by INSEE code {stats['code']}, by point-in-polygon {stats['point']}, by postcode/city "
        f"{stats['address']}; {stats['approximate']} put at their commune's centroid (approximate); "
        f"{stats['outside']} skipped (outside the selected départements); {stats['unplaced']} kept without "
        "commune (coordinates outside every stored contour, no postcode/city match)"
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
]


def write_places(*, rows: dict, source_id: int, departements: set[str] | None, summary: Summary) -> Summary:
    existing = Place.objects.filter(source_id=source_id)
    stale = existing
    if departements is not None:
        from django.db.models import Q

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
