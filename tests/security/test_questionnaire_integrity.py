"""M4, L2, L3, L6 (questionnaire): a stale tab of the same user gets the conflict message with both values, never a
silent overwrite reported as "Enregistré"; an autosave carrying only some fields changes only those; multiple choices
are known values, each once, "Aucun"/"Je ne sais pas" alone; a double click on "Transmettre" is not an error.

The tests act like a browser: each "tab" is a GET of the step page, whose hidden fields (version read, page id) the
tab posts back. Data: the MADE-UP world of tests/factories.
"""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from diagnostic.models import Answer
from tests.factories import FULL_ANSWERS, make_member, make_user, step_data, world_fixture  # noqa: F401  (fixtures)

HIDDEN = re.compile(r'<input type="hidden" name="(version|page_id)" value="([^"]*)"')


@pytest.fixture
def alice(world):
    client = Client()
    client.force_login(world.agent)
    return client


def open_tab(client, diagnostic, step=1) -> dict:
    response = client.get(reverse("diagnostic:step", args=[diagnostic.pk, step]))
    assert response.status_code == 200
    fields = dict(HIDDEN.findall(response.text))
    assert "version" in fields and fields.get("page_id"), "the step page carries its version and page id"
    return fields


def post_from(client, tab: dict, diagnostic, answers: dict, *, step=1, comments=None, htmx=True, go="stay"):
    data = step_data(step, answers, int(tab["version"]), comments=comments, go=None if htmx else go)
    data.update(tab)
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(reverse("diagnostic:step", args=[diagnostic.pk, step]), data, headers=headers)
    # Like htmx: the autosave answer updates the page's hidden fields (hx-swap-oob), if it carries them.
    tab.update(dict(HIDDEN.findall(response.content.decode())))
    return response


def value(diagnostic, key):
    answer = Answer.objects.filter(diagnostic=diagnostic, question=key).first()
    return answer.value if answer else None


# -- M4: the same user in two tabs ---------------------------------------------------------------------------------


def test_a_stale_tab_of_the_same_user_gets_the_conflict_with_both_values(world, alice):
    diagnostic = world.diagnostic
    old_tab, new_tab = open_tab(alice, diagnostic), open_tab(alice, diagnostic)
    assert post_from(alice, new_tab, diagnostic, {"eq_printer_scanner": "no"}).status_code == 200
    assert value(diagnostic, "eq_printer_scanner") == "no"

    response = post_from(alice, old_tab, diagnostic, {"eq_printer_scanner": "yes"})
    text = html.unescape(response.text)
    assert value(diagnostic, "eq_printer_scanner") == "no", "the older tab must not overwrite silently"
    assert "Enregistré à" not in text
    assert "« Non »" in text and "Votre réponse : « Oui »" in text
    assert "un autre onglet" in text


def test_the_stale_tab_confirms_by_saving_the_page_again(world, alice):
    diagnostic = world.diagnostic
    old_tab, new_tab = open_tab(alice, diagnostic), open_tab(alice, diagnostic)
    post_from(alice, new_tab, diagnostic, {"eq_printer_scanner": "no"})
    response = post_from(alice, old_tab, diagnostic, {"eq_printer_scanner": "yes"}, htmx=False)
    assert response.status_code == 200 and "Votre réponse : « Oui »" in html.unescape(response.text)
    shown = dict(HIDDEN.findall(response.text))
    assert post_from(alice, shown, diagnostic, {"eq_printer_scanner": "yes"}, htmx=False).status_code == 302
    assert value(diagnostic, "eq_printer_scanner") == "yes"


def test_one_tab_never_conflicts_with_its_own_autosaves(world, alice):
    diagnostic = world.diagnostic
    tab = open_tab(alice, diagnostic)
    for answer in ("yes", "no", "unknown"):
        response = post_from(alice, tab, diagnostic, {"eq_printer_scanner": answer})
        assert "Enregistré à" in response.text
    assert post_from(alice, tab, diagnostic, {"eq_printer_scanner": "yes"}, htmx=False).status_code == 302
    assert value(diagnostic, "eq_printer_scanner") == "yes"


# -- L3: partial autosaves -----------------------------------------------------------------------------------------


def test_an_autosave_carrying_some_fields_changes_only_those(world, alice):
    diagnostic = world.diagnostic
    step_one = {key: FULL_ANSWERS[key] for key in FULL_ANSWERS if key.startswith("eq_")}
    tab = open_tab(alice, diagnostic)
    post_from(alice, tab, diagnostic, step_one, comments={"eq_public_computers": "Deux postes en mairie"}, htmx=False)
    assert value(diagnostic, "eq_needs_reported") == ["seniors", "jobseekers"]

    tab = open_tab(alice, diagnostic)
    response = alice.post(
        reverse("diagnostic:step", args=[diagnostic.pk, 1]),
        {**tab, "eq_printer_scanner": "no"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    saved = {a.question: (a.value, a.comment) for a in Answer.objects.filter(diagnostic=diagnostic)}
    assert saved["eq_printer_scanner"][0] == "no"
    for key, answer in step_one.items():
        if key != "eq_printer_scanner":
            assert saved[key][0] == answer, key
    assert saved["eq_public_computers"][1] == "Deux postes en mairie"


def test_unticking_every_box_of_a_multiple_choice_still_clears_it(world, alice):
    diagnostic = world.diagnostic
    tab = open_tab(alice, diagnostic)
    post_from(alice, tab, diagnostic, {"eq_needs_reported": ["seniors"]})
    assert value(diagnostic, "eq_needs_reported") == ["seniors"]
    post_from(alice, tab, diagnostic, {"eq_needs_reported": []})  # the page sends the group, with no box ticked
    assert value(diagnostic, "eq_needs_reported") is None


# -- L2: multiple choices ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ticked", "message"),
    [
        (["seniors", "seniors"], "une seule fois"),
        (["none", "seniors"], "« Aucun signalement » ne peut pas être coché avec une autre réponse"),
        (["unknown", "young"], "« Je ne sais pas » ne peut pas être coché avec une autre réponse"),
        (["seniors", "inventé"], "Choisissez parmi les réponses proposées"),
    ],
)
def test_multiple_choices_are_known_values_each_once_and_exclusive_alone(world, alice, ticked, message):
    diagnostic = world.diagnostic
    tab = open_tab(alice, diagnostic)
    post_from(alice, tab, diagnostic, {"eq_needs_reported": ["young"]})
    response = post_from(alice, tab, diagnostic, {"eq_needs_reported": ticked}, htmx=False)
    assert response.status_code == 200
    assert message in html.unescape(response.text)
    assert value(diagnostic, "eq_needs_reported") == ["young"]


def test_the_service_refuses_a_repeated_choice(world):
    from diagnostic.questionnaire.services import save_answers

    with pytest.raises(ValueError):
        save_answers(diagnostic=world.diagnostic, user=world.agent, answers={"eq_needs_reported": ["young", "young"]})
    with pytest.raises(ValueError):
        save_answers(diagnostic=world.diagnostic, user=world.agent, answers={"eq_needs_reported": ["none", "young"]})
    assert value(world.diagnostic, "eq_needs_reported") is None


# -- L6: double click on "Transmettre" -----------------------------------------------------------------------------


def test_a_double_click_on_submit_shows_the_submitted_diagnostic_not_an_error(world, alice):
    from diagnostic.questionnaire.services import save_answers

    diagnostic = world.diagnostic
    save_answers(diagnostic=diagnostic, user=world.agent, answers=FULL_ANSWERS)
    url = reverse("diagnostic:submit", args=[diagnostic.pk])
    first, second = alice.post(url), alice.post(url, follow=True)
    assert first.status_code == 302
    assert second.status_code == 200
    text = html.unescape(second.text)
    assert "n'a pas été enregistrée" not in text
    assert "transmis" in text
    diagnostic.refresh_from_db()
    assert diagnostic.is_submitted


# -- L8: numbers typed in the questionnaire ------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["1_0", "١٢", "１２", "1e1"])
def test_the_questionnaire_refuses_numbers_no_person_types(world, alice, typed):
    diagnostic = world.diagnostic
    tab = open_tab(alice, diagnostic)
    data = {**tab, "eq_public_computers": typed, "go": "stay"}
    response = alice.post(reverse("diagnostic:step", args=[diagnostic.pk, 1]), data)
    assert response.status_code == 200
    assert "Indiquez un nombre entier entre 0 et 500, en chiffres" in html.unescape(response.text)
    assert value(diagnostic, "eq_public_computers") is None


@pytest.mark.parametrize(("typed", "stored"), [("12", 12), (" 7 ", 7), ("0", 0)])
def test_the_questionnaire_reads_numbers_as_typed(world, alice, typed, stored):
    diagnostic = world.diagnostic
    tab = open_tab(alice, diagnostic)
    data = {**tab, "eq_public_computers": typed, "go": "stay"}
    assert alice.post(reverse("diagnostic:step", args=[diagnostic.pk, 1]), data).status_code == 302
    assert value(diagnostic, "eq_public_computers") == stored
