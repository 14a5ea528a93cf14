"""MADE-UP users, memberships and diagnostics for the role matrix (names and codes are invented).

`world` builds two made-up Hubs, each with one made-up département and commune, a diagnostic of the first commune,
and one user per role of tests/permission_table.py:

    anonymous, pending_agent (pending request for the commune), agent (approved member of the commune),
    other_agent (approved member of a commune of the other Hub), coordinator (Hub of the commune),
    other_coordinator (the other Hub), staff.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from diagnostic.models import Diagnostic
from diagnostic.questionnaire.definition import VERSION
from inclusion.accounts.models import Membership, User
from tests.factories import make_commune, make_departement, make_hub, make_region

PASSWORD = "mot-de-passe-de-test-42"
ROLES = ["anonymous", "pending_agent", "agent", "other_agent", "coordinator", "other_coordinator", "staff"]


def make_user(email: str, *, hub=None, is_staff=False, first_name="Prénom", last_name="Nom", **extra) -> User:
    extra.setdefault("email_confirmed_at", timezone.now())  # the address is confirmed unless a test says otherwise
    return User.objects.create_user(
        email=email, password=PASSWORD, hub=hub, is_staff=is_staff, first_name=first_name, last_name=last_name, **extra
    )


def make_member(user: User, commune, status=Membership.Status.APPROVED) -> Membership:
    return Membership.objects.create(user=user, commune=commune, status=status)


def make_diagnostic(commune, *, year=None, user=None, **fields) -> Diagnostic:
    return Diagnostic.objects.create(
        commune=commune,
        year=year or timezone.localdate().year,
        questionnaire_version=VERSION,
        created_by=user,
        **fields,
    )


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
