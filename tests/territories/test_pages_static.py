"""Home, sources and accessibility pages."""

import pytest

from tests.factories import make_source

pytestmark = pytest.mark.django_db


def test_home_has_measures_figures_with_sources_and_search(client):
    html = client.get("/").text
    assert html.count("<li>") >= 5
    for text in ["16 millions", "65 %", "97 %", "83 M€ → 42 M€", "90 %", "0,6 % du PIB", "16,7 milliards"]:
        assert text in html
    assert "Baromètre du numérique 2025" in html
    assert "Étude France 2030" in html
    assert "webinaire La Mednum / InterHubs du 3 février 2026" in html
    assert "Organiser des permanences numériques" in html
    assert 'action="/recherche/"' in html and 'hx-get="/recherche/"' in html


def test_sources_page_lists_sources(client):
    make_source(key="ifn-test", name="IFN inventé", producer="Équipe de test", vintage="inventé 2026")
    html = client.get("/sources/").text
    assert "IFN inventé" in html and "inventé 2026" in html


def test_accessibility_statement_is_honest(client, settings):
    settings.INCLUSION_CONTACT_EMAIL = "accessibilite@example.org"
    html = client.get("/accessibilite/").text
    assert "partiellement conforme" in html
    assert "déclaration de conformité partielle" in html
    assert "axe-core" in html and "clavier" in html and "lecteurs d'écran" in html
    assert "mailto:accessibilite@example.org" in html
    assert "Défenseur des droits" in html
