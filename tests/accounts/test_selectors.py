import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from diagnostic import access as selectors
from inclusion.accounts import roles
from tests.factories import make_diagnostic

EXPECTED = {
    # role: (visible, view, edit, review)
    "pending_agent": (False, 404, 404, 404),
    "agent": (True, "ok", "ok", 403),
    "other_agent": (False, 404, 404, 404),
    "coordinator": (True, "ok", 403, "ok"),
    "other_coordinator": (False, 404, 404, 404),
    "staff": (True, "ok", 403, "ok"),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_get_diagnostic_for_each_role_and_action(world, role):
    user = world.users[role]
    visible, *outcomes = EXPECTED[role]
    assert selectors.diagnostics_visible_to(user).filter(pk=world.diagnostic.pk).exists() is visible
    for action, outcome in zip(selectors.ACTIONS, outcomes, strict=True):
        if outcome == "ok":
            assert selectors.get_diagnostic_for(user, world.diagnostic.pk, action=action) == world.diagnostic
            assert selectors.can(user, world.diagnostic, action)
        else:
            with pytest.raises(Http404 if outcome == 404 else PermissionDenied):
                selectors.get_diagnostic_for(user, world.diagnostic.pk, action=action)
            assert not selectors.can(user, world.diagnostic, action)


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.diagnostics_visible_to(AnonymousUser()).exists()
    assert roles.role_of(AnonymousUser()) == roles.ANONYMOUS
    with pytest.raises(Http404):
        selectors.get_diagnostic_for(AnonymousUser(), world.diagnostic.pk)


def test_roles(world):
    assert roles.role_of(world.pending_agent) == roles.PENDING_AGENT
    assert roles.role_of(world.agent) == roles.AGENT
    assert roles.role_of(world.coordinator) == roles.COORDINATOR
    assert roles.role_of(world.staff) == roles.STAFF


def test_scopes(world):
    other = make_diagnostic(world.other_commune)
    assert list(selectors.communes_for_agent(world.agent)) == [world.commune]
    assert list(selectors.communes_for_agent(world.pending_agent)) == []
    assert set(selectors.diagnostics_visible_to(world.other_coordinator)) == {other}
    assert set(selectors.diagnostics_visible_to(world.staff)) == {other, world.diagnostic}
    assert list(selectors.communes_visible_to(world.coordinator)) == [world.commune]
    with pytest.raises(Http404):
        selectors.get_diagnostic_for(world.agent, "not-a-number")
