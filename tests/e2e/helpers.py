"""Helpers shared by the browser journeys and the browser benches (bench/_pages.py): the live site's module, demo
accounts, sign-in, signed-in storage states, generic form filling, keyboard navigation, axe."""

from __future__ import annotations

import importlib.util
import json
import re
import secrets
import sys
from pathlib import Path

import pytest
from django.urls import reverse

VENDOR = Path(__file__).resolve().parent / "vendor"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ROOT = Path(__file__).resolve().parents[2]
SERVER_MODULE = "inclusion_bench_server"


def server_module():
    """bench/_server.py (start_site, LiveSite, sign_in…), loaded by path once: bench/ is not a package."""
    if SERVER_MODULE not in sys.modules:
        spec = importlib.util.spec_from_file_location(SERVER_MODULE, ROOT / "bench" / "_server.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    return sys.modules[SERVER_MODULE]


# ---------------------------------------------------------------------------------------------------------------
# Optional management commands


def require_command(site, name: str) -> None:
    if not site.has_command(name):
        pytest.skip(f"manage.py {name} not implemented yet")


# ---------------------------------------------------------------------------------------------------------------
# Demo accounts (created by seed_demo) and made-up fixtures for a journey, read from the live site's database.

_DEMO_SNIPPET = r"""
import json
from inclusion.accounts.models import Membership, User
from diagnostic.models import Diagnostic
out = {"agents": [], "pending": [], "coordinators": [], "staff": []}
for user in User.objects.filter(is_active=True).order_by("id"):
    approved = list(user.memberships.filter(status="approved").values_list("commune_id", flat=True))
    pending = list(user.memberships.filter(status="pending").values_list("commune_id", flat=True))
    row = {"email": user.email, "communes": approved, "pending": pending, "hub": user.hub_id}
    if user.is_staff:
        out["staff"].append(row)
    elif user.hub_id:
        out["coordinators"].append(row)
    elif approved:
        diagnostics = Diagnostic.objects.filter(commune_id__in=approved)
        row["diagnostics"] = list(diagnostics.values("id", "status", "commune_id"))
        out["agents"].append(row)
    elif pending:
        from territories.models import Commune
        row["hubs"] = list(Commune.objects.filter(insee__in=pending).values_list("departement__hub_id", flat=True))
        out["pending"].append(row)
print(json.dumps(out))
"""


def demo_accounts(site) -> dict:
    """Users of the live database by role, plus the demo password declared by seed_demo."""
    if not site.has_command("seed_demo"):
        return {"agents": [], "pending": [], "coordinators": [], "staff": [], "password": None}
    data = json.loads(site.manage("shell", "-c", _DEMO_SNIPPET).stdout.strip().splitlines()[-1])
    data["password"] = demo_password()
    return data


_JOURNEY_SNIPPET = r"""
import json
from inclusion.accounts.models import Membership, User
from territories.models import Commune, Departement
spec = SPEC
deps = Departement.objects.filter(code__in=["18", "69", "84"])
dep = deps.filter(hub__isnull=False).order_by("code").first() or deps.order_by("code").first()
free = iter(
    Commune.objects.filter(departement=dep, diagnostics__isnull=True, memberships__isnull=True, population__gt=0)
    .order_by("insee")[5:200]
)
out = {"password": spec["password"], "agents": {}, "pending": {}, "coordinators": {}, "departement": dep.code}
def user(email, **fields):
    User.objects.filter(email=email).delete()
    names = {"first_name": "Test", "last_name": "E2E"}
    return User.objects.create_user(email=email, password=spec["password"], **names, **fields)
for label in spec["agents"]:
    commune = next(free)
    u = user(f"agent-{label}@e2e.example.org")
    Membership.objects.create(user=u, commune=commune, status="approved")
    out["agents"][label] = {"email": u.email, "insee": commune.insee, "commune": commune.name}
for label in spec["pending"]:
    commune = next(free)
    u = user(f"pending-{label}@e2e.example.org")
    Membership.objects.create(user=u, commune=commune, status="pending", message="Secrétaire de mairie (e2e)")
    out["pending"][label] = {"email": u.email, "insee": commune.insee, "commune": commune.name}
for label in spec["coordinators"]:
    u = user(f"coord-{label}@e2e.example.org", hub=dep.hub)
    out["coordinators"][label] = {"email": u.email, "hub": dep.hub_id}
print(json.dumps(out))
"""


def create_journey_users(site, *, agents, pending, coordinators) -> dict:
    spec = {
        "password": "E2e-mot-de-passe-" + secrets.token_hex(6),
        "agents": agents,
        "pending": pending,
        "coordinators": coordinators,
    }
    code = _JOURNEY_SNIPPET.replace("SPEC", repr(spec))
    return json.loads(site.manage("shell", "-c", code).stdout.strip().splitlines()[-1])


def demo_password() -> str | None:
    try:
        from diagnostic.management.commands import seed_demo  # noqa: PLC0415
    except ImportError:
        try:
            from inclusion.accounts.management.commands import seed_demo  # noqa: PLC0415
        except ImportError:
            return None
    for name in ("DEMO_PASSWORD", "PASSWORD", "DEFAULT_PASSWORD"):
        if isinstance(getattr(seed_demo, name, None), str):
            return getattr(seed_demo, name)
    return None


# ---------------------------------------------------------------------------------------------------------------
# Page checks


def watch_console(page) -> None:
    """Collect console errors (CSP violations are reported there) and uncaught exceptions."""
    page.console_errors = []

    def on_console(msg):
        if msg.type == "error":
            page.console_errors.append(f"{msg.text} ({(msg.location or {}).get('url', '')})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: page.console_errors.append(f"pageerror: {exc}"))


def assert_clean_console(page, allow: str | None = None) -> None:
    errors = [e for e in page.console_errors if "favicon" not in e and not (allow and re.search(allow, e))]
    assert not errors, f"Console errors on {page.url}: {errors}"


def assert_no_horizontal_scroll(page) -> None:
    sizes = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})"
    )
    if sizes["scroll"] > sizes["client"]:
        culprits = page.evaluate(
            """() => { const w = document.documentElement.clientWidth; const out = [];
            const clipped = (el) => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
                const o = getComputedStyle(p).overflowX; if (o !== 'visible') return true; } return false; };
            for (const el of document.querySelectorAll('body *')) { const r = el.getBoundingClientRect();
              if (r.right > w + 1 && r.width > 0 && !clipped(el)) out.push(el.tagName.toLowerCase()
                + (el.id ? '#' + el.id : '')
                + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '')
                + ' right=' + Math.round(r.right)); if (out.length > 8) break; } return out; }"""
        )
        pytest.fail(f"Horizontal scroll on {page.url}: scrollWidth {sizes['scroll']} > {sizes['client']}: {culprits}")


def run_axe(page) -> list[dict]:
    """Inject axe-core (the context must be created with bypass_csp=True) and return WCAG 2.1 AA violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(VENDOR / "axe.min.js"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return result["violations"]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------------
# Sign-in


def login(page, email: str, password: str) -> None:
    """Sign in through the page, as a person does (the journeys that test signing in use this)."""
    page.goto(reverse("accounts:login"))
    page.get_by_label(re.compile(r"e-?mail|adresse", re.I)).first.fill(email)
    page.get_by_label(re.compile(r"mot de passe", re.I)).first.fill(password)
    page.get_by_role("main").get_by_role("button", name=re.compile(r"connecter", re.I)).click()
    page.wait_for_load_state()
    assert "/connexion/" not in page.url, f"Sign-in failed for {email}: {page.get_by_role('main').inner_text()[:500]}"


def logout(page) -> None:
    page.get_by_role("button", name=re.compile(r"déconnecter", re.I)).first.click()
    page.wait_for_load_state()


def sign_in(context, site, email: str, password: str) -> None:
    """Give the browser `context` a signed-in session of `email` (bench/_server.sign_in: the real sign-in form, over
    HTTP), for journeys and benches whose subject is not the sign-in itself."""
    server = server_module()
    context.add_cookies(server.browser_cookies(site.base_url, server.sign_in(site.base_url, email, password)))


STEP_URL = re.compile(r"/diagnostics/(\d+)/etapes/(\d+)/")


def step_form(page):
    return (
        page.get_by_role("main")
        .locator("form.questionnaire, form[method=post]")
        .filter(has=page.get_by_role("button", name=re.compile(r"^Enregistrer et (continuer|relire)")))
    )


def current_step(page) -> tuple[int, int]:
    match = STEP_URL.search(page.url)
    assert match, f"not on a questionnaire step: {page.url}"
    return int(match.group(1)), int(match.group(2))


def ensure_diagnostic(page) -> int:
    """Start the signed-in agent's diagnostic if needed; returns its id."""
    page.goto(reverse("accounts:home"))
    start = page.get_by_role("main").get_by_role("button", name=re.compile(r"Commencer le diagnostic"))
    if start.count():
        start.first.click()
    else:
        page.get_by_role("main").get_by_role("link", name=re.compile(r"Continuer le diagnostic")).first.click()
    page.wait_for_url(STEP_URL)
    return current_step(page)[0]


def signed_in_states(browser, site, *, agent_email: str, coordinator_email: str, password: str) -> tuple[dict, int]:
    """Playwright storage states by role ("anonymous": None, "agent", "coordinator") and the agent's diagnostic id.

    The agent's diagnostic is started and its first two steps filled, so that its pages have answers to show.
    """
    states = {"anonymous": None}
    context = browser.new_context(base_url=site.base_url)
    sign_in(context, site, agent_email, password)
    page = context.new_page()
    pk = ensure_diagnostic(page)
    for n in (1, 2):
        page.goto(f"/diagnostics/{pk}/etapes/{n}/")
        fill_form(step_form(page))
        step_form(page).get_by_role("button", name="Enregistrer", exact=True).click()
        page.wait_for_load_state()
    states["agent"] = context.storage_state()
    context.close()
    context = browser.new_context(base_url=site.base_url)
    sign_in(context, site, coordinator_email, password)
    states["coordinator"] = context.storage_state()
    context.close()
    return states, pk


# ---------------------------------------------------------------------------------------------------------------
# Generic form filling: fills every visible field of a form whatever the questionnaire step contains.

_FIELDS_JS = """
(form) => {
  const out = [];
  const seen = new Set();
  for (const el of form.elements) {
    if (!el.name || el.disabled || el.type === 'hidden' || el.type === 'submit' || el.type === 'button') continue;
    if (el.name === 'csrfmiddlewaretoken') continue;
    const key = el.type + ':' + el.name;
    if ((el.type === 'radio' || el.type === 'checkbox') && seen.has(key)) continue;
    seen.add(key);
    out.push({name: el.name, type: el.type, tag: el.tagName.toLowerCase(), required: el.required});
  }
  return out;
}
"""


def form_fields(form) -> list[dict]:
    return form.evaluate(_FIELDS_JS)


def fill_form(form, *, text: str = "Test e2e", number: str = "3", choice_index: int = 0) -> dict:
    """Fill every field of `form` (a Locator) with plausible values; returns what was chosen by field name."""
    chosen = {}
    for field in form_fields(form):
        name, kind = field["name"], field["type"]
        if name.endswith(("__unknown", "__comment", "version")):  # "don't know" boxes, optional comments, lock
            continue
        selector = f'[name="{name}"]'
        if kind == "radio":
            options = form.locator(f"input[type=radio]{selector}")
            option = options.nth(min(choice_index, options.count() - 1))
            option.check()
            chosen[name] = option.get_attribute("value")
        elif kind == "checkbox":
            option = form.locator(f"input[type=checkbox]{selector}").first
            option.check()
            chosen[name] = option.get_attribute("value")
        elif field["tag"] == "select":
            values = form.locator(f"select{selector} option").evaluate_all(
                "(opts) => opts.map(o => o.value).filter(v => v !== '')"
            )
            if values:
                form.locator(f"select{selector}").select_option(values[min(choice_index, len(values) - 1)])
                chosen[name] = values[min(choice_index, len(values) - 1)]
        elif kind == "number":
            form.locator(selector).fill(number)
            chosen[name] = number
        elif kind == "date":
            form.locator(selector).fill("2027-03-31")
            chosen[name] = "2027-03-31"
        elif kind in {"text", "textarea", "email", "url", "tel", "search"} or field["tag"] == "textarea":
            if not form.locator(selector).input_value():
                form.locator(selector).fill(text)
            chosen[name] = form.locator(selector).input_value()
    return chosen


# ---------------------------------------------------------------------------------------------------------------
# Keyboard only


_ACTIVE_JS = """
() => { const el = document.activeElement; if (!el || el === document.body) return null;
  let label = el.getAttribute('aria-label') || '';
  if (!label && el.labels && el.labels.length) label = el.labels[0].innerText;
  return {tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '', text: (el.innerText || '').trim(),
          label: label.trim(), value: el.value || '', href: el.getAttribute('href') || '', checked: !!el.checked}; }
"""


def active(page) -> dict | None:
    return page.evaluate(_ACTIVE_JS)


def tab_to(page, predicate, *, max_tabs: int = 250, reverse_direction: bool = False) -> dict:
    """Press Tab until the focused element satisfies `predicate(info)`; fails after max_tabs presses."""
    key = "Shift+Tab" if reverse_direction else "Tab"
    seen = []
    for _ in range(max_tabs):
        page.keyboard.press(key)
        info = active(page)
        if info and predicate(info):
            return info
        seen.append(info and (info["name"] or info["text"][:30] or info["tag"]))
    pytest.fail(f"Keyboard: no focusable element matched on {page.url} after {max_tabs} {key}: {seen[:40]}")


def text_matches(pattern: str):
    regex = re.compile(pattern, re.I)
    return lambda info: bool(regex.search(info["text"] or info["label"] or info["value"]))
