"""L5 and L8 (responses and deployment): no signed-in page or private download stays in a shared computer's browser
cache; sessions are short by default; a Permissions-Policy; a French CSRF failure page; docker-compose publishes the
app on the loopback only and passes no empty defaults (an empty DEFAULT_FROM_EMAIL sent e-mails with an empty From).

Pages: every URL of tests/permission_table.py that the role may open, on the MADE-UP dataset of
tests/test_url_permissions.py.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import PASSWORD
from tests.permission_table import PERMISSIONS
from tests.test_security import production_env
from tests.test_url_permissions import build_dataset, client_for, resolve_urls

ROOT = Path(__file__).resolve().parent.parent.parent
# Public commune names for the sign-up autocomplete: the view keeps them 5 minutes in the browser's private cache.
# A région map's script (public open data, versioned by its digest): a year in the browser's private cache.
OWN_CACHE_CONTROL = {"accounts:commune_suggestions", "territories:region_map_script"}


@pytest.fixture
def dataset(db):
    return build_dataset()


@pytest.mark.parametrize("role", ["pending_agent", "agent", "coordinator", "staff"])
def test_signed_in_pages_and_private_downloads_are_not_stored(role, dataset):
    client = client_for(role, dataset)
    checked = []
    for name, url in resolve_urls(dataset).items():
        if PERMISSIONS[name][role] != 200:
            continue
        response = client.get(url)
        cache_control = response.headers.get("Cache-Control", "")
        checked.append(response.headers.get("Content-Type", "").split(";")[0])
        assert "private" in cache_control, f"{name}: Cache-Control {cache_control!r}"
        if name not in OWN_CACHE_CONTROL:
            assert "no-store" in cache_control, f"{name}: Cache-Control {cache_control!r}"
        assert "camera=()" in response.headers.get("Permissions-Policy", ""), name
    assert "text/html" in checked
    if role in {"agent", "coordinator"}:  # the plan's PDF and CSV, the dashboard's CSV and XLSX
        assert {"application/pdf", "text/csv"} <= set(checked), checked


def test_public_pages_carry_a_permissions_policy_and_stay_cacheable(dataset):
    response = Client().get("/")
    assert response.status_code == 200
    policy = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_the_session_ends_with_the_browser_and_lasts_a_working_day(dataset):
    from django.conf import settings

    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    client = Client()
    response = client.post("/connexion/", {"username": "agent@example.org", "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == "", "a browser-session cookie has no expiry"


def test_a_form_sent_without_its_security_token_gets_a_french_page(dataset):
    response = Client(enforce_csrf_checks=True).post(
        "/connexion/", {"username": "agent@example.org", "password": PASSWORD}
    )
    assert response.status_code == 403
    assert "Formulaire expiré" in response.text
    assert '<html lang="fr">' in response.text
    for english in ("CSRF verification failed", "Forbidden", "Request aborted", "More information"):
        assert english not in response.text


def read_settings(**env) -> dict:
    snippet = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ('DEFAULT_FROM_EMAIL', 'SESSION_COOKIE_AGE', "
        "'SESSION_EXPIRE_AT_BROWSER_CLOSE', 'CSRF_FAILURE_VIEW', 'SECURE_HSTS_SECONDS', 'TRUSTED_PROXY_COUNT', "
        "'AXES_FAILURE_LIMIT', 'AXES_COOLOFF_TIME', 'LOGIN_ADDRESS_FAILURE_LIMIT', 'SIGNUP_RATE_LIMIT', "
        "'MEMBERSHIP_REQUEST_RATE_LIMIT', 'EMAIL_CONFIRMATION_TIMEOUT', 'INCLUSION_RETENTION_DAYS', 'ADMIN_URL')} | "
        "{'port': s.MAILERS['default']['OPTIONS']['port'], 'tasks': s.TASKS['default']['BACKEND'], "
        "'log': s.LOGGING['root']['level'], 'downloads': str(s.INCLUSION_DOWNLOAD_DIR), "
        "'heartbeat': str(s.INCLUSION_WORKER_HEARTBEAT)}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", snippet], cwd=ROOT, env=production_env(**env), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_empty_environment_values_count_as_unset():
    """docker-compose used to pass DEFAULT_FROM_EMAIL="" when unset: e-mails left with an empty From."""
    empty = ["DEFAULT_FROM_EMAIL", "SESSION_COOKIE_AGE", "SESSION_EXPIRE_AT_BROWSER_CLOSE", "EMAIL_PORT"]
    empty += ["SECURE_HSTS_SECONDS", "TASKS_BACKEND", "LOG_LEVEL", "INCLUSION_DOWNLOAD_DIR", "DATABASE_CONN_MAX_AGE"]
    empty += ["INCLUSION_WORKER_HEARTBEAT"]
    values = read_settings(**dict.fromkeys(empty, ""))
    assert values["DEFAULT_FROM_EMAIL"] == "Diagnostic inclusion numérique <ne-pas-repondre@localhost>"
    assert values["port"] == 587 and values["SECURE_HSTS_SECONDS"] == 31_536_000 and values["log"] == "WARNING"
    assert values["tasks"] == "inclusion.jobs.backend.DatabaseBackend"  # imports run by `manage.py worker`
    assert values["heartbeat"].endswith("var/worker.heartbeat")
    assert values["downloads"].endswith("opendata")
    assert values["SESSION_COOKIE_AGE"] == 8 * 3600
    assert values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    assert values["CSRF_FAILURE_VIEW"] == "inclusion.views.csrf_failure"


def test_empty_numbers_and_limits_count_as_unset():
    """A `.env` line `AXES_FAILURE_LIMIT=` (passed through by docker-compose) used to stop the site: int("")."""
    from inclusion.settings import INCLUSION_RETENTION_VARIABLES

    empty = ["TRUSTED_PROXY_COUNT", "AXES_FAILURE_LIMIT", "AXES_COOLOFF_HOURS", "LOGIN_ADDRESS_FAILURE_LIMIT"]
    empty += ["SIGNUP_RATE_LIMIT", "MEMBERSHIP_REQUEST_RATE_LIMIT", "EMAIL_CONFIRMATION_TIMEOUT", "ADMIN_URL"]
    empty += [variable for variable, _default in INCLUSION_RETENTION_VARIABLES.values()]
    values = read_settings(**dict.fromkeys(empty, ""))
    assert values["TRUSTED_PROXY_COUNT"] == 0 and values["AXES_FAILURE_LIMIT"] == 5
    assert values["AXES_COOLOFF_TIME"] == 0.25 and values["LOGIN_ADDRESS_FAILURE_LIMIT"] == 30
    assert values["SIGNUP_RATE_LIMIT"] == "5/h" and values["MEMBERSHIP_REQUEST_RATE_LIMIT"] == "10/d"
    assert values["EMAIL_CONFIRMATION_TIMEOUT"] == 2 * 24 * 3600 and values["ADMIN_URL"] == "gestion-equipe/"
    assert values["INCLUSION_RETENTION_DAYS"] == {
        rule: default for rule, (_variable, default) in INCLUSION_RETENTION_VARIABLES.items()
    }


def test_session_length_is_configurable():
    values = read_settings(SESSION_COOKIE_AGE="3600", SESSION_EXPIRE_AT_BROWSER_CLOSE="0")
    assert values["SESSION_COOKIE_AGE"] == 3600 and values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is False


def compose_service(name: str) -> str:
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    match = re.search(rf"^  {name}:\n((?:    .*\n|\s*\n)+)", text, re.MULTILINE)
    assert match, f"service {name} not found in docker-compose.yml"
    return match.group(1)


def test_compose_publishes_the_app_on_the_loopback_only():
    web = compose_service("web")
    published = re.findall(r'^\s+- "?([^"\n]+)"?$', web.split("ports:", 1)[1], re.MULTILINE) if "ports:" in web else []
    for mapping in published:
        assert mapping.startswith("127.0.0.1:"), f"web publishes {mapping} on every interface"


def test_compose_sets_no_empty_defaults():
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert not re.findall(r"\$\{\w+:-\}", text), "an unset variable must stay unset, not become an empty string"


def test_compose_has_a_backup_service_behind_a_profile():
    backup = compose_service("backup")
    assert "profiles:" in backup and "pg_dump" in backup
