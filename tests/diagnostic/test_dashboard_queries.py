"""The dashboard's query count does not grow with the number of communes and diagnostics."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diagnostic.dashboard import classes
from inclusion.accounts.models import Membership
from tests.factories import client_as as login  # noqa: F401
from tests.factories import dashboard_world_fixture as world  # noqa: F401  (fixture)
from tests.factories import make_commune, make_departement, make_diagnostic, make_member, make_user

URLS = [
    ("diagnostic:dashboard", {}),
    ("diagnostic:dashboard", {"departement": "91", "statut": "transmis", "classe_ifn": "5", "tri": "-ifn"}),
    ("diagnostic:dashboard", {"mesure_prioritaire": "1", "epci": "900000001", "departement": "91"}),
    ("diagnostic:dashboard_export_csv", {"classe_ifn": "5"}),
    ("diagnostic:dashboard_export_xlsx", {}),
]


def grow(start: int, count: int):
    """Add `count` made-up communes in département 91, every other one with a submitted diagnostic and answers,
    and a pending membership request for every fifth."""
    dep = make_departement("91")
    for index in range(start, start + count):
        commune = make_commune(f"91{index:03d}", f"Commune inventée {index}", dep=dep, population=900, ifn=8.5)
        if index % 2:
            make_diagnostic(commune, status="submitted", level="low", high=(1, 2))
        if index % 5 == 0:
            make_member(make_user(f"p{index}@example.org"), commune, Membership.Status.PENDING)


def count_queries(client, name, params) -> int:
    cache.clear()
    client.get(reverse(name), params)  # warm the map layer cache (built once per data version)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(name), params)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("name", "params"), URLS)
def test_query_count_does_not_grow_with_rows(client, world, name, params, monkeypatch):  # noqa: F811
    monkeypatch.setattr(classes, "PAGE_SIZE", 10)
    login(client, world, "coordinator")
    grow(100, 12)
    small = count_queries(client, name, params)
    grow(200, 60)
    large = count_queries(client, name, params)
    assert small == large, f"{name} {params}: {small} queries with ~17 communes, {large} with ~77"
    assert large <= 25


def page_queries(client, urls) -> list[int]:
    cache.clear()  # both counts from the same cold cache (similar communes are cached per data version)
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    return counts


def test_commune_and_progress_pages_query_count(client, world):  # noqa: F811
    """More yearly diagnostics of the commune and more similar communes: same number of queries."""
    login(client, world, "coordinator")
    alpha = world["communes"]["alpha"]
    urls = [
        reverse("diagnostic:dashboard_commune", args=[alpha.insee]),
        reverse("diagnostic:commune_progress", args=[alpha.insee]),
        reverse("diagnostic:dashboard_review", args=[world["diagnostics"]["alpha"].pk]),
    ]
    small = page_queries(client, urls)
    year = world["year"]
    for back in range(2, 6):
        make_diagnostic(alpha, year=year - back, status="submitted", level="high", high=(back % 5 + 1,))
    grow(100, 20)
    large = page_queries(client, urls)
    assert small == large
