"""Accessibility of every page type: axe-core (WCAG 2.1 A/AA rules) and reflow at 360 px and at 200 % zoom.

* axe-core 4 (tests/e2e/vendor) is injected into the page; the CSP would block it, so the axe runs use a browser
  context with `bypass_csp=True` — only those: the journeys and reflow checks keep the real CSP.
* Reflow (WCAG 1.4.10): no horizontal scrolling, `document.documentElement.scrollWidth <= clientWidth`, at
  - 360 × 740 CSS px (a small phone), and
  - 200 % zoom: a 1280 × 900 window zoomed to 200 % lays the page out in a 640 × 450 CSS px viewport with two device
    pixels per CSS pixel. That is exactly what a context with viewport 640 × 450 and device_scale_factor=2 renders
    (same media queries, same CSS width), so we emulate browser zoom that way.
  Full-page screenshots of both go to var/e2e-screenshots/ (or $E2E_SCREENSHOTS_DIR) for a human look.
* Error states are included: sign-in and sign-up forms submitted empty, a questionnaire step with an invalid number.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    assert_no_horizontal_scroll,
    format_violations,
    require_command,
    run_axe,
    signed_in_states,
    step_form,
)

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS_DIR", ROOT / "var" / "e2e-screenshots"))
VIEWPORTS = {
    "360px": {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 1},
    "zoom200": {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2},
}


# Actions ------------------------------------------------------------------------------------------------------


def submit_empty(button: str):
    def action(page, ctx):
        page.get_by_role("main").get_by_role("button", name=re.compile(button)).first.click()
        page.wait_for_load_state()
        expect(page.locator(".error-summary, .errorlist, .field-error").first).to_be_visible()

    return action


def step_with_error(page, ctx):
    for n in range(1, 6):
        page.goto(f"/diagnostics/{ctx['pk']}/etapes/{n}/")
        numbers = step_form(page).locator("input[type=number]")
        if numbers.count():
            numbers.first.fill("-5")
            step_form(page).get_by_role("button", name="Enregistrer", exact=True).click()
            page.wait_for_load_state()
            expect(page.locator(".error-summary").first).to_be_visible()
            return
    pytest.skip("no number question")


def published_plan_page(page, ctx):
    if not ctx.get("published"):
        pytest.skip("no submitted diagnostic to publish (seed_demo)")
    assert page.goto(ctx["published"]).status == 200


_PUBLISH_ONE = r"""
from django.utils import timezone
from diagnostic.models import Diagnostic
d = Diagnostic.objects.filter(status="submitted").order_by("commune_id", "-year").first()
if d and not d.published_at:
    Diagnostic.objects.filter(pk=d.pk).update(published_at=timezone.now())
print(f"/plans/{d.commune_id}/{d.year}/" if d else "")
"""


def decide_page(page, ctx):
    page.goto("/adhesions/")
    page.get_by_role("row").filter(has_text=ctx["pending_email"]).get_by_role("link").first.click()
    page.wait_for_load_state()


# (id, role, path or action(page, ctx)); paths are formatted with ctx (pk, insee).
PAGES = [
    ("home", "anonymous", "/"),
    ("search", "anonymous", "/recherche/?q=saint"),
    ("search-none", "anonymous", "/recherche/?q=zzzzqqq"),
    ("commune", "anonymous", "/communes/18033/"),
    ("departement", "anonymous", "/departements/18/"),
    ("departement-map", "anonymous", "/departements/18/carte/"),
    ("regions", "anonymous", "/regions/"),
    ("region-map", "anonymous", "/regions/24/carte/"),
    ("sources", "anonymous", "/sources/"),
    ("accessibility", "anonymous", "/accessibilite/"),
    ("not-found", "anonymous", "/nulle-part/"),
    ("login", "anonymous", "/connexion/"),
    ("login-errors", "anonymous", ("/connexion/", submit_empty(r"connecter"))),
    ("signup", "anonymous", "/inscription/"),
    ("signup-errors", "anonymous", ("/inscription/", submit_empty(r"compte|inscri|Créer"))),
    ("password-reset", "anonymous", "/mot-de-passe/oublie/"),
    ("agent-home", "agent", "/mon-espace/"),
    ("join", "agent", "/adhesions/demander/"),
    ("step-1", "agent", "/diagnostics/{pk}/etapes/1/"),
    ("step-4", "agent", "/diagnostics/{pk}/etapes/4/"),
    ("step-errors", "agent", (None, step_with_error)),
    ("summary", "agent", "/diagnostics/{pk}/relecture/"),
    ("submit", "agent", "/diagnostics/{pk}/transmettre/"),
    ("history", "agent", "/diagnostics/{pk}/historique/"),
    ("plan", "agent", "/diagnostics/{pk}/plan/"),
    ("plan-publication", "agent", "/diagnostics/{pk}/plan/publication/"),
    ("published-plan", "anonymous", (None, published_plan_page)),
    ("progress", "agent", "/communes/{insee}/progression/"),
    ("coordinator-home", "coordinator", "/mon-espace/"),
    ("memberships", "coordinator", "/adhesions/"),
    ("membership-decide", "coordinator", (None, decide_page)),
    ("invite", "coordinator", "/adhesions/inviter/"),
    ("dashboard", "coordinator", "/tableau-de-bord/"),
    ("dashboard-commune", "coordinator", "/tableau-de-bord/communes/{insee}/"),
    ("dashboard-review", "coordinator", "/tableau-de-bord/diagnostics/{pk}/avis/"),
    ("legal-notice", "anonymous", "/mentions-legales/"),
    ("personal-data-policy", "anonymous", "/donnees-personnelles/"),
    ("my-personal-data", "agent", "/mon-espace/donnees/"),
    ("account-delete", "agent", "/mon-espace/supprimer-mon-compte/"),
    ("account-delete-errors", "agent", ("/mon-espace/supprimer-mon-compte/", submit_empty(r"Supprimer"))),
]


@pytest.fixture(scope="module")
def role_states(browser, live_site, journey_users):
    """Signed-in storage states per role, and the ids used in paths. The agent's diagnostic has two steps filled."""
    require_command(live_site, "load_open_data")
    agent = journey_users["agents"]["axe"]
    states, pk = signed_in_states(
        browser,
        live_site,
        agent_email=agent["email"],
        coordinator_email=journey_users["coordinators"]["axe"]["email"],
        password=journey_users["password"],
    )
    ctx = {"pk": pk, "insee": agent["insee"], "pending_email": journey_users["pending"]["axe"]["email"]}
    published = live_site.manage("shell", "-c", _PUBLISH_ONE).stdout.strip().splitlines()
    ctx["published"] = published[-1] if published else ""
    return states, ctx


def open_case(page, target, ctx):
    if isinstance(target, str):
        response = page.goto(target.format(**ctx))
        assert response.status in {200, 404}, f"{target}: {response.status}"
    else:
        path, action = target
        if path:
            page.goto(path.format(**ctx))
        action(page, ctx)
    page.wait_for_load_state("load")
    bring_in_the_map(page)


def bring_in_the_map(page):
    """A map is built when it comes near the viewport, after the page's load (static/js/map.js): scroll to it and
    let it fill, so that axe checks Leaflet's controls and shapes too."""
    element = page.locator(".folium-map, #dashboard-map")
    if not element.count():
        return
    element.first.scroll_into_view_if_needed()
    expect(page.locator(".leaflet-container").first).to_be_visible()
    shapes = page.locator("path.leaflet-interactive")
    count = -1
    while shapes.count() != count:  # still filling
        count = shapes.count()
        page.wait_for_timeout(500)
    page.evaluate("() => window.scrollTo(0, 0)")


@pytest.mark.parametrize(("case", "role", "target"), PAGES, ids=[p[0] for p in PAGES])
def test_page_has_no_axe_violations_and_reflows(case, role, target, browser, live_site, role_states):
    states, ctx = role_states
    options = {"base_url": live_site.base_url, "locale": "fr-FR", "storage_state": states[role]}

    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900}, **options)
    try:
        page = context.new_page()
        open_case(page, target, ctx)
        violations = run_axe(page)
        assert not violations, f"axe (WCAG 2.1 AA) on {case} {page.url}:\n{format_violations(violations)}"
    finally:
        context.close()

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, viewport in VIEWPORTS.items():
        context = browser.new_context(**viewport, **options)
        try:
            page = context.new_page()
            open_case(page, target, ctx)
            page.screenshot(path=str(SCREENSHOTS / f"{case}-{label}.png"), full_page=True)
            assert_no_horizontal_scroll(page)
        finally:
            context.close()
