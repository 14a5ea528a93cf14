"""A static map drawn server-side as SVG from the stored contours (Commune.geometry, simplified GeoJSON in WGS84):
the communes of the département coloured by IFN class, the diagnosed commune outlined, the places as symbols.

Used by the PDF (no tiles, no JavaScript, no network) and by the plan page when no interactive map is available.
The projection is equirectangular scaled by cos(latitude): good enough at département scale.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from xml.sax.saxutils import escape

import shapely

from territories.models import Commune, Place
from territories.vocabulary import CLASS_COLOURS, IFN_CLASSES, NO_CLASS_LABEL, ifn_class

WIDTH = 760
MAX_HEIGHT = 820
MARGIN = 8
LEGEND_HEIGHT = 124
SIMPLIFY_PX = 0.8  # 1 px of the 760 px wide map is about 0.24 mm on the A4 page


def _legend_classes() -> list[tuple[str, str]]:
    """(label, fill) of the IFN classes, the same as the public pages' interactive map, then "no data"."""
    items = [(f"{c.range_text} : {c.label}", c.colour) for c in IFN_CLASSES]
    return [*items, (NO_CLASS_LABEL, CLASS_COLOURS[0])]


PLACE_SYMBOLS = {
    Place.Kind.MEDIATION: ("circle", "Lieu de médiation numérique"),
    Place.Kind.FRANCE_SERVICES: ("square", "France services"),
    Place.Kind.AIDANTS_CONNECT: ("triangle", "Structure Aidants Connect"),
}


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry.get("type") == "Feature":
        geometry = geometry.get("geometry") or {}
    kind = geometry.get("type")
    if kind == "Polygon":
        return geometry["coordinates"]
    if kind == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


@dataclass
class Projection:
    min_lon: float
    max_lat: float
    scale: float
    kx: float

    def __call__(self, lon: float, lat: float) -> tuple[int, int]:
        return (
            round(MARGIN + (lon - self.min_lon) * self.kx * self.scale),
            round(MARGIN + (self.max_lat - lat) * self.scale),
        )


def _path(rings, project: Projection) -> str:
    """SVG path data of rings projected to whole pixels, simplified below SIMPLIFY_PX (invisible at print size)."""
    parts = []
    for ring in rings:
        points = []
        for lon, lat, *_ in ring:
            point = project(lon, lat)
            if not points or points[-1] != point:
                points.append(point)
        if len(points) > 8:
            line = shapely.LineString(points).simplify(SIMPLIFY_PX, preserve_topology=False)
            points = [(round(x), round(y)) for x, y in line.coords]
        if len(points) < 4:
            continue
        parts.append("M" + " ".join(f"{x} {y}" for x, y in points[:-1]) + "Z")
    return "".join(parts)


def _symbol(kind: str, x: int, y: int) -> str:
    shape = PLACE_SYMBOLS[kind][0]
    if shape == "circle":
        return f'<circle cx="{x}" cy="{y}" r="3.5"/>'
    if shape == "square":
        return f'<rect x="{x - 3}" y="{y - 3}" width="7" height="7"/>'
    return f'<path d="M{x} {y - 4}L{x + 4} {y + 3}L{x - 4} {y + 3}Z"/>'


def departement_map_svg(commune: Commune, *, title_id: str = "carte-titre") -> str:
    """The SVG map of the commune's département. Returns "" when no contour is stored."""
    rows = list(
        Commune.objects.filter(departement_id=commune.departement_id)
        .exclude(geometry="")
        .values_list("insee", "name", "geometry", "ifn__total")
    )
    shapes = []
    for insee, name, geometry, total in rows:
        try:
            rings = _rings(json.loads(geometry))
        except (ValueError, TypeError, KeyError):
            continue
        if rings:
            shapes.append((insee, name, rings, total))
    if not shapes:
        return ""
    lons = [p[0] for _, _, rings, _ in shapes for ring in rings for p in ring]
    lats = [p[1] for _, _, rings, _ in shapes for ring in rings for p in ring]
    min_lon, max_lon, min_lat, max_lat = min(lons), max(lons), min(lats), max(lats)
    kx = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_lon - min_lon) * kx, 1e-6)
    span_y = max(max_lat - min_lat, 1e-6)
    scale = min((WIDTH - 2 * MARGIN) / span_x, (MAX_HEIGHT - 2 * MARGIN) / span_y)
    project = Projection(min_lon, max_lat, scale, kx)
    map_height = round(span_y * scale) + 2 * MARGIN
    height = map_height + LEGEND_HEIGHT

    target = None
    fills: dict[str, list[str]] = {}
    for insee, _name, rings, total in shapes:
        if insee == commune.insee:
            target = rings
        fills.setdefault(CLASS_COLOURS[ifn_class(total)], []).append(_path(rings, project))

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="plan-map" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="{title_id}">',
        f'<title id="{title_id}">Carte du département {escape(commune.departement.name)} : communes selon leur '
        f"indice de fragilité numérique, {escape(commune.name)} entourée, lieux d'aide au numérique</title>",
        '<g stroke="#ffffff" stroke-width="0.6" stroke-linejoin="round">',
    ]
    for fill, paths in fills.items():
        out.append(f'<path fill="{fill}" d="{"".join(paths)}"/>')
    out.append("</g>")

    min_lat_box, max_lon_box = min_lat, max_lon
    places = Place.objects.filter(
        latitude__gte=min_lat_box,
        latitude__lte=max_lat,
        longitude__gte=min_lon,
        longitude__lte=max_lon_box,
        kind__in=list(PLACE_SYMBOLS),
        same_site_as__isnull=True,  # one symbol per real site (merged at import)
    ).values_list("kind", "longitude", "latitude")
    by_kind: dict[str, list[str]] = {}
    for kind, lon, lat in places:
        x, y = project(lon, lat)
        by_kind.setdefault(kind, []).append(_symbol(kind, x, y))
    for kind, symbols in by_kind.items():
        out.append(f'<g fill="#1d1d6b" stroke="#ffffff" stroke-width="0.8" data-kind="{kind}">{"".join(symbols)}</g>')

    if target:
        d = _path(target, project)
        out.append(f'<path fill="none" stroke="#ffffff" stroke-width="5" d="{d}"/>')
        out.append(f'<path fill="none" stroke="#000000" stroke-width="2.5" d="{d}"/>')
        xs = [project(p[0], p[1])[0] for ring in target for p in ring]
        ys = [project(p[0], p[1])[1] for ring in target for p in ring]
        cx, top = min(max((min(xs) + max(xs)) // 2, 70), WIDTH - 70), min(ys)
        label_y = top - 8 if top > 24 else max(ys) + 18
        label = (
            f'x="{cx}" y="{label_y}" text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif" '
            f'font-size="15" font-weight="bold"'
        )
        # A white halo drawn first, then the text (no paint-order: not every renderer supports it).
        out.append(f'<text {label} fill="#ffffff" stroke="#ffffff" stroke-width="4">{escape(commune.name)}</text>')
        out.append(f'<text {label} fill="#000000">{escape(commune.name)}</text>')

    # Legend
    y = map_height + 10
    out.append('<g font-family="DejaVu Sans, Arial, sans-serif" font-size="12">')
    out.append(f'<text x="{MARGIN}" y="{y + 10}" font-weight="bold">Indice de fragilité numérique (IFN total)</text>')
    for i, (label, fill) in enumerate(_legend_classes()):
        x = MARGIN + (i % 3) * 250
        row = y + 18 + (i // 3) * 18
        out.append(f'<rect x="{x}" y="{row}" width="16" height="12" fill="{fill}" stroke="#555555"/>')
        out.append(f'<text x="{x + 22}" y="{row + 10}">{escape(label)}</text>')
    out.append(f'<text x="{MARGIN}" y="{y + 70}" font-weight="bold">Lieux d\'aide au numérique</text>')
    for i, (kind, (_, label)) in enumerate(PLACE_SYMBOLS.items()):
        x = MARGIN + i * 230
        out.append(f'<g fill="#1d1d6b">{_symbol(kind, x + 8, y + 84)}</g>')
        out.append(f'<text x="{x + 18}" y="{y + 88}">{escape(label)}</text>')
    out.append(
        f'<path fill="none" stroke="#000000" stroke-width="2.5" d="M{MARGIN + 1} {y + 98}h14v12h-14Z"/>'
        f'<text x="{MARGIN + 22}" y="{y + 108}">Commune du diagnostic : {escape(commune.name)}</text>'
    )
    out.append("</g></svg>")
    return "".join(out)
