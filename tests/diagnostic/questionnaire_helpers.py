"""Deprecated: import from tests.factories (tests/factories/diagnostic.py). Kept for branches in flight."""

from tests.factories.diagnostic import *  # noqa: F403
from tests.factories.diagnostic import FULL_ANSWERS, answers_of_step, post_step, step_data

__all__ = ["FULL_ANSWERS", "answers_of_step", "post_step", "step_data"]
