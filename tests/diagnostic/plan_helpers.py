"""Deprecated: import from tests.factories (tests/factories/diagnostic.py). Kept for branches in flight."""

from tests.factories.diagnostic import *  # noqa: F403
from tests.factories.diagnostic import PLAN_ANSWERS, enrich

ANSWERS = PLAN_ANSWERS

__all__ = ["ANSWERS", "PLAN_ANSWERS", "enrich"]
