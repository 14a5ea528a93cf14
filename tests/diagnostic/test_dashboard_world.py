"""A MADE-UP territory for the dashboard tests (every name, code and figure is invented), and tests of the
dashboard's named classes.

Hub A covers départements "91" and "92" (région "90"); Hub B covers "93" (région "94").

    91001 Alpha      pop 1200  IFN 8.5  EPCI 1   diagnostic submitted, low capacity, measures 1 and 4 high
    91002 Bravo      pop 1500  IFN 8.6  EPCI 1   diagnostic draft, high capacity, measure 2 high
    91003 Charlie    pop  300  IFN 3.0  EPCI 2   no diagnostic
    91004 Delta      pop 1100  IFN 8.3  -        no diagnostic (fragile)
    92001 Echo       pop 1300  IFN 8.4  -        submitted last year only
    93001 Zulu (B)   pop 1250  IFN 8.5  -        submitted, measure 1 high (other Hub)
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from diagnostic.dashboard import classes
from diagnostic.models import Answer, Diagnostic, MeasureAction
from diagnostic.questionnaire.definition import MULTIPLE, NUMBER, SECTIONS, VERSION
from inclusion.accounts.models import Membership, User
from tests.factories import make_commune, make_departement, make_epci, make_hub, make_region

YEAR = timezone.now().year


def answers_for(level: str) -> dict:
    """Answers to every scored question giving the lowest ("low") or highest ("high") points."""
    values = {}
    for section in SECTIONS:
        for question in section.questions:
            if not question.is_scored:
                continue
            if question.kind == NUMBER:
                values[question.key] = 0 if level == "low" else max(t for t, _ in question.thresholds)
            elif question.kind == MULTIPLE:
                choices = [c for c in question.choices if not c.exclusive]
                if level == "low":
                    values[question.key] = [min(choices, key=lambda c: c.points).value]
                else:
                    values[question.key] = [c.value for c in choices]
            else:
                pick = min if level == "low" else max
                values[question.key] = pick(question.choices, key=lambda c: c.points).value
    return values


def make_diagnostic(commune, *, year=YEAR, status="draft", level=None, high=(), statuses=None) -> Diagnostic:
    diagnostic = Diagnostic.objects.create(
        commune=commune,
        year=year,
        status=status,
        questionnaire_version=VERSION,
        submitted_at=timezone.now() if status == "submitted" else None,
    )
    if level:
        Answer.objects.bulk_create(
            Answer(diagnostic=diagnostic, question=k, value=v) for k, v in answers_for(level).items()
        )
    statuses = statuses or {}
    MeasureAction.objects.bulk_create(
        MeasureAction(
            diagnostic=diagnostic,
            measure=n,
            priority="high" if n in high else "low",
            status=statuses.get(n, "todo"),
        )
        for n in range(1, 6)
    )
    return diagnostic


def make_user(email, **fields) -> User:
    return User.objects.create_user(email=email, password="made-up-password-123", **fields)


@pytest.fixture
def world(db):
    region_a, region_b = make_region("90", "Région A inventée"), make_region("94", "Région B inventée")
    hub_a = make_hub("hub-a-test", "Hub A inventé", region=region_a)
    hub_b = make_hub("hub-b-test", "Hub B inventé", region=region_b)
    dep_91 = make_departement("91", "Département 91 inventé", region=region_a, hub=hub_a)
    dep_92 = make_departement("92", "Département 92 inventé", region=region_a, hub=hub_a)
    dep_93 = make_departement("93", "Département 93 inventé", region=region_b, hub=hub_b)
    epci_1 = make_epci("900000001", "CC Une inventée")
    epci_2 = make_epci("900000002", "CC Deux inventée")
    c = {
        "alpha": make_commune("91001", "Alpha", dep=dep_91, population=1200, ifn=8.5, epci=epci_1),
        "bravo": make_commune("91002", "Bravo", dep=dep_91, population=1500, ifn=8.6, epci=epci_1),
        "charlie": make_commune("91003", "Charlie", dep=dep_91, population=300, ifn=3.0, epci=epci_2),
        "delta": make_commune("91004", "Delta", dep=dep_91, population=1100, ifn=8.3),
        "echo": make_commune("92001", "Echo", dep=dep_92, population=1300, ifn=8.4),
        "zulu": make_commune("93001", "Zulu", dep=dep_93, population=1250, ifn=8.5),
    }
    d = {
        "alpha": make_diagnostic(c["alpha"], status="submitted", level="low", high=(1, 4), statuses={1: "done"}),
        "alpha_last": make_diagnostic(
            c["alpha"], year=YEAR - 1, status="submitted", level="high", high=(1,), statuses={1: "in_progress"}
        ),
        "bravo": make_diagnostic(c["bravo"], status="draft", level="high", high=(2,)),
        "echo_last": make_diagnostic(c["echo"], year=YEAR - 1, status="submitted", level="low", high=(3,)),
        "zulu": make_diagnostic(c["zulu"], status="submitted", level="low", high=(1,)),
    }
    users = {
        "pending_agent": make_user("pending@example.org"),
        "agent": make_user("agent@example.org"),
        "agent2": make_user("agent2@example.org"),
        "other_agent": make_user("other-agent@example.org"),
        "coordinator": make_user("coord@example.org", hub=hub_a, first_name="Camille", last_name="Coord"),
        "other_coordinator": make_user("other-coord@example.org", hub=hub_b),
        "staff": make_user("staff@example.org", is_staff=True),
    }
    approved = Membership.Status.APPROVED
    Membership.objects.create(user=users["pending_agent"], commune=c["alpha"])
    Membership.objects.create(user=users["agent"], commune=c["alpha"], status=approved)
    Membership.objects.create(user=users["agent2"], commune=c["alpha"], status=approved)
    Membership.objects.create(user=users["other_agent"], commune=c["zulu"], status=approved)
    Membership.objects.create(user=make_user("pending-zulu@example.org"), commune=c["zulu"])
    return {"communes": c, "diagnostics": d, "users": users, "hub_a": hub_a, "hub_b": hub_b, "year": YEAR}


def login(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


# --- tests of the named classes --------------------------------------------------------------------------------


def test_ifn_classes_match_the_public_pages_and_cover_1_to_10():
    from territories import selectors as territories_selectors

    for value in (1.0, 2.79, 2.8, 4.6, 6.39, 6.4, 8.19, 8.2, 10.0):
        band = classes.ifn_class_of(value)
        assert band is not None
        assert band.number == territories_selectors.ifn_class(value)
    assert classes.ifn_class_of(None) is None
    assert classes.ifn_class_of(0) is None


@pytest.mark.parametrize(
    ("population", "band"), [(0, 1), (499, 1), (500, 2), (1999, 2), (2000, 3), (4999, 3), (5000, 4), (20000, 5)]
)
def test_population_bands(population, band):
    assert classes.population_band_of(population).number == band


def test_alert_thresholds_are_named_and_documented():
    assert classes.FRAGILE_IFN_THRESHOLD == 7.4
    assert classes.LOW_CAPACITY_SCORE == 40
    assert "FRAGILE_IFN_THRESHOLD" in classes.__doc__
    assert "LOW_CAPACITY_SCORE" in classes.__doc__


def test_made_up_answers_give_low_and_high_scores():
    from diagnostic.questionnaire.scoring import score_sections

    low = score_sections(answers_for("low"))
    high = score_sections(answers_for("high"))
    assert all(s.score < classes.LOW_CAPACITY_SCORE for s in low.values())
    assert all(s.score == 100 for s in high.values())
