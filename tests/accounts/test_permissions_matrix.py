"""Role × URL matrix for the account and questionnaire URLs, GET (tests/permission_table.py) and POST (below).

Uses the MADE-UP `world` of tests/accounts/builders.py: the diagnostic is the agent's own commune's draft
diagnostic, the membership is the pending agent's request for that commune.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.builders import ROLES
from tests.permission_table import PERMISSIONS

R = ROLES  # anonymous, pending_agent, agent, other_agent, coordinator, other_coordinator, staff


def row(*statuses):
    return dict(zip(R, statuses, strict=True))


ALL_200, ALL_302, ALL_405 = row(*[200] * 7), row(*[302] * 7), row(*[405] * 7)
EDITOR_POST = row(302, 404, 302, 404, 403, 404, 403)

POST_EXPECTED = {
    "accounts:login": ALL_200,  # empty form: errors shown again
    "accounts:logout": ALL_302,
    "accounts:signup": ALL_200,
    "accounts:signup_done": ALL_405,
    "accounts:confirm_email": ALL_200,  # an invalid link: the page says so
    "accounts:commune_suggestions": ALL_405,
    "accounts:home": ALL_405,
    "accounts:memberships": ALL_405,
    "accounts:invite": row(302, 403, 403, 403, 200, 200, 200),
    "accounts:membership_decide": row(302, 403, 403, 403, 302, 404, 302),
    "accounts:membership_resend_invitation": row(302, 403, 403, 403, 302, 404, 302),
    "accounts:join": row(302, 200, 200, 200, 403, 403, 403),
    "accounts:password_reset": ALL_200,
    "accounts:password_reset_done": ALL_405,
    "accounts:password_reset_confirm": ALL_200,
    "accounts:password_reset_complete": ALL_405,
    # Personal data (issue K): an empty POST shows the form's errors (or why the account cannot be deleted yet).
    "accounts:personal_data": row(302, 200, 200, 200, 200, 200, 200),
    "accounts:personal_data_export": ALL_405,
    "accounts:account_delete": row(302, 200, 200, 200, 200, 200, 200),
    "diagnostic:create": row(302, 403, 302, 403, 403, 403, 403),
    "diagnostic:step": EDITOR_POST,
    "diagnostic:submit": EDITOR_POST,
    "diagnostic:summary": ALL_405,
    "diagnostic:history": ALL_405,
}


def url_of(name, world):
    membership = world.pending_agent.memberships.get()
    kwargs = {
        "accounts:membership_decide": {"pk": membership.pk},
        "accounts:membership_resend_invitation": {"pk": membership.pk},
        "accounts:password_reset_confirm": {"uidb64": "invalide", "token": "invalide"},
        "accounts:confirm_email": {"uidb64": "invalide", "token": "invalide"},
        "diagnostic:create": {"insee": world.commune.insee},
        "diagnostic:step": {"pk": world.diagnostic.pk, "step": 1},
    }.get(name)
    if kwargs is None and name.startswith("diagnostic:"):
        kwargs = {"pk": world.diagnostic.pk}
    return reverse(name, kwargs=kwargs)


def post_data(name, world):
    if name == "diagnostic:step":
        return {"version": world.diagnostic.version, "go": "next"}
    if name == "accounts:membership_decide":
        return {"decision": "approve"}
    return {}


def client_for(world, role):
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def test_post_table_covers_the_same_urls_as_the_get_table():
    mine = {n for n in PERMISSIONS if n.startswith("accounts:") or n in POST_EXPECTED}
    assert mine == set(POST_EXPECTED)


@pytest.mark.parametrize("role", R)
@pytest.mark.parametrize("name", sorted(POST_EXPECTED))
def test_get(world, role, name):
    response = client_for(world, role).get(url_of(name, world))
    assert response.status_code == PERMISSIONS[name][role], response.content[:300]
    if response.status_code == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", R)
@pytest.mark.parametrize("name", sorted(POST_EXPECTED))
def test_post(world, role, name):
    response = client_for(world, role).post(url_of(name, world), post_data(name, world))
    assert response.status_code == POST_EXPECTED[name][role], response.content[:300]
    if response.status_code == 302 and role == "anonymous" and name != "accounts:logout":
        assert response["Location"].startswith(reverse("accounts:login"))


def test_another_communes_diagnostic_is_404_for_an_agent_and_wrong_role_403(world):
    from tests.accounts.builders import make_diagnostic

    other = make_diagnostic(world.other_commune)
    agent = client_for(world, "agent")
    assert agent.get(reverse("diagnostic:summary", args=[other.pk])).status_code == 404
    assert agent.get(reverse("diagnostic:step", args=[other.pk, 1])).status_code == 404
    coordinator = client_for(world, "coordinator")
    assert coordinator.get(reverse("diagnostic:step", args=[world.diagnostic.pk, 1])).status_code == 403
    assert coordinator.get(reverse("diagnostic:summary", args=[other.pk])).status_code == 404
