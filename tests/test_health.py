"""`/sante/`, the web container's health check (docker-compose.yml calls it with urllib from inside the container).

It must answer on plain HTTP to 127.0.0.1 whatever ALLOWED_HOSTS and SECURE_SSL_REDIRECT say in production, set no
cookie, never be stored, and say 503 when the database does not answer.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client, override_settings

from tests.factories import make_user

PRODUCTION_LIKE = {"ALLOWED_HOSTS": ["diagnostic.example.org"], "SECURE_SSL_REDIRECT": True}


def assert_ok(response):
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies


@pytest.mark.django_db
def test_answers_ok_without_cookie_for_an_anonymous_visitor():
    assert_ok(Client().get("/sante/"))


@pytest.mark.django_db
def test_answers_ok_for_a_signed_in_user_without_touching_the_session():
    client = Client()
    client.force_login(make_user("agent@exemple.invalid"))
    response = client.get("/sante/")
    assert_ok(response)
    assert "Vary" not in response  # no session read: the answer is the same for everyone


@pytest.mark.django_db
@override_settings(**PRODUCTION_LIKE)
def test_answers_the_container_check_on_plain_http_to_an_unlisted_host():
    """The health check sends Host: 127.0.0.1:8000 without X-Forwarded-Proto; pages refuse that in production."""
    client = Client(HTTP_HOST="127.0.0.1:8000")
    assert client.get("/").status_code == 400  # DisallowedHost: the production settings are in force
    assert client.get("/", HTTP_HOST="diagnostic.example.org").status_code == 301  # redirected to HTTPS
    assert_ok(client.get("/sante/"))
    head = client.head("/sante/")
    assert head.status_code == 200 and head["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_refuses_other_methods():
    response = Client().post("/sante/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert not response.cookies


@pytest.mark.django_db
def test_says_unavailable_when_the_database_does_not_answer(caplog):
    broken = mock.MagicMock()
    broken.cursor.side_effect = OperationalError("connection refused")
    with mock.patch("inclusion.health.connection", broken):
        response = Client().get("/sante/")
    assert response.status_code == 503
    assert response.content.decode() == "base de données indisponible"
    assert response["Cache-Control"] == "no-store"
    assert "the database does not answer" in caplog.text
