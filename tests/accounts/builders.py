"""Deprecated: import from tests.factories (tests/factories/accounts.py and worlds.py). Kept for branches in flight."""

from tests.factories.accounts import *  # noqa: F403
from tests.factories.accounts import PASSWORD, make_member, make_user
from tests.factories.diagnostic import make_diagnostic
from tests.factories.worlds import ROLES, World, agent_client_fixture, build_world, world_fixture

__all__ = [
    "PASSWORD",
    "ROLES",
    "World",
    "agent_client_fixture",
    "build_world",
    "make_diagnostic",
    "make_member",
    "make_user",
    "world_fixture",
]
