"""Région maps (all the communes of a région, for Hub coordinators and staff; public like the département maps)
and the list of régions. Made-up data (tests/factories)."""

import gzip
import re

import pytest
from django.core.cache import cache

from territories import maps
from tests.factories import client_as as login  # noqa: F401
from tests.factories import dashboard_world_fixture as world  # noqa: F401  (fixture)
from tests.factories import make_commune, make_departement, make_region
from tests.territories.test_pages_map import _assert_self_contained

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    region = make_region(code="97", name="Région Inventée")
    north = make_departement(code="97", name="Nord Inventé", region=region)
    south = make_departement(code="98", name="Sud Inventé", region=region)
    for i in range(1, 7):
        make_commune(insee=f"97{i:03d}", name=f"Commune nord {i}", dep=north, ifn=2.0 + i)
    for i in range(1, 4):
        make_commune(insee=f"98{i:03d}", name=f"Commune sud {i}", dep=south, ifn=None if i == 3 else 9.0)
    make_departement(code="99", name="Vide Inventé", region=region)  # no commune loaded
    make_region(code="96", name="Région Sans Commune")
    return region


def _script_url(html: str) -> str:
    # static/js/map.js loads it once the map is near the viewport
    return re.search(r' data-script="(/regions/[^"]+/carte/carte\.js\?v=[0-9a-f]+)"', html).group(1)


def test_region_map_draws_every_commune_of_the_region(client, region):
    response = client.get("/regions/97/carte/")
    _assert_self_contained(response, inline_map_script=False)
    html = response.text
    assert "<h1>Carte de la fragilité numérique : Région Inventée</h1>" in html
    assert "inclusionMap" not in html  # the map's script is a separate file: the page stays small
    assert 'id="map_region_97"' in html
    script = client.get(_script_url(html))
    assert script.status_code == 200 and script["Content-Type"] == "text/javascript; charset=utf-8"
    text = script.text
    assert text.startswith("inclusionMap.build(function () {")
    assert 'L.map(\n"map_region_97"' in text  # the page's map element
    rows = re.search(r"inclusionMap\.communes\(function \(\) \{ return (\[\[.*?\]\]); \},", text).group(1)
    for insee in ["97001", "97006", "98001", "98003"]:
        assert f'"{insee}"' in rows
    assert 'href="#carte-alternative"' in html and 'id="carte-alternative"' in html


def test_region_map_script_is_cached_by_browsers_at_the_linked_version(client, region):
    url = _script_url(client.get("/regions/97/carte/").text)
    assert client.get(url)["Cache-Control"] == "private, max-age=31536000, immutable"
    # another version (a page from before an import): the current script, to be revalidated
    stale = client.get(url.split("?")[0] + "?v=0123456789abcdef")
    assert stale.status_code == 200 and stale["Cache-Control"] == "private, no-cache"
    assert client.get("/regions/96/carte/carte.js").status_code == 404  # no contour loaded
    assert client.get("/regions/95/carte/carte.js").status_code == 404  # no such région


def test_region_map_text_alternative_lists_the_departements(client, region):
    html = client.get("/regions/97/carte/").text
    table = html[html.index('id="carte-alternative"') :]
    north = re.search(r"<tr><th scope=\"row\">Nord Inventé \(97\)</th>(.*?)</tr>", table).group(1)
    cells = re.findall(r'<td class="num">([^<]*)</td>', north)
    assert cells == ["6", "6", "5,5", "2"]  # communes, published, median of 3..8, fragile (≥ 6.4: 7.0 and 8.0)
    south = re.search(r"<tr><th scope=\"row\">Sud Inventé \(98\)</th>(.*?)</tr>", table).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', south) == ["3", "2", "9,0", "2"]
    assert 'href="/departements/98/"' in south and 'href="/departements/98/carte/"' in south
    assert "Vide Inventé" not in table


def test_region_map_is_cached_per_data_version(client, region, monkeypatch):
    client.get("/regions/97/carte/")

    def cold(*_args, **_kwargs):
        raise AssertionError("the région map was rebuilt")

    monkeypatch.setattr(maps, "_render_layer", cold)
    assert client.get("/regions/97/carte/").status_code == 200
    cache.clear()
    with pytest.raises(AssertionError, match="rebuilt"):
        client.get("/regions/97/carte/")


def test_unknown_region(client, region):
    response = client.get("/regions/95/carte/")
    assert response.status_code == 404
    assert "Aucune région n&#x27;a le code « 95 »." in response.text
    assert client.get("/regions/abc/carte/").status_code == 404


def test_region_without_contours_says_so(client, region):
    response = client.get("/regions/96/carte/")
    assert response.status_code == 200
    assert "les contours des communes de cette région n'ont pas été chargés" in response.text
    assert "Aucune commune de cette région n'est chargée." in response.text


def test_regions_page_links_each_region_with_communes(client, region):
    html = client.get("/regions/").text
    row = re.search(r'<tr><th scope="row"><a href="/regions/97/carte/">Région Inventée</a></th>(.*?)</tr>', html)
    assert re.findall(r'<td class="num">([^<]*)</td>', row.group(1)) == ["2", "9"]
    assert "Région Sans Commune" not in html


def test_departement_map_links_to_its_region_map(client, region):
    html = client.get("/departements/97/carte/").text
    assert '<a href="/regions/97/carte/">Carte de la région Région Inventée</a>' in html


def test_region_map_of_4000_communes_stays_under_350_kb(client):
    """A made-up région the size of Auvergne-Rhône-Alpes: 4 000 small square communes."""
    region = make_region(code="97", name="Grande Région Inventée")
    dep = make_departement(code="97", name="Grand Département Inventé", region=region)
    from territories.models import Commune, CommuneIfn
    from tests.factories import make_source, square

    source = make_source()
    communes = []
    for i in range(4000):
        lat, lon = 44.0 + (i // 64) * 0.05, 2.0 + (i % 64) * 0.05
        geometry = square(lat, lon, 0.05)
        communes.append(
            Commune(
                insee=f"97{i:03d}" if i < 1000 else f"9{i:04d}",
                name=f"Commune inventée {i}",
                search_name=f"commune inventee {i}",
                departement=dep,
                population=500,
                source=source,
                geometry=__import__("json").dumps(geometry),
                geometry_source=source,
            )
        )
    Commune.objects.bulk_create(communes)
    CommuneIfn.objects.bulk_create(
        CommuneIfn(commune=c, total=1 + (i % 90) / 10, source=source) for i, c in enumerate(communes)
    )
    response = client.get("/regions/97/carte/")
    assert response.status_code == 200
    script = client.get(_script_url(response.text))
    wire = len(gzip.compress(response.content, compresslevel=6)) + len(gzip.compress(script.content, compresslevel=6))
    print(f"made-up région map of 4 000 communes: {wire} bytes gzipped (page and map script)")
    # the rows, then the contours in parts of 500: static/js/map.js builds each in a task of its own
    assert script.text.count("function () { return ") == 1 + 8
    assert wire <= 350_000, f"{wire} bytes gzipped"


def test_dashboard_links_to_the_region_maps(client, world):  # noqa: F811
    login(client, world, "coordinator")
    html = client.get("/tableau-de-bord/").text
    assert '<a href="/regions/">Cartes de toutes les communes d\'une région</a>' in html


def test_departement_with_detailed_contours_is_simplified_within_the_budget(client, monkeypatch):
    """Made-up round communes (65 points each): over the contour budget, the département map is simplified further,
    every commune kept."""
    import json

    from shapely.geometry import Point, mapping

    dep = make_departement(code="97", name="Département Rond Inventé")
    for i in range(40):
        circle = Point(2.0 + (i % 8) * 0.05, 44.0 + (i // 8) * 0.05).buffer(0.024, quad_segs=16)
        commune = make_commune(insee=f"97{i:03d}", name=f"Ronde {i}", dep=dep, ifn=5.0)
        commune.geometry = json.dumps(mapping(circle))
        commune.save()
    roomy = maps.departement_layer("97")
    cache.clear()
    monkeypatch.setattr(maps, "SHAPES_BUDGET", maps._shapes_size(roomy) * 7 // 10)
    tight = maps.departement_layer("97")
    assert [row[0] for row in tight.rows] == [row[0] for row in roomy.rows]
    assert maps._shapes_size(tight) <= maps.SHAPES_BUDGET < maps._shapes_size(roomy)
    assert client.get("/departements/97/carte/").status_code == 200
