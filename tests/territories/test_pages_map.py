"""Fragility maps: embedded (no iframe), only our static assets, CSP nonce on inline scripts, no style attributes."""

import re

import pytest
from django.core.cache import cache
from django.test import override_settings

from territories.maps import encode_ring
from territories.models import Place
from tests.factories import make_commune, make_departement, make_place

pytestmark = pytest.mark.django_db

CDN_HOSTS = ["cdn.jsdelivr.net", "code.jquery.com", "cdnjs.cloudflare.com", "bootstrapcdn", "unpkg.com", "d3js.org"]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def departement():
    make_departement(code="99")
    communes = [
        make_commune(insee=f"990{i:02d}", name=f"Commune {i} & <Test>", population=100 * i, ifn=1.0 + i * 0.8)
        for i in range(1, 12)
    ]
    make_commune(insee="99090", name="Sans Indice", ifn=None)
    make_place(name="Médiathèque <b>Imaginaire</b>", kind=Place.Kind.MEDIATION, commune=communes[0])
    make_place(name="France services Imaginaire", kind=Place.Kind.FRANCE_SERVICES, commune=communes[1], lat=47.05)
    return communes


def _assert_self_contained(response, inline_map_script=True):
    html = response.text
    assert response.status_code == 200
    assert "<iframe" not in html
    for host in CDN_HOSTS:
        assert host not in html
    for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", html):
        assert not re.search(r'(?:src|href)="(?:https?:)?//', tag), tag
    assert "style=" not in html
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html) + re.findall(r"<style([^>]*)>", html)
    if inline_map_script:
        assert inline, "the map script should be inline"
    if inline:
        nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
        for attrs in inline:
            assert f'nonce="{nonce}"' in attrs


def test_departement_map_is_self_contained(client, departement):
    response = client.get("/departements/99/carte/")
    _assert_self_contained(response)
    html = response.text
    # map.js loads Leaflet once the map is near the viewport, after the page's first paint
    assert '<script src="/static/js/map.js" data-leaflet="/static/vendor/leaflet/leaflet.js" defer>' in html
    assert '<script src="/static/vendor/leaflet/leaflet.js"' not in html
    assert 'class="folium-map"' in html
    assert "inclusionMap.communes(" in html
    assert "inclusionMap.places(" in html and "L.CircleMarker" in html
    assert "$(" not in html  # no jQuery
    # text alternative and legend
    assert 'href="/departements/99/"' in html
    assert "très fragile" in html and "donnée absente" in html


def test_profile_map_outlines_the_commune(client, departement):
    response = client.get("/communes/99003/")
    _assert_self_contained(response)
    html = response.text
    assert "inclusionMap.communes(" in html
    assert 'inclusionMap.outline({"99003":' in html
    assert "contour épais : Commune 3" in html


def test_names_are_escaped_inside_the_map_script(client, departement):
    html = client.get("/departements/99/carte/").text
    script = html[html.index("inclusionMap.communes(") :]
    # no raw markup from the data inside the script; map.js renders names as text nodes
    assert "<b>Imaginaire" not in script and "<Test>" not in script
    assert "Commune 1 \\u0026 \\u003cTest\\u003e" in script
    assert "Médiathèque \\u003cb\\u003eImaginaire" in script


def test_only_insee_name_total_and_class_are_embedded(client, departement):
    html = client.get("/departements/99/carte/").text
    assert '["99001","Commune 1 \\u0026 \\u003cTest\\u003e","1,8",1]' in html
    assert '["99090","Sans Indice",null,0]' in html
    script = html.split("<script nonce")[-1]
    assert "population" not in script and "1100" not in script


def test_departement_layer_keeps_geojson_features_for_other_maps(departement):
    from territories.maps import departement_layer

    layer = departement_layer("99")
    feature = next(f for f in layer.features if f["id"] == "99001")
    assert feature["properties"] == {"n": "Commune 1 &amp; &lt;Test&gt;", "v": "1,8"}
    assert set(layer.shapes) == {f["id"] for f in layer.features}


def test_tiles_only_when_configured(client, departement):
    assert "L.tileLayer" not in client.get("/departements/99/carte/").text
    cache.clear()
    with override_settings(
        INCLUSION_MAP_TILES_URL="https://tiles.example.org/{z}/{x}/{y}.png", INCLUSION_MAP_TILES_ATTRIBUTION="Exemple"
    ):
        html = client.get("/departements/99/carte/").text
    assert "L.tileLayer" in html and "tiles.example.org" in html


def test_departement_table_is_the_text_alternative(client, departement):
    response = client.get("/departements/99/")
    assert response.status_code == 200
    html = response.text
    assert html.count('href="/communes/990') >= 12
    assert "Médiathèque &lt;b&gt;Imaginaire&lt;/b&gt;" in html
    assert "Sans Indice" in html


def test_map_absent_without_contours(client):
    make_departement(code="98", name="Sans Contours")
    make_commune(insee="98001", name="Nulle Part", dep="98", ifn=5.0, geometry=False)
    response = client.get("/departements/98/carte/")
    assert response.status_code == 200
    assert "La carte n'est pas disponible" in response.text
    assert "leaflet.js" not in response.text


def test_encode_ring_matches_the_polyline_algorithm():
    # Google's reference example, with (lon, lat) swapped to (lat, lon) order of the reference.
    encoded = encode_ring([(38.5, -120.2), (40.7, -120.95), (43.252, -126.453)], precision=5)
    assert encoded == "_p~iF~ps|U_ulLnnqC_mqNvxq`@"
