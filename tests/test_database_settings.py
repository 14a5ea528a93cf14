"""PostgreSQL sessions plan for SSDs and data in memory (random_page_cost 1.1, DATABASE_PG_OPTIONS)."""

import pytest
from django.db import connection

from inclusion.settings import env_str


@pytest.mark.django_db
def test_postgresql_sessions_use_the_ssd_page_cost():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (DATABASE_URL=postgres://…); SQLite has no planner cost settings.")
    if env_str("DATABASE_PG_OPTIONS"):
        pytest.skip("DATABASE_PG_OPTIONS is set: the operator's own session settings apply.")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
