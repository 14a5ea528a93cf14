"""L7: sign-up answers the same way whether or not the address has an account.

Before the fix, the form said "Un compte existe déjà avec cette adresse". Now the page is the same and the owner is
told by e-mail; an account never confirmed may be claimed again by whoever reads the mailbox. Data MADE UP.
"""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from inclusion.accounts.models import Membership, User
from tests.factories import PASSWORD
from tests.security.helpers import SIGNUP, link_in, mails_to


def visible_text(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def sign_up(email: str, capture, **changes):
    client = Client()
    with capture(execute=True):
        response = client.post(reverse("accounts:signup"), {**SIGNUP, "email": email, **changes}, follow=True)
    return response


def test_same_answer_for_a_new_and_an_existing_address(world, django_capture_on_commit_callbacks):
    existing = world.agent.email
    new = sign_up("nouvelle@inventee.invalid", django_capture_on_commit_callbacks)
    old = sign_up(existing.upper(), django_capture_on_commit_callbacks)
    assert "Un compte existe déjà" not in old.text
    assert new.status_code == old.status_code == 200
    assert visible_text(new.text) == visible_text(old.text)
    assert new.redirect_chain == old.redirect_chain == [(reverse("accounts:signup_done"), 302)]
    # The existing account is untouched; its owner is told by e-mail, with the ways back in.
    world.agent.refresh_from_db()
    assert world.agent.check_password(PASSWORD)
    assert world.agent.first_name == "Alice"
    [told] = mails_to(existing)
    assert told.subject == "[Diagnostic inclusion numérique] Vous avez déjà un compte"
    assert "Quelqu'un (peut-être vous) a voulu créer un compte avec votre adresse" in told.body
    assert "http://testserver/mot-de-passe/oublie/" in told.body
    assert not world.agent.memberships.filter(status=Membership.Status.UNCONFIRMED).exists()


def test_an_unconfirmed_sign_up_can_be_claimed_by_the_owner_of_the_mailbox(world, django_capture_on_commit_callbacks):
    sign_up("proie@inventee.invalid", django_capture_on_commit_callbacks, first_name="Usurpateur")
    mail.outbox.clear()
    mine = "le mot de passe de la vraie personne"
    sign_up("proie@inventee.invalid", django_capture_on_commit_callbacks, password1=mine, password2=mine)
    user = User.objects.get(email="proie@inventee.invalid")
    assert user.first_name == "Jeanne" and user.check_password(mine)
    assert user.memberships.count() == 1
    [message] = mails_to(user.email)
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link_in(message, "/inscription/confirmer/"))
    assert User.objects.get(pk=user.pk).email_confirmed_at is not None
    assert mails_to(world.coordinator.email)
