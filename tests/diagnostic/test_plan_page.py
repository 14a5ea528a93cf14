"""The plan page, its follow-up edits (htmx and plain form, optimistic locking, audit) and permissions.

Data: MADE-UP world of tests/factories/worlds.py enriched by tests/factories/diagnostic.enrich.
"""

import html as html_module
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from diagnostic.models import AuditEvent, MeasureAction
from diagnostic.plan.facts import facts_for
from diagnostic.plan.rules import assess
from tests.factories import ROLES, build_world, enrich, make_member, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return enrich(build_world())


def client_as(client, world, role):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    return client


def plan_url(world):
    return reverse("diagnostic:plan", args=[world.diagnostic.pk])


def measure_url(world, n):
    return reverse("diagnostic:plan_measure", args=[world.diagnostic.pk, n])


def text_of(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return html_module.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


# --- Content ----------------------------------------------------------------------------------------------------


def test_plan_page_shows_profile_measures_reasons_steps_and_contacts(client, world):
    response = client_as(client, world, "agent").get(plan_url(world))
    assert response.status_code == 200
    text = text_of(response)
    assert "Plan d'action pour l'inclusion numérique — Saint-Exemple" in text
    # fragility profile: territorial side beside local capacity, and the table behind the chart
    for factor in (
        "Équipement",
        "Connexion",
        "Compétences",
        "Accessibilité des services de la commune",
        "Proximité de l'aide",
    ):
        assert factor in text
    assert "Profil de fragilité : territoire et capacité locale" in text
    assert 'role="img"' in response.content.decode()
    # the five measures, each with a priority, its reasons with figures, and steps
    for title in (
        "Comprendre les inégalités et identifier les acteurs",
        "Former les agents de la commune",
        "Rejoindre la stratégie départementale et France Numérique Ensemble",
        "Organiser des permanences numériques",
        "Mobiliser les acteurs de la médiation et le matériel reconditionné",
    ):
        assert title in text
    assert "part des 65 ans et plus : 9/10 contre 6 pour la médiane du département" in text
    assert "lieu de médiation le plus proche à 18 km (Espace numérique Imaginaire)" in text
    assert "Aucune permanence numérique aujourd'hui sur la commune." in text
    # unknown answer and missing data said plainly
    assert (
        "Réponse « Je ne sais pas » à la question « Un agent de la commune est-il habilité Aidants Connect ? »" in text
    )
    assert "Taux de pauvreté absent des données" in text
    assert "Prochaines étapes" in text
    # whom to contact: Hub with its website, nearest places with distance and contact details
    assert "Hub Imaginaire" in text and "https://hub.example.org/" in text
    assert "Espace numérique Imaginaire — à 18 km" in text
    assert "01 02 03 04 05" in text and "contact@espace.example.org" in text
    assert "France services Imaginaire — à 22,5 km" in text
    # sources with vintages and a draft marker
    assert "IFN inventé pour les tests" in text and "inventé 2026" in text
    assert "Brouillon :" in text


def test_page_priorities_match_the_rules_and_the_cached_priority(client, world):
    assessments = assess(facts_for(world.diagnostic))
    cached = dict(world.diagnostic.measures.values_list("measure", "priority"))
    assert cached == {n: a.priority for n, a in assessments.items()}
    assert cached[4] == "high"  # no drop-in, help 18 km away, connectivity above the median
    text = text_of(client_as(client, world, "agent").get(plan_url(world)))
    assert "Organiser des permanences numériques Priorité haute" in text


def test_no_inline_style_attribute_and_no_inline_script_without_nonce(client, world):
    html = client_as(client, world, "agent").get(plan_url(world)).content.decode()
    assert not re.search(r"\sstyle=", html)
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or "nonce=" in tag


def test_submitted_plan_is_not_marked_draft(client, world):
    world.diagnostic.status = world.diagnostic.Status.SUBMITTED
    world.diagnostic.save()
    assert "Brouillon :" not in text_of(client_as(client, world, "agent").get(plan_url(world)))


def test_demo_plan_is_labelled(client, world):
    world.diagnostic.is_demo = True
    world.diagnostic.save()
    assert "Démonstration :" in text_of(client_as(client, world, "agent").get(plan_url(world)))


def test_plan_without_any_data_or_answer_says_so(client, db):
    bare = build_world()
    response = client_as(client, bare, "agent").get(reverse("diagnostic:plan", args=[bare.diagnostic.pk]))
    assert response.status_code == 200
    text = text_of(response)
    assert "Indice de fragilité numérique absent" in text
    assert text.count("Priorité moyenne") == 5  # nothing known: "à confirmer", never invented
    assert bare.diagnostic.measures.count() == 5


# --- Permissions ------------------------------------------------------------------------------------------------

READ = {
    "anonymous": 302,
    "pending_agent": 404,
    "agent": 200,
    "other_agent": 404,
    "coordinator": 200,
    "other_coordinator": 404,
    "staff": 200,
}
WRITE = {**READ, "agent": 302, "coordinator": 403, "staff": 403}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["diagnostic:plan", "diagnostic:plan_pdf", "diagnostic:plan_csv"])
def test_read_permissions(client, world, role, name):
    response = client_as(client, world, role).get(reverse(name, args=[world.diagnostic.pk]))
    assert response.status_code == READ[role]
    if role == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", ROLES)
def test_write_permissions(client, world, role):
    action = world.diagnostic.measures.get(measure=2)
    data = {"owner": "Quelqu'un", "target_date": "", "status": "todo", "comment": "", "version": action.version}
    response = client_as(client, world, role).post(measure_url(world, 2), data)
    assert response.status_code == WRITE[role]
    action.refresh_from_db()
    assert (action.owner == "Quelqu'un") == (role == "agent")
    if role == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", ["coordinator", "staff"])
def test_coordinator_and_staff_read_only(client, world, role):
    html = client_as(client, world, role).get(plan_url(world)).content.decode()
    assert "Lecture seule" in html
    assert 'action="' + measure_url(world, 1) not in html
    assert "followup-readonly" in html


def test_unknown_measure_is_404(client, world):
    client_as(client, world, "agent")
    assert client.post(measure_url(world, 6), {}).status_code == 404


# --- Editing ----------------------------------------------------------------------------------------------------


def post_measure(client, world, n, version, htmx=False, **values):
    data = {"owner": "", "target_date": "", "status": "todo", "comment": "", "version": version, **values}
    return client.post(measure_url(world, n), data, headers={"HX-Request": "true"} if htmx else {})


def test_plain_form_saves_and_audits(client, world):
    client_as(client, world, "agent")
    response = post_measure(
        client, world, 3, 1, owner="Secrétariat de mairie", target_date="2026-12-31", status="in_progress"
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#mesure-3")
    action = MeasureAction.objects.get(diagnostic=world.diagnostic, measure=3)
    assert (action.owner, str(action.target_date), action.status, action.version) == (
        "Secrétariat de mairie",
        "2026-12-31",
        "in_progress",
        2,
    )
    assert action.updated_by == world.agent
    events = {e.key: e for e in AuditEvent.objects.filter(diagnostic=world.diagnostic, target="measure")}
    assert set(events) == {"measure-3.owner", "measure-3.target_date", "measure-3.status"}
    assert events["measure-3.status"].old_value == "todo"
    assert events["measure-3.status"].new_value == "in_progress"
    assert events["measure-3.target_date"].new_value == "2026-12-31"
    assert {e.version for e in events.values()} == {2}
    page = text_of(client.get(response["Location"]))
    assert "Suivi de la mesure 3 enregistré." in page


def test_date_in_french_format_is_accepted(client, world):
    client_as(client, world, "agent")
    post_measure(client, world, 1, 1, target_date="15/03/2027")
    assert str(MeasureAction.objects.get(diagnostic=world.diagnostic, measure=1).target_date) == "2027-03-15"


def test_htmx_post_returns_the_partial(client, world):
    client_as(client, world, "agent")
    response = post_measure(client, world, 2, 1, htmx=True, owner="Élu référent")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="suivi-2"')
    assert "<html" not in html
    assert "Suivi de la mesure 2 enregistré." in html
    assert 'name="version" value="2"' in html


def test_htmx_get_returns_the_partial_and_plain_get_redirects(client, world):
    client_as(client, world, "coordinator")
    response = client.get(measure_url(world, 2), headers={"HX-Request": "true"})
    assert response.status_code == 200 and "followup-readonly" in response.content.decode()
    assert client.get(measure_url(world, 2)).status_code == 302


def test_invalid_input_is_not_saved_and_errors_are_linked(client, world):
    client_as(client, world, "agent")
    response = post_measure(client, world, 2, 1, target_date="demain", owner="Quelqu'un")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Le suivi n'a pas été enregistré" in html
    assert 'href="#m2-target_date"' in html
    assert 'value="Quelqu&#x27;un"' in html  # the user's input is kept
    assert MeasureAction.objects.get(diagnostic=world.diagnostic, measure=2).version == 1


def test_concurrent_edit_does_not_overwrite_and_shows_the_other_change(client, world):
    other = make_user("deuxieme.agent@exemple.invalid", first_name="Bruno", last_name="Collègue")
    make_member(other, world.commune)
    from django.test import Client

    second = Client()
    second.force_login(other)
    # Both read version 1; the colleague saves first.
    assert post_measure(second, world, 4, 1, owner="Bruno", status="done").status_code == 302
    # Alice posts what she typed against version 1: nothing is overwritten.
    client_as(client, world, "agent")
    response = post_measure(client, world, 4, 1, htmx=True, owner="Alice", comment="Permanence le mardi")
    assert response.status_code == 200
    html = response.content.decode()
    action = MeasureAction.objects.get(diagnostic=world.diagnostic, measure=4)
    assert (action.owner, action.status, action.comment, action.version) == ("Bruno", "done", "", 2)
    assert "modifié par quelqu'un d'autre" in html
    assert "Bruno Collègue" in html
    assert "responsable « (vide) » → « Bruno »" in html
    assert "état « À faire » → « Fait »" in html
    assert 'value="Alice"' in html and "Permanence le mardi" in html  # Alice's input is kept
    assert 'name="version" value="2"' in html  # re-submitting applies it knowingly
    # Alice re-submits: now saved on top of version 2.
    assert post_measure(client, world, 4, 2, owner="Alice", comment="Permanence le mardi").status_code == 302
    action.refresh_from_db()
    assert (action.owner, action.version) == ("Alice", 3)
    keys = list(
        AuditEvent.objects.filter(diagnostic=world.diagnostic, key__startswith="measure-4.")
        .order_by("version", "key")
        .values_list("version", "key", "user__email")
    )
    assert (2, "measure-4.owner", "deuxieme.agent@exemple.invalid") in keys
    assert (3, "measure-4.owner", "agent@exemple.invalid") in keys


def test_concurrent_edit_without_js_keeps_input_in_the_full_page(client, world):
    MeasureAction.objects.filter(diagnostic=world.diagnostic, measure=5).update(version=7, owner="Autre")
    client_as(client, world, "agent")
    response = post_measure(client, world, 5, 1, owner="Moi")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and "modifié par quelqu'un d'autre" in html
    assert 'value="Moi"' in html
    assert MeasureAction.objects.get(diagnostic=world.diagnostic, measure=5).owner == "Autre"


def test_unchanged_post_writes_nothing(client, world):
    client_as(client, world, "agent")
    post_measure(client, world, 1, 1)
    assert not AuditEvent.objects.filter(target="measure").exists()
    assert MeasureAction.objects.get(diagnostic=world.diagnostic, measure=1).version == 1


def test_priority_refresh_does_not_bump_the_version(world):
    from diagnostic.models import Answer
    from diagnostic.plan.services import refresh_plan

    Answer.objects.filter(diagnostic=world.diagnostic, question="sk_drop_in").update(value="weekly")
    before = dict(world.diagnostic.measures.values_list("measure", "version"))
    refresh_plan(diagnostic=world.diagnostic)
    assert dict(world.diagnostic.measures.values_list("measure", "version")) == before
    assert world.diagnostic.measures.get(measure=4).priority == assess(facts_for(world.diagnostic))[4].priority


def test_a_far_away_nearest_place_is_not_named(client, world):
    """A "nearest" place hundreds of km away means the area's places are not in the loaded data: no figure."""
    from territories.models import CommunePlaceAccess

    CommunePlaceAccess.objects.filter(commune=world.commune).update(nearest_km=208.1)
    cache.clear()  # distances change only through an import, which changes the data version in the cache keys
    text = text_of(client_as(client, world, "agent").get(plan_url(world)))
    assert "208" not in text
    assert "Aucun lieu de médiation ni France services connu à moins de 30 km dans les données chargées." in text
    assert "aucun lieu de médiation connu à moins de 30 km" in text


def test_a_kind_of_place_absent_from_the_departement_is_missing_data(client, world):
    """No lieu de médiation at all in the département: its source is not loaded there; say so, don't count it."""
    from territories.models import Place

    Place.objects.filter(kind=Place.Kind.MEDIATION).update(commune=None)
    cache.clear()  # places change only through an import, which changes the data version in the cache keys
    text = text_of(client_as(client, world, "agent").get(plan_url(world)))
    assert "lieux de médiation voisins non connus (donnée absente)" in text
    assert "lieu de médiation le plus proche à 18 km" not in text
    assert "France services le plus proche à 22,5 km" in text


def test_cached_fragments_follow_the_answers(client, world):
    """The profile, reasons and next steps are cached fragments: an answer written through the questionnaire (which
    increments the diagnostic's version) shows at once on the plan, for every reader."""
    from diagnostic.questionnaire.services import save_answers

    agent = client_as(client, world, "agent")
    assert "Aucune permanence numérique aujourd'hui sur la commune." in text_of(agent.get(plan_url(world)))
    save_answers(diagnostic=world.diagnostic, user=world.agent, answers={"sk_drop_in": "weekly"})
    text = text_of(agent.get(plan_url(world)))
    assert "Aucune permanence numérique aujourd'hui sur la commune." not in text
    assert "Permanences numériques régulières" in text
