"""An agent publishes the commune's plan and withdraws it, with and without JavaScript; anyone reads the public page.

Uses the demo agent of Boulleret (seed_demo: a submitted diagnostic) on the live site.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import assert_clean_console, demo_password, login, logout, require_command

_RESET = r"""
import json
from diagnostic.models import Diagnostic
d = Diagnostic.objects.filter(commune_id="18032", status="submitted").order_by("-year").first()
if d:
    Diagnostic.objects.filter(pk=d.pk).update(published_at=None)
print(json.dumps({"pk": d.pk, "year": d.year} if d else None))
"""


@pytest.fixture
def boulleret(live_site):
    require_command(live_site, "seed_demo")
    found = json.loads(live_site.manage("shell", "-c", _RESET).stdout.strip().splitlines()[-1])
    if not found or not demo_password():
        pytest.skip("no submitted demo diagnostic of Boulleret (seed_demo)")
    return found


def test_agent_publishes_then_withdraws_the_plan(page, make_context, boulleret):
    public = f"/plans/18032/{boulleret['year']}/"
    login(page, "agent.boulleret@demo.invalid", demo_password())
    page.goto(f"/diagnostics/{boulleret['pk']}/plan/")
    page.get_by_role("link", name="Publier le plan pour le faire connaître").click()
    expect(page.get_by_role("heading", name="Ce qui n'est jamais publié")).to_be_visible()
    page.get_by_role("button", name="Publier le plan").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Le plan est publié.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Plan publié le \d"))).to_be_visible()

    visitor = make_context(js=page.js_enabled).new_page()
    response = visitor.goto(public)
    assert response.status == 200
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("Boulleret")
    for number in range(1, 6):
        expect(visitor.locator(f"#mesure-{number}-titre")).to_contain_text("priorité")
    assert "Responsable" not in visitor.get_by_role("main").inner_text()

    page.get_by_role("button", name="Retirer la publication").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Le plan n'est plus publié")).to_be_visible()
    assert visitor.goto(public).status == 404
    assert_clean_console(page)
    logout(page)
