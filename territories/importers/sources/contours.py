"""Commune and département contours: validated, repaired, simplified as a coverage (shared borders), rounded.

Real national files hold a few invalid polygons (self-intersection, wrong ring orientation, duplicate points): they
are repaired with `shapely.make_valid`, keeping only the areal parts, and named in the import summary. Only a geometry
that cannot give an area (unparseable, empty, points or lines only) stops the import.

The contours' vintage (COG 2025) is older than the communes' (COG 2026): the contour of a commune nouvelle is the
union (shapely `union_all`) of its former communes' contours, marked derived; a current commune with no contour gets
a note saying why (`missing_note`).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import shapely

from territories import opendata
from territories.formatting import agree, number
from territories.importers.base import INSEE_RE, FileFormatError, JsonDoc, Summary, read_number, shown
from territories.models import Commune, Departement
from territories.services import sync_rows

UNKNOWN_CODE = "code ni d'une commune actuelle ni d'une ancienne commune (COG 2026)"
COMMUNE_TOLERANCE = 0.0005  # degrees (~40 m): coverage_simplify keeps neighbours on one shared border
DEPARTEMENT_TOLERANCE = 0.005  # degrees (~400 m)
GRID = 1e-5  # 5 decimals (~1 m)


def commune_contour_file(data_dir: Path, dep: str) -> str | None:
    """Relative path of the contour file for a département: COG 2025 set first (codes match COG 2026)."""
    return opendata.locate(data_dir, "contours-communes-{dep}", dep=dep) or opendata.locate(
        data_dir, "contours-communes-2018-{dep}", dep=dep
    )


def departement_contour_file(data_dir: Path) -> str | None:
    return opendata.locate(data_dir, "contours-departements") or opendata.locate(data_dir, "contours-departements-2018")


def _feature_code(props: dict) -> str | None:
    for key in ("code", "DDEP_C_COD", "code_insee"):
        if props.get(key):
            return str(props[key])
    value = props.get("code_territoire")
    if value:
        value = str(value)
        for prefix in ("com", "dep"):
            if value.startswith(prefix):
                return value[len(prefix) :]
        return value
    return None


def polygonal_part(shape):
    """The areal part of a geometry as a Polygon or MultiPolygon (None when it has no area)."""
    if shape.geom_type in ("Polygon", "MultiPolygon"):
        return None if shape.is_empty else shape
    parts = [g for g in getattr(shape, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon") and not g.is_empty]
    if not parts:
        return None
    polygons = [p for g in parts for p in (g.geoms if g.geom_type == "MultiPolygon" else [g])]
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


# GEOS's reasons for an invalid geometry (shapely.is_valid_reason: "Self-intersection[2.15 46.05]"), in French.
GEOS_REASONS = {
    "Self-intersection": "auto-intersection",
    "Ring Self-intersection": "anneau qui se recoupe",
    "Interior is disconnected": "intérieur en plusieurs morceaux",
    "Hole lies outside shell": "trou hors du contour extérieur",
    "Holes are nested": "trous imbriqués",
    "Nested shells": "contours extérieurs imbriqués",
    "Duplicate Rings": "anneaux en double",
    "Too few points in geometry component": "trop peu de points",
    "Invalid Coordinate": "coordonnée invalide",
    "Ring is not closed": "anneau non fermé",
}
GEOS_REASON_RE = re.compile(r"^(?P<name>[^\[]+)\[(?P<x>\S+) (?P<y>\S+)\]$")


def french_reason(reason: str) -> str:
    """GEOS's reason in French, its point as longitude ; latitude: "auto-intersection au point (2,15 ; 46,05)"."""
    match = GEOS_REASON_RE.match(reason)
    if match is None:
        return GEOS_REASONS.get(reason, reason)
    name = GEOS_REASONS.get(match["name"], match["name"])
    try:
        x, y = float(match["x"]), float(match["y"])
    except ValueError:
        return f"{name} [{match['x']} {match['y']}]"
    return f"{name} au point ({read_number(x)} ; {read_number(y)})"


def repair(shape):
    """(valid Polygon/MultiPolygon or None, what was wrong, in French) for an invalid shape."""
    reason = french_reason(shapely.is_valid_reason(shape))
    fixed = polygonal_part(shapely.make_valid(shape))
    if fixed is not None and not fixed.is_valid:  # make_valid gives valid output; rebuild the multi-part to be sure
        fixed = polygonal_part(shapely.make_valid(fixed))
    return fixed, reason


def parse_contours(
    path: Path, *, code_re=INSEE_RE, what="code INSEE"
) -> tuple[list[str], np.ndarray, list[tuple[str, str]]]:
    """Codes, shapely (Multi)Polygons and repairs [(code, what was wrong)] of a GeoJSON FeatureCollection.

    Validates all; an invalid polygon that still has an area is repaired (not fatal), anything else raises."""
    doc = JsonDoc(path)
    data = doc.data
    if isinstance(data, dict) and data.get("type") == "Feature":
        features, array_key = [data], None
    elif isinstance(data, dict) and data.get("type") == "FeatureCollection" and isinstance(data.get("features"), list):
        features, array_key = data["features"], "features"
    else:
        raise FileFormatError(path, "une FeatureCollection GeoJSON était attendue", line=1, column=1)
    codes, geoms, seen, repaired = [], [], {}, []

    def error(i, message, key=None):
        if array_key is None:
            return FileFormatError(path, message, line=1, column=1)
        return doc.error(i, message, key=key, array_key=array_key)

    for i, feature in enumerate(features):
        if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
            raise error(i, f'entité {i + 1} sans "properties"')
        code = _feature_code(feature["properties"])
        if code is None or not code_re.match(code):
            raise error(i, f"{what} invalide {shown(code)}", key="properties")
        if code in seen:
            raise error(i, f"{what} {shown(code)} en double (déjà à l'entité {seen[code] + 1})", key="properties")
        seen[code] = i
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise error(i, "géométrie inutilisable : Polygon ou MultiPolygon attendu", key="geometry")
        try:
            shape = shapely.geometry.shape(geometry)
        except (ValueError, TypeError, IndexError, AttributeError, shapely.errors.GEOSException) as exc:
            raise error(i, f"géométrie inutilisable ({exc})", key="geometry") from None
        if shape.is_empty:
            raise error(i, "géométrie inutilisable (vide)", key="geometry")
        if not shape.is_valid:
            fixed, reason = repair(shape)
            if fixed is None:
                raise error(
                    i, f"géométrie inutilisable ({reason} ; plus aucune surface une fois réparée)", key="geometry"
                )
            shape = fixed
            repaired.append((code, reason))
        lon, lat = shape.representative_point().coords[0]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise error(i, "les coordonnées ne sont pas des longitudes et latitudes WGS84", key="geometry")
        codes.append(code)
        geoms.append(shape)
    return codes, np.array(geoms, dtype=object), repaired


def simplify_coverage(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    simplified = shapely.coverage_simplify(geoms, tolerance)
    simplified = shapely.set_precision(simplified, GRID, mode="pointwise")
    bad = ~shapely.is_valid(simplified) | shapely.is_empty(simplified)
    if bad.any():  # rounding may make a tiny sliver invalid: repair only those
        repaired = shapely.make_valid(simplified[bad])
        simplified[bad] = [polygonal_part(g) or g for g in repaired]  # areal parts only (Polygon/MultiPolygon)
    return simplified


def commune_geometry_rows(
    *,
    codes: list[str],
    geoms: np.ndarray,
    known: set[str],
    current_code: dict[str, str],
    source_id: int,
    summary: Summary,
) -> dict:
    """insee -> contour fields. A former commune's contour goes into its current commune's (union, marked derived)."""
    groups: dict[str, list[int]] = {}
    rejected = []
    for i, code in enumerate(codes):
        target = code if code in known else current_code.get(code)
        if target is None or target not in known:
            rejected.append(code)
            continue
        groups.setdefault(target, []).append(i)
    for _code in rejected:
        summary.reject(UNKNOWN_CODE)
    if rejected:
        summary.notes.append(
            "contours écartés (code inconnu du COG 2026) : "
            + ", ".join(rejected[:20])
            + ("…" if len(rejected) > 20 else "")
        )
    targets = sorted(groups)
    merged, derived = [], {}
    for target in targets:
        members = groups[target]
        if len(members) == 1 and codes[members[0]] == target:
            merged.append(geoms[members[0]])
            continue
        former = sorted(codes[i] for i in members if codes[i] != target)
        derived[target] = former
        union = polygonal_part(shapely.make_valid(shapely.union_all(geoms[members])))
        merged.append(union)
    if not targets:
        return {}
    merged = np.array(merged, dtype=object)
    simplified = simplify_coverage(merged, COMMUNE_TOLERANCE)
    points = shapely.point_on_surface(merged)
    rows = {}
    for code, shape, point in zip(targets, simplified, points, strict=True):
        note = ""
        if code in derived:
            shown = ", ".join(derived[code])
            note = (
                "Contour calculé : réunion des contours de la commune et de ses anciennes communes "
                f"({shown}), fusionnées après le millésime des contours."
                if code in {codes[i] for i in groups[code]}
                else f"Contour calculé : réunion des contours de ses anciennes communes ({shown}), la commune "
                "nouvelle étant postérieure au millésime des contours."
            )
        rows[code] = {
            "geometry": shapely.to_geojson(shape),
            "centroid_lat": round(point.y, 5),
            "centroid_lon": round(point.x, 5),
            "geometry_source_id": source_id,
            "contour_derived": code in derived,
            "contour_note": note,
        }
    if derived:
        summary.notes.append(
            f"{number(len(derived))} "
            + agree(
                len(derived),
                "commune nouvelle reçoit la réunion des contours de ses anciennes communes",
                "communes nouvelles reçoivent la réunion des contours de leurs anciennes communes",
            )
            + " (contour calculé) : "
            + ", ".join(f"{code} ({'+'.join(derived[code])})" for code in sorted(derived)[:12])
            + ("…" if len(derived) > 12 else "")
        )
    return rows


OVERSEAS_NOTE = (
    "Contour absent : les fichiers de contours chargés ne couvrent pas les communes d'outre-mer ; sans contour, "
    "pas de carte ni de distance aux lieux d'aide."
)
NOT_LOADED_NOTE = "Contour non chargé : l'import n'a retenu les contours que d'autres départements."
NO_FILE_NOTE = "Contour absent : aucun fichier de contours n'a été trouvé pour ce département."
NOT_IN_SOURCE_NOTE = (
    "Contour absent : ce code commune ne figure pas dans le fichier de contours ({file}, plus ancien que le code "
    "officiel géographique 2026) — commune rétablie, créée ou recodée depuis ; sans contour, pas de carte ni de "
    "distance aux lieux d'aide."
)


def missing_note(*, departement: str, selected: bool, has_file: bool, file: str = "") -> str:
    """Why a current commune has no contour, as its page says it."""
    if departement.startswith("97") or departement.startswith("98"):
        return OVERSEAS_NOTE
    if not selected:
        return NOT_LOADED_NOTE
    if not has_file:
        return NO_FILE_NOTE
    return NOT_IN_SOURCE_NOTE.format(file=file)


GEOMETRY_FIELDS = [
    "geometry",
    "centroid_lat",
    "centroid_lon",
    "geometry_source_id",
    "contour_derived",
    "contour_note",
]


def write_commune_geometries(rows: dict, summary: Summary) -> Summary:
    return summary.add(sync_rows(model=Commune, rows=rows, fields=GEOMETRY_FIELDS))


def departement_geometry_rows(*, codes: list[str], geoms: np.ndarray, known: set[str], summary: Summary) -> dict:
    simplified = simplify_coverage(geoms, DEPARTEMENT_TOLERANCE)
    rows = {}
    for code, shape in zip(codes, simplified, strict=True):
        if code not in known:
            summary.reject("code absent des départements du COG")
            continue
        rows[code] = {"geometry": shapely.to_geojson(shape)}
    return rows


def write_departement_geometries(rows: dict, summary: Summary) -> Summary:
    return summary.add(sync_rows(model=Departement, rows=rows, fields=["geometry"]))
