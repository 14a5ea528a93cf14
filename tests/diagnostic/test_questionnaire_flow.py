"""Create, fill in step by step (with and without htmx), resume, review with scores, submit, read-only, history."""

import html
import re

from django.urls import reverse
from django.utils import timezone

from diagnostic.models import Answer, AuditEvent, Diagnostic, MeasureAction
from diagnostic.questionnaire.services import save_answers
from tests.factories import (  # noqa: F401  (fixtures)
    FULL_ANSWERS,
    agent_client_fixture,
    answers_of_step,
    make_diagnostic,
    post_step,
    world_fixture,
)


def test_agent_creates_this_years_diagnostic_and_history_is_kept(agent_client, world):
    world.diagnostic.delete()
    old = make_diagnostic(world.commune, year=timezone.localdate().year - 1)
    url = reverse("diagnostic:create", args=[world.commune.insee])
    page = agent_client.get(url)
    assert "Commencer le diagnostic" in page.text
    assert f"Diagnostic {old.year}" in page.text
    response = agent_client.post(url)
    diagnostic = Diagnostic.objects.get(commune=world.commune, year=timezone.localdate().year)
    assert response["Location"] == reverse("diagnostic:step", args=[diagnostic.pk, 1])
    assert diagnostic.created_by == world.agent
    assert MeasureAction.objects.filter(diagnostic=diagnostic).count() == 5  # refresh_plan was called
    # One per commune and year: a second POST resumes the same one.
    agent_client.post(url)
    assert Diagnostic.objects.filter(commune=world.commune).count() == 2
    home = agent_client.get(reverse("accounts:home")).text
    assert f"Diagnostic {old.year}" in home


def test_step_saves_and_goes_on_then_resumes(agent_client, world):
    diagnostic = world.diagnostic
    response = post_step(
        agent_client, diagnostic, 1, answers_of_step(1), comments={"eq_printer_scanner": "À l'accueil"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("diagnostic:step", args=[diagnostic.pk, 2])
    saved = {a.question: a for a in Answer.objects.filter(diagnostic=diagnostic)}
    assert saved["eq_public_computers"].value == 2
    assert saved["eq_public_computer_hours"].value == "unknown"
    assert saved["eq_needs_reported"].value == ["seniors", "jobseekers"]
    assert saved["eq_printer_scanner"].comment == "À l'accueil"
    assert saved["eq_printer_scanner"].updated_by == world.agent
    diagnostic.refresh_from_db()
    assert diagnostic.version == 2
    events = AuditEvent.objects.filter(diagnostic=diagnostic, target="answer")
    assert events.count() == 7  # six answers and one comment
    assert {e.version for e in events} == {2}
    assert events.get(key="eq_printer_scanner.comment").new_value == "À l'accueil"
    # Resume later: the page shows what was saved, Mon espace points to step 2.
    page = agent_client.get(reverse("diagnostic:step", args=[diagnostic.pk, 1])).text
    assert 'value="2"' in page and "checked" in page
    home = agent_client.get(reverse("accounts:home")).text
    assert reverse("diagnostic:step", args=[diagnostic.pk, 2]) in home
    assert "Étape 2 sur 5" in agent_client.get(reverse("diagnostic:step", args=[diagnostic.pk, 2])).text


def test_buttons_choose_where_to_go(agent_client, world):
    d = world.diagnostic
    assert post_step(agent_client, d, 2, {}, go="stay")["Location"] == reverse("diagnostic:step", args=[d.pk, 2])
    assert post_step(agent_client, d, 2, {}, go="previous")["Location"] == reverse("diagnostic:step", args=[d.pk, 1])
    assert post_step(agent_client, d, 2, {}, go="later")["Location"] == reverse("accounts:home")
    assert post_step(agent_client, d, 5, {}, go="next")["Location"] == reverse("diagnostic:summary", args=[d.pk])


def test_unknown_step_is_404(agent_client, world):
    assert agent_client.get(reverse("diagnostic:step", args=[world.diagnostic.pk, 6])).status_code == 404
    assert agent_client.get(reverse("diagnostic:step", args=[world.diagnostic.pk, 0])).status_code == 404


def test_autosave_with_htmx_returns_the_status_partial(agent_client, world):
    diagnostic = world.diagnostic
    response = post_step(agent_client, diagnostic, 1, {"eq_printer_scanner": "yes"}, htmx=True)
    assert response.status_code == 200
    text = response.text
    assert "<html" not in text and "<form" not in text
    assert re.search(r"Enregistré à \d\d h \d\d\.", text)
    assert Answer.objects.get(diagnostic=diagnostic, question="eq_printer_scanner").value == "yes"
    # Same values again: nothing to write, the version does not move.
    diagnostic.refresh_from_db()
    version = diagnostic.version
    text = post_step(agent_client, diagnostic, 1, {"eq_printer_scanner": "yes"}, version=1, htmx=True).text
    assert "Toutes vos réponses sont enregistrées." in text
    diagnostic.refresh_from_db()
    assert diagnostic.version == version
    # An invalid value: the partial says what is not saved, with a link to the field.
    text = html.unescape(post_step(agent_client, diagnostic, 1, {"eq_public_computers": 9999}, htmx=True).text)
    assert "Non enregistré" in text and 'href="#id_eq_public_computers"' in text


def test_review_page_lists_answers_with_links_and_scores(agent_client, world):
    diagnostic = world.diagnostic
    save_answers(diagnostic=diagnostic, user=world.agent, answers=answers_of_step(1))
    text = html.unescape(agent_client.get(reverse("diagnostic:summary", args=[diagnostic.pk])).text)
    assert "Je ne sais pas" in text  # eq_public_computer_hours
    assert "2 ordinateurs" in text
    assert "Personnes âgées, Demandeurs d'emploi" in text
    assert reverse("diagnostic:step", args=[diagnostic.pk, 1]) + "#question-eq_printer_scanner" in text
    assert "Capacité locale par thème" in text
    # Équipement: known scored answers 2 ordinateurs (1/2) + yes printer (2/2) + no wifi (0/2) + none (0/2) = 3/8.
    assert re.search(r"Équipement</th>\s*<td class=\"num\">38</td>", text)
    assert "80 %" in text  # 4 of 5 scored questions known
    assert "24 questions sans réponse" in text


def test_submit_then_read_only(agent_client, world):
    diagnostic = world.diagnostic
    # Incomplete: refused with the list of missing questions.
    response = agent_client.post(reverse("diagnostic:submit", args=[diagnostic.pk]), follow=True)
    assert "ne peut pas encore être transmis" in html.unescape(response.text)
    diagnostic.refresh_from_db()
    assert not diagnostic.is_submitted
    save_answers(diagnostic=diagnostic, user=world.agent, answers=FULL_ANSWERS)
    assert "Transmettre définitivement" in agent_client.get(reverse("diagnostic:submit", args=[diagnostic.pk])).text
    response = agent_client.post(reverse("diagnostic:submit", args=[diagnostic.pk]))
    assert response.status_code == 302
    diagnostic.refresh_from_db()
    assert diagnostic.is_submitted and diagnostic.submitted_by == world.agent
    assert AuditEvent.objects.filter(diagnostic=diagnostic, key="submitted").exists()
    # Read-only: POST to a step (normal or htmx) is refused, nothing changes; GET goes to the review page.
    before = Answer.objects.get(diagnostic=diagnostic, question="eq_printer_scanner").value
    response = post_step(agent_client, diagnostic, 1, {"eq_printer_scanner": "no"})
    assert response.status_code == 403
    assert "ne peuvent plus être modifiées" in html.unescape(response.text)
    assert post_step(agent_client, diagnostic, 1, {"eq_printer_scanner": "no"}, htmx=True).status_code == 403
    assert Answer.objects.get(diagnostic=diagnostic, question="eq_printer_scanner").value == before
    response = agent_client.get(reverse("diagnostic:step", args=[diagnostic.pk, 1]))
    assert response.status_code == 302 and response["Location"] == reverse("diagnostic:summary", args=[diagnostic.pk])
    # Submitting again (a double click) shows the submitted diagnostic, not an error.
    response = agent_client.post(reverse("diagnostic:submit", args=[diagnostic.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("diagnostic:summary", args=[diagnostic.pk])
    summary = agent_client.get(reverse("diagnostic:summary", args=[diagnostic.pk])).text
    assert "Transmis" in summary and "Modifier" not in summary


def test_history_page(client, world):
    diagnostic = world.diagnostic
    save_answers(diagnostic=diagnostic, user=world.agent, answers={"st_budget": "yes"}, comments={"st_budget": "5 k€"})
    AuditEvent.objects.create(
        diagnostic=diagnostic, user=world.agent, target="measure", key="measure-3.status", new_value="done", version=1
    )
    for role in ("agent", "coordinator", "staff"):
        client.force_login(world.users[role])
        text = html.unescape(client.get(reverse("diagnostic:history", args=[diagnostic.pk])).text)
        assert "La commune a-t-elle une ligne budgétaire" in text
        assert "Sans réponse" in text and "Oui" in text
        assert "Alice Agent" in text
        assert "5 k€" in text
        assert "Mesure 3 — Rejoindre la stratégie départementale" in text
    client.force_login(world.other_coordinator)
    assert client.get(reverse("diagnostic:history", args=[diagnostic.pk])).status_code == 404
