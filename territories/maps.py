"""Fragility maps (folium/Leaflet) that respect our CSP and load nothing from a CDN.

What differs from folium's defaults, and why:
- no CDN: `LocalMap.default_js/default_css` are empty; the page template loads our vendored Leaflet
  (static/vendor/leaflet) and static/js/map.js. Folium's header (meta viewport, `html, body` sizing, jQuery,
  Bootstrap, awesome-markers) is dropped; the map div is sized by static/css/territories.css.
- CSP: the generated script is returned bare and the template wraps it in `<script nonce="…">`; we check it has no
  inline `style=` attribute and no jQuery call.
- weight: contours are simplified as a coverage (shared borders stay shared: no slivers), rounded to 1e-3 degree
  (~100 m, below a pixel at the département zoom) and embedded in an encoded-polyline form that static/js/map.js
  turns back into GeoJSON before Leaflet reads it. Only the name and the IFN total go with each commune.
- no tiles unless settings.INCLUSION_MAP_TILES_URL is set: contours on a plain background.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import folium
import shapely
from django.conf import settings
from django.core.cache import cache
from django.utils.html import escape
from jinja2.utils import htmlsafe_json_dumps
from shapely.geometry import shape

from territories import selectors
from territories.models import Place

PRECISION = 3  # decimals kept in the encoded contours
SIMPLIFY_TOLERANCE = 0.001  # degrees, coverage simplification
CLASS_COLOURS = ["#d9d9d9", "#ffffb2", "#fecc5c", "#fd8d3c", "#e8502d", "#a50026"]  # 0 = missing, 1..5
KIND_COLOURS = {
    Place.Kind.FRANCE_SERVICES: "#1d4f91",
    Place.Kind.AIDANTS_CONNECT: "#6a1b9a",
    Place.Kind.MEDIATION: "#00695c",
}


class LocalMap(folium.Map):
    """A folium map that references no external asset (the page loads our vendored Leaflet)."""

    default_js: list = []
    default_css: list = []


@dataclass
class MapHtml:
    div: str  # the map container
    script: str  # JavaScript to put in <script nonce="…">
    geometry_bytes: int = 0


# --- Contour encoding ---------------------------------------------------------------------------------------


def _encode_value(value: int) -> str:
    value = ~(value << 1) if value < 0 else value << 1
    chunks = []
    while value >= 0x20:
        chunks.append(chr((0x20 | (value & 0x1F)) + 63))
        value >>= 5
    chunks.append(chr(value + 63))
    return "".join(chunks)


def encode_ring(coords, precision: int = PRECISION) -> str:
    """Google encoded-polyline of a ring of (lon, lat), deltas of integers at 10^-precision."""
    factor = 10**precision
    prev_x = prev_y = 0
    parts = []
    for x, y, *_ in coords:
        ix, iy = round(x * factor), round(y * factor)
        parts.append(_encode_value(ix - prev_x) + _encode_value(iy - prev_y))
        prev_x, prev_y = ix, iy
    return "".join(parts)


def encode_geometry(geom, precision: int = PRECISION) -> list[list[str]]:
    polygons = [geom] if geom.geom_type == "Polygon" else list(getattr(geom, "geoms", []))
    encoded = []
    for polygon in polygons:
        if polygon.geom_type != "Polygon" or polygon.is_empty:
            continue
        rings = [polygon.exterior, *polygon.interiors]
        encoded.append([encode_ring(ring.coords, precision) for ring in rings])
    return encoded


def parse_geometry(text: str):
    """A shapely geometry from Commune.geometry (a GeoJSON geometry, or a Feature), None when unusable."""
    if not text:
        return None
    try:
        data = json.loads(text)
        if data.get("type") == "Feature":
            data = data.get("geometry")
        geom = shape(data)
    except (ValueError, TypeError, AttributeError, KeyError, shapely.errors.ShapelyError):
        return None
    if geom.is_empty:
        return None
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    return geom


@dataclass
class DepartementLayer:
    features: list[dict]  # properties only (geometry filled in the browser)
    shapes: dict[str, list[list[str]]]  # insee -> encoded polygons
    bounds: list[list[float]] | None  # [[south, west], [north, east]]


def departement_layer(code: str) -> DepartementLayer:
    """Simplified, encoded contours and IFN totals of a département's communes (cached per data version)."""
    key = f"map-layer:{code}:{selectors.data_version()}:{PRECISION}:{SIMPLIFY_TOLERANCE}"
    layer = cache.get(key)
    if layer is not None:
        return layer
    rows = []
    for insee, name, geometry, total in selectors.departement_map_rows(code):
        geom = parse_geometry(geometry)
        if geom is not None:
            rows.append((insee, name, geom, total))
    features, shapes, bounds = [], {}, None
    if rows:
        geoms = [row[2] for row in rows]
        try:
            simplified = list(shapely.coverage_simplify(geoms, SIMPLIFY_TOLERANCE))
        except shapely.errors.GEOSException:
            simplified = [g.simplify(SIMPLIFY_TOLERANCE, preserve_topology=True) for g in geoms]
        for (insee, name, _geom, total), geom in zip(rows, simplified, strict=True):
            has_value = total is not None and total > 0
            features.append(
                {
                    "type": "Feature",
                    "id": insee,
                    "properties": {
                        "n": escape(name),
                        "v": f"{total:.1f}".replace(".", ",") if has_value else "donnée absente",
                    },
                    "geometry": None,
                }
            )
            shapes[insee] = encode_geometry(geom)
        west, south, east, north = shapely.total_bounds(geoms)
        bounds = [[round(south, 3), round(west, 3)], [round(north, 3), round(east, 3)]]
    layer = DepartementLayer(features=features, shapes=shapes, bounds=bounds)
    cache.set(key, layer, selectors.CACHE_SECONDS)
    return layer


def _class_of(feature_total: str) -> int:
    try:
        return selectors.ifn_class(float(feature_total.replace(",", ".")))
    except ValueError:
        return 0


def _place_popup(place: Place) -> str:
    lines = [f"<strong>{escape(place.name)}</strong>", escape(place.get_kind_display())]
    address = " ".join(part for part in [place.address, place.postcode, place.city] if part)
    if address:
        lines.append(escape(address))
    if place.phone:
        lines.append(f"Tél. {escape(place.phone)}")
    if place.location == Place.Location.APPROXIMATE:
        lines.append("Position approximative (centre de la commune)")
    return "<br>".join(lines)


def _places_layers(code: str) -> list[tuple[str, str, dict]]:
    by_kind: dict[str, list[dict]] = {}
    for place in selectors.departement_places(code):
        by_kind.setdefault(place.kind, []).append(
            {
                "type": "Feature",
                "id": place.pk,
                "properties": {"h": _place_popup(place)},
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(place.longitude, 4), round(place.latitude, 4)],
                },
            }
        )
    labels = dict(Place.Kind.choices)
    return [(kind, labels[kind], {"type": "FeatureCollection", "features": feats}) for kind, feats in by_kind.items()]


_POPUP_JS = folium.JsCode("function (feature, layer) { layer.bindPopup(feature.properties.h); }")


def build_map(code: str, highlight_insee: str | None = None) -> MapHtml | None:
    """The département's fragility map; None when no commune has a contour."""
    layer = departement_layer(code)
    if not layer.features:
        return None
    tiles_url = getattr(settings, "INCLUSION_MAP_TILES_URL", "")
    fmap = LocalMap(
        location=[
            (layer.bounds[0][0] + layer.bounds[1][0]) / 2,
            (layer.bounds[0][1] + layer.bounds[1][1]) / 2,
        ],
        zoom_start=9,
        tiles=None,
        attribution_control=bool(tiles_url),
        scroll_wheel_zoom=False,
        control_scale=True,
    )
    if tiles_url:
        folium.TileLayer(
            tiles=tiles_url,
            attr=escape(getattr(settings, "INCLUSION_MAP_TILES_ATTRIBUTION", "") or "Fond de carte"),
            name="Fond de carte",
            control=False,
        ).add_to(fmap)

    classes = {feature["id"]: _class_of(feature["properties"]["v"]) for feature in layer.features}
    data = {"type": "FeatureCollection", "features": layer.features}
    choropleth = folium.GeoJson(
        data,
        name="Indice de fragilité numérique",
        style_function=lambda feature: {
            "fillColor": CLASS_COLOURS[classes[feature["id"]]],
            "fillOpacity": 0.85,
            "color": "#555555",
            "weight": 0.6,
        },
        highlight_function=lambda feature: {"weight": 2.5, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(fields=["n", "v"], aliases=["Commune", "Indice (1 à 10)"]),
        smooth_factor=0.5,
    )
    choropleth.add_to(fmap)

    if highlight_insee and highlight_insee in layer.shapes:
        outline = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": highlight_insee,
                    "properties": {},
                    "geometry": None,
                }
            ],
        }
        highlight = folium.GeoJson(
            outline,
            name="Commune",
            style_function=lambda feature: {"fill": False, "color": "#000000", "weight": 4},
            control=False,
        )
        highlight.add_to(fmap)
    else:
        highlight = None

    for kind, label, collection in _places_layers(code):
        colour = KIND_COLOURS.get(kind, "#333333")
        folium.GeoJson(
            collection,
            name=label,
            marker=folium.CircleMarker(radius=6),
            style_function=lambda feature, colour=colour: {
                "color": "#ffffff",
                "weight": 1.5,
                "fillColor": colour,
                "fillOpacity": 1,
            },
            on_each_feature=_POPUP_JS,
        ).add_to(fmap)

    folium.LayerControl(collapsed=False).add_to(fmap)
    fmap.fit_bounds(layer.bounds)

    figure = fmap.get_root()
    figure.render()
    div = figure.html.render()
    script = figure.script.render()

    # Let static/js/map.js rebuild the contours before Leaflet reads them.
    shapes_json = json.dumps(layer.shapes, separators=(",", ":"))
    script = _inject_shapes(script, choropleth, data, shapes_json)
    if highlight is not None:
        one = json.dumps({highlight_insee: layer.shapes[highlight_insee]}, separators=(",", ":"))
        script = _inject_shapes(script, highlight, outline, one)
    _check_script(script)
    return MapHtml(div=div.strip(), script=script.strip(), geometry_bytes=len(shapes_json))


def _inject_shapes(script: str, element, data: dict, shapes_json: str) -> str:
    """Wrap the GeoJSON that folium embeds (properties only) so that map.js adds the encoded contours."""
    literal = htmlsafe_json_dumps(data, dumps=json.dumps, sort_keys=True)
    name = element.get_name()
    call = f"{name}_add({literal});"
    if call not in script:
        raise RuntimeError("folium output changed: cannot find the GeoJSON data call to compress.")
    # shapes_json is plain ASCII from the polyline alphabet (63..126) and digits: nothing to escape for HTML.
    return script.replace(call, f"{name}_add(inclusionMap.contours({literal},{shapes_json},{PRECISION}));")


def _check_script(script: str) -> None:
    """Fail loudly if folium starts emitting something our CSP or our no-CDN rule would block."""
    problems = [marker for marker in ("style=", "$(", "http://", "https://", "<script", "</script") if marker in script]
    tiles_url = getattr(settings, "INCLUSION_MAP_TILES_URL", "")
    if tiles_url and problems in (["http://"], ["https://"]):
        problems = []
    if problems:
        raise RuntimeError(f"Unsafe map output: {problems}")
