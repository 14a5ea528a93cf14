"""Passwords are stored with Argon2id (OWASP's parameters); an older PBKDF2 hash still signs in and is upgraded.

The test settings use MD5 for speed: these tests put back the production list (inclusion.settings). Accounts MADE UP.
"""

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse

import inclusion.settings as production
from inclusion.accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ARGON2ID_PREFIX = "argon2$argon2id$v=19$m=47104,t=1,p=1$"


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS


def test_new_passwords_are_argon2id_with_owasp_parameters(production_hashers):
    user = User.objects.create_user(email="nouvelle@exemple.invalid", password=PASSWORD)
    assert user.password.startswith(ARGON2ID_PREFIX)
    assert user.check_password(PASSWORD)
    assert not user.check_password(PASSWORD + "x")


@pytest.mark.parametrize("old_hasher", ["pbkdf2_sha256", "argon2-django-defaults"])
def test_an_older_hash_signs_in_and_is_upgraded(client, world, production_hashers, old_hasher):
    if old_hasher == "argon2-django-defaults":
        from django.contrib.auth.hashers import Argon2PasswordHasher

        hasher = Argon2PasswordHasher()
        old = hasher.encode(PASSWORD, hasher.salt())
        assert "m=102400,t=2,p=8" in old
    else:
        old = make_password(PASSWORD, hasher=old_hasher)
        assert old.startswith("pbkdf2_sha256$")
    User.objects.filter(pk=world.agent.pk).update(password=old)

    response = client.post(reverse("accounts:login"), {"username": world.agent.email, "password": PASSWORD})

    assert response.status_code == 302 and response["Location"] == reverse("accounts:home")
    world.agent.refresh_from_db()
    assert world.agent.password.startswith(ARGON2ID_PREFIX)
