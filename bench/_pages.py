"""Page types measured by the weight and bandwidth benches, and how to reach them with Chromium.

Shared by bench/weight_bench.py and bench/bandwidth_bench.py. Signed-in pages use MADE-UP accounts created in the
site's database (tests/e2e/helpers.create_journey_users), signed in by bench/_server.sign_in, and a storage state, so
the measured page load starts from a cold cache with only the session cookie.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# (label, role, path); {pk} = the agent's diagnostic id.
PAGES = [
    ("home", "anonymous", "/"),
    ("search", "anonymous", "/recherche/?q=saint"),
    ("profile", "anonymous", "/communes/18033/"),
    ("map", "anonymous", "/departements/18/carte/"),
    ("région map", "anonymous", "/regions/84/carte/"),  # Auvergne-Rhône-Alpes: all of it with --departements AURA
    ("login", "anonymous", "/connexion/"),
    ("questionnaire step", "agent", "/diagnostics/{pk}/etapes/1/"),
    ("plan", "agent", "/diagnostics/{pk}/plan/"),
    ("dashboard", "coordinator", "/tableau-de-bord/"),
]


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusion.settings_test")
    import django

    django.setup()


def signed_in_states(browser, site) -> tuple[dict, dict]:
    """Storage states for anonymous, agent (with a diagnostic, two steps filled) and coordinator; and {pk}.

    The same signed-in setup as the accessibility journeys (tests/e2e/helpers.signed_in_states, which signs in with
    bench/_server.sign_in), for MADE-UP accounts created in the site's database.
    """
    setup_django()
    from tests.e2e.helpers import create_journey_users
    from tests.e2e.helpers import signed_in_states as e2e_signed_in_states

    users = create_journey_users(site, agents=["bench"], pending=[], coordinators=["bench"])
    states, pk = e2e_signed_in_states(
        browser,
        site,
        agent_email=users["agents"]["bench"]["email"],
        coordinator_email=users["coordinators"]["bench"]["email"],
        password=users["password"],
    )
    return states, {"pk": pk}


# The heaviest pages of a national site (measured on 2026-12-01 over the 96 départements): the Nord's map (647
# communes and the most places of help), a profile and a plan in it (Lille), and the dashboard on the Pas-de-Calais
# (887 communes, the most of any département) for a coordinator of the Hauts-de-France Hub. {pk}: Lille's diagnostic.
HEAVIEST_PAGES = [
    ("map, Nord", "anonymous", "/departements/59/carte/"),
    ("profile, Lille", "anonymous", "/communes/59350/"),
    ("plan, Lille", "agent", "/diagnostics/{pk}/plan/"),
    ("dashboard, 62", "coordinator", "/tableau-de-bord/?departement=62"),
]

_HEAVIEST_SNIPPET = r"""
import json, secrets
from inclusion.accounts.models import Membership, User
from territories.models import Commune, Departement
lille = Commune.objects.filter(insee="59350").exclude(geometry="").first()
hub = Departement.objects.filter(code="62").values_list("hub", flat=True).first()
if lille is None or hub is None:
    print(json.dumps(None))
else:
    password = "Poids-" + secrets.token_hex(8)
    def user(email, **fields):
        User.objects.filter(email=email).delete()
        return User.objects.create_user(email=email, password=password, first_name="Test", last_name="Poids", **fields)
    agent = user("poids-lille@bench.example.org")
    Membership.objects.create(user=agent, commune=lille, status="approved")
    coordinator = user("poids-hdf@bench.example.org", hub_id=hub)
    print(json.dumps({"agent": agent.email, "coordinator": coordinator.email, "password": password}))
"""


def heaviest_states(browser, site) -> tuple[dict, dict] | None:
    """Storage states and {pk} for HEAVIEST_PAGES (MADE-UP accounts: an agent of Lille with a diagnostic, two steps
    filled, and a coordinator of the Pas-de-Calais's Hub); None when the site has no contours of the Nord."""
    import json

    setup_django()
    from tests.e2e.helpers import signed_in_states as e2e_signed_in_states

    accounts = json.loads(site.manage("shell", "-c", _HEAVIEST_SNIPPET).stdout.strip().splitlines()[-1])
    if accounts is None:
        return None
    states, pk = e2e_signed_in_states(
        browser,
        site,
        agent_email=accounts["agent"],
        coordinator_email=accounts["coordinator"],
        password=accounts["password"],
    )
    return states, {"pk": pk}


# The 12 départements of Auvergne-Rhône-Alpes (4 030 communes): `--departements AURA` in the benches.
AURA = ["01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"]


def departements_arg(values: list[str] | None) -> list[str] | None:
    """`--departements` values, `AURA` standing for the 12 départements of Auvergne-Rhône-Alpes."""
    if not values:
        return None
    expanded = []
    for value in values:
        expanded += AURA if value.upper() == "AURA" else [value]
    return list(dict.fromkeys(expanded))


def site_from_args(args, workdir: Path):
    """Start our own site (SQLite in workdir, or PostgreSQL from DATABASE_URL) unless --url/--workdir are given."""
    sys.path.insert(0, str(ROOT / "bench"))
    from _server import LiveSite, _manage, default_data_dir, production_env, start_site

    if args.url:
        site_dir = Path(args.site_workdir)
        env = production_env(site_dir, f"sqlite:///{site_dir / 'db.sqlite3'}", default_data_dir())
        commands = set(_manage(env, ["help", "--commands"]).stdout.split())
        return LiveSite(base_url=args.url, env=env, workdir=site_dir, database_url="", commands=commands), False
    # Default: all of France, as `make run` (a few minutes: import, then the shared cache is warmed).
    departements = getattr(args, "departements", None) or None
    return start_site(workdir, data_dir=default_data_dir(), departements=departements, workers=2, threads=2), True
