"""M1: an unconfirmed identity must not reach the Hubs, and sign-ups / membership requests are rate-limited.

Before the fix, /inscription/ signed the visitor in at once and e-mailed the Hub's coordinators; the same account
could then ask for any number of communes, each request e-mailing the coordinators. All data is MADE UP.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.test import Client
from django.urls import reverse

from inclusion.accounts.models import Membership, User
from tests.security.helpers import SIGNUP, link_in, mails_to


def sign_up(client, capture, **changes):
    with capture(execute=True):
        return client.post(reverse("accounts:signup"), {**SIGNUP, **changes})


def test_sign_up_neither_signs_in_nor_reaches_the_hub_until_the_address_is_confirmed(
    client, world, django_capture_on_commit_callbacks
):
    response = sign_up(client, django_capture_on_commit_callbacks)
    assert client.get(reverse("accounts:home")).status_code == 302  # not signed in
    assert mails_to(world.coordinator.email) == []
    assert response["Location"] == reverse("accounts:signup_done")
    # Signed in with the password, the unconfirmed account asks for other communes: still nothing reaches a Hub.
    user = User.objects.get(email=SIGNUP["email"])
    client.post(reverse("accounts:login"), {"username": SIGNUP["email"], "password": SIGNUP["password1"]})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:join"), {"commune": "98001", "message": "voir http://x.invalid"})
    assert response.status_code == 302
    assert "Confirmez d&#x27;abord votre adresse e-mail" in client.get(reverse("accounts:home")).text
    assert set(user.memberships.values_list("status", flat=True)) == {Membership.Status.UNCONFIRMED}
    assert mails_to(world.coordinator.email) == mails_to(world.other_coordinator.email) == []
    for coordinator in (world.coordinator, world.other_coordinator):
        other = Client()
        other.force_login(coordinator)
        assert "Jeanne" not in other.get(reverse("accounts:memberships")).text
    # Only the address itself received mail: the confirmation links.
    assert {tuple(m.to) for m in mail.outbox} == {(SIGNUP["email"],)}


def test_confirmation_link_is_single_use_and_sends_the_waiting_requests(
    client, world, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0], "/inscription/confirmer/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)
    user = User.objects.get(email=SIGNUP["email"])
    assert user.email_confirmed_at is not None
    assert user.memberships.get().status == Membership.Status.PENDING
    assert len(mails_to(world.coordinator.email)) == 1
    # The link served once: it is refused now, and nothing is sent twice.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    assert response.status_code == 200
    assert "Ce lien n'est plus valable" in response.text
    assert len(mails_to(world.coordinator.email)) == 1


def test_confirmation_link_expires(client, world, django_capture_on_commit_callbacks, settings, monkeypatch):
    from inclusion.accounts.security import email_confirmation_token

    sign_up(client, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0], "/inscription/confirmer/")
    later = email_confirmation_token._now() + timedelta(seconds=settings.EMAIL_CONFIRMATION_TIMEOUT + 60)
    monkeypatch.setattr(email_confirmation_token, "_now", lambda: later)
    response = client.post(link)
    assert "Ce lien n'est plus valable" in response.text
    assert User.objects.get(email=SIGNUP["email"]).email_confirmed_at is None


def test_sign_ups_are_rate_limited_per_client_address_and_per_e_mail_address(
    client, world, django_capture_on_commit_callbacks, settings
):
    settings.SIGNUP_RATE_LIMIT = "2/h"
    for n in range(2):
        assert sign_up(client, django_capture_on_commit_callbacks, email=f"a{n}@inventee.invalid").status_code == 302
    response = sign_up(client, django_capture_on_commit_callbacks, email="a3@inventee.invalid")
    assert response.status_code == 429
    assert "Trop de demandes d&#x27;inscription" in response.text
    assert not User.objects.filter(email="a3@inventee.invalid").exists()
    # Another address is not held up by this one…
    other = Client(REMOTE_ADDR="192.0.2.50")
    assert sign_up(other, django_capture_on_commit_callbacks, email="b@inventee.invalid").status_code == 302
    # …but one mailbox cannot be flooded from many addresses either.
    for n in range(2):
        Client(REMOTE_ADDR=f"192.0.2.{60 + n}").post(reverse("accounts:signup"), {**SIGNUP, "email": "c@x.invalid"})
    response = Client(REMOTE_ADDR="192.0.2.70").post(reverse("accounts:signup"), {**SIGNUP, "email": "c@x.invalid"})
    assert response.status_code == 429


def test_membership_requests_are_rate_limited_per_account(client, world, settings, django_capture_on_commit_callbacks):
    settings.MEMBERSHIP_REQUEST_RATE_LIMIT = "1/d"
    client.force_login(world.agent)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("accounts:join"), {"commune": "98001"}).status_code == 302
    world.agent.memberships.filter(commune_id="98001").delete()
    response = client.post(reverse("accounts:join"), {"commune": "98001"})
    assert response.status_code == 429
    assert "beaucoup de demandes d&#x27;adhésion" in response.text
    assert not world.agent.memberships.filter(commune_id="98001").exists()


def test_coordinator_sees_whether_the_address_is_confirmed_and_its_domain(client, world):
    client.force_login(world.coordinator)
    membership = world.pending_agent.memberships.get()
    page = client.get(reverse("accounts:membership_decide", args=[membership.pk])).text
    assert "Adresse confirmée le" in page
    assert "exemple.invalid — non comparé : nos données ne donnent pas le domaine des adresses de mairie" in page
    User.objects.filter(pk=world.pending_agent.pk).update(email_confirmed_at=None)
    assert "Adresse non confirmée" in client.get(reverse("accounts:memberships")).text
