"""The shared cache: database cache by default, Redis/Valkey from CACHE_URL, warmed by `warm_cache`.

Made-up data (tests/factories).
"""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from inclusion.settings import cache_settings
from territories import maps, selectors
from tests.factories import make_commune, make_departement

ROOT = Path(__file__).resolve().parent.parent


def settings_caches(cache_url: str | None) -> dict:
    """CACHES as the production settings read them in a new process with this environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_", "CACHE_URL"))}
    env.update(DJANGO_SETTINGS_MODULE="inclusion.settings", INCLUSION_ALLOW_INSECURE_KEY="1")
    if cache_url is not None:
        env["CACHE_URL"] = cache_url
    code = "import json; from django.conf import settings; print(json.dumps(settings.CACHES['default']))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(result.stdout)


def test_default_cache_is_the_database_table():
    default = settings_caches(None)
    assert default["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert default["LOCATION"] == "inclusion_cache"
    assert settings_caches("")["BACKEND"] == default["BACKEND"]


def test_cache_url_selects_redis():
    redis = settings_caches("redis://cache.example.org:6379/1")
    assert redis == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.example.org:6379/1",
    }


@pytest.mark.parametrize(
    ("url", "location"),
    [
        ("rediss://:secret@cache.example.org:6380/0", "rediss://:secret@cache.example.org:6380/0"),
        ("unix:///run/valkey.sock", "unix:///run/valkey.sock"),
        ("valkey://cache:6379/0", "redis://cache:6379/0"),
    ],
)
def test_other_redis_urls(url, location):
    assert cache_settings(url)["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": location,
    }


def test_unknown_cache_url_is_refused():
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_settings("memcached://127.0.0.1:11211")


@pytest.fixture
def database_cache(db):
    """The production default (database cache) for this test, its table created as `createcachetable` does."""
    with override_settings(CACHES=cache_settings("")):
        call_command("createcachetable", verbosity=0)
        yield caches["default"]


@pytest.fixture
def departement(db):
    make_departement(code="99")
    for i in range(1, 6):
        make_commune(insee=f"990{i:02d}", name=f"Commune inventée {i}", ifn=2.0 + i)


def test_warmed_map_is_served_from_the_database_by_a_new_cache_connection(
    client, database_cache, departement, monkeypatch
):
    call_command("warm_cache", stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM inclusion_cache")
        assert cursor.fetchone()[0] >= 4  # national medians, département medians, sources, layer, map page

    # A new process has nothing in memory: drop this process's cache objects and forbid any recomputation.
    caches["default"].close()
    del caches["default"]

    def cold(*_args, **_kwargs):
        raise AssertionError("recomputed although the shared cache holds it")

    monkeypatch.setattr(maps, "_render_map", cold)
    monkeypatch.setattr(selectors, "departement_map_rows", cold)
    monkeypatch.setattr(selectors, "_map_sources", cold)
    response = client.get("/departements/99/carte/")
    assert response.status_code == 200
    assert "Commune inventée 3" in response.text


def test_warm_cache_command_says_what_it_did(db, departement):
    out = StringIO()
    call_command("warm_cache", stdout=out)
    assert out.getvalue().startswith("Cache prêt : 1 département, 1 région, 2 cartes en ")


VERSION_SQL = 'MAX("territories_datasource"."imported_at")'


class VersionQueries:
    """Counts the queries reading the data version (an execute wrapper: it sees the queries of a whole request)."""

    def __enter__(self):
        self.count = 0
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __call__(self, execute, sql, params, many, context):
        self.count += VERSION_SQL in sql
        return execute(sql, params, many, context)

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)


@pytest.mark.django_db
def test_the_data_version_is_read_once_per_request(client):
    from territories.models import DataSource

    dep = make_departement("84")
    make_commune("84007", "Avignon", dep=dep, population=90_000, ifn=6.2)
    with VersionQueries() as outside:  # commands, the worker: read every time
        selectors.data_version()
        selectors.data_version()
    assert outside.count == 2

    with VersionQueries() as page:  # a page whose cached parts each ask for the version
        assert client.get("/communes/84007/").status_code == 200
    assert page.count == 1

    # The memo's receivers directly (sending request_started itself would also close the test's connection).
    selectors.start_request_memo()
    try:
        with VersionQueries() as inside:
            first = selectors.data_version()
            assert selectors.data_version() == first
        assert inside.count == 1
        # An import inside the request (the tests' immediate task backend): the version is read again.
        DataSource.objects.create(key="ifn-communes", name="IFN (inventé)", vintage="2026")
        with VersionQueries() as after_write:
            assert selectors.data_version() != first
        assert after_write.count == 1
    finally:
        selectors.end_request_memo()
    with VersionQueries() as ended:
        selectors.data_version()
        selectors.data_version()
    assert ended.count == 2


@pytest.mark.django_db
def test_the_commune_profile_is_cached_until_the_data_changes(client):
    """Made-up commune: the second visit reads the profile from the cache; a new import (a new data version) shows
    the new figures at once."""
    from territories.models import CommuneIfn, DataSource

    dep = make_departement("84")
    make_commune("84007", "Avignon", dep=dep, population=90_000, ifn=6.2)
    make_commune("84031", "Carpentras", dep=dep, population=30_000, ifn=5.0)
    queries = []

    def record(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        first = client.get("/communes/84007/")
    cold = len(queries)
    queries.clear()
    with connection.execute_wrapper(record):
        second = client.get("/communes/84007/")
    assert first.status_code == second.status_code == 200
    assert "6,2" in second.text
    assert len(queries) <= cold - 5, (cold, queries)
    assert not any("territories_communeplaceaccess" in sql for sql in queries)

    CommuneIfn.objects.filter(commune_id="84007").update(total=8.4)
    DataSource.objects.create(key="ifn-communes", name="IFN (inventé)", vintage="2026")  # what an import does
    assert "8,4" in client.get("/communes/84007/").text
