"""Personal data journey, with JavaScript on and off: every page links the legal pages; an agent downloads their
data, corrects their name, starts the commune's diagnostic, deletes their account (password asked again), cannot sign
in any more, and the commune's diagnostic remains with "Ancien utilisateur" as its author. Accounts are MADE UP."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e import helpers
from tests.e2e.helpers import assert_clean_console, fill_form, login, url_or_skip
from tests.e2e.test_agent import ensure_diagnostic, step_form

_AUTHOR_SNIPPET = r"""
import json
from diagnostic.models import AuditEvent, Diagnostic
from inclusion.accounts.models import User
d = Diagnostic.objects.get(commune_id=INSEE)
events = AuditEvent.objects.filter(diagnostic=d)
print(json.dumps({
    "author": str(d.created_by),
    "events": events.count(),
    "event_users": sorted({str(e.user) for e in events}),
    "email_left": User.objects.filter(email=EMAIL).exists(),
}))
"""


@pytest.fixture(scope="module")
def rgpd_users(live_site):
    helpers.require_command(live_site, "load_open_data")
    return helpers.create_journey_users(live_site, agents=["rgpd-js", "rgpd-nojs"], pending=[], coordinators=[])


def test_agent_downloads_corrects_and_deletes_their_data(page, live_site, rgpd_users):
    url_or_skip("accounts:account_delete")
    agent = rgpd_users["agents"]["rgpd-js" if page.js_enabled else "rgpd-nojs"]
    password = rgpd_users["password"]
    main = page.get_by_role("main")

    # The legal pages, from the footer of the home page.
    page.goto("/")
    footer = page.get_by_role("contentinfo")
    footer.get_by_role("link", name="Mentions légales").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentions légales")
    page.get_by_role("contentinfo").get_by_role("link", name="Données personnelles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Données personnelles")
    expect(main).to_contain_text("mission d'intérêt public")

    # The commune's diagnostic, started and saved once (an audit event in the agent's name).
    login(page, agent["email"], password)
    ensure_diagnostic(page)
    form = step_form(page)
    fill_form(form)
    form.get_by_role("button", name=re.compile(r"^Enregistrer et continuer")).click()
    page.wait_for_load_state()

    # Mon espace → Mes données personnelles → download.
    page.goto(url_or_skip("accounts:home"))
    main.get_by_role("link", name=re.compile(r"Consulter et télécharger mes données")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes données personnelles")
    with page.expect_download() as download_info:
        main.get_by_role("link", name="Télécharger mes données (JSON)").click()
    download = download_info.value
    assert re.fullmatch(r"mes-donnees-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename)
    with open(download.path(), encoding="utf-8") as handle:
        data = json.load(handle)
    assert data["compte"]["adresse_email"] == agent["email"]
    assert data["adhesions"][0]["commune"] == f"{agent['commune']} ({agent['insee']})"
    assert data["historique_des_modifications"], "the saved step is in my audit events"

    # Correct my name.
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_label("Nom", exact=True).fill("Essai")
    main.get_by_role("button", name="Enregistrer mon nom").click()
    page.wait_for_load_state()
    expect(page.get_by_role("status")).to_contain_text("Votre nom est corrigé.")
    expect(main).to_contain_text("Camille Essai")

    # Delete: a wrong password first, then the right one.
    main.get_by_role("link", name=re.compile(r"Supprimer mon compte")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supprimer mon compte")
    page.get_by_label("Votre mot de passe").fill("pas-le-bon-mot-de-passe")
    page.get_by_label(re.compile(r"Je comprends")).check()
    main.get_by_role("button", name="Supprimer définitivement mon compte").click()
    page.wait_for_load_state()
    expect(page.locator(".error-summary")).to_contain_text("Ce mot de passe n'est pas le bon.")
    page.get_by_label("Votre mot de passe").fill(password)
    page.get_by_label(re.compile(r"Je comprends")).check()
    main.get_by_role("button", name="Supprimer définitivement mon compte").click()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.get_by_role("status")).to_contain_text("Votre compte est supprimé")
    expect(page.get_by_role("button", name=re.compile(r"déconnecter", re.I))).to_have_count(0)

    # Signing in again fails.
    page.goto(url_or_skip("accounts:login"))
    page.get_by_label(re.compile(r"e-?mail|adresse", re.I)).first.fill(agent["email"])
    page.get_by_label(re.compile(r"mot de passe", re.I)).first.fill(password)
    main.get_by_role("button", name=re.compile(r"connecter", re.I)).click()
    page.wait_for_load_state()
    assert "/connexion/" in page.url

    # The commune's diagnostic stays, its author and audit trail now read "Ancien utilisateur".
    snippet = _AUTHOR_SNIPPET.replace("INSEE", repr(agent["insee"])).replace("EMAIL", repr(agent["email"]))
    state = json.loads(live_site.manage("shell", "-c", snippet).stdout.strip().splitlines()[-1])
    assert state == {
        "author": "Ancien utilisateur",
        "events": state["events"],
        "event_users": ["Ancien utilisateur"],
        "email_left": False,
    }
    assert state["events"] > 0
    assert_clean_console(page)
