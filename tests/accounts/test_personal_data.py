"""'Mes données personnelles': download my data, correct my name, delete my account (RGPD rights in self-service).

All people, addresses and communes are MADE UP (tests/accounts/builders.py).
"""

from __future__ import annotations

import json

import pytest
from axes.models import AccessAttempt, AccessLog
from django.urls import reverse

from diagnostic.dashboard.services import add_review
from diagnostic.models import Answer, AuditEvent, Diagnostic, MeasureAction, ReviewComment
from diagnostic.plan.services import update_measure_action
from diagnostic.questionnaire.services import save_answers
from inclusion.accounts.models import Membership, User
from inclusion.accounts.personal_data import NEUTRAL_LABEL
from tests.accounts.builders import PASSWORD, make_user

pytestmark = pytest.mark.django_db

DELETE_URL = "accounts:account_delete"


def agent_activity(world):
    """The agent answers with a comment naming herself, and follows measure 1 as its owner."""
    save_answers(
        diagnostic=world.diagnostic,
        user=world.agent,
        answers={"eq_public_computers": 2},
        comments={"eq_public_computers": "Compté par Alice Agent (agent@exemple.invalid)."},
    )
    world.diagnostic.refresh_from_db()
    update_measure_action(
        diagnostic=world.diagnostic,
        measure=1,
        user=world.agent,
        version=1,
        owner="Alice Agent",
        target_date=None,
        status=MeasureAction.Status.IN_PROGRESS,
        comment="Relancer la médiathèque, voir avec Alice",
    )
    AccessLog.objects.create(
        username=world.agent.email, ip_address="192.0.2.10", user_agent="Navigateur inventé", http_accept="*/*"
    )
    AccessAttempt.objects.create(
        username=world.agent.email,
        ip_address="192.0.2.11",
        user_agent="Navigateur inventé",
        http_accept="*/*",
        get_data="",
        post_data="",
        failures_since_start=1,
    )


# Export ---------------------------------------------------------------------------------------------------------


def test_download_my_data_is_a_json_attachment_of_what_names_me(agent_client, world):
    agent_activity(world)
    Membership.objects.filter(user=world.agent).update(message="Secrétaire de mairie")
    response = agent_client.get(reverse("accounts:personal_data_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="mes-donnees-')
    data = json.loads(response.content)
    assert data["compte"]["adresse_email"] == "agent@exemple.invalid"
    assert data["compte"]["nom"] == "Agent" and data["compte"]["role"] == "Agent de commune"
    assert data["adhesions"][0]["message"] == "Secrétaire de mairie"
    assert data["adhesions"][0]["commune"] == "Saint-Exemple (99001)"
    assert data["reponses_modifiees"][0]["commentaire"].startswith("Compté par Alice Agent")
    assert data["suivi_des_mesures"][0]["responsable"] == "Alice Agent"
    keys = {event["cle"] for event in data["historique_des_modifications"]}
    assert "measure-1.owner" in keys
    assert data["diagnostics"][0]["cree_par_vous"] is True
    assert data["journal_de_connexion"]["connexions"][0]["adresse_ip"] == "192.0.2.10"
    assert data["journal_de_connexion"]["tentatives_en_cours"][0]["adresse_ip"] == "192.0.2.11"
    # Nobody else's address is in my file.
    for other in ("coord@exemple.invalid", "autre.agent@exemple.invalid", "attente@exemple.invalid"):
        assert other not in response.content.decode()


def test_a_coordinator_export_lists_the_reviews_and_decisions(client, world):
    add_review(user=world.coordinator, diagnostic_id=world.diagnostic.pk, body="Bravo pour ce diagnostic.")
    Membership.objects.filter(user=world.agent).update(decided_by=world.coordinator)
    client.force_login(world.coordinator)
    data = json.loads(client.get(reverse("accounts:personal_data_export")).content)
    assert data["avis_rediges"][0]["commentaire"] == "Bravo pour ce diagnostic."
    assert data["decisions_prises"][0]["commune"] == "Saint-Exemple (99001)"
    assert "agent@exemple.invalid" not in json.dumps(data)


def test_personal_data_page_summarises_and_links_the_actions(agent_client, world):
    agent_activity(world)
    html = agent_client.get(reverse("accounts:personal_data")).content.decode()
    assert "agent@exemple.invalid" in html
    assert "1 demande d'adhésion à une commune" in html
    assert "3 enregistrements de connexion" in html  # two made up + the sign-in of the test client
    assert "0 avis" not in html and "1 mesure du plan d'action" in html
    fresh = agent_client.get(reverse("accounts:personal_data"))  # French plurals: 0 takes the singular
    assert "0 décision" not in fresh.content.decode()
    assert reverse("accounts:personal_data_export") in html and reverse(DELETE_URL) in html
    home = agent_client.get(reverse("accounts:home")).content.decode()
    assert reverse("accounts:personal_data") in home


# Name correction ------------------------------------------------------------------------------------------------


def test_french_plurals_on_my_data_page(client, world):
    client.force_login(world.other_agent)
    html = client.get(reverse("accounts:personal_data")).content.decode()
    assert "0 réponse de diagnostic" in html and "0 modification à votre nom" in html


def test_correct_my_name(agent_client, world):
    response = agent_client.post(reverse("accounts:personal_data"), {"first_name": " Alicia ", "last_name": "Agent"})
    assert response.status_code == 302
    world.agent.refresh_from_db()
    assert world.agent.get_full_name() == "Alicia Agent"
    assert "Alicia Agent" in agent_client.get(reverse("accounts:home")).content.decode()


def test_name_correction_errors_are_listed_and_the_neutral_label_is_reserved(agent_client, world):
    html = agent_client.post(reverse("accounts:personal_data"), {"first_name": "", "last_name": "Agent"}).content
    assert "error-summary" in html.decode() and 'href="#id_first_name"' in html.decode()
    reserved = {"first_name": "Ancien", "last_name": "utilisateur"}
    response = agent_client.post(reverse("accounts:personal_data"), reserved)
    assert "est réservé aux comptes supprimés" in response.content.decode()
    world.agent.refresh_from_db()
    assert world.agent.get_full_name() == "Alice Agent"


# Deletion -------------------------------------------------------------------------------------------------------


def test_deletion_needs_the_password_and_the_confirmation(agent_client, world):
    page = agent_client.get(reverse(DELETE_URL)).content.decode()
    assert "Ancien utilisateur" in page and 'autocomplete="current-password"' in page
    response = agent_client.post(reverse(DELETE_URL), {"password": "pas-le-bon-mot-de-passe", "confirm": "on"})
    assert "Ce mot de passe n&#x27;est pas le bon." in response.content.decode()
    response = agent_client.post(reverse(DELETE_URL), {"password": PASSWORD})
    assert "Cochez la case pour confirmer la suppression." in response.content.decode()
    world.agent.refresh_from_db()
    assert world.agent.is_active and world.agent.email == "agent@exemple.invalid"
    # The wrong password counted like a failed sign-in (django-axes).
    assert AccessAttempt.objects.filter(username="agent@exemple.invalid").exists()


def test_deleting_my_account_keeps_the_commune_diagnostic_with_a_neutral_label(
    agent_client, client, world, mailoutbox, django_capture_on_commit_callbacks
):
    agent_activity(world)
    agent_id, diagnostic = world.agent.pk, world.diagnostic
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(reverse(DELETE_URL), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("territories:home")
    assert "Votre compte est supprimé" in agent_client.get(response["Location"]).content.decode()

    # Nothing in the database names her any more.
    assert not User.objects.filter(email__iexact="agent@exemple.invalid").exists()
    assert User.objects.filter(email="autre.agent@exemple.invalid").exists()
    ghost = User.objects.get(pk=agent_id)
    assert str(ghost) == NEUTRAL_LABEL and not ghost.is_active and not ghost.has_usable_password()
    assert not Membership.objects.filter(user_id=agent_id).exists()
    assert not AccessLog.objects.exists() and not AccessAttempt.objects.exists()
    # Signed out, and cannot sign in again.
    assert agent_client.get(reverse("accounts:home")).status_code == 302
    again = client.post(reverse("accounts:login"), {"username": "agent@exemple.invalid", "password": PASSWORD})
    assert again.status_code == 200 and "_auth_user_id" not in client.session
    answer = Answer.objects.get(diagnostic=diagnostic, question="eq_public_computers")
    assert answer.comment == f"Compté par {NEUTRAL_LABEL} ({NEUTRAL_LABEL})."
    action = MeasureAction.objects.get(diagnostic=diagnostic, measure=1)
    assert action.owner == NEUTRAL_LABEL
    assert action.comment == "Relancer la médiathèque, voir avec Alice"  # a first name alone is not replaced
    owner_event = AuditEvent.objects.get(diagnostic=diagnostic, key="measure-1.owner")
    assert owner_event.new_value == NEUTRAL_LABEL and owner_event.user_id == agent_id

    # The commune's diagnostic remains, and its pages say "Ancien utilisateur".
    diagnostic = Diagnostic.objects.get(pk=diagnostic.pk)
    assert diagnostic.created_by_id == agent_id
    client.force_login(world.coordinator)
    for name in ("diagnostic:history", "diagnostic:plan", "diagnostic:summary"):
        html = client.get(reverse(name, args=[diagnostic.pk])).content.decode()
        assert NEUTRAL_LABEL in html, name
        assert "Alice Agent" not in html and "agent@exemple.invalid" not in html, name

    # A confirmation e-mail went to the old address.
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["agent@exemple.invalid"] and mail.subject == "Votre compte a été supprimé"
    assert "Ancien utilisateur" in mail.body


def test_the_last_coordinator_of_a_hub_cannot_delete_their_account(client, world):
    client.force_login(world.coordinator)
    html = client.get(reverse(DELETE_URL)).content.decode()
    assert "Vous êtes le seul coordinateur du Hub Hub Imaginaire" in html
    assert 'name="password"' not in html
    response = client.post(reverse(DELETE_URL), {"password": PASSWORD, "confirm": "on"})
    assert "Vous êtes le seul coordinateur" in response.content.decode()
    world.coordinator.refresh_from_db()
    assert world.coordinator.is_active and world.coordinator.hub_id == world.hub.pk


def test_a_coordinator_can_leave_when_another_keeps_the_hub(client, world):
    make_user("coord2@exemple.invalid", hub=world.hub, first_name="Denis", last_name="Relais")
    review = add_review(user=world.coordinator, diagnostic_id=world.diagnostic.pk, body="Avis de Claire Coord.")
    client.force_login(world.coordinator)
    assert client.post(reverse(DELETE_URL), {"password": PASSWORD, "confirm": "on"}).status_code == 302
    review = ReviewComment.objects.get(pk=review.pk)
    assert str(review.author) == NEUTRAL_LABEL and review.body == f"Avis de {NEUTRAL_LABEL}."
    assert not User.objects.filter(hub=world.hub, email="coord@exemple.invalid").exists()


def test_staff_deletion_needs_another_staff_member(client, world):
    client.force_login(world.staff)
    assert "seule personne de l&#x27;équipe" in client.get(reverse(DELETE_URL)).content.decode()
    make_user("equipe2@exemple.invalid", is_staff=True)
    assert client.post(reverse(DELETE_URL), {"password": PASSWORD, "confirm": "on"}).status_code == 302
    world.staff.refresh_from_db()
    assert not world.staff.is_staff and not world.staff.is_active


def test_personal_data_pages_need_a_sign_in(client, world):
    for name in ("accounts:personal_data", "accounts:personal_data_export", DELETE_URL):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Responsable : Alice Agent", "Responsable : Ancien utilisateur"),
        ("AGENT  Alice s'en occupe", "Ancien utilisateur s'en occupe"),
        ("Écrire à agent@exemple.invalid.", "Écrire à Ancien utilisateur."),
        ("Écrire à autre.agent@exemple.invalid", "Écrire à autre.agent@exemple.invalid"),
        ("agent@exemple.invalid.fr", "agent@exemple.invalid.fr"),
        ("Alice Agentes", "Alice Agentes"),
        ("Alice seule", "Alice seule"),
    ],
)
def test_the_name_scrub_replaces_the_whole_name_or_address_only(world, text, expected):
    from inclusion.accounts.personal_data import _identity_pattern

    assert _identity_pattern(world.agent).sub(NEUTRAL_LABEL, text) == expected


@pytest.mark.django_db(transaction=True)
def test_two_last_coordinators_leaving_at_once_leave_one_behind():
    """Two threads (two connections) delete the only two coordinators of a Hub at once (PostgreSQL only)."""
    import threading

    from django.db import connection, connections

    from inclusion.accounts.personal_data import AccountDeletionRefused, delete_account
    from tests.accounts.builders import build_world

    if connection.vendor != "postgresql":
        pytest.skip("needs row locks between connections (PostgreSQL)")
    world = build_world()
    second = make_user("coord2@exemple.invalid", hub=world.hub, first_name="Denis", last_name="Relais")
    barrier = threading.Barrier(2)
    outcomes = {}

    def leave(user):
        try:
            barrier.wait()
            delete_account(user=user, notify=False)
            outcomes[user.pk] = "deleted"
        except AccountDeletionRefused:
            outcomes[user.pk] = "refused"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=leave, args=(u,)) for u in (world.coordinator, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["deleted", "refused"]
    assert User.objects.filter(hub=world.hub, is_active=True).count() == 1
