"""Maps and the keyboard: the commune shapes and place markers are not Tab stops (Leaflet 1.9 makes every layer with a
tooltip focusable: ~400 stops on a département map), a "Passer la carte" link jumps over each map to its text
alternative, and Leaflet's controls are labelled in French."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import active, assert_clean_console

pytestmark = pytest.mark.e2e

MAP_PAGE = "/departements/18/carte/"
MAX_TAB_STOPS = 15

# Where the focus is, relative to the (first) Leaflet map: "before", "inside" or "after".
_WHERE_JS = """
() => {
  const map = document.querySelector('.leaflet-container');
  const el = document.activeElement;
  if (!map || !el || el === document.body) return null;
  if (map.contains(el)) return 'inside';
  return map.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING ? 'after' : 'before';
}
"""


def tab_stops_to_after_map(page, max_tabs: int = 60) -> tuple[int, list]:
    """Press Tab from the top of the page until the focus is past the map; returns the count and what was seen."""
    page.locator("body").focus()
    seen = []
    for count in range(1, max_tabs + 1):
        page.keyboard.press("Tab")
        where = page.evaluate(_WHERE_JS)
        info = active(page)
        seen.append((where, info and (info["text"][:30] or info["label"] or info["tag"])))
        if where == "after":
            return count, seen
    pytest.fail(f"Keyboard: still not past the map after {max_tabs} Tab presses on {page.url}: {seen}")


def wait_for_map(page) -> None:
    # a map is built when it comes near the viewport (static/js/map.js): the profile's is far down the page
    page.locator("#carte-interactive").scroll_into_view_if_needed()
    expect(page.locator(".leaflet-container").first).to_be_visible()
    expect(page.locator("path.leaflet-interactive").first).to_be_attached()


def test_departement_map_is_few_tab_stops(js_page, live_site):
    page = js_page
    page.goto(MAP_PAGE)
    wait_for_map(page)
    count, seen = tab_stops_to_after_map(page)
    assert count <= MAX_TAB_STOPS, f"{count} Tab stops to get past the map: {seen}"
    # the map container itself stays focusable (arrows pan, + and − zoom)
    assert any(where == "inside" for where, _ in seen), seen
    # the first stop after the map is the text alternative (the table of the communes)
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == "/departements/18/"
    assert_clean_console(page)


def test_shapes_stay_out_of_the_tab_order_after_a_layer_toggle(js_page, live_site):
    page = js_page
    page.goto(MAP_PAGE)
    wait_for_map(page)
    page.locator(".leaflet-control-layers").hover()
    for label in ["Indice de fragilité numérique", "France services"]:
        checkbox = page.locator(".leaflet-control-layers-overlays label").filter(has_text=label).locator("input")
        checkbox.uncheck()
        checkbox.check()
    page.mouse.move(5, 5)  # the layer control collapses
    focusable = page.evaluate(
        "() => [...document.querySelectorAll('.leaflet-container path')]"
        ".filter(p => p.getAttribute('tabindex') !== '-1').length"
    )
    assert focusable == 0
    count, seen = tab_stops_to_after_map(page)
    assert count <= MAX_TAB_STOPS, f"{count} Tab stops after toggling layers: {seen}"


@pytest.mark.parametrize("path", [MAP_PAGE, "/communes/18033/"])
def test_skip_link_jumps_to_the_text_alternative(js_page, live_site, path):
    page = js_page
    page.goto(path)
    wait_for_map(page)
    skip = page.get_by_role("link", name="Passer la carte")
    skip.focus()
    expect(skip).to_be_visible()  # shown when focused
    assert page.evaluate("() => document.activeElement.getBoundingClientRect().left") >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "carte-alternative"
    page.keyboard.press("Tab")
    assert page.evaluate(_WHERE_JS) == "after"
    assert active(page)["href"].startswith("/departements/")


def test_skip_link_is_off_screen_until_focused(js_page, live_site):
    page = js_page
    page.goto(MAP_PAGE)
    box = page.get_by_role("link", name="Passer la carte").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 0


def test_leaflet_controls_are_in_french(js_page, live_site):
    page = js_page
    page.goto(MAP_PAGE)
    wait_for_map(page)
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "Zoom avant")
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("aria-label", "Zoom avant")
    expect(page.locator(".leaflet-control-zoom-out")).to_have_attribute("title", "Zoom arrière")
    toggle = page.locator(".leaflet-control-layers-toggle")
    expect(toggle).to_have_attribute("title", "Couches de la carte")
    expect(toggle).to_have_text("Couches")  # a visible label, part of its accessible name
    expect(page.locator(".leaflet-control-scale-line")).to_have_count(1)  # metric only, no miles/feet
    page.locator("path.leaflet-interactive").nth(50).dispatch_event("click")
    expect(page.locator(".leaflet-popup-close-button")).to_have_attribute("aria-label", "Fermer")
    texts = page.locator(".leaflet-container").first.evaluate(
        "m => [...m.querySelectorAll('[title], [aria-label]')]"
        ".map(e => (e.getAttribute('title') || '') + ' ' + (e.getAttribute('aria-label') || ''))"
    )
    english = [t for t in texts if any(word in t for word in ("Zoom in", "Zoom out", "Layers", "Close"))]
    assert not english, english
    assert_clean_console(page)
