"""Commune search: name (accents, case, hyphens), postcode, INSEE code; htmx partial vs full page. Made-up data."""

import pytest

from tests.factories import make_commune, make_departement

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes():
    make_departement(code="42", name="Loire Imaginaire")
    make_departement(code="99")
    return {
        "big": make_commune(insee="42218", name="Saint-Étienne", dep="42", population=170000, postcodes="42000|42100"),
        "small": make_commune(insee="99005", name="Saint-Étienne-de-Test", population=800, postcodes="99150"),
        "other": make_commune(insee="99006", name="Le Saint-Étienne Inventé", population=50000, postcodes="99160"),
        "noise": make_commune(insee="99007", name="Boulleret-sur-Test", population=1300, postcodes="99240|99300"),
        "corsica": make_commune(
            insee="2A004", name="Ajaccio Imaginaire", dep="99", population=70000, postcodes="20000"
        ),
    }


def names(response):
    return [c.name for c in response.context["result"].communes]


@pytest.mark.parametrize("query", ["saint etienne", "Saint-Étienne", "SAINT-ETIENNE", "saint-etienne", "st etienne"])
def test_name_search_ignores_case_accents_and_hyphens(client, communes, query):
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 200
    # exact first, then prefix, then by population
    assert names(response) == ["Saint-Étienne", "Saint-Étienne-de-Test", "Le Saint-Étienne Inventé"]


def test_prefix_ranks_before_inner_match_then_population(client, communes):
    make_commune(insee="99008", name="Saint-Étienne-Bis", population=5000)
    response = client.get("/recherche/", {"q": "saint etienne "})
    assert names(response)[:3] == ["Saint-Étienne", "Saint-Étienne-Bis", "Saint-Étienne-de-Test"]


def test_postcode_search(client, communes):
    response = client.get("/recherche/", {"q": "99300"})
    assert names(response) == ["Boulleret-sur-Test"]
    assert client.get("/recherche/", {"q": "42100"}).context["result"].communes[0].insee == "42218"


def test_partial_code_matches_insee_and_postcode_prefixes(client, communes):
    assert names(client.get("/recherche/", {"q": "9930"})) == ["Boulleret-sur-Test"]  # second postcode 99300
    assert names(client.get("/recherche/", {"q": "9900"})) == [
        "Le Saint-Étienne Inventé",
        "Boulleret-sur-Test",
        "Saint-Étienne-de-Test",
    ]  # INSEE 99005..99007, by population
    assert names(client.get("/recherche/", {"q": "2a"})) == ["Ajaccio Imaginaire"]


def test_insee_code_search_including_corsica(client, communes):
    assert names(client.get("/recherche/", {"q": "99007"})) == ["Boulleret-sur-Test"]
    assert names(client.get("/recherche/", {"q": "2a004"})) == ["Ajaccio Imaginaire"]


def test_full_page_lists_links_without_js(client, communes):
    response = client.get("/recherche/", {"q": "boulleret"})
    html = response.text
    assert "<html" in html
    assert 'href="/communes/99007/"' in html
    assert "Résultats pour « boulleret »" in html


def test_no_result_says_so(client, communes):
    response = client.get("/recherche/", {"q": "zzzz"})
    assert "Aucune commune ne correspond" in response.text


def test_htmx_request_gets_only_the_suggestions_partial(client, communes):
    response = client.get("/recherche/", {"q": "saint et"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.text
    assert "<html" not in html and "<form" not in html
    assert html.count("<li>") == 3
    assert 'href="/communes/42218/"' in html
    assert "HX-Request" in response.headers["Vary"]


def test_htmx_short_query_returns_nothing(client, communes):
    response = client.get("/recherche/", {"q": "s"}, headers={"HX-Request": "true"})
    assert response.text.strip() == ""


def test_empty_query_shows_form_only(client):
    response = client.get("/recherche/")
    assert response.status_code == 200
    assert 'name="q"' in response.text
    assert "Résultats" not in response.text


def test_many_prefix_matches_outrank_inner_matches(client):
    """More than a page of names starting with the query: the index fast path must keep the same ranking."""
    make_departement(code="99")
    make_commune(insee="99100", name="Saint", population=10)
    for index, letter in enumerate("ABCDEFGHIJ"):
        make_commune(insee=f"9910{index + 1}" if index < 9 else "99110", name=f"Saint-{letter}", population=index * 100)
    make_commune(insee="99120", name="Le Saint Inventé", population=1_000_000)
    response = client.get("/recherche/", {"q": "Saint"}, headers={"HX-Request": "true"})
    result = response.context["result"]
    assert [c.name for c in result.communes] == [
        "Saint",
        "Saint-J",
        "Saint-I",
        "Saint-H",
        "Saint-G",
        "Saint-F",
        "Saint-E",
        "Saint-D",
    ]
    assert result.truncated
    full = client.get("/recherche/", {"q": "Saint"}).context["result"]
    assert [c.name for c in full.communes][-1] == "Le Saint Inventé"
    assert "Saint-A" in [c.name for c in full.communes]
