"""End-to-end fixtures: the real site under gunicorn (production-like settings) driven by Debian's Chromium.

`live_site` (package scope) prepares its own database — a SQLite file in a temporary folder, or, when DATABASE_URL is
PostgreSQL, a separate database `inclusion_e2e_<pid>` that it drops at the end — then runs `migrate`,
`load_open_data --departements 18 69 84 --data-dir $INCLUSION_DATA_DIR`, `seed_demo` and `collectstatic` as
subprocesses and starts gunicorn on 127.0.0.1 with a free port (see bench/_server.py).

It skips with a clear reason when the real data folder or Chromium is absent, and fails instead in CI (CI=true).
Every test here is marked `e2e` (`pytest -m "not e2e"` leaves them out). While iterating, reuse a running site:
`.venv/bin/python bench/_server.py /tmp/site` then `E2E_BASE_URL=<its URL> E2E_SITE_WORKDIR=/tmp/site pytest tests/e2e`.
The Playwright objects live only for the duration of this package: the sync API keeps an event loop running, which
would make Django refuse ORM calls in the tests that run after it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e import helpers

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)


def _skip_or_fail(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must provide it).")
    pytest.skip(reason)


@pytest.fixture(scope="package")
def chromium_path() -> str:
    path = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if not path:
        _skip_or_fail(f"Chromium absent ({CHROMIUM}): apt-get install -y chromium to run the browser tests")
    return path


@pytest.fixture(scope="package")
def live_site(real_data_dir, chromium_path, tmp_path_factory) -> Iterator:
    server = helpers.server_module()
    if os.environ.get("E2E_BASE_URL"):  # reuse a site started by `bench/_server.py WORKDIR` (SQLite) while iterating
        workdir = Path(os.environ["E2E_SITE_WORKDIR"])
        env = server.production_env(workdir, f"sqlite:///{workdir / 'db.sqlite3'}", real_data_dir)
        commands = set(server._manage(env, ["help", "--commands"]).stdout.split())
        yield server.LiveSite(
            base_url=os.environ["E2E_BASE_URL"], env=env, workdir=workdir, database_url="", commands=commands
        )
        return
    site = server.start_site(tmp_path_factory.mktemp("e2e_site"), data_dir=real_data_dir, workers=2, threads=2)
    try:
        yield site
    finally:
        site.stop()


@pytest.fixture(scope="package")
def playwright_instance(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="package")
def browser(playwright_instance, chromium_path):
    browser = playwright_instance.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def make_context(browser, live_site):
    """Factory of browser contexts on the live site: make_context(js=False), make_context(bypass_csp=True)…"""
    contexts = []

    def factory(*, js: bool = True, bypass_csp: bool = False, **options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        options.setdefault("locale", "fr-FR")
        context = browser.new_context(
            base_url=live_site.base_url, java_script_enabled=js, bypass_csp=bypass_csp, **options
        )
        context.set_default_timeout(15_000)
        # Assertions wait as long as actions: a page behind a POST that hashes a password (sign-up, sign-in: PBKDF2)
        # can take more than Playwright's 5 s default on a loaded 2-core CI machine.
        from playwright.sync_api import expect

        expect.set_options(timeout=15_000)
        contexts.append(context)
        return context

    yield factory
    for context in contexts:
        context.close()


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def page(request, make_context):
    """A page with JavaScript enabled, then the same test again with JavaScript disabled."""
    context = make_context(js=request.param)
    page = context.new_page()
    page.js_enabled = request.param
    helpers.watch_console(page)
    return page


@pytest.fixture
def js_page(make_context):
    page = make_context(js=True).new_page()
    page.js_enabled = True
    helpers.watch_console(page)
    return page


@pytest.fixture(scope="package")
def demo(live_site):
    """Demo accounts created by seed_demo (see helpers.demo_accounts)."""
    return helpers.demo_accounts(live_site)


@pytest.fixture(scope="package")
def journey_users(live_site):
    """Fresh MADE-UP accounts in the live database, one set per journey so that journeys never share a commune.

    Returns {"password": …, "agents": {label: {...}}, "pending": {label: {...}}, "coordinators": {label: {...}}}.
    Agents are approved members of a commune without diagnostic; pending agents asked to join a commune of the
    coordinators' Hub; coordinators coordinate the Hub of the first loaded département that has one.
    """
    helpers.require_command(live_site, "load_open_data")
    return helpers.create_journey_users(
        live_site,
        agents=["js", "nojs", "keyboard", "axe", "weight"],
        pending=["js", "nojs", "axe"],
        coordinators=["js", "nojs", "axe"],
    )
