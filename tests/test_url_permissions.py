"""Every URL of the URLconf has an entry in tests/permission_table.py, and each entry holds for each role.

The walk goes through `get_resolver()` recursively, skipping the admin and static files. For each entry of
PERMISSIONS, every role GETs the URL against a small MADE-UP dataset and the status code must match.

Dataset (all invented, see tests/factories): two régions "97"/"98", each with its Hub ("hub-a"/"hub-b"), two
départements "97"/"98", one commune in each ("97001" Commune A, "98001" Commune B), one draft diagnostic per commune
(current year). Users: pending_agent (pending membership on A), agent (approved on A), other_agent (approved on B),
coordinator (Hub A), other_coordinator (Hub B), staff (is_staff); anonymous is not signed in.

URL kwargs are filled from that dataset, always on the "A" side, so that "agent" and "coordinator" are the insiders:
    insee, commune, commune_insee            -> "97001" (Commune A)
    code, departement, dep, departement_code -> "97"
    pk, id, diagnostic_id, diagnostic_pk, diagnostic -> diagnostic of Commune A
      (except for URL names mentioning membership/adhesion: pk/id -> the pending membership on Commune A)
    membership_id, membership_pk             -> the pending membership on Commune A
    n, step, number, section                 -> 1
    measure, measure_number, m               -> 1
    year                                     -> the diagnostic's year
    slug, hub                                -> "hub-a"
    uidb64, token                            -> "invalide" (an invalid password-reset link)
A URL with another kwarg fails the test: add it to KWARG_VALUES below with its meaning.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.permission_table import PERMISSIONS

ROLES = ["anonymous", "pending_agent", "agent", "other_agent", "coordinator", "other_coordinator", "staff"]
SKIPPED_NAMESPACES = {"admin"}
SKIPPED_PREFIXES = ("admin/", "static/", "media/", "__debug__/")


def iter_url_patterns(resolver=None, prefix: str = "", namespace: str = "", kwargs: tuple[str, ...] = ()):
    """Yield (full name, route, kwarg names) for every URL pattern under `resolver`, recursively."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        names = kwargs + tuple(pattern.pattern.regex.groupindex)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            child_ns = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from iter_url_patterns(pattern, route, child_ns, names)
        elif isinstance(pattern, URLPattern):
            full_name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield full_name, route, names


def test_every_url_name_has_a_permission_entry():
    missing, unnamed = [], []
    for name, route, _kwargs in iter_url_patterns():
        if name is None:
            unnamed.append(route)
        elif name not in PERMISSIONS:
            missing.append(f"{name} ({route})")
    assert not unnamed, f"URL patterns without a name (name them to list them in permission_table.py): {unnamed}"
    assert not missing, f"Add these URL names to tests/permission_table.py PERMISSIONS: {missing}"


def test_permission_entries_are_complete_and_exist():
    names = {name for name, _route, _kwargs in iter_url_patterns()}
    stale = sorted(set(PERMISSIONS) - names)
    assert not stale, f"PERMISSIONS lists URL names that no longer exist: {stale}"
    for name, expected in PERMISSIONS.items():
        assert set(expected) == set(ROLES), f"{name}: roles must be exactly {ROLES}, got {sorted(expected)}"


# ---------------------------------------------------------------------------------------------------------------
# The made-up dataset


def build_dataset() -> dict:
    from inclusion.accounts.models import Membership
    from tests.factories import (
        make_commune,
        make_departement,
        make_diagnostic,
        make_hub,
        make_member,
        make_region,
        make_user,
    )

    region_a, region_b = make_region("97", "Région A inventée"), make_region("98", "Région B inventée")
    hub_a = make_hub("hub-a", "Hub A inventé", region=region_a)
    hub_b = make_hub("hub-b", "Hub B inventé", region=region_b)
    dep_a = make_departement("97", "Département A inventé", region=region_a, hub=hub_a)
    dep_b = make_departement("98", "Département B inventé", region=region_b, hub=hub_b)
    commune_a = make_commune("97001", "Commune A inventée", dep=dep_a, population=800, ifn=6.0)
    commune_b = make_commune("98001", "Commune B inventée", dep=dep_b, population=1500, ifn=4.0)
    year = timezone.now().year
    diag_a = make_diagnostic(commune_a, year=year)
    diag_b = make_diagnostic(commune_b, year=year)
    users = {
        "pending_agent": make_user("pending@example.org"),
        "agent": make_user("agent@example.org"),
        "other_agent": make_user("other-agent@example.org"),
        "coordinator": make_user("coord@example.org", hub=hub_a),
        "other_coordinator": make_user("other-coord@example.org", hub=hub_b),
        "staff": make_user("staff@example.org", is_staff=True),
    }
    pending = make_member(users["pending_agent"], commune_a, Membership.Status.PENDING)
    make_member(users["agent"], commune_a)
    make_member(users["other_agent"], commune_b)
    return {
        "users": users,
        "commune_a": commune_a,
        "commune_b": commune_b,
        "diagnostic_a": diag_a,
        "diagnostic_b": diag_b,
        "membership": pending,
        "hub_a": hub_a,
        "year": year,
    }


@pytest.fixture
def dataset(db):
    return build_dataset()


KWARG_VALUES = {
    ("insee", "commune", "commune_insee"): lambda d: d["commune_a"].insee,
    ("code", "departement", "dep", "departement_code"): lambda d: d["commune_a"].departement_id,
    ("pk", "id", "diagnostic_id", "diagnostic_pk", "diagnostic"): lambda d: d["diagnostic_a"].pk,
    ("membership_id", "membership_pk"): lambda d: d["membership"].pk,
    ("n", "step", "number", "section"): lambda d: 1,
    ("measure", "measure_number", "m"): lambda d: 1,
    ("year",): lambda d: d["year"],
    ("slug", "hub"): lambda d: d["hub_a"].slug,
    ("uidb64", "token"): lambda d: "invalide",  # password reset link: an invalid one (the page says so)
}


def url_kwargs(name: str, kwarg_names, data: dict) -> dict:
    values = {}
    for kwarg in kwarg_names:
        if kwarg in {"pk", "id"} and any(word in name for word in ("membership", "adhesion")):
            values[kwarg] = data["membership"].pk
            continue
        for keys, getter in KWARG_VALUES.items():
            if kwarg in keys:
                values[kwarg] = getter(data)
                break
        else:
            pytest.fail(f"{name}: no value for URL kwarg {kwarg!r}; add it to KWARG_VALUES (and document it)")
    return values


def resolve_urls(data: dict) -> dict[str, str]:
    """URL name -> URL reversed with the dataset's values."""
    urls = {}
    for name, _route, kwargs in iter_url_patterns():
        if name in PERMISSIONS and name not in urls:
            urls[name] = reverse(name, kwargs=url_kwargs(name, kwargs, data) or None)
    return urls


def client_for(role: str, data: dict):
    from django.test import Client

    client = Client()
    if role != "anonymous":
        client.force_login(data["users"][role])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_get_status_per_role_matches_the_table(role, dataset):
    client = client_for(role, dataset)
    mismatches = []
    for name, url in resolve_urls(dataset).items():
        expected = PERMISSIONS[name][role]
        status = client.get(url).status_code
        if status != expected:
            mismatches.append(f"{name} {url}: expected {expected}, got {status}")
    assert not mismatches, f"Role {role}:\n" + "\n".join(mismatches)
