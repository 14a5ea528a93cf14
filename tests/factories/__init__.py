"""The one way to build MADE-UP test data: plain keyword-friendly builder functions, one module per app.

    territories.py  sources, régions, Hubs, départements, EPCI, communes, IFN, places, access rows
    accounts.py     users (any role), memberships, the shared test PASSWORD
    diagnostic.py   diagnostics (with answers and measure actions), questionnaire POST data, plan data (`enrich`)
    worlds.py       scenarios spanning the apps: the role matrix `World` and the dashboard's territory, with fixtures

Everything is re-exported here: `from tests.factories import make_commune, make_user, make_diagnostic`.
"""

from tests.factories.accounts import PASSWORD, make_member, make_user
from tests.factories.diagnostic import (
    FULL_ANSWERS,
    PLAN_ANSWERS,
    answers_for,
    answers_of_step,
    enrich,
    make_diagnostic,
    post_step,
    step_data,
)
from tests.factories.territories import (
    MADE_UP,
    make_access,
    make_commune,
    make_departement,
    make_epci,
    make_hub,
    make_ifn,
    make_place,
    make_region,
    make_source,
    square,
)
from tests.factories.worlds import (
    ROLES,
    World,
    agent_client_fixture,
    build_dashboard_world,
    build_world,
    client_as,
    dashboard_world_fixture,
    world_fixture,
)

__all__ = [
    "FULL_ANSWERS",
    "MADE_UP",
    "PASSWORD",
    "PLAN_ANSWERS",
    "ROLES",
    "World",
    "agent_client_fixture",
    "answers_for",
    "answers_of_step",
    "build_dashboard_world",
    "build_world",
    "client_as",
    "dashboard_world_fixture",
    "enrich",
    "make_access",
    "make_commune",
    "make_departement",
    "make_diagnostic",
    "make_epci",
    "make_hub",
    "make_ifn",
    "make_member",
    "make_place",
    "make_region",
    "make_source",
    "make_user",
    "post_step",
    "square",
    "step_data",
    "world_fixture",
]
