"""Server-side validation of the questionnaire pages: every error is listed at the top and linked to its field."""

import html

import pytest
from django.urls import reverse

from diagnostic.models import Answer
from diagnostic.questionnaire.definition import SECTIONS, section
from diagnostic.questionnaire.forms import SectionForm
from tests.factories import agent_client_fixture, step_data, world_fixture  # noqa: F401  (fixtures)

CASES = [
    # (step, field data overrides, anchor, message)
    (1, {"eq_public_computers": "-1"}, "id_eq_public_computers", "Indiquez un nombre entre 0 et 500."),
    (1, {"eq_public_computers": "501"}, "id_eq_public_computers", "Indiquez un nombre entre 0 et 500."),
    (1, {"eq_public_computers": "trois"}, "id_eq_public_computers", "Indiquez un nombre entier entre 0 et 500"),
    (
        1,
        {"eq_public_computers": "3", "eq_public_computers__unknown": "on"},
        "id_eq_public_computers",
        "Indiquez un nombre ou cochez « Je ne sais pas », pas les deux.",
    ),
    (1, {"eq_printer_scanner": "peut-être"}, "id_eq_printer_scanner_0", "Choisissez une des réponses proposées."),
    (
        1,
        {"eq_needs_reported": ["seniors", "none"]},
        "id_eq_needs_reported_0",
        "« Aucun signalement » ne peut pas être coché avec une autre réponse.",
    ),
    (
        1,
        {"eq_needs_reported": ["seniors", "unknown"]},
        "id_eq_needs_reported_0",
        "« Je ne sais pas » ne peut pas être coché avec une autre réponse.",
    ),
    (1, {"eq_needs_reported": ["martians"]}, "id_eq_needs_reported_0", "Choisissez parmi les réponses proposées."),
    (
        1,
        {"eq_printer_scanner__comment": "x" * 2001},
        "id_eq_printer_scanner__comment",
        "Le commentaire est trop long : 2000 caractères au plus.",
    ),
    (2, {"co_fixed_gaps": "everywhere"}, "id_co_fixed_gaps_0", "Choisissez une des réponses proposées."),
    (4, {"ac_phone_hours": "71"}, "id_ac_phone_hours", "Indiquez un nombre entre 0 et 70."),
]


@pytest.mark.parametrize(("step", "overrides", "anchor", "message"), CASES)
def test_each_validation_error_is_summarised_and_input_kept(agent_client, world, step, overrides, anchor, message):
    diagnostic = world.diagnostic
    valid = {"eq_printer_scanner": "yes"} if step == 1 else {}
    data = step_data(step, valid, diagnostic.version)
    data["eq_wifi_public_buildings"] = "no" if step == 1 else None
    data = {k: v for k, v in data.items() if v is not None}
    data.update(overrides)
    response = agent_client.post(reverse("diagnostic:step", args=[diagnostic.pk, step]), data)
    assert response.status_code == 200
    text = html.unescape(response.text)
    assert 'class="error-summary"' in text
    assert f'<a href="#{anchor}">' in text
    assert message in text
    assert 'aria-invalid="true"' in text or "_error" in text
    # Typed values are kept in the fields (a tampered choice cannot be shown: it is not among the options).
    for name, value in overrides.items():
        if "proposées" in message:
            break
        for v in value if isinstance(value, list) else [value]:
            if len(v) < 100:
                assert f'value="{v}"' in text or f">{v}<" in text or v == "on", (name, v)
    # Valid fields of the page are saved anyway; the wrong one is not.
    if step == 1:
        saved = {a.question: a.value for a in Answer.objects.filter(diagnostic=diagnostic)}
        assert saved.get("eq_wifi_public_buildings") == "no"
        wrong = next(iter(overrides)).partition("__")[0]
        if wrong != "eq_printer_scanner":
            assert wrong not in saved or saved[wrong] is None


def test_unknown_is_always_offered():
    form = SectionForm(section=section(1))
    for s in SECTIONS:
        form = SectionForm(section=s)
        for question in s.questions:
            field = form.fields[question.key]
            if question.kind == "number":
                assert form.fields[f"{question.key}__unknown"].label == "Je ne sais pas"
            else:
                assert ("unknown", "Je ne sais pas") in list(field.choices)


def test_page_markup_is_accessible(agent_client, world):
    response = agent_client.get(reverse("diagnostic:step", args=[world.diagnostic.pk, 1]))
    text = response.text
    assert "Étape 1 sur 5" in text
    assert text.count("<fieldset") == len(section(1).questions)
    assert text.count("<legend>") == len(section(1).questions)
    assert 'aria-describedby="id_eq_printer_scanner_helptext"' in text
    assert 'id="id_eq_printer_scanner_helptext"' in text
    assert '<label for="id_eq_public_computers"' in text
    assert 'aria-describedby="id_eq_public_computers_helptext"' in text  # the number input itself
    assert "style=" not in text and "onclick" not in text
    assert 'name="version"' in text
    assert 'hx-post="' in text
    assert '<script src="/static/js/autosave.js"' in text
