"""MADE-UP worlds spanning the apps: territories, accounts and diagnostics built together (every name is invented).

`build_world()` (fixture `world_fixture`, named `world`): the role matrix of tests/permission_table.py. Two made-up
Hubs, each with one made-up département and commune, a diagnostic of the first commune, and one user per role:

    anonymous, pending_agent (pending request for the commune), agent (approved member of the commune),
    other_agent (approved member of a commune of the other Hub), coordinator (Hub of the commune),
    other_coordinator (the other Hub), staff.

`build_dashboard_world()` (fixture `dashboard_world_fixture`, also named `world`): the dashboard's territory.
Hub A covers départements "91" and "92" (région "90"); Hub B covers "93" (région "94").

    91001 Alpha      pop 1200  IFN 8.5  EPCI 1   diagnostic submitted, low capacity, measures 1 and 4 high
    91002 Bravo      pop 1500  IFN 8.6  EPCI 1   diagnostic draft, high capacity, measure 2 high
    91003 Charlie    pop  300  IFN 3.0  EPCI 2   no diagnostic
    91004 Delta      pop 1100  IFN 8.3  -        no diagnostic (fragile)
    92001 Echo       pop 1300  IFN 8.4  -        submitted last year only
    93001 Zulu (B)   pop 1250  IFN 8.5  -        submitted, measure 1 high (other Hub)

Import a fixture into a test module or conftest (`from tests.factories import world_fixture  # noqa: F401`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from diagnostic.models import Diagnostic
from inclusion.accounts.models import Membership
from tests.factories.accounts import make_member, make_user
from tests.factories.diagnostic import make_diagnostic
from tests.factories.territories import make_commune, make_departement, make_epci, make_hub, make_region

ROLES = ["anonymous", "pending_agent", "agent", "other_agent", "coordinator", "other_coordinator", "staff"]


@dataclass
class World:
    hub: object
    other_hub: object
    commune: object
    other_commune: object
    diagnostic: Diagnostic
    users: dict = field(default_factory=dict)

    def __getattr__(self, name):
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


def build_world() -> World:
    region = make_region("99", "Région Imaginaire")
    other_region = make_region("98", "Autre Région Imaginaire")
    hub = make_hub("hub-imaginaire", "Hub Imaginaire", region=region)
    other_hub = make_hub("hub-autre", "Hub Autre", region=other_region)
    dep = make_departement("99", "Département Imaginaire", region=region, hub=hub)
    other_dep = make_departement("98", "Autre Département", region=other_region, hub=other_hub)
    commune = make_commune("99001", "Saint-Exemple", dep=dep)
    other_commune = make_commune("98001", "Autreville", dep=other_dep)

    users = {"anonymous": None}
    users["pending_agent"] = make_user("attente@exemple.invalid", first_name="Paula", last_name="Attente")
    make_member(users["pending_agent"], commune, Membership.Status.PENDING)
    users["agent"] = make_user("agent@exemple.invalid", first_name="Alice", last_name="Agent")
    make_member(users["agent"], commune)
    users["other_agent"] = make_user("autre.agent@exemple.invalid", first_name="Oscar", last_name="Autre")
    make_member(users["other_agent"], other_commune)
    users["coordinator"] = make_user("coord@exemple.invalid", hub=hub, first_name="Claire", last_name="Coord")
    users["other_coordinator"] = make_user(
        "autre.coord@exemple.invalid", hub=other_hub, first_name="Hugo", last_name="Horschamp"
    )
    users["staff"] = make_user("equipe@exemple.invalid", is_staff=True, first_name="Sam", last_name="Staff")
    diagnostic = make_diagnostic(commune, user=users["agent"])
    return World(hub, other_hub, commune, other_commune, diagnostic, users)


@pytest.fixture(name="world")
def world_fixture(db) -> World:
    return build_world()


@pytest.fixture(name="agent_client")
def agent_client_fixture(client, world):
    client.force_login(world.agent)
    return client


def build_dashboard_world() -> dict:
    year = timezone.now().year
    region_a, region_b = make_region("90", "Région A inventée"), make_region("94", "Région B inventée")
    hub_a = make_hub("hub-a-test", "Hub A inventé", region=region_a)
    hub_b = make_hub("hub-b-test", "Hub B inventé", region=region_b)
    dep_91 = make_departement("91", "Département 91 inventé", region=region_a, hub=hub_a)
    dep_92 = make_departement("92", "Département 92 inventé", region=region_a, hub=hub_a)
    dep_93 = make_departement("93", "Département 93 inventé", region=region_b, hub=hub_b)
    epci_1 = make_epci("900000001", "CC Une inventée")
    epci_2 = make_epci("900000002", "CC Deux inventée")
    c = {
        "alpha": make_commune("91001", "Alpha", dep=dep_91, population=1200, ifn=8.5, epci=epci_1),
        "bravo": make_commune("91002", "Bravo", dep=dep_91, population=1500, ifn=8.6, epci=epci_1),
        "charlie": make_commune("91003", "Charlie", dep=dep_91, population=300, ifn=3.0, epci=epci_2),
        "delta": make_commune("91004", "Delta", dep=dep_91, population=1100, ifn=8.3),
        "echo": make_commune("92001", "Echo", dep=dep_92, population=1300, ifn=8.4),
        "zulu": make_commune("93001", "Zulu", dep=dep_93, population=1250, ifn=8.5),
    }
    d = {
        "alpha": make_diagnostic(c["alpha"], status="submitted", level="low", high=(1, 4), statuses={1: "done"}),
        "alpha_last": make_diagnostic(
            c["alpha"], year=year - 1, status="submitted", level="high", high=(1,), statuses={1: "in_progress"}
        ),
        "bravo": make_diagnostic(c["bravo"], status="draft", level="high", high=(2,)),
        "echo_last": make_diagnostic(c["echo"], year=year - 1, status="submitted", level="low", high=(3,)),
        "zulu": make_diagnostic(c["zulu"], status="submitted", level="low", high=(1,)),
    }
    users = {
        "pending_agent": make_user("pending@example.org"),
        "agent": make_user("agent@example.org"),
        "agent2": make_user("agent2@example.org"),
        "other_agent": make_user("other-agent@example.org"),
        "coordinator": make_user("coord@example.org", hub=hub_a, first_name="Camille", last_name="Coord"),
        "other_coordinator": make_user("other-coord@example.org", hub=hub_b),
        "staff": make_user("staff@example.org", is_staff=True),
    }
    make_member(users["pending_agent"], c["alpha"], Membership.Status.PENDING)
    make_member(users["agent"], c["alpha"])
    make_member(users["agent2"], c["alpha"])
    make_member(users["other_agent"], c["zulu"])
    make_member(make_user("pending-zulu@example.org"), c["zulu"], Membership.Status.PENDING)
    return {"communes": c, "diagnostics": d, "users": users, "hub_a": hub_a, "hub_b": hub_b, "year": year}


@pytest.fixture(name="world")
def dashboard_world_fixture(db) -> dict:
    return build_dashboard_world()


def client_as(client, world: dict, role: str):
    """`client` signed in as `role` of the dashboard world (unchanged for "anonymous")."""
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client
