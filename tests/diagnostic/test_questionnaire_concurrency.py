"""Two agents edit the same step from the same version: no lost update, conflicts shown with who/when/what."""

import html

import pytest
from django.test import Client

from diagnostic.models import Answer, AuditEvent
from diagnostic.questionnaire.services import DiagnosticLocked, save_answers, submit_diagnostic
from tests.factories import FULL_ANSWERS, make_member, make_user, post_step, world_fixture  # noqa: F401  (fixtures)


@pytest.fixture
def two_agents(world):
    bob = make_user("bob@exemple.invalid", first_name="Bob", last_name="Second")
    make_member(bob, world.commune)
    alice, bob_client = Client(), Client()
    alice.force_login(world.agent)
    bob_client.force_login(bob)
    return world.diagnostic, alice, bob_client, bob


def value(diagnostic, key):
    answer = Answer.objects.filter(diagnostic=diagnostic, question=key).first()
    return answer.value if answer else None


def test_different_questions_are_both_saved(two_agents):
    diagnostic, alice, bob, _ = two_agents
    read_at = diagnostic.version
    assert post_step(alice, diagnostic, 1, {"eq_printer_scanner": "yes"}, version=read_at).status_code == 302
    response = post_step(bob, diagnostic, 1, {"eq_wifi_public_buildings": "no"}, version=read_at)
    # Bob's page did not show Alice's answer (empty): it is not his change, so Alice's value is kept.
    assert response.status_code == 302
    assert value(diagnostic, "eq_printer_scanner") == "yes"
    assert value(diagnostic, "eq_wifi_public_buildings") == "no"
    diagnostic.refresh_from_db()
    assert diagnostic.version == read_at + 2


def test_same_question_different_values_is_a_conflict_not_an_overwrite(two_agents, world):
    diagnostic, alice, bob, bob_user = two_agents
    read_at = diagnostic.version
    post_step(alice, diagnostic, 1, {"eq_printer_scanner": "yes", "eq_public_computers": 4}, version=read_at)
    response = post_step(
        bob, diagnostic, 1, {"eq_printer_scanner": "no", "eq_wifi_public_buildings": "yes"}, version=read_at
    )
    assert response.status_code == 200
    text = html.unescape(response.text)
    assert "modifiée par une autre personne" in text
    assert "Alice Agent" in text and "« Oui »" in text and "Votre réponse : « Non »" in text
    assert 'href="#question-eq_printer_scanner"' in text
    # Not overwritten; the non-conflicting field is saved.
    assert value(diagnostic, "eq_printer_scanner") == "yes"
    assert value(diagnostic, "eq_wifi_public_buildings") == "yes"
    # Bob's input is kept in the field, Alice's untouched answer (computers) is shown, the version moved on.
    assert 'value="no" id="id_eq_printer_scanner_1" checked' in text
    assert 'name="eq_public_computers" value="4"' in text
    diagnostic.refresh_from_db()
    assert f'name="version" value="{diagnostic.version}"' in text
    # Bob confirms by sending the page again (with the new version): his value is saved now.
    response = post_step(bob, diagnostic, 1, {"eq_printer_scanner": "no", "eq_public_computers": 4})
    assert response.status_code == 302
    assert value(diagnostic, "eq_printer_scanner") == "no"
    event = AuditEvent.objects.filter(key="eq_printer_scanner").order_by("-version").first()
    assert (event.old_value, event.new_value, event.user) == ("yes", "no", bob_user)


def test_same_question_same_value_is_no_conflict(two_agents):
    diagnostic, alice, bob, _ = two_agents
    read_at = diagnostic.version
    post_step(alice, diagnostic, 1, {"eq_printer_scanner": "yes"}, version=read_at)
    assert post_step(bob, diagnostic, 1, {"eq_printer_scanner": "yes"}, version=read_at).status_code == 302
    assert AuditEvent.objects.filter(key="eq_printer_scanner").count() == 1


def test_comments_conflict_too(two_agents):
    diagnostic, alice, bob, _ = two_agents
    read_at = diagnostic.version
    post_step(alice, diagnostic, 1, {}, version=read_at, comments={"eq_printer_scanner": "Imprimante en panne"})
    response = post_step(bob, diagnostic, 1, {}, version=read_at, comments={"eq_printer_scanner": "Tout va bien"})
    assert response.status_code == 200
    assert "Commentaire — " in html.unescape(response.text)
    assert Answer.objects.get(question="eq_printer_scanner").comment == "Imprimante en panne"


def test_autosave_conflict_keeps_the_other_value(two_agents):
    diagnostic, alice, bob, _ = two_agents
    read_at = diagnostic.version
    post_step(alice, diagnostic, 1, {"eq_printer_scanner": "yes"}, version=read_at, htmx=True)
    response = post_step(bob, diagnostic, 1, {"eq_printer_scanner": "unknown"}, version=read_at, htmx=True)
    text = html.unescape(response.text)
    assert response.status_code == 200
    assert "Alice Agent" in text and "Enregistrer" in text
    assert value(diagnostic, "eq_printer_scanner") == "yes"


def test_own_autosaves_never_conflict_with_oneself(two_agents):
    """One opened page (its page_id) keeps the version it was read at across its autosaves."""
    diagnostic, alice, _, _ = two_agents
    read_at = diagnostic.version
    post_step(alice, diagnostic, 1, {"eq_printer_scanner": "yes"}, version=read_at, htmx=True, page_id="page-1")
    post_step(alice, diagnostic, 1, {"eq_printer_scanner": "no"}, version=read_at, htmx=True, page_id="page-1")
    response = post_step(alice, diagnostic, 1, {"eq_printer_scanner": "unknown"}, version=read_at, page_id="page-1")
    assert response.status_code == 302
    assert value(diagnostic, "eq_printer_scanner") == "unknown"


def test_service_refuses_writes_after_submission(world):
    save_answers(diagnostic=world.diagnostic, user=world.agent, answers=FULL_ANSWERS)
    submit_diagnostic(diagnostic=world.diagnostic, user=world.agent)
    with pytest.raises(DiagnosticLocked):
        save_answers(diagnostic=world.diagnostic, user=world.agent, answers={"st_budget": "yes"})
    with pytest.raises(DiagnosticLocked):
        submit_diagnostic(diagnostic=world.diagnostic, user=world.agent)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_in_two_connections_lose_nothing():
    """Two threads (two database connections) save from the same version at the same time (PostgreSQL only)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs row locks between connections (PostgreSQL)")
    from tests.factories import build_world

    world = build_world()
    bob = make_user("bob@exemple.invalid", first_name="Bob", last_name="Second")
    make_member(bob, world.commune)
    base = world.diagnostic.version
    barrier = threading.Barrier(2)
    results = {}

    def save(name, user, answers):
        try:
            barrier.wait()
            results[name] = save_answers(diagnostic=world.diagnostic, user=user, answers=answers, base_version=base)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=("alice", world.agent, {"st_budget": "yes", "st_referent": "yes"})),
        threading.Thread(target=save, args=("bob", bob, {"st_budget": "no", "st_partners": ["ccas"]})),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    world.diagnostic.refresh_from_db()
    assert world.diagnostic.version == base + 2
    saved = {a.question: a.value for a in Answer.objects.filter(diagnostic=world.diagnostic)}
    assert saved["st_referent"] == "yes" and saved["st_partners"] == ["ccas"]
    # Exactly one of the two st_budget values won; the other one is reported as a conflict, not silently lost.
    conflicts = [c.key for r in results.values() for c in r.conflicts]
    assert conflicts == ["st_budget"]
    assert saved["st_budget"] in ("yes", "no")
    assert AuditEvent.objects.filter(diagnostic=world.diagnostic, key="st_budget").count() == 1
