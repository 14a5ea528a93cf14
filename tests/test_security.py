"""Security properties of every page: strict CSP with nonces, CSRF on every form, production cookie/HSTS settings.

Pages checked: every URL of tests/permission_table.py that a role may GET (status 200), for each role, on the MADE-UP
dataset of tests/test_url_permissions.py, plus the 404 page and a form re-rendered with errors (failed sign-in).
Production settings are checked in a subprocess with `manage.py check --deploy --fail-level WARNING` and by reading
the settings that DEBUG off produces (secure cookies, HSTS, SSL redirect).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.permission_table import PERMISSIONS
from tests.test_url_permissions import ROLES, build_dataset, client_for, resolve_urls

ROOT = Path(__file__).resolve().parent.parent


class PageParser(HTMLParser):
    """Collects inline scripts/styles with their nonce, style/on* attributes and forms with their fields."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inline_scripts: list[str | None] = []
        self.inline_styles: list[str | None] = []
        self.style_attributes: list[str] = []
        self.event_handlers: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in attributes:
            if name == "style":
                self.style_attributes.append(tag)
            elif name.startswith("on"):
                self.event_handlers.append(f"<{tag} {name}>")
        if tag == "script" and not attributes.get("src"):
            kind = (attributes.get("type") or "text/javascript").lower()
            if kind not in {"application/json", "application/ld+json", "text/template"}:
                self.inline_scripts.append(attributes.get("nonce"))
        elif tag == "style":
            self.inline_styles.append(attributes.get("nonce"))
        elif tag == "form":
            self._form = {
                "method": (attributes.get("method") or "get").lower(),
                "action": attributes.get("action"),
                "fields": set(),
            }
            self.forms.append(self._form)
        elif tag in {"input", "select", "textarea", "button"} and self._form is not None and attributes.get("name"):
            self._form["fields"].add(attributes["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    return parser


def csp_nonces(header: str) -> dict[str, set[str]]:
    directives = {}
    for part in header.split(";"):
        tokens = part.split()
        if tokens:
            directives[tokens[0]] = set(tokens[1:])
    return directives


def check_html_response(url: str, response) -> list[str]:
    problems = []
    header = response.headers.get("Content-Security-Policy", "")
    if not header:
        return [f"{url}: no Content-Security-Policy header"]
    if "unsafe-inline" in header or "unsafe-eval" in header:
        problems.append(f"{url}: CSP allows unsafe-inline/unsafe-eval: {header}")
    directives = csp_nonces(header)
    for directive in ("default-src", "script-src", "style-src", "object-src", "base-uri", "frame-ancestors"):
        if directive not in directives:
            problems.append(f"{url}: CSP lacks {directive}")
    if "*" in directives.get("script-src", set()) | directives.get("default-src", set()):
        problems.append(f"{url}: CSP allows any origin")
    nonces = {
        token[len("'nonce-") : -1]
        for token in directives.get("script-src", set()) | directives.get("style-src", set())
        if token.startswith("'nonce-")
    }
    page = parse(response.content.decode(response.charset or "utf-8"))
    for kind, found in (("<script>", page.inline_scripts), ("<style>", page.inline_styles)):
        for nonce in found:
            if nonce is None or nonce not in nonces:
                problems.append(f"{url}: inline {kind} without the response's nonce (nonce={nonce!r})")
    if page.style_attributes:
        problems.append(f'{url}: style="…" attributes (blocked by the CSP) on {sorted(set(page.style_attributes))}')
    if page.event_handlers:
        problems.append(f"{url}: inline event handlers (blocked by the CSP): {page.event_handlers[:5]}")
    for form in page.forms:
        if form["method"] == "post" and "csrfmiddlewaretoken" not in form["fields"]:
            problems.append(f"{url}: <form method=post action={form['action']!r}> without csrfmiddlewaretoken")
    return problems


def is_html(response) -> bool:
    return response.status_code == 200 and response.headers.get("Content-Type", "").startswith("text/html")


@pytest.fixture
def dataset(db):
    return build_dataset()


@pytest.mark.parametrize("role", ROLES)
def test_every_html_page_has_strict_csp_nonces_and_csrf_tokens(role, dataset):
    client = client_for(role, dataset)
    problems, checked = [], 0
    for name, url in resolve_urls(dataset).items():
        if PERMISSIONS[name][role] != 200:
            continue
        response = client.get(url)
        if is_html(response):
            checked += 1
            problems += check_html_response(url, response)
    assert not problems, "\n".join(problems)
    assert checked or role != "anonymous", "no public HTML page was checked"


def test_error_pages_have_strict_csp(dataset):
    client = Client()
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    problems = check_html_response("/nulle-part/ (404)", response)
    response = client.post("/connexion/", {"username": "personne@example.org", "password": "mauvais-mot-de-passe"})
    assert response.status_code == 200
    problems += check_html_response("/connexion/ (form errors)", response)
    assert not problems, "\n".join(problems)


def post_forms(client: Client, urls) -> list[tuple[str, str]]:
    """(page URL, form action URL) of every POST form on the given pages."""
    found = []
    for url in urls:
        response = client.get(url)
        if not is_html(response):
            continue
        for form in parse(response.content.decode()).forms:
            if form["method"] == "post":
                found.append((url, form["action"] or url))
    return found


@pytest.mark.parametrize("role", ["anonymous", "agent", "coordinator", "staff"])
def test_post_without_csrf_token_is_refused(role, dataset):
    """Every POST form the role can see refuses a submission without token (403), session cookie or not."""
    urls = [url for name, url in resolve_urls(dataset).items() if PERMISSIONS[name][role] == 200]
    if role == "anonymous":
        urls.append(reverse("accounts:login"))
    client = client_for(role, dataset)
    forms = post_forms(client, urls)
    if role == "anonymous":
        assert forms, "expected at least the sign-in form"
    strict = Client(enforce_csrf_checks=True)
    if role != "anonymous":
        strict.force_login(dataset["users"][role])
    refused = []
    for page_url, action in dict.fromkeys(forms):
        status = strict.post(action, {"anything": "1"}).status_code
        if status != 403:
            refused.append(f"{action} (form on {page_url}): POST without CSRF token answered {status}, not 403")
    assert not refused, "\n".join(refused)


# ---------------------------------------------------------------------------------------------------------------
# Production settings


def production_env(**extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_", "SECURE_", "SESSION_"))}
    for name in ("CSRF_COOKIE_SECURE", "INCLUSION_ALLOW_INSECURE_KEY", "DEBUG", "BEHIND_TLS_PROXY"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="inclusion.settings",
        SECRET_KEY="x" * 10 + "-test-only-" + "ab5Cd9eF1gH7iJ3kL0mN2oP4qR6sT8uV",
        ALLOWED_HOSTS="diagnostic.example.org",
        EMAIL_HOST="smtp.example.org",
        INCLUSION_VAR_DIR=str(ROOT / "var"),
        **extra,
    )
    return env


def test_production_settings_pass_check_deploy():
    """Same command as `make check` (CI), here too so that `make test` alone catches a regression."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_secure_cookies_hsts_and_csp():
    snippet = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ('DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
        "'SESSION_COOKIE_HTTPONLY', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
        "'SECURE_CONTENT_TYPE_NOSNIFF', 'X_FRAME_OPTIONS', 'SECURE_REFERRER_POLICY')} | "
        "{'csp': {k: [str(v) for v in vals] for k, vals in s.SECURE_CSP.items()}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", snippet], cwd=ROOT, env=production_env(), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] and values["X_FRAME_OPTIONS"] == "DENY"
    csp = values["csp"]
    for directive in ("script-src", "style-src"):
        assert not any("unsafe" in token for token in csp[directive]), csp[directive]
        assert any("nonce" in token.lower() for token in csp[directive]), csp[directive]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]


def test_production_refuses_to_start_without_secret_key():
    env = production_env()
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and re.search(r"SECRET_KEY", result.stderr)
