"""The agent journey by keyboard only: Tab, Shift+Tab, Space, Enter, arrows and typing — no clicks."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.helpers import active, assert_clean_console, tab_to, text_matches
from tests.e2e.test_agent import STEP_URL, current_step

SKIPPED_SUFFIXES = ("__unknown", "__comment")


def keyboard_fill_step(page, button: str) -> int:
    """Tab through the step form answering each question once (Space on the first radio/checkbox, digits in number
    fields), then press Enter on the button matching `button`. Returns the number of questions answered."""
    answered: set[str] = set()
    regex = re.compile(button, re.I)
    for _ in range(500):
        page.keyboard.press("Tab")
        info = active(page)
        if not info:
            continue
        if info["tag"] == "button" and regex.search(info["text"]):
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return len(answered)
        name = info["name"]
        if not name or name.endswith(SKIPPED_SUFFIXES) or name in answered or name == "version":
            continue
        if info["type"] in {"radio", "checkbox"}:
            if not info["checked"]:
                page.keyboard.press("Space")
            answered.add(name)
        elif info["type"] == "number":
            page.keyboard.press("Control+A")
            page.keyboard.type("4")
            answered.add(name)
    pytest.fail(f"Keyboard: never reached the button {button!r} on {page.url}")


def press_enter_on(page, pattern: str, navigates: bool = True, **kwargs) -> None:
    tab_to(page, text_matches(pattern), **kwargs)
    if navigates:
        with page.expect_navigation():
            page.keyboard.press("Enter")
    else:
        page.keyboard.press("Enter")


def test_agent_journey_by_keyboard_only(js_page, live_site, journey_users):
    page = js_page
    agent = journey_users["agents"]["keyboard"]
    # On the home page the skip link comes first and moves focus to the main content.
    page.goto("/")
    page.keyboard.press("Tab")
    assert re.search(r"contenu", active(page)["text"], re.I), active(page)
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "contenu"

    # The sign-in page puts the focus in the e-mail field (autofocus); otherwise Tab to it.
    page.goto(reverse("accounts:login"))
    if (active(page) or {}).get("type") != "email":
        tab_to(page, lambda i: i["type"] == "email" or bool(re.search(r"e-?mail", i["label"], re.I)))
    page.keyboard.type(agent["email"])
    tab_to(page, lambda i: i["type"] == "password")
    page.keyboard.type(journey_users["password"])
    with page.expect_navigation(url=re.compile(r"/mon-espace/")):
        page.keyboard.press("Enter")

    press_enter_on(page, r"Commencer le diagnostic")
    expect(page).to_have_url(STEP_URL)
    pk, _n = current_step(page)
    while STEP_URL.search(page.url):
        assert keyboard_fill_step(page, r"^Enregistrer et (continuer|relire)$") > 0
    expect(page).to_have_url(re.compile(rf"/diagnostics/{pk}/relecture/"))

    press_enter_on(page, r"^Transmettre le diagnostic$")
    press_enter_on(page, r"Transmettre définitivement")
    expect(page.get_by_role("main")).to_contain_text("Transmis")

    press_enter_on(page, r"^Plan d'action$")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Plan d'action")
    # The summary table links to each measure: following "#mesure-1" moves the Tab starting point there.
    tab_to(page, lambda i: i["href"] == "#mesure-1")
    page.keyboard.press("Enter")
    tab_to(page, lambda i: i["name"] == "owner", max_tabs=80)
    page.keyboard.type("Agent d'accueil (clavier)")
    tab_to(page, lambda i: i["name"] == "status")
    page.keyboard.press("ArrowDown")  # "À faire" -> "En cours"
    press_enter_on(page, r"Enregistrer le suivi de la mesure 1", navigates=False)  # htmx swaps the block
    followup = page.locator("#suivi-1")
    expect(page.get_by_role("main")).to_contain_text("Suivi de la mesure 1 enregistré")
    expect(followup.get_by_label("Responsable")).to_have_value("Agent d'accueil (clavier)")
    expect(followup.get_by_label("État")).to_have_value("in_progress")

    # The PDF link is near the top of the plan: reload (F5) and Tab to it.
    page.keyboard.press("F5")
    page.wait_for_load_state()
    info = tab_to(page, text_matches(r"plan en PDF"))
    response = page.context.request.get(info["href"])
    assert response.ok and response.body().startswith(b"%PDF")
    assert_clean_console(page)
