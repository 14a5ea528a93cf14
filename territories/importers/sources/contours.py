"""Commune and département contours: validated, simplified as a coverage (shared borders stay shared), rounded."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import shapely

from territories import opendata
from territories.importers.base import INSEE_RE, FileFormatError, JsonDoc, Summary
from territories.models import Commune, Departement
from territories.services import sync_rows

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


def parse_contours(path: Path, *, code_re=INSEE_RE, what="INSEE code") -> tuple[list[str], np.ndarray]:
    """Codes and shapely (Multi)Polygons of a GeoJSON FeatureCollection (or single Feature). Validates all."""
    doc = JsonDoc(path)
    data = doc.data
    if isinstance(data, dict) and data.get("type") == "Feature":
        features, array_key = [data], None
    elif isinstance(data, dict) and data.get("type") == "FeatureCollection" and isinstance(data.get("features"), list):
        features, array_key = data["features"], "features"
    else:
        raise FileFormatError(path, "expected a GeoJSON FeatureCollection", line=1, column=1)
    codes, geoms, seen = [], [], {}

    def error(i, message, key=None):
        if array_key is None:
            return FileFormatError(path, message, line=1, column=1)
        return doc.error(i, message, key=key, array_key=array_key)

    for i, feature in enumerate(features):
        if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
            raise error(i, "feature without properties")
        code = _feature_code(feature["properties"])
        if code is None or not code_re.match(code):
            raise error(i, f"invalid {what} {code!r}", key="properties")
        if code in seen:
            raise error(i, f"duplicate {what} {code!r} (first at feature {seen[code] + 1})", key="properties")
        seen[code] = i
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise error(i, "broken geometry: expected a Polygon or MultiPolygon", key="geometry")
        try:
            shape = shapely.geometry.shape(geometry)
        except (ValueError, TypeError, IndexError, AttributeError, shapely.errors.GEOSException) as exc:
            raise error(i, f"broken geometry ({exc})", key="geometry") from None
        if shape.is_empty or not shape.is_valid:
            reason = "empty" if shape.is_empty else shapely.is_valid_reason(shape)
            raise error(i, f"broken geometry ({reason})", key="geometry")
        lon, lat = shape.representative_point().coords[0]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise error(i, "coordinates are not WGS84 longitude/latitude", key="geometry")
        codes.append(code)
        geoms.append(shape)
    return codes, np.array(geoms, dtype=object)


def simplify_coverage(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    simplified = shapely.coverage_simplify(geoms, tolerance)
    simplified = shapely.set_precision(simplified, GRID, mode="pointwise")
    bad = ~shapely.is_valid(simplified) | shapely.is_empty(simplified)
    if bad.any():  # rounding may make a tiny sliver invalid: repair only those
        simplified[bad] = shapely.make_valid(simplified[bad])
    return simplified


def commune_geometry_rows(
    *, codes: list[str], geoms: np.ndarray, known: set[str], source_id: int, summary: Summary
) -> dict:
    simplified = simplify_coverage(geoms, COMMUNE_TOLERANCE)
    points = shapely.point_on_surface(geoms)
    rows = {}
    for code, shape, point in zip(codes, simplified, points, strict=True):
        if code not in known:
            summary.reject("code not a current commune of this import (older COG, or not selected)")
            continue
        rows[code] = {
            "geometry": shapely.to_geojson(shape),
            "centroid_lat": round(point.y, 5),
            "centroid_lon": round(point.x, 5),
            "geometry_source_id": source_id,
        }
    return rows


GEOMETRY_FIELDS = ["geometry", "centroid_lat", "centroid_lon", "geometry_source_id"]


def write_commune_geometries(rows: dict, summary: Summary) -> Summary:
    return summary.add(sync_rows(model=Commune, rows=rows, fields=GEOMETRY_FIELDS))


def departement_geometry_rows(*, codes: list[str], geoms: np.ndarray, known: set[str], summary: Summary) -> dict:
    simplified = simplify_coverage(geoms, DEPARTEMENT_TOLERANCE)
    rows = {}
    for code, shape in zip(codes, simplified, strict=True):
        if code not in known:
            summary.reject("code not a département of the COG")
            continue
        rows[code] = {"geometry": shapely.to_geojson(shape)}
    return rows


def write_departement_geometries(rows: dict, summary: Summary) -> Summary:
    return summary.add(sync_rows(model=Departement, rows=rows, fields=["geometry"]))
