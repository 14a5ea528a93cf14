"""Numbers and plurals as a mairie writes them, on the pages that show counts (territories.formatting).

Data: MADE-UP world of tests/factories enriched by tests/factories.
"""

import re

import pytest
from django.urls import reverse

from diagnostic.plan.pdf import plan_pdf_html
from diagnostic.plan.selectors import build_plan
from tests.factories import PLAN_ANSWERS, build_world, enrich

pytestmark = pytest.mark.django_db

FORM_PLURALS = re.compile(r"\w\((?:s|x|aux|es)\)")


def text_of(response) -> str:
    import html

    page = re.sub(r"<script.*?</script>", " ", response.content.decode(), flags=re.S)
    return html.unescape(re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture
def world(db):
    world = enrich(build_world(), answers={**PLAN_ANSWERS, "sk_trained_agents": 1, "eq_public_computers": 1})
    world.commune.population = 1397
    world.commune.save(update_fields=["population"])
    return world


def test_plan_agrees_singulars_and_separates_thousands(client, world):
    client.force_login(world.agent)
    text = text_of(client.get(reverse("diagnostic:plan", args=[world.diagnostic.pk])))
    assert "1\u00a0397 habitants" in text
    assert "1 agent formé pour un objectif" in text
    assert "1 ordinateur en accès libre pour le public" in text
    assert "0 lieu de médiation numérique à moins de 10 km" in text
    assert "lieu de médiation le plus proche à 18 km" in text
    assert not FORM_PLURALS.search(text), FORM_PLURALS.search(text)


def test_plan_csv_and_pdf_use_the_same_words(client, world):
    client.force_login(world.agent)
    csv_text = client.get(reverse("diagnostic:plan_csv", args=[world.diagnostic.pk])).content.decode("utf-8-sig")
    assert "1 agent formé pour un objectif" in csv_text
    assert not FORM_PLURALS.search(csv_text)
    pdf_text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", plan_pdf_html(build_plan(world.diagnostic))))
    assert "1 397 habitants" in pdf_text  # (\s+ above folds the no-break space)
    assert "1 agent formé pour un objectif" in pdf_text
    assert not FORM_PLURALS.search(pdf_text)


def test_dashboard_counts_agree(client, world):
    client.force_login(world.coordinator)
    text = text_of(client.get(reverse("diagnostic:dashboard")))
    assert "1 diagnostic commencé en" in text  # the world's one diagnostic (was "1 diagnostics commencés")
    assert not FORM_PLURALS.search(text)


def test_public_profile_agrees_postcodes_and_places(client, world):
    text = text_of(client.get(reverse("territories:commune", args=[world.commune.insee])))
    assert "1\u00a0397 habitants" in text
    assert world.commune.postcode_list == ["99000"]
    assert "Code postal" in text and "Codes postaux" not in text
    assert "0 lieu à moins de 10 km" in text
    assert "lieux à moins de 10 km" not in text
