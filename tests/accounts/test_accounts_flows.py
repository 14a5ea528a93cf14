"""Sign-up, approval, refusal, invitation, password reset, axes lockout (all data MADE UP)."""

import html
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from inclusion.accounts.models import Membership, User
from tests.factories import PASSWORD, make_commune

SIGNUP = {
    "first_name": "Jeanne",
    "last_name": "Secrétaire",
    "email": "Jeanne.Secretaire@Mairie-Exemple.invalid",
    "password1": "un mot de passe assez long",
    "password2": "un mot de passe assez long",
    "commune": "99001",
    "message": "Secrétaire de mairie",
}


def confirmation_link(message) -> str:
    return re.search(r"http://testserver(/inscription/confirmer/\S+/)", message.body).group(1)


def test_signup_confirms_the_address_then_tells_the_hub(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:signup"), SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_done")
    assert "Vérifiez votre messagerie" in client.get(response["Location"]).text
    user = User.objects.get(email="jeanne.secretaire@mairie-exemple.invalid")
    assert user.email_confirmed_at is None
    assert user.memberships.get().status == Membership.Status.UNCONFIRMED
    # Not signed in, and the Hub hears nothing yet: only the address receives the confirmation link.
    assert client.get(reverse("accounts:home")).status_code == 302
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert mail.outbox[0].subject == "[Diagnostic inclusion numérique] Confirmez votre adresse e-mail"
    link = confirmation_link(mail.outbox[0])
    page = client.get(link)
    assert "Confirmer mon adresse" in page.text and user.email in page.text
    assert User.objects.get(pk=user.pk).email_confirmed_at is None  # opening the link (a mail scanner) is not enough
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link, follow=True)
    assert "Votre adresse e-mail est confirmée" in response.text
    membership = user.memberships.get()
    assert membership.commune == world.commune
    assert membership.status == Membership.Status.PENDING
    assert [m.to for m in mail.outbox[1:]] == [[world.coordinator.email]]
    assert "Jeanne Secrétaire" in mail.outbox[1].body
    assert (
        client.post(reverse("accounts:login"), {"username": user.email, "password": SIGNUP["password1"]}).status_code
        == 302
    )
    home = client.get(reverse("accounts:home"))
    assert "Demande en attente" in home.text
    assert "(Hub Imaginaire)" in home.text
    # Until approved: no diagnostic.
    assert client.get(reverse("diagnostic:summary", args=[world.diagnostic.pk])).status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "pas-une-adresse", "Saisissez une adresse e-mail valide"),
        ("password2", "autre chose encore", "ne sont pas identiques"),
        ("password1", "court", "trop court"),
        ("commune", "", "Indiquez votre commune"),
        ("commune", "Nulle-Part", "Aucune commune ne s'appelle"),
        ("commune", "00000", "Aucune commune n'a le code INSEE"),
        ("first_name", "", "Ce champ est obligatoire"),
    ],
)
def test_signup_errors_are_listed_and_input_kept(client, world, field, value, message):
    data = {**SIGNUP, field: value}
    if field == "password1":
        data["password2"] = value
    response = client.post(reverse("accounts:signup"), data)
    assert response.status_code == 200
    text = html.unescape(response.text)
    assert 'class="error-summary"' in text
    assert f'href="#id_{field}"' in text
    assert message in text
    assert 'value="Jeanne"' in text or field == "first_name"  # nothing typed is lost
    assert not User.objects.filter(first_name="Jeanne").exists()


def test_signup_ambiguous_commune_name_lists_insee_codes(client, world):
    make_commune("99002", "Saint-Exemple", dep="99")
    response = client.post(reverse("accounts:signup"), {**SIGNUP, "commune": "saint exemple"})
    assert "Plusieurs communes correspondent" in response.text
    assert "99001" in response.text and "99002" in response.text
    response = client.post(reverse("accounts:signup"), {**SIGNUP, "commune": "Saint-Exemple (99002)"})
    assert response.status_code == 302
    assert Membership.objects.get(user__email=SIGNUP["email"].lower()).commune_id == "99002"


def test_coordinator_approves_and_agent_is_told(client, world, django_capture_on_commit_callbacks):
    membership = world.pending_agent.memberships.get()
    client.force_login(world.coordinator)
    listing = client.get(reverse("accounts:memberships"))
    assert "Paula Attente" in listing.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:membership_decide", args=[membership.pk]), {"decision": "approve"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == Membership.Status.APPROVED
    assert membership.decided_by == world.coordinator
    assert mail.outbox[-1].to == [world.pending_agent.email]
    assert "acceptée" in mail.outbox[-1].body
    agent = Client()
    agent.force_login(world.pending_agent)
    assert agent.get(reverse("diagnostic:summary", args=[world.diagnostic.pk])).status_code == 200
    # A second decision is refused politely.
    response = client.post(
        reverse("accounts:membership_decide", args=[membership.pk]), {"decision": "refuse"}, follow=True
    )
    assert "déjà été traitée" in response.text
    membership.refresh_from_db()
    assert membership.status == Membership.Status.APPROVED


def test_refusal_with_message(client, world, django_capture_on_commit_callbacks):
    membership = world.pending_agent.memberships.get()
    client.force_login(world.staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:membership_decide", args=[membership.pk]),
            {"decision": "refuse", "message": "Adresse inconnue de la mairie."},
        )
    membership.refresh_from_db()
    assert membership.status == Membership.Status.REFUSED
    assert "Adresse inconnue de la mairie." in mail.outbox[-1].body
    agent = Client()
    agent.force_login(world.pending_agent)
    assert "a été refusée" in agent.get(reverse("accounts:home")).text


def test_decision_form_error(client, world):
    membership = world.pending_agent.memberships.get()
    client.force_login(world.coordinator)
    response = client.post(reverse("accounts:membership_decide", args=[membership.pk]), {"decision": "peut-être"})
    assert response.status_code == 200
    assert 'href="#id_decision_0"' in response.text


def test_out_of_scope_coordinator_does_not_see_the_request(client, world):
    client.force_login(world.other_coordinator)
    assert "Paula" not in client.get(reverse("accounts:memberships")).text


def test_invitation_creates_account_with_set_password_link(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.coordinator)
    data = {"first_name": "Inès", "last_name": "Invitée", "email": "ines@exemple.invalid", "commune": "99001"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:invite"), data)
    assert response.status_code == 302
    user = User.objects.get(email="ines@exemple.invalid")
    assert not user.has_usable_password()
    assert user.memberships.get().status == Membership.Status.APPROVED
    assert user.memberships.get().invited_by == world.coordinator
    body = mail.outbox[-1].body
    link = re.search(r"http://testserver(/mot-de-passe/nouveau/\S+/)", body).group(1)
    anonymous = Client()
    response = anonymous.get(link, follow=True)
    assert "Choisir un nouveau mot de passe" in response.text
    set_url = response.redirect_chain[-1][0]
    response = anonymous.post(
        set_url, {"new_password1": "mon nouveau mot de passe", "new_password2": "mon nouveau mot de passe"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("mon nouveau mot de passe")


def test_invitation_outside_the_hub_is_refused(client, world):
    client.force_login(world.coordinator)
    data = {"first_name": "A", "last_name": "B", "email": "x@exemple.invalid", "commune": "98001"}
    response = client.post(reverse("accounts:invite"), data)
    assert response.status_code == 200
    assert "ne fait pas partie des départements de votre Hub" in response.text
    assert not User.objects.filter(email="x@exemple.invalid").exists()


def test_invitation_of_an_existing_agent_adds_the_commune(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.coordinator)
    data = {"first_name": "O", "last_name": "A", "email": world.other_agent.email, "commune": "99001"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:invite"), data)
    assert world.other_agent.memberships.filter(commune=world.commune, status="approved").exists()
    assert "déjà un compte" in mail.outbox[-1].body


def test_agent_asks_to_join_another_commune(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.agent)
    response = client.post(reverse("accounts:join"), {"commune": "99001"})
    assert "déjà membre" in response.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:join"), {"commune": "Autreville"})
    assert response.status_code == 302
    assert world.agent.memberships.get(commune=world.other_commune).status == Membership.Status.PENDING
    assert mail.outbox[-1].to == [world.other_coordinator.email]


def test_login_logout(client, world):
    response = client.get(reverse("accounts:login"))
    assert 'name="username"' in response.text and 'type="email"' in response.text
    response = client.post(reverse("accounts:login"), {"username": "AGENT@exemple.invalid", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")
    assert "Saint-Exemple" in client.get(reverse("accounts:home")).text
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 302


def test_wrong_password_message_and_axes_lockout(client, world, settings):
    url = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": world.agent.email, "password": "faux"})
        assert response.status_code == 200
        assert "Adresse e-mail ou mot de passe incorrect" in response.text
    response = client.post(url, {"username": world.agent.email, "password": "faux"})
    assert response.status_code == 429
    assert "Trop de tentatives de connexion" in response.text
    assert "bloquée pendant 15 minutes" in response.text
    # Even the right password is refused while locked out.
    response = client.post(url, {"username": world.agent.email, "password": PASSWORD})
    assert response.status_code == 429


def test_password_reset_by_email(client, world):
    response = client.post(reverse("accounts:password_reset"), {"email": world.agent.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[Diagnostic inclusion numérique] Choisir un nouveau mot de passe"
    link = re.search(r"http://testserver(/mot-de-passe/nouveau/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    set_url = response.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "abc", "new_password2": "abc"})
    assert 'class="error-summary"' in response.text and 'href="#id_new_password2"' in response.text
    response = client.post(
        set_url, {"new_password1": "encore un bon mot de passe", "new_password2": "encore un bon mot de passe"}
    )
    assert response.status_code == 302
    world.agent.refresh_from_db()
    assert world.agent.check_password("encore un bon mot de passe")
    assert "n'est plus valable" in client.get(link, follow=True).text


def test_password_reset_unknown_address_sends_nothing(client, world):
    response = client.post(reverse("accounts:password_reset"), {"email": "inconnu@exemple.invalid"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_home_per_role(client, world):
    client.force_login(world.coordinator)
    text = client.get(reverse("accounts:home")).text
    assert '<span class="figure">1</span> demande en attente' in text
    client.force_login(world.agent)
    text = client.get(reverse("accounts:home")).text
    assert "Continuer le diagnostic" in text


def test_request_without_hub_coordinator_goes_to_staff(client, world, django_capture_on_commit_callbacks):
    world.coordinator.hub = None
    world.coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:signup"), SIGNUP)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirmation_link(mail.outbox[0]))
    assert [m.to for m in mail.outbox[1:]] == [[world.staff.email]]


def test_commune_suggestions_fill_the_datalist(client, world):
    make_commune("99002", "Saint-Exemple-le-Petit", dep="99", population=50)
    response = client.get(
        reverse("accounts:commune_suggestions"), {"commune": "saint-ex"}, headers={"HX-Request": "true"}
    )
    text = html.unescape(response.text)
    assert text.index("Saint-Exemple (99001)") < text.index("Saint-Exemple-le-Petit (99002)")  # most populated first
    assert "<html" not in text
    assert "Saint-Exemple (99001)" in client.get(reverse("accounts:commune_suggestions"), {"commune": "9900"}).text
    assert client.get(reverse("accounts:commune_suggestions"), {"commune": "s"}).text.strip() == ""
    page = client.get(reverse("accounts:signup")).text
    assert 'list="commune-suggestions"' in page and '<datalist id="commune-suggestions"></datalist>' in page
