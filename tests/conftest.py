"""Shared fixtures.

`real_data_dir` points at the real open data folder (INCLUSION_DATA_DIR, laid out like ../shared/data);
tests that need it skip with a clear reason when it is absent, and CI sets it so they run there.
"""

import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _real_data_dir() -> Path | None:
    value = os.environ.get("INCLUSION_DATA_DIR", "")
    if value and Path(value).is_dir():
        return Path(value).resolve()
    return None


@pytest.fixture(scope="session")
def real_data_dir() -> Path:
    path = _real_data_dir()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI must set INCLUSION_DATA_DIR to the real open data folder (../shared/data).")
        pytest.skip("Real open data folder absent: set INCLUSION_DATA_DIR=../shared/data to run this test.")
    return path


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """Small hand-made files that copy the real headers. Their figures are MADE UP, for tests only."""
    return FIXTURES


@pytest.fixture(autouse=True)
def _empty_cache():
    """Aggregates and maps are cached per data version; tests build their own data, so start each with a clean cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
