"""Coordinator journey: approve an agent's request, filter the dashboard, export CSV — JavaScript on and off."""

from __future__ import annotations

import csv
import io
import re

from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e import helpers
from tests.e2e.helpers import assert_clean_console, login


def test_coordinator_approves_an_agent_filters_the_dashboard_and_exports(page, live_site, journey_users):
    label = "js" if page.js_enabled else "nojs"
    coordinator = journey_users["coordinators"][label]
    pending = journey_users["pending"][label]

    login(page, coordinator["email"], journey_users["password"])
    page.get_by_role("main").get_by_role("link", name=re.compile(r"Traiter les demandes")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Demandes d'adhésion")
    row = page.get_by_role("row").filter(has_text=pending["email"])
    expect(row).to_be_visible()
    row.get_by_role("button", name=re.compile(r"^Accepter la demande")).click()
    page.wait_for_load_state()
    expect(page.get_by_role("row").filter(has_text=pending["email"])).to_have_count(0)
    expect(page.get_by_role("main")).to_contain_text(re.compile(rf"{re.escape(pending['commune'])} : accept", re.I))

    # The dashboard, filtered on the approved agent's département, shows that commune; the CSV export follows.
    page.goto(reverse("diagnostic:dashboard"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tableau de bord")
    filters = page.get_by_role("main").locator("form").filter(has=page.get_by_label("Département"))
    filters.get_by_label("Département").select_option(pending["insee"][:2])
    if page.js_enabled:  # htmx refreshes the table on change; the button stays for everyone
        page.wait_for_load_state("networkidle")
    filters.get_by_role("button", name=re.compile(r"Appliquer les filtres")).click()
    page.wait_for_load_state()
    expect(page).to_have_url(re.compile(rf"departement={pending['insee'][:2]}"))
    table = page.get_by_role("table").filter(has=page.locator("caption", has_text="Communes du territoire"))
    expect(table).to_be_visible()
    cells = table.locator("tbody tr").all_inner_texts()
    assert cells, "the filtered dashboard table is empty"

    export = page.get_by_role("link", name="CSV", exact=True)
    assert f"departement={pending['insee'][:2]}" in export.get_attribute("href")
    response = page.context.request.get(export.get_attribute("href"))
    assert response.ok and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.body().decode("utf-8-sig")), delimiter=_delimiter(response.body())))
    assert len(rows) >= 2, rows[:3]
    if page.js_enabled:
        assert_clean_console(page)

    # The approved agent now sees their commune.
    helpers.logout(page)
    login(page, pending["email"], journey_users["password"])
    expect(page.get_by_role("main")).to_contain_text(pending["commune"])
    expect(page.get_by_role("main").get_by_role("button", name=re.compile(r"Commencer le diagnostic"))).to_be_visible()


def _delimiter(data: bytes) -> str:
    head = data.decode("utf-8-sig").splitlines()[0]
    return ";" if head.count(";") > head.count(",") else ","


def test_the_dashboard_downloads_htmx_only_once_the_reader_uses_it(js_page, journey_users):
    """htmx on demand (static/js/htmx-on-demand.js): not downloaded by reading; a sort link clicked before it has
    arrived is held and handed to htmx (no full page load); a filter change then refreshes the table in place."""
    page = js_page
    coordinator = journey_users["coordinators"]["axe"]  # read only here: the axe journey may share it
    login(page, coordinator["email"], journey_users["password"])
    htmx_downloads = []
    page.on("request", lambda request: htmx_downloads.append(request.url) if "htmx.min" in request.url else None)
    page.goto(reverse("diagnostic:dashboard"))
    page.wait_for_load_state("networkidle")
    assert htmx_downloads == [], "htmx downloaded before the reader used the table or the filters"
    assert page.evaluate("typeof window.htmx") == "undefined"
    page.evaluate("window.samePage = true")  # gone if the browser loads a new page

    table = page.get_by_role("table").filter(has=page.locator("caption", has_text="Communes du territoire"))
    table.locator("thead a").nth(1).click()  # the pointer reaching the link starts the download; the click waits
    expect(page).to_have_url(re.compile(r"tri="))
    expect(table.locator("thead th[aria-sort]")).to_have_count(1)
    assert page.evaluate("window.samePage === true"), "the sort link loaded a new page instead of htmx"
    assert len(htmx_downloads) == 1 and page.evaluate("typeof window.htmx") == "object"

    filters = page.get_by_role("main").locator("form").filter(has=page.get_by_label("Département"))
    filters.get_by_label("Département").select_option(index=1)
    expect(page).to_have_url(re.compile(r"departement=\w+"))
    assert page.evaluate("window.samePage === true"), "the filter loaded a new page instead of htmx"
    assert len(htmx_downloads) == 1
    assert_clean_console(page)
