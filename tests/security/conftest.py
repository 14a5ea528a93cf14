"""Regression tests of the security probe (issue I). Data is MADE UP (tests/factories)."""

from tests.factories import world_fixture  # noqa: F401  (the made-up world of two Hubs)
