"""Commune profile: figures equal the source rows (made-up factory data, and real data when available); 404s."""

import re

import pytest
from django.core.cache import cache
from django.core.management import call_command, get_commands

from territories.models import CommuneIfn, Place
from tests.factories import make_access, make_commune, make_departement, make_epci, make_place

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def village():
    make_departement(code="99")
    epci = make_epci(name="CC du Test Imaginaire")
    commune = make_commune(
        insee="99032",
        name="Villetest",
        population=1234,
        epci=epci,
        ifn={
            "no_thd_coverage": 9.0,
            "no_4g_coverage": 6.0,
            "poverty": None,
            "older_65": 8.0,
            "low_diploma": 7.0,
            "total": 7.5,
            "note": "taux de pauvreté non diffusé par l'INSEE (petite commune)",
        },
    )
    for index, value in enumerate([2.0, 4.0, 9.0], start=40):
        make_commune(insee=f"990{index}", name=f"Voisine {index}", ifn=value)
    place = make_place(
        name="France services de Test",
        kind=Place.Kind.FRANCE_SERVICES,
        commune=commune,
        address="1 place de la Mairie",
        phone="01 02 03 04 05",
        website="https://fs.example.org/",
    )
    make_access(commune, place, km=3.24, within_10km=2)
    make_access(commune, None, km=None, within_10km=0, kind=Place.Kind.AIDANTS_CONNECT)
    return commune


def test_profile_shows_identity_hub_and_sources(client, village):
    response = client.get("/communes/99032/")
    assert response.status_code == 200
    html = response.text
    assert "<h1>Villetest" in html
    assert "1 234" in html or "1\u202f234" in html or "1\xa0234" in html
    assert "CC du Test Imaginaire" in html
    assert "Département Imaginaire (99)" in html and "Région Imaginaire" in html
    assert "Hub Imaginaire" in html and 'href="https://hub.example.org/"' in html
    assert "Source : Équipe de test, Données inventées pour les tests, inventé 2026" in html
    assert "Source : Équipe de test, IFN inventé pour les tests" in html


def test_ifn_figures_equal_the_row_with_medians_and_words(client, village):
    response = client.get("/communes/99032/")
    profile = response.context["profile"]
    lines = {line.key: line for line in profile.ifn_lines}
    assert lines["total"].value == 7.5
    assert lines["no_thd_coverage"].value == 9.0
    assert lines["poverty"].value is None
    # département: 7.5, 2, 4, 9 -> median 5.75 ; national is the same set here
    assert lines["total"].dep_median == pytest.approx(5.75)
    assert lines["total"].nat_median == pytest.approx(5.75)
    assert lines["total"].dep_words == "plus fragile que la moitié des communes du département"
    html = response.text
    assert "7,5" in html
    assert "donnée absente : taux de pauvreté non diffusé par l&#x27;INSEE (petite commune)" in html
    assert "(calculé)" not in html
    assert "plus fragile que la moitié des communes du département" in html
    assert "50 % des 4 communes du département" in html
    assert "<table" in html and 'class="ifn-chart"' in html


def test_access_shows_nearest_place_distance_and_contact(client, village):
    html = client.get("/communes/99032/").text
    assert "France services de Test" in html
    assert "3,2 km" in html
    assert "01 02 03 04 05" in html
    assert "Aucun lieu de ce type n'est connu" in html  # Aidants Connect: computed, none found
    assert "Distance non calculée" in html  # médiation: no access row


def test_derived_values_are_marked_and_left_out_of_the_medians(client, village):
    make_commune(
        insee="99060",
        name="Fusionnée",
        ifn={
            **dict.fromkeys(CommuneIfn.PARTS, 3.0),
            "total": 3.0,
            "status": CommuneIfn.Status.DERIVED,
            "note": "moyenne des anciennes communes 99061 et 99062",
        },
    )
    response = client.get("/communes/99060/")
    html = response.text
    assert html.count("(calculé)") == 6
    assert "Valeurs calculées par nos soins : moyenne des anciennes communes 99061 et 99062" in html
    lines = {line.key: line for line in response.context["profile"].ifn_lines}
    assert lines["total"].dep_median == pytest.approx(5.75)  # 7.5, 2, 4, 9: the derived 3.0 is not counted


def test_missing_ifn_row_shows_its_note(client):
    make_commune(
        insee="99078",
        name="Sans Valeur",
        ifn={"status": CommuneIfn.Status.MISSING, "note": "aucune ligne pour ce code dans le fichier IFN"},
    )
    html = client.get("/communes/99078/").text
    assert "Indice non disponible pour cette commune. aucune ligne pour ce code dans le fichier IFN" in html
    assert "<table" not in html.split('id="ifn"')[1].split('id="lieux"')[0]


def test_profile_without_ifn_says_the_data_is_absent(client):
    make_commune(insee="99077", name="Sans Indice", ifn=None, geometry=False)
    response = client.get("/communes/99077/")
    assert response.status_code == 200
    assert "Donnée absente : l&#x27;indice" in response.text or "Donnée absente : l'indice" in response.text
    assert "La carte n'est pas disponible" in response.text


def test_inline_chart_and_page_have_no_style_attributes(client, village):
    html = client.get("/communes/99032/").text
    assert "style=" not in html


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/communes/99999/", "Aucune commune n&#x27;a le code INSEE 99999"),
        ("/communes/abc/", "n&#x27;est pas un code INSEE"),
        ("/communes/123456/", "n&#x27;est pas un code INSEE"),
        ("/departements/77/carte/", "Aucun département"),
        ("/departements/xyz/", "Aucun département"),
    ],
)
def test_unknown_or_malformed_codes_are_helpful_404s(client, village, url, text):
    response = client.get(url)
    assert response.status_code == 404
    assert text in response.text
    assert 'name="q"' in response.text  # the search form


def test_corsican_code_is_accepted(client):
    make_departement(code="2A", name="Corse-du-Sud imaginaire")
    make_commune(insee="2A004", name="Ajaccio Imaginaire", dep="2A", ifn=4.0)
    assert client.get("/communes/2A004/").status_code == 200
    assert client.get("/communes/2a004/").status_code == 200


def test_medians_are_recomputed_after_a_new_import(client, village):
    first = client.get("/communes/99032/").context["profile"]
    assert {line.key: line for line in first.ifn_lines}["total"].dep_median == pytest.approx(5.75)
    make_commune(insee="99050", name="Nouvelle", ifn=10.0)
    from django.utils import timezone

    from territories.models import DataSource

    DataSource.objects.filter(key="test-made-up-ifn").update(imported_at=timezone.now())
    second = client.get("/communes/99032/").context["profile"]
    assert {line.key: line for line in second.ifn_lines}["total"].dep_median == pytest.approx(7.5)


# --- Real data ------------------------------------------------------------------------------------------------


@pytest.fixture
def cher_loaded(real_data_dir, db):
    if "load_open_data" not in get_commands():
        pytest.skip("The load_open_data importer command does not exist yet.")
    call_command("load_open_data", "--departements", "18", "--data-dir", str(real_data_dir))
    return real_data_dir


@pytest.mark.realdata
def test_boulleret_profile_with_real_data(client, cher_loaded):
    response = client.get("/communes/18032/")
    assert response.status_code == 200
    profile = response.context["profile"]
    assert profile.commune.name == "Boulleret"
    lines = {line.key: line for line in profile.ifn_lines}
    assert lines["total"].value == pytest.approx(7.8)
    # the five parts equal the published CSV row
    import csv

    with (cher_loaded / "indicators" / "ifn-communes.csv").open(encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["code"] == "18032")
    published = {
        "no_thd_coverage": row["no_thd_coverage_rate"],
        "no_4g_coverage": row["no_4g_coverage_rate"],
        "poverty": row["poverty_rate"],
        "older_65": row["older_65_rate"],
        "low_diploma": row["nscol15p_rate"],
    }
    for key, value in published.items():
        if value not in ("", None) and float(value) > 0:
            assert lines[key].value == pytest.approx(float(value))
    assert "7,8" in response.text
    assert re.search(r"Source : [^<]*IFN|Source : [^<]*[Ff]ragilit", response.text)
    assert profile.hub is not None


@pytest.mark.realdata
def test_cher_map_page_with_real_data_is_light(client, cher_loaded):
    response = client.get("/departements/18/carte/")
    assert response.status_code == 200
    assert len(response.content) <= 350_000
    assert "inclusionMap.communes(" in response.text
    assert len(response.content) <= 82_000  # about a quarter of folium's default output (see bench/map_bench.py)


def test_sentence_skips_a_missing_median():
    from territories.selectors import IfnLine, compare_words

    line = IfnLine("total", "Indice", "", 3.4, None, 5.0, compare_words(3.4, None, "du département"), "x")
    assert line.words == "x"
    line.nat_words = ""
    assert line.words == ""
