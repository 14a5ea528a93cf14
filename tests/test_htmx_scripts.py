"""htmx (15 KB on the wire) is loaded by exactly the pages that use it.

Every page of the URLconf, for each role, on the MADE-UP dataset of tests/test_url_permissions.py: a page with an
hx-get / hx-post element loads htmx (at once, or on demand for the plan and the dashboard, which are mostly read); a
page without one loads none. A page that forgot its `{% block htmx %}` would work without the smoother behaviour,
and a page loading htmx for nothing would cost a reader on a rural connection 15 KB: both fail here.
"""

from __future__ import annotations

import re

import pytest

from tests.test_url_permissions import build_dataset, client_for, resolve_urls

HX_REQUEST = re.compile(r"\shx-(get|post|put|patch|delete)=")
EAGER = re.compile(r'<script src="[^"]*vendor/htmx/htmx\.min[^"]*"')
ON_DEMAND = re.compile(r'<script src="[^"]*js/htmx-on-demand[^"]*" data-htmx="[^"]*vendor/htmx/htmx\.min[^"]*"')
ON_DEMAND_PAGES = {"diagnostic:plan", "diagnostic:dashboard"}


def htmx_loading(html: str) -> str | None:
    eager, on_demand = bool(EAGER.search(html)), bool(ON_DEMAND.search(html))
    assert not (eager and on_demand), "htmx loaded twice"
    return "eager" if eager else "on demand" if on_demand else None


@pytest.mark.parametrize("role", ["anonymous", "pending_agent", "agent", "coordinator", "staff"])
def test_a_page_loads_htmx_if_and_only_if_it_uses_it(role, db):
    data = build_dataset()
    client = client_for(role, data)
    checked, wrong = [], []
    for name, url in resolve_urls(data).items():
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        if "<html" not in html:  # an htmx fragment
            continue
        checked.append(name)
        uses, loading = bool(HX_REQUEST.search(html)), htmx_loading(html)
        expected = ("on demand" if name in ON_DEMAND_PAGES else "eager") if uses else None
        if loading != expected:
            found = "present" if uses else "absent"
            wrong.append(f"{name} {url}: hx- elements {found}, htmx {loading or 'not loaded'}")
    assert checked, "no page checked"
    assert not wrong, f"Role {role}:\n" + "\n".join(wrong)


def test_the_pages_that_need_htmx_at_once_load_it(client, db):
    data = build_dataset()
    urls = resolve_urls(data)
    home = client.get(urls["territories:home"]).content.decode()
    assert htmx_loading(home) == "eager"  # suggestions while typing in the search form
    assert htmx_loading(client.get(urls["accounts:signup"]).content.decode()) == "eager"  # commune suggestions
    assert htmx_loading(client.get(urls["territories:commune"]).content.decode()) is None  # a profile: no hx- element
    agent = client_for("agent", data)
    assert htmx_loading(agent.get(urls["diagnostic:step"]).content.decode()) == "eager"  # autosave
    assert htmx_loading(agent.get(urls["diagnostic:plan"]).content.decode()) == "on demand"  # follow-up forms
    coordinator = client_for("coordinator", data)
    assert htmx_loading(coordinator.get(urls["diagnostic:plan"]).content.decode()) is None  # read only: no form
    assert htmx_loading(coordinator.get(urls["diagnostic:dashboard"]).content.decode()) == "on demand"


def test_the_not_found_page_loads_htmx_for_its_search_form(client, db):
    html = client.get("/communes/00000/").content.decode()
    assert HX_REQUEST.search(html)
    assert htmx_loading(html) == "eager"
