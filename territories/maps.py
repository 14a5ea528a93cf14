"""Fragility maps (folium/Leaflet) that respect our CSP and load nothing from a CDN.

What differs from folium's defaults, and why:
- no CDN: `LocalMap.default_js/default_css` are empty; the page template loads our vendored Leaflet
  (static/vendor/leaflet) and static/js/map.js. Folium's header (meta viewport, `html, body` sizing, jQuery,
  Bootstrap, awesome-markers) is dropped; the map div is sized by static/css/territories.css.
- CSP: the generated script is returned bare and the template wraps it in `<script nonce="…">`; we check it has no
  inline `style=` attribute and no jQuery call.
- weight: contours are simplified as a coverage (shared borders stay shared: no slivers), rounded to 1e-3 degree
  (~100 m, below a pixel at the département zoom) and embedded in an encoded-polyline form that static/js/map.js
  turns back into GeoJSON before Leaflet reads it. Only the name and the IFN total go with each commune; the
  contours follow as a list in the same order, and folium's indentation is stripped.
- no tiles unless settings.INCLUSION_MAP_TILES_URL is set: contours on a plain background.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass

import folium
import shapely
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape
from jinja2.utils import htmlsafe_json_dumps
from shapely.geometry import shape

from territories import selectors, vocabulary
from territories.formatting import decimal
from territories.models import Place
from territories.vocabulary import CLASS_COLOURS

PRECISION = 3  # decimals kept in the encoded contours
SIMPLIFY_TOLERANCE = 0.002  # degrees, coverage simplification (~1 pixel at a département's zoom)
# Encoded contours of one département map at most (characters, ~0.6 of it once gzipped): a département with many
# small communes (Isère: 512) is simplified a step further, so that every département map page (Leaflet and our
# scripts included) stays under 100 KB on the wire.
SHAPES_BUDGET = 24_000
TOLERANCE_STEPS = (0.003, 0.004, 0.005, 0.006, 0.008)
# Région maps (zoom ~7, a pixel is ~1 km): a coarser simplification keeps ~4 000 communes light (Auvergne-Rhône-Alpes,
# 4 030 communes: 232 KB on the wire with Leaflet and our scripts, for a 350 KB budget). Their script is not inline
# but a separate, cacheable file (region_script): the page itself stays small and shows its text before the map.
# Drawn in SVG like the département maps: added a few shapes at a time (static/js/map.js), a canvas would be
# redrawn and re-sent to the compositor after every slice (~25 ms each with a software compositor), an SVG only
# paints the new shapes.
REGION_PRECISION = 3
# Contours per function in the page's script: static/js/map.js builds each part in a task of its own (~4 ms).
SHAPES_PER_PART = 500
REGION_SIMPLIFY_TOLERANCE = 0.004
# Colours: IFN classes (territories.vocabulary.CLASS_COLOURS) and place kinds. Passed to static/js/map.js; the
# legend's copies are in static/css/territories.css (.ifn-class-N, .kind-…) because inline styles are not allowed.
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
    map_name: str = ""  # JavaScript variable of the Leaflet map
    digest: str = ""  # of the script: the version in the URL of a script served as a file (region_script)


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
        # without the closing point (a repeat of the first one): Leaflet closes polygons itself
        encoded.append([encode_ring(ring.coords[:-1], precision) for ring in rings])
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
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    # only the areal parts, as one Polygon or MultiPolygon (a repaired geometry may be a GeometryCollection)
    polygons = [p for p in shapely.get_parts(shapely.get_parts(geom)) if p.geom_type == "Polygon" and not p.is_empty]
    if not polygons:
        return None
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


@dataclass
class DepartementLayer:
    rows: list[list]  # [insee, name, IFN total as French text or None, class 0..5]
    shapes: dict[str, list[list[str]]]  # insee -> encoded polygons
    bounds: list[list[float]] | None  # [[south, west], [north, east]]

    @property
    def features(self) -> list[dict]:
        """GeoJSON features without geometry (id = INSEE code; properties n = escaped name, v = total text)."""
        return [
            {
                "type": "Feature",
                "id": insee,
                "properties": {"n": escape(name), "v": text or "donnée absente"},
                "geometry": None,
            }
            for insee, name, text, _class in self.rows
        ]


def departement_layer(code: str) -> DepartementLayer:
    """Simplified, encoded contours and IFN totals of a département's communes (cached per data version)."""
    key = f"map-layer:{code}:{selectors.data_version()}:{PRECISION}:{SIMPLIFY_TOLERANCE}:{SHAPES_BUDGET}"
    layer = cache.get(key)
    if layer is None:
        rows = selectors.departement_map_rows(code)
        layer = _build_layer(rows, SIMPLIFY_TOLERANCE, PRECISION)
        for tolerance in TOLERANCE_STEPS:
            if _shapes_size(layer) <= SHAPES_BUDGET:
                break
            layer = _build_layer(rows, tolerance, PRECISION)
        cache.set(key, layer, selectors.CACHE_SECONDS)
    return layer


def _shapes_size(layer: DepartementLayer) -> int:
    """Characters of the encoded contours as embedded in the page (rings, quotes and commas)."""
    return sum(len(ring) + 3 for polygons in layer.shapes.values() for rings in polygons for ring in rings)


def region_layer(code: str) -> DepartementLayer:
    """The same for a whole région (~4 000 communes): simplified together (borders between départements stay
    shared) with a coarser tolerance and precision, fit for the région's zoom (cached per data version)."""
    key = f"map-layer:region:{code}:{selectors.data_version()}:{REGION_PRECISION}:{REGION_SIMPLIFY_TOLERANCE}"
    layer = cache.get(key)
    if layer is None:
        layer = _build_layer(selectors.region_map_rows(code), REGION_SIMPLIFY_TOLERANCE, REGION_PRECISION)
        cache.set(key, layer, selectors.CACHE_SECONDS)
    return layer


def _build_layer(map_rows, tolerance: float, precision: int) -> DepartementLayer:
    parsed = []
    for insee, name, geometry, total in map_rows:
        geom = parse_geometry(geometry)
        if geom is not None:
            parsed.append((insee, name, geom, total))
    rows, shapes, bounds = [], {}, None
    if parsed:
        geoms = [row[2] for row in parsed]
        try:
            simplified = list(shapely.coverage_simplify(geoms, tolerance))
        except (shapely.errors.GEOSException, TypeError):
            simplified = [g.simplify(tolerance, preserve_topology=True) for g in geoms]
        for (insee, name, _geom, total), geom in zip(parsed, simplified, strict=True):
            has_value = total is not None and total > 0
            text = decimal(total) if has_value else None
            rows.append([insee, name, text, vocabulary.ifn_class(total if has_value else None)])
            shapes[insee] = encode_geometry(geom, precision)
        west, south, east, north = shapely.total_bounds(geoms)
        bounds = [[round(south, 3), round(west, 3)], [round(north, 3), round(east, 3)]]
    return DepartementLayer(rows=rows, shapes=shapes, bounds=bounds)


def _places_rows(code: str) -> list[tuple[str, str, list[list]]]:
    """Per kind (kind, label): [lon, lat, name, address, phone, approximate]."""
    labels = dict(Place.Kind.choices)
    by_kind: dict[str, list[list]] = {}
    for place in selectors.departement_places(code):
        address = " ".join(part for part in [place.address, place.postcode, place.city] if part)
        by_kind.setdefault(place.kind, []).append(
            [
                round(place.longitude, 4),
                round(place.latitude, 4),
                place.name,
                address,
                place.phone,
                1 if place.location == Place.Location.APPROXIMATE else 0,
            ]
        )
    return [(kind, labels[kind], rows) for kind, rows in by_kind.items()]


def _js(value) -> str:
    """Compact JSON that is safe inside <script> (no <, >, & or ' left as such)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.translate({ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026", ord("'"): "\\u0027"})


_EMPTY = {"type": "FeatureCollection", "features": []}


def build_map(code: str, highlight_insee: str | None = None) -> MapHtml | None:
    """The département's fragility map, the commune `highlight_insee` outlined; None when no commune has a contour.

    The rendered département map is cached per data version (folium rendering costs ~50 ms); the outline of the
    commune is a few bytes of script appended to it.
    """
    tiles_url = getattr(settings, "INCLUSION_MAP_TILES_URL", "")
    # "v4": layers filled by inclusionMap.fill, data in functions (static/js/map.js of the same release); a shared
    # cache never serves an older script
    key = f"map-html:v4:{code}:{selectors.data_version()}:{PRECISION}:{SIMPLIFY_TOLERANCE}:{SHAPES_BUDGET}:{tiles_url}"
    base = cache.get(key)
    if base is None:
        base = _render_map(code, tiles_url) or False
        cache.set(key, base, selectors.CACHE_SECONDS)
    if not base:
        return None
    layer = departement_layer(code)
    if not (highlight_insee and highlight_insee in layer.shapes):
        return base
    one = _js({highlight_insee: layer.shapes[highlight_insee]})
    # queued behind the layers being filled, so that it is drawn above the communes
    outline = (
        f"\ninclusionMap.later(function () {{ L.geoJson(inclusionMap.outline({one},{PRECISION}),"
        "{style: function (feature) { return feature.properties.style; }, interactive: false})"
        f".addTo({base.map_name}); }});"
    )
    return dataclasses.replace(base, script=base.script + outline)


def build_region_map(code: str) -> MapHtml | None:
    """The fragility map of a whole région (communes only: the places of help are on the département maps);
    None when no commune has a contour. Cached per data version."""
    tiles_url = getattr(settings, "INCLUSION_MAP_TILES_URL", "")
    key = f"map-html:region:v3:{code}:{selectors.data_version()}:{REGION_PRECISION}:{REGION_SIMPLIFY_TOLERANCE}"
    key += f":{tiles_url}"
    html = cache.get(key)
    if html is None:
        # a fixed map name: the page and its script file (region_script) are two requests, maybe two renderings
        html = _render_layer(region_layer(code), [], tiles_url, REGION_PRECISION, zoom=7, name=f"region_{code}")
        cache.set(key, html or False, selectors.CACHE_SECONDS)
    return html or None


def region_script(region_map: MapHtml) -> str:
    """The région map's script as a file (territories.views.region_map_script), run after the page's first paint."""
    return f"inclusionMap.build(function () {{\n{region_map.script}\n}});\n"


def _render_map(code: str, tiles_url: str) -> MapHtml | None:
    return _render_layer(departement_layer(code), _places_rows(code), tiles_url, PRECISION, zoom=9)


def _render_layer(
    layer: DepartementLayer, places_rows, tiles_url: str, precision: int, zoom: int, name: str = ""
) -> MapHtml | None:
    """Folium builds the map, the layers, the layer control and the bounds; each GeoJson layer is created empty and
    its data call is then replaced by `inclusionMap.fill` (static/js/map.js), which rebuilds the features from compact
    rows a few at a time (no long task), styles them by IFN class or place kind, and binds tooltips/popups with text
    nodes (no HTML from the data reaches innerHTML). The script runs through `inclusionMap.build`, once map.js has
    loaded Leaflet, when the map nears the viewport (templates/territories/_map_scripts.html)."""
    if not layer.rows:
        return None
    fmap = LocalMap(
        location=[(layer.bounds[0][0] + layer.bounds[1][0]) / 2, (layer.bounds[0][1] + layer.bounds[1][1]) / 2],
        zoom_start=zoom,
        zoom_snap=0.25,
        tiles=None,
        attribution_control=bool(tiles_url),
        scroll_wheel_zoom=False,
        control_scale=True,
    )
    if name:
        fmap._id = name  # the map's element id and JavaScript variable: map_<name>
    if tiles_url:
        folium.TileLayer(
            tiles=tiles_url,
            attr=escape(getattr(settings, "INCLUSION_MAP_TILES_ATTRIBUTION", "") or "Fond de carte"),
            name="Fond de carte",
            control=False,
        ).add_to(fmap)

    replacements = []
    communes = folium.GeoJson(_EMPTY, name="Indice de fragilité numérique", smooth_factor=0.5).add_to(fmap)
    url = reverse("territories:commune", args=["00000"])
    replacements.append(
        (
            communes,
            # the contours as a list in the order of the rows: the INSEE codes are not repeated as keys; the rows
            # and each part of the contours in a function, called by inclusionMap.fill in a step of its own
            f"inclusionMap.communes(function () {{ return {_js(layer.rows)}; }},{_shape_parts(layer)},"
            f"{precision},{_js(url)},"
            f"{_js(CLASS_COLOURS)},{_js([label for _low, _high, label in vocabulary.IFN_CLASSES])})",
        )
    )
    for kind, label, rows in places_rows:
        places = folium.GeoJson(_EMPTY, name=label, marker=folium.CircleMarker(radius=6)).add_to(fmap)
        replacements.append((places, f"inclusionMap.places({_js(rows)},{_js(label)},{_js(KIND_COLOURS[kind])})"))

    folium.LayerControl(collapsed=True).add_to(fmap)
    # Without the zoom animation: the map starts at zoom_start, and an animated fit would re-project every feature
    # added meanwhile at its end, in one long task.
    fit = folium.map.FitBounds(layer.bounds)
    fit.options["animate"] = False
    fmap.add_child(fit)

    figure = fmap.get_root()
    figure.render()
    div = figure.html.render()
    script = figure.script.render()
    for element, call in replacements:
        script = _point_data_at(script, element, call)
    # folium's template indentation and blank lines: ~2 KB per page (no JS string spans lines here)
    script = "\n".join(line.strip() for line in script.splitlines() if line.strip())
    _check_script(script)
    script = script.strip()
    return MapHtml(
        div=div.strip(),
        script=script,
        geometry_bytes=len(_js(layer.shapes)),
        map_name=fmap.get_name(),
        digest=hashlib.sha256(script.encode()).hexdigest()[:16],
    )


def _shape_parts(layer: DepartementLayer) -> str:
    """The encoded contours in the order of the rows, as a list of functions returning SHAPES_PER_PART each."""
    shapes = [layer.shapes[row[0]] for row in layer.rows]
    parts = (shapes[start : start + SHAPES_PER_PART] for start in range(0, len(shapes), SHAPES_PER_PART))
    return "[" + ",".join(f"function () {{ return {_js(part)}; }}" for part in parts) + "]"


def _point_data_at(script: str, element, call: str) -> str:
    """Replace folium's call adding the (empty) GeoJSON literal to `element` by `inclusionMap.fill(element, call)`:
    static/js/map.js adds the features of `call` to the layer in time slices."""
    literal = htmlsafe_json_dumps(_EMPTY, dumps=json.dumps, sort_keys=True)
    name = element.get_name()
    old = f"{name}_add({literal});"
    if old not in script:
        raise RuntimeError("folium output changed: cannot find the GeoJSON data call to replace.")
    return script.replace(old, f"inclusionMap.fill({name},{call});")


def _check_script(script: str) -> None:
    """Fail loudly if folium starts emitting something our CSP or our no-CDN rule would block."""
    markers = ["style=", "$(", "<script", "</script"]
    if not getattr(settings, "INCLUSION_MAP_TILES_URL", ""):
        markers += ["http://", "https://"]
    problems = [marker for marker in markers if marker in script]
    if problems:
        raise RuntimeError(f"Unsafe map output: {problems}")
