"""Every page that draws a contour copes with Polygon and MultiPolygon (and a repaired GeometryCollection).

The communes and shapes are MADE UP (tests.factories): a commune of two islands next to square neighbours.
"""

import json
import re

import pytest

from diagnostic.plan.svgmap import departement_map_svg
from territories import maps
from territories.models import Commune
from tests.factories import make_commune, make_departement, square

pytestmark = pytest.mark.django_db

ISLANDS = {  # two separate squares: one commune on two islands
    "type": "MultiPolygon",
    "coordinates": [square(46.0, 2.6)["coordinates"], square(46.2, 2.8)["coordinates"]],
}
REPAIRED = {  # what make_valid may return: a polygon and a stray line
    "type": "GeometryCollection",
    "geometries": [square(46.4, 2.6), {"type": "LineString", "coordinates": [[2.6, 46.4], [2.7, 46.5]]}],
}


@pytest.fixture
def islands():
    make_departement(code="99", name="Département Imaginaire")
    for i in range(1, 4):
        make_commune(insee=f"9900{i}", name=f"Voisine {i}", ifn=2.0 * i)
    commune = make_commune(insee="99050", name="Les Deux Îles", ifn=8.0)
    Commune.objects.filter(insee="99050").update(
        geometry=json.dumps(ISLANDS),
        contour_derived=True,
        contour_note="Contour calculé : réunion des contours de ses anciennes communes (99901, 99902).",
    )
    make_commune(insee="99060", name="Réparée", ifn=5.0)
    Commune.objects.filter(insee="99060").update(geometry=json.dumps(REPAIRED))
    commune.refresh_from_db()
    return commune


def test_departement_layer_and_dashboard_shapes_keep_every_island(islands):
    layer = maps.departement_layer("99")
    assert len(layer.shapes["99050"]) == 2  # two polygons, each a list of encoded rings
    assert len(layer.shapes["99060"]) == 1  # the line is dropped, the polygon kept
    assert {row[0] for row in layer.rows} == {"99001", "99002", "99003", "99050", "99060"}


def test_departement_map_page_draws_the_multipolygon(client, islands):
    response = client.get("/departements/99/carte/")
    assert response.status_code == 200
    html = response.text
    decoder = json.JSONDecoder()
    rows_start = "inclusionMap.communes(function () { return "
    rows, end = decoder.raw_decode(html, html.index(rows_start) + len(rows_start))
    shapes_start = "; },[function () { return "  # one part: fewer than maps.SHAPES_PER_PART communes
    assert html.startswith(shapes_start, end)
    shapes, _ = decoder.raw_decode(html, end + len(shapes_start))
    by_insee = {row[0]: shape for row, shape in zip(rows, shapes, strict=True)}
    assert len(by_insee["99050"]) == 2 and len(by_insee["99060"]) == 1


def test_commune_page_outlines_both_islands_and_says_the_contour_is_derived(client, islands):
    response = client.get("/communes/99050/")
    assert response.status_code == 200
    html = response.text
    outline = re.search(r'inclusionMap\.outline\(\{"99050":\s*(\[.*?\]\])\}', html, re.S)
    assert outline and len(json.loads(outline.group(1))) == 2
    assert "Contour calculé : réunion des contours de ses anciennes communes (99901, 99902)." in html


def test_plan_svg_map_draws_both_islands_and_the_repaired_shape(islands):
    svg = departement_map_svg(islands)
    outline = re.search(r'<path[^>]*class="plan-map-target"[^>]*d="([^"]+)"', svg) or re.search(
        r'stroke-width="2[^"]*"[^>]*d="([^"]+)"', svg
    )
    assert svg.startswith("<svg")
    assert outline is not None and outline.group(1).count("M") == 2
    # five communes filled: the GeometryCollection's polygon is drawn too
    assert sum(path.count("M") for path in re.findall(r'<path fill="[^"]+" d="([^"]+)"', svg)) == 3 + 2 + 1


def test_commune_without_contour_says_why(client):
    make_departement(code="971", name="Guadeloupe")
    make_commune(insee="97101", name="Abymes Imaginaire", dep="971", ifn=6.0, geometry=False)
    Commune.objects.filter(insee="97101").update(
        contour_note="Contour absent : les fichiers de contours chargés ne couvrent pas les communes d'outre-mer."
    )
    html = client.get("/communes/97101/").text
    assert "ne couvrent pas les communes d&#x27;outre-mer" in html
    assert "Distance non calculée : la commune n'a pas de contour dans nos données" in html
