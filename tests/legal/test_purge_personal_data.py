"""`purge_personal_data` deletes exactly what the record of processing says, after the configured delays, and nothing
else. Frozen clock: the service takes `now=`, the command is run under a patched `django.utils.timezone.now`.
All people and communes are MADE UP (tests/accounts/builders.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from unittest import mock

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command

from diagnostic.models import AuditEvent, Diagnostic
from diagnostic.questionnaire.services import save_answers
from inclusion.accounts.models import Membership, User
from inclusion.accounts.services import register_agent, resend_invitation
from inclusion.legal.retention import RULES, purge_personal_data
from tests.accounts.builders import make_member, make_user

pytestmark = pytest.mark.django_db

T0 = datetime.fromisoformat("2026-03-02T10:00:00+01:00")
DAY = timedelta(days=1)
DEFAULTS = {
    "unconfirmed_signups": 7,
    "pending_requests": 90,
    "refused_requests": 30,
    "unused_invitations": 30,
    "login_attempts": 30,
    "login_logs": 180,
    "expired_sessions": 0,
}


@pytest.fixture(autouse=True)
def _retention(settings):
    settings.INCLUSION_RETENTION_DAYS = dict(DEFAULTS)


def login_record(model, username, at, **extra):
    record = model.objects.create(
        username=username, ip_address="192.0.2.1", user_agent="Navigateur inventé", http_accept="*/*", **extra
    )
    model.objects.filter(pk=record.pk).update(attempt_time=at)  # attempt_time is auto_now_add
    return record


def attempt(username, at):
    return login_record(AccessAttempt, username, at, get_data="", post_data="", failures_since_start=1)


def invited_user(email, *, inviter, commune, at):
    user = User.objects.create_user(email=email, password=None, first_name="Invitée", last_name="Inventée")
    User.objects.filter(pk=user.pk).update(date_joined=at)
    Membership.objects.create(
        user=user,
        commune=commune,
        status=Membership.Status.APPROVED,
        invited_by=inviter,
        decided_by=inviter,
        decided_at=at,
    )
    return user


def signup(email, commune, at):
    """A sign-up through the real service: an unconfirmed account with a request waiting for confirmation."""
    user = register_agent(
        email=email, password="mot-de-passe-choisi-42", first_name="Inscrite", last_name="Inventée", commune=commune
    )
    User.objects.filter(pk=user.pk).update(date_joined=at)
    Membership.objects.filter(user=user).update(requested_at=at)
    return user


@pytest.fixture
def records(world):
    """One record of each kind at T0, plus records that no rule must touch."""
    commune, coordinator = world.commune, world.coordinator
    pending = Membership.objects.get(user=world.pending_agent)
    Membership.objects.filter(pk=pending.pk).update(requested_at=T0)
    refused_user = make_user("refusee@exemple.invalid")
    refused = make_member(refused_user, commune, Membership.Status.REFUSED)
    Membership.objects.filter(pk=refused.pk).update(requested_at=T0 - 10 * DAY, decided_at=T0, decided_by=coordinator)
    unused = invited_user("invitee@exemple.invalid", inviter=coordinator, commune=commune, at=T0)
    # Invited, chose a password: kept.
    used = invited_user("invitee.active@exemple.invalid", inviter=coordinator, commune=commune, at=T0)
    used.set_password("mot-de-passe-choisi-42")
    used.save()
    # An account without a password that was not created by an invitation (e.g. created in the admin): kept.
    User.objects.create_user(email="admin-cree@exemple.invalid", password=None)
    User.objects.filter(email="admin-cree@exemple.invalid").update(date_joined=T0)
    unconfirmed = signup("inscrite@exemple.invalid", commune, T0)
    # Signed up at T0 - 20 days, signed up again with the same address at T0: its delay counts from T0.
    again = signup("reinscrite@exemple.invalid", commune, T0 - 20 * DAY)
    Membership.objects.filter(user=again).update(requested_at=T0)
    # An invitation created at T0 - 20 days and sent again at T0 (resend_invitation): its delay counts from T0.
    resent = invited_user("invitee.relancee@exemple.invalid", inviter=coordinator, commune=commune, at=T0 - 20 * DAY)
    with mock.patch("django.utils.timezone.now", return_value=T0):
        resend_invitation(membership=resent.memberships.get(), sent_by=coordinator, site_url="http://testserver/")
    save_answers(diagnostic=world.diagnostic, user=world.agent, answers={"eq_public_computers": 3})
    session = SessionStore()
    session["made_up"] = True
    session.create()
    Session.objects.filter(pk=session.session_key).update(expire_date=T0)
    return {
        "pending": pending.pk,
        "refused": refused.pk,
        "unused": unused.pk,
        "unused_membership": Membership.objects.get(user=unused).pk,
        "unconfirmed": unconfirmed.pk,
        "unconfirmed_membership": Membership.objects.get(user=unconfirmed).pk,
        "again": again.pk,
        "again_membership": Membership.objects.get(user=again).pk,
        "resent": resent.pk,
        "resent_membership": Membership.objects.get(user=resent).pk,
        "used": used.pk,
        "attempt": attempt("agent@exemple.invalid", T0).pk,
        "failure": login_record(AccessFailureLog, "agent@exemple.invalid", T0).pk,
        "log": login_record(AccessLog, "agent@exemple.invalid", T0).pk,
        "session": session.session_key,
    }


def snapshot():
    return {
        "memberships": set(Membership.objects.values_list("pk", flat=True)),
        "users": set(User.objects.values_list("pk", flat=True)),
        "attempts": set(AccessAttempt.objects.values_list("pk", flat=True)),
        "failures": set(AccessFailureLog.objects.values_list("pk", flat=True)),
        "logs": set(AccessLog.objects.values_list("pk", flat=True)),
        "sessions": set(Session.objects.values_list("pk", flat=True)),
        "diagnostics": Diagnostic.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def deleted(before, after):
    sets = [key for key in before if isinstance(before[key], set)]
    return {key: before[key] - after[key] for key in sets if before[key] - after[key]}


def test_nothing_goes_before_its_delay(records):
    before = snapshot()
    results = purge_personal_data(now=T0)
    assert sum(r.count for r in results) == 0
    # The session expired at T0 (delay 0); the sign-ups' 7 days end at T0 + 7 days.
    purge_personal_data(now=T0 + 7 * DAY - timedelta(seconds=1))
    assert deleted(before, snapshot()) == {"sessions": {records["session"]}}


def test_each_kind_goes_after_its_delay_and_nothing_else(records, world):
    before = snapshot()
    results = purge_personal_data(now=T0 + 7 * DAY + timedelta(seconds=1))
    assert {r.rule.key: r.count for r in results if r.count} == {"unconfirmed_signups": 2, "expired_sessions": 1}
    assert deleted(before, snapshot()) == {
        "users": {records["unconfirmed"], records["again"]},
        "memberships": {records["unconfirmed_membership"], records["again_membership"]},
        "sessions": {records["session"]},
    }
    before = snapshot()
    purge_personal_data(now=T0 + 30 * DAY + timedelta(seconds=1))
    assert deleted(before, snapshot()) == {
        "memberships": {records["refused"], records["unused_membership"], records["resent_membership"]},
        "users": {records["unused"], records["resent"]},
        "attempts": {records["attempt"]},
        "failures": {records["failure"]},
    }
    purge_personal_data(now=T0 + 90 * DAY + timedelta(seconds=1))
    assert records["pending"] not in snapshot()["memberships"]
    assert records["log"] in snapshot()["logs"]
    purge_personal_data(now=T0 + 180 * DAY + timedelta(seconds=1))
    after = snapshot()
    assert records["log"] not in after["logs"]
    # What the commune owns, approved memberships and real accounts stay.
    assert after["diagnostics"] == before["diagnostics"] and after["audit"] == before["audit"] > 0
    for user in (world.agent, world.pending_agent, world.coordinator, world.staff):
        assert user.pk in after["users"]
    assert records["used"] in after["users"]
    assert User.objects.filter(email="admin-cree@exemple.invalid").exists()
    assert Membership.objects.filter(user=world.agent, status=Membership.Status.APPROVED).exists()


def test_a_resent_invitation_or_a_new_sign_up_restarts_the_delay(records):
    purge_personal_data(now=T0 + 2 * DAY)  # 22 days after the first sign-up and the first invitation
    assert User.objects.filter(pk__in=[records["again"], records["resent"]]).count() == 2
    purge_personal_data(now=T0 + 8 * DAY)
    assert not User.objects.filter(pk=records["again"]).exists()
    assert User.objects.filter(pk=records["resent"]).exists()


def test_a_confirmed_sign_up_is_not_purged(records):
    from inclusion.accounts.services import confirm_email

    confirm_email(user=User.objects.get(pk=records["unconfirmed"]))
    purge_personal_data(now=T0 + 8 * DAY)
    assert User.objects.filter(pk=records["unconfirmed"]).exists()


def test_delays_come_from_the_settings(records, settings):
    settings.INCLUSION_RETENTION_DAYS = {**DEFAULTS, "pending_requests": 10, "login_logs": 10}
    purge_personal_data(now=T0 + 11 * DAY)
    assert not Membership.objects.filter(pk=records["pending"]).exists()
    assert not AccessLog.objects.filter(pk=records["log"]).exists()
    assert Membership.objects.filter(pk=records["refused"]).exists()  # still 30 days


def test_dry_run_prints_what_would_go_and_deletes_nothing(records):
    before = snapshot()
    out = StringIO()
    with mock.patch("django.utils.timezone.now", return_value=T0 + 31 * DAY):
        call_command("purge_personal_data", "--dry-run", stdout=out)
    assert snapshot() == before
    text = out.getvalue()
    assert "Simulation (--dry-run) : rien n'est supprimé." in text
    assert "1 demande d'adhésion refusée serait supprimée (30 jours après le refus)" in text
    assert "0 demande d'adhésion restée sans réponse serait supprimée (90 jours après la demande)" in text
    assert f"  - adhésion n° {records['refused']} (commune 99001, demandée le 20/02/2026)" in text
    assert f"  - compte n° {records['unused']} (créé le 02/03/2026)" in text
    assert "1 session de connexion expirée serait supprimée (0 jour après l'expiration)" in text
    assert "@" not in text  # no address in the output


def test_the_command_deletes_with_the_current_time(records):
    out = StringIO()
    with mock.patch("django.utils.timezone.now", return_value=T0 + 200 * DAY):
        call_command("purge_personal_data", stdout=out)
    text = out.getvalue()
    journal = "1 entrée du journal des connexions (adresse IP, navigateur) supprimée (180 jours après la connexion)"
    assert journal in text
    assert "2 tentatives de connexion (adresse IP, navigateur) supprimées (30 jours après la tentative)" in text
    assert "2 inscriptions jamais confirmées (comptes supprimés) supprimées (7 jours après l'inscription)" in text
    assert "Total : 10 suppressions." in text
    assert not AccessLog.objects.exists() and not Membership.objects.filter(pk=records["pending"]).exists()
    out = StringIO()
    with mock.patch("django.utils.timezone.now", return_value=T0 + 200 * DAY):
        call_command("purge_personal_data", stdout=out)
    assert "Total : 0 suppression." in out.getvalue()


def test_every_rule_has_a_documented_default_setting():
    from django.conf import settings

    assert {rule.key for rule in RULES} == set(settings.INCLUSION_RETENTION_DAYS) == set(DEFAULTS)
