"""Agent journey: sign in, fill every step, leave and resume, submit, read the plan, edit a measure, download the
PDF, read the history — with JavaScript on and off, then again by keyboard only."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e import helpers
from tests.e2e.helpers import (
    STEP_URL,
    assert_clean_console,
    current_step,
    ensure_diagnostic,
    fill_form,
    login,
    step_form,
)


def fill_step_and_continue(page) -> None:
    _pk, n = current_step(page)
    form = step_form(page)
    chosen = fill_form(form, choice_index=n % 2)  # alternate first/second options across steps
    assert chosen, f"step {n}: no field filled"
    form.get_by_role("button", name=re.compile(r"^Enregistrer et (continuer|relire)")).click()
    page.wait_for_load_state()


def download_bytes(page, link) -> tuple[bytes, dict]:
    """Follow a download link with the context's cookies (the PDF is served inline, the CSV as an attachment)."""
    href = link.get_attribute("href")
    response = page.context.request.get(href)
    assert response.ok, f"{href}: {response.status}"
    return response.body(), response.headers


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def test_agent_fills_resumes_submits_and_follows_the_plan(page, live_site, journey_users):
    label = "js" if page.js_enabled else "nojs"
    agent = journey_users["agents"][label]
    password = journey_users["password"]

    login(page, agent["email"], password)
    main = page.get_by_role("main")
    expect(main).to_contain_text(agent["commune"])
    main.get_by_role("button", name=re.compile(r"Commencer le diagnostic")).click()
    page.wait_for_url(STEP_URL)
    pk, n = current_step(page)
    assert n == 1

    # Steps 1 and 2, then "save and resume later".
    fill_step_and_continue(page)
    assert current_step(page) == (pk, 2)
    form = step_form(page)
    fill_form(form)
    form.get_by_role("button", name=re.compile(r"reprendre plus tard")).click()
    page.wait_for_url(re.compile(r"/mon-espace/"))
    helpers.logout(page)

    # Back later: Mon espace offers to continue where the agent stopped (step 3).
    login(page, agent["email"], password)
    page.get_by_role("main").get_by_role("link", name=re.compile(r"Continuer le diagnostic")).click()
    assert current_step(page) == (pk, 3)
    while STEP_URL.search(page.url):
        fill_step_and_continue(page)
    expect(page).to_have_url(re.compile(rf"/diagnostics/{pk}/relecture/"))
    main = page.get_by_role("main")
    expect(main).not_to_contain_text("Avant de transmettre")
    expect(main).to_contain_text(re.compile(r"30 questions répondues sur 30"))

    main.get_by_role("link", name="Transmettre le diagnostic").click()
    page.get_by_role("main").get_by_role("button", name=re.compile(r"Transmettre définitivement")).click()
    expect(page.get_by_role("main")).to_contain_text("Transmis")

    # The action plan: five measures, one follow-up edited.
    page.get_by_role("main").get_by_role("link", name=re.compile(r"Plan d'action")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Plan d'action")
    followup = page.locator("#suivi-1")
    followup.get_by_label("Responsable").fill("Secrétariat de mairie (e2e)")
    followup.get_by_label("Échéance").fill(date(date.today().year + 1, 3, 31).isoformat())
    followup.get_by_label("État").select_option(label="En cours")
    followup.get_by_role("button", name=re.compile(r"Enregistrer le suivi de la mesure 1")).click()
    expect(page.get_by_role("main")).to_contain_text("Suivi de la mesure 1 enregistré")
    expect(page.locator("#suivi-1").get_by_label("Responsable")).to_have_value("Secrétariat de mairie (e2e)")

    data, headers = download_bytes(page, page.get_by_role("link", name=re.compile(r"plan en PDF")))
    assert headers["content-type"] == "application/pdf" and data.startswith(b"%PDF")
    text = pdf_text(data)
    assert agent["commune"] in text and "Secrétariat de mairie (e2e)" in text

    data, headers = download_bytes(page, page.get_by_role("link", name=re.compile(r"tableau de suivi")))
    assert headers["content-type"].startswith("text/csv")
    assert "Secrétariat de mairie (e2e)" in data.decode("utf-8-sig")

    # The audit log shows who changed what.
    page.goto(reverse("diagnostic:history", kwargs={"pk": pk}))
    history = page.get_by_role("main")
    expect(history).to_contain_text("Secrétariat de mairie (e2e)")
    expect(history).to_contain_text(re.compile(r"Test E2E|agent-" + label))
    if page.js_enabled:
        assert_clean_console(page)


@pytest.mark.parametrize("bad", ["-5", "99999999"])
def test_agent_sees_an_error_summary_linked_to_the_field(js_page, live_site, journey_users, bad):
    """A number out of range is refused with an error summary whose link moves focus to the field."""
    page = js_page
    agent = journey_users["agents"]["axe"]
    helpers.sign_in(page.context, live_site, agent["email"], journey_users["password"])
    pk = ensure_diagnostic(page)
    for n in range(1, 6):
        page.goto(f"/diagnostics/{pk}/etapes/{n}/")
        numbers = step_form(page).locator("input[type=number]")
        if numbers.count():
            break
    else:
        pytest.skip("no number question in the questionnaire")
    numbers.first.fill(bad)
    step_form(page).get_by_role("button", name="Enregistrer", exact=True).click()
    summary = page.locator(".error-summary").first
    expect(summary).to_be_visible()
    summary.get_by_role("link").first.click()
    assert page.evaluate("() => document.activeElement && document.activeElement.type") in {"number", "checkbox"}
