"""M3: an invited agent who lost (or let expire) their link can always get a fresh one.

Before the fix, invited accounts had no usable password, so "mot de passe oublié" sent nothing (Django skips such
accounts) and a new invitation only said "you already have an account". All data is MADE UP.
"""

from __future__ import annotations

from django.core import mail
from django.test import Client
from django.urls import reverse

from inclusion.accounts.models import User
from tests.security.helpers import link_in, mails_to

INVITED = {"first_name": "Inès", "last_name": "Invitée", "email": "ines@inventee.invalid", "commune": "99001"}


def invite(client, capture):
    with capture(execute=True):
        return client.post(reverse("accounts:invite"), INVITED)


def choose_password(link: str, password: str = "mon mot de passe choisi") -> int:
    browser = Client()
    response = browser.get(link, follow=True)
    if "Ce lien n'est plus valable" in response.text:
        return 0
    set_url = response.redirect_chain[-1][0]
    return browser.post(set_url, {"new_password1": password, "new_password2": password}).status_code


def test_forgotten_password_sends_a_link_to_an_invited_account_without_password(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.coordinator)
    invite(client, django_capture_on_commit_callbacks)
    mail.outbox.clear()  # the invitation e-mail is lost
    Client().post(reverse("accounts:password_reset"), {"email": INVITED["email"]})
    [message] = mails_to(INVITED["email"])
    assert choose_password(link_in(message, "/mot-de-passe/nouveau/")) == 302
    user = User.objects.get(email=INVITED["email"])
    assert user.check_password("mon mot de passe choisi")
    assert user.email_confirmed_at is not None  # following the link proved the address


def test_coordinator_resends_the_invitation_and_the_old_link_stops_working(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.coordinator)
    invite(client, django_capture_on_commit_callbacks)
    old_link = link_in(mails_to(INVITED["email"])[-1], "/mot-de-passe/nouveau/")
    page = client.get(reverse("accounts:memberships")).text
    assert "Invitations sans mot de passe choisi (1)" in page
    membership = User.objects.get(email=INVITED["email"]).memberships.get()
    url = reverse("accounts:membership_resend_invitation", args=[membership.pk])
    assert url in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "Nouvelle invitation envoyée à ines@inventee.invalid" in response.text
    new_link = link_in(mails_to(INVITED["email"])[-1], "/mot-de-passe/nouveau/")
    assert new_link != old_link
    assert choose_password(old_link) == 0
    assert choose_password(new_link) == 302
    # Once a password is chosen, the invitation leaves the list and cannot be re-sent.
    assert "Invitations sans mot de passe choisi" not in client.get(reverse("accounts:memberships")).text


def test_inviting_again_an_account_without_password_sends_a_fresh_link(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.coordinator)
    invite(client, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    response = invite(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    [message] = mails_to(INVITED["email"])
    assert "déjà un compte" not in message.body
    assert choose_password(link_in(message, "/mot-de-passe/nouveau/")) == 302


def test_out_of_scope_coordinator_cannot_resend(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.coordinator)
    invite(client, django_capture_on_commit_callbacks)
    membership = User.objects.get(email=INVITED["email"]).memberships.get()
    client.force_login(world.other_coordinator)
    url = reverse("accounts:membership_resend_invitation", args=[membership.pk])
    assert client.post(url).status_code == 404
