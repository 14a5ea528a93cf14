"""The territory part of the dashboard's open-data cache keys (diagnostic.dashboard.selectors.scope): the values are
shared by the users who see the same open data, and never by an agent. All data MADE UP (tests/factories)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from diagnostic.dashboard.selectors.alerts import fragile_communes
from diagnostic.dashboard.selectors.scope import open_data_territory, scope_epcis
from tests.factories import dashboard_world_fixture as world  # noqa: F401  (fixture)
from tests.factories import make_user


def test_the_territory_of_staff_coordinators_and_agents(world):  # noqa: F811
    users = world["users"]
    assert open_data_territory(users["staff"]) == "france"
    assert open_data_territory(users["coordinator"]) == f"hub-{world['hub_a'].pk}"
    assert open_data_territory(users["agent"]) is None  # memberships: never shared


def test_coordinators_of_one_hub_share_the_cached_values_and_others_do_not(world):  # noqa: F811
    users = world["users"]
    colleague = make_user("colleague@example.org", hub=world["hub_a"])
    first = fragile_communes(users["coordinator"])
    assert {row[0] for row in first} == {"91001", "91002", "91004", "92001"}  # the Hub's communes with IFN ≥ 8.2
    epcis = scope_epcis(users["coordinator"])
    with CaptureQueriesContext(connection) as queries:
        assert fragile_communes(colleague) == first and scope_epcis(colleague) == epcis
    read = [q["sql"] for q in queries.captured_queries if "territories_commune" in q["sql"]]
    assert read == [], "the colleague's values were computed again instead of read from the cache"
    other = fragile_communes(users["other_coordinator"])
    assert {row[0] for row in other} == {"93001"}  # Hub B's Zulu: not Hub A's cached list
