"""Sign-up journey with the e-mail confirmation, with JavaScript on and off (all people and addresses MADE UP).

The live site runs with production settings and no EMAIL_HOST, so e-mails go to the console backend, that is to
gunicorn's log (bench/_server.py): the test reads the confirmation e-mail there.
"""

from __future__ import annotations

import email
import email.policy
import re
import secrets
import time

from playwright.sync_api import expect

from tests.e2e.helpers import assert_clean_console, login, require_command

SEPARATOR = "-" * 79


def read_mail(site, *, to: str, subject: str, timeout: float = 15) -> email.message.EmailMessage:
    """The last e-mail to `to` whose subject contains `subject`, printed by the console backend in gunicorn's log."""
    log_path = site.log_path or (site.workdir / "gunicorn.log")
    deadline = time.monotonic() + timeout
    while True:
        text = log_path.read_text(errors="replace") if log_path.exists() else ""
        for chunk in reversed(text.split(SEPARATOR)):
            start = chunk.find("Content-Type:")
            if start < 0:
                continue
            message = email.message_from_string(chunk[start:].strip() + "\n", policy=email.policy.default)
            if message["To"] == to and subject in (message["Subject"] or ""):
                return message
        if time.monotonic() > deadline:
            raise AssertionError(f"No e-mail to {to} about {subject!r} in {log_path}")
        time.sleep(0.3)


def test_visitor_signs_up_confirms_the_address_and_the_request_reaches_the_hub(page, live_site):
    require_command(live_site, "load_open_data")
    address = f"inscription-{'js' if page.js_enabled else 'nojs'}-{secrets.token_hex(3)}@e2e.example.org"
    password = "E2e-inscription-" + secrets.token_hex(6)
    page.goto("/inscription/")
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_label("Nom", exact=True).fill("Essai")
    page.get_by_label("Adresse e-mail professionnelle").fill(address)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_label("Confirmation du mot de passe").fill(password)
    page.get_by_label("Commune").fill("Avignon (84007)")
    page.get_by_label(re.compile(r"^Votre fonction")).fill("Secrétaire de mairie (e2e)")
    # With JavaScript, typing in "Commune" asks for suggestions 300 ms later (htmx); a person reads them before going
    # on. Submitting while that request was starting left the sign-up page in place in two CI runs on PostgreSQL.
    page.wait_for_load_state("networkidle")
    page.get_by_role("main").get_by_role("button", name="Créer mon compte").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre messagerie")
    message = read_mail(live_site, to=address, subject="Confirmez votre adresse e-mail")
    link = re.search(r"https?://\S+/inscription/confirmer/\S+/", message.get_content()).group(0)

    page.goto(link)
    expect(page.get_by_role("main")).to_contain_text(address)
    page.get_by_role("button", name="Confirmer mon adresse").click()
    expect(page.get_by_role("main")).to_contain_text("Votre adresse e-mail est confirmée")
    expect(page.get_by_role("main")).to_contain_text("Avignon")
    # The link served once.
    page.goto(link)
    expect(page.get_by_role("main")).to_contain_text("Ce lien n'est plus valable")

    login(page, address, password)
    expect(page.get_by_role("main")).to_contain_text("Demande en attente")
    expect(page.get_by_role("main")).to_contain_text("Avignon (84007)")
    if page.js_enabled:
        assert_clean_console(page)
