"""Visitor journey: search a commune, read its profile and its map — with JavaScript on and off."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.helpers import assert_clean_console, require_command


def test_home_page_is_served_by_gunicorn_with_csp(page, live_site):
    response = page.goto("/")
    assert response.status == 200
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    if page.js_enabled:
        assert_clean_console(page)


def test_visitor_searches_a_commune_and_reads_its_profile_and_map(page, live_site):
    require_command(live_site, "load_open_data")
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    search = page.get_by_role("search").get_by_label(re.compile(r"commune", re.I))
    if not search.count():  # the home page may only link to the search page
        page.get_by_role("link", name=re.compile(r"Trouver une commune", re.I)).first.click()
        search = page.get_by_role("search").get_by_label(re.compile(r"commune", re.I))
    search.fill("Bourges")
    search.press("Enter")
    page.wait_for_url(re.compile(r"/recherche/\?q=Bourges"))
    results = page.get_by_role("main").get_by_role("table")
    expect(results).to_contain_text("Bourges")
    results.get_by_role("link", name="Bourges", exact=True).click()

    page.wait_for_url(re.compile(r"/communes/18033/"))
    main = page.get_by_role("main")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bourges")
    expect(main).to_contain_text(re.compile(r"fragilit", re.I))
    expect(main).to_contain_text(re.compile(r"source", re.I))  # every figure carries its source
    figure = main.locator("figure").filter(has=page.locator(".map, [id^=carte], .leaflet-container")).first
    expect(figure).to_be_visible()
    if page.js_enabled:
        # the map is far down the profile: it is built when the reader scrolls near it (static/js/map.js)
        figure.scroll_into_view_if_needed()
        expect(figure.locator(".leaflet-container")).to_be_visible()
        expect(figure.locator("path.leaflet-interactive").first).to_be_attached()
    # The map's text alternative leads to the table of the département's communes.
    figure.get_by_role("link", name=re.compile(r"tableau", re.I)).first.click()
    expect(page.get_by_role("main").get_by_role("table").first).to_contain_text("Bourges")

    page.goto("/departements/18/carte/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cher")
    if page.js_enabled:
        expect(page.locator(".leaflet-container").first).to_be_visible()
        expect(page.locator("path.leaflet-interactive").first).to_be_attached()
        assert_clean_console(page)


def test_search_suggestions_and_unknown_commune(js_page, live_site):
    """With JavaScript, typing proposes communes as you type; an unknown name says so."""
    page = js_page
    require_command(live_site, "load_open_data")
    page.goto("/recherche/")
    field = page.get_by_label(re.compile(r"commune", re.I)).first
    field.press_sequentially("avign", delay=30)
    expect(page.locator("#suggestions").get_by_role("link", name=re.compile(r"^Avignon \(84"))).to_be_visible()
    page.locator("#suggestions").get_by_role("link", name=re.compile(r"^Avignon \(84")).first.click()
    page.wait_for_url(re.compile(r"/communes/84007/"))
    page.goto("/recherche/?q=Zzzzzzville")
    expect(page.get_by_role("main")).to_contain_text("Aucune commune")
    page.goto("/communes/00000/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile(r"introuvable", re.I))
    assert_clean_console(page, allow=r"status of 404 .*/communes/00000/")
