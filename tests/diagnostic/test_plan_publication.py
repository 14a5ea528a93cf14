"""Opt-in publication of a plan: an agent publishes or withdraws it; the public page shows measures, priorities,
steps and status, never names or comments; similar communes and the Hub dashboard link to it.

Data: MADE-UP world of tests/factories enriched by tests/factories (Saint-Exemple).
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from diagnostic.measures import MEASURES
from diagnostic.models import AuditEvent, Diagnostic, MeasureAction, ReviewComment
from diagnostic.plan.selectors import build_plan
from tests.diagnostic.test_plan_page import text_of
from tests.factories import ROLES, build_world, enrich, make_commune, make_diagnostic

pytestmark = pytest.mark.django_db


def submit(diagnostic):
    diagnostic.status = Diagnostic.Status.SUBMITTED
    diagnostic.submitted_at = timezone.now()
    diagnostic.save()


@pytest.fixture
def world(db):
    world = enrich(build_world())
    submit(world.diagnostic)
    MeasureAction.objects.filter(diagnostic=world.diagnostic, measure=2).update(
        owner="Martine Dupont-Secrète",
        comment="Commentaire interne très confidentiel",
        status="in_progress",
        target_date=datetime.date(2026, 6, 30),
    )
    ReviewComment.objects.create(diagnostic=world.diagnostic, author=world.coordinator, body="Avis interne du Hub")
    return world


def manage_url(world):
    return reverse("diagnostic:plan_publication", args=[world.diagnostic.pk])


def public_url(world):
    return reverse("diagnostic:published_plan", args=[world.commune.insee, world.diagnostic.year])


def publish(client, world, action="publish"):
    client.force_login(world.agent)
    return client.post(manage_url(world), {"action": action})


def test_unpublished_plan_has_no_public_page(client, world):
    assert client.get(public_url(world)).status_code == 404


def test_agent_publishes_and_anyone_reads_measures_priorities_steps_and_status(client, world):
    client.force_login(world.agent)
    page = text_of(client.get(manage_url(world)))
    assert "Ce qui n'est jamais publié" in page and "aucun nom de personne" in page
    response = publish(client, world)
    assert response.status_code == 302
    page = text_of(client.get(response["Location"]))
    assert "Plan publié le" in page and public_url(world) in page

    client.logout()
    response = client.get(public_url(world))
    assert response.status_code == 200
    page = text_of(response)
    assert f"Plan d'action pour l'inclusion numérique {world.diagnostic.year} — Saint-Exemple" in page
    plan = build_plan(world.diagnostic)
    for item in plan.measures:
        assert f"{item.number}. {item.measure.short_title} — priorité {item.assessment.priority_label.lower()}" in page
        for step in item.steps:
            assert step.text in page
    assert "En cours" in page and "échéance le 30 juin 2026" in page
    # No names, no comments, no answers' authors.
    for secret in ("Martine", "Dupont", "Commentaire interne", "Avis interne", "Alice", "Agent", "Claire"):
        assert secret not in page, secret
    # The signed-in plan page says it is published, with the public link.
    client.force_login(world.coordinator)
    page = text_of(client.get(reverse("diagnostic:plan", args=[world.diagnostic.pk])))
    assert "Plan publié le" in page and "gérer la publication" not in page


def test_publication_and_withdrawal_are_audited_and_in_the_history(client, world):
    publish(client, world)
    world.diagnostic.refresh_from_db()
    assert world.diagnostic.published_at is not None
    assert publish(client, world, "unpublish").status_code == 302
    world.diagnostic.refresh_from_db()
    assert world.diagnostic.published_at is None
    assert client.get(public_url(world)).status_code == 404
    events = AuditEvent.objects.filter(diagnostic=world.diagnostic, target=AuditEvent.Target.PUBLICATION)
    assert [(e.key, e.user) for e in events.order_by("id")] == [
        ("plan.published", world.agent),
        ("plan.unpublished", world.agent),
    ]
    history = text_of(client.get(reverse("diagnostic:history", args=[world.diagnostic.pk])))
    assert "Publication du plan" in history and "Retrait du plan publié" in history


def test_a_draft_cannot_be_published(client, world):
    world.diagnostic.status = Diagnostic.Status.DRAFT
    world.diagnostic.save()
    client.force_login(world.agent)
    assert "pourra être publié une fois le diagnostic transmis" in text_of(client.get(manage_url(world)))
    response = publish(client, world)
    assert response.status_code == 400
    assert "pourra être publié une fois le diagnostic transmis" in text_of(response)
    world.diagnostic.refresh_from_db()
    assert world.diagnostic.published_at is None


WRITE = {
    "anonymous": 302,
    "pending_agent": 404,
    "agent": 302,
    "other_agent": 404,
    "coordinator": 403,
    "other_coordinator": 404,
    "staff": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_only_the_communes_agents_publish(client, world, role):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    response = client.post(manage_url(world), {"action": "publish"})
    assert response.status_code == WRITE[role]
    world.diagnostic.refresh_from_db()
    assert (world.diagnostic.published_at is not None) == (role == "agent")


def test_similar_communes_link_their_published_plans(client, world):
    twin = make_commune("99050", "Jumelle-Inventée", dep=world.commune.departement, population=1150, ifn=7.3)
    twin_diagnostic = make_diagnostic(twin)
    submit(twin_diagnostic)
    client.force_login(world.agent)
    plan_url = reverse("diagnostic:plan", args=[world.diagnostic.pk])
    twin_url = reverse("diagnostic:published_plan", args=[twin.insee, twin_diagnostic.year])
    page = client.get(plan_url).content.decode()
    assert "Jumelle-Inventée" in page and twin_url not in page and "non publié" in page

    twin_diagnostic.published_at = timezone.now()
    twin_diagnostic.save()
    page = text_of(client.get(plan_url))
    assert "Une commune similaire a publié son plan d'action" in page
    assert f"Lire le plan {twin_diagnostic.year} de Jumelle-Inventée" in page
    assert twin_url in client.get(plan_url).content.decode()
    assert client.get(twin_url).status_code == 200


def test_hub_dashboard_shows_which_communes_published(client, world):
    client.force_login(world.coordinator)
    url = reverse("diagnostic:dashboard") + f"?annee={world.diagnostic.year}"
    assert public_url(world) not in client.get(url).content.decode()
    world.diagnostic.published_at = timezone.now()
    world.diagnostic.save()
    response = client.get(url)
    assert public_url(world) in response.content.decode()
    assert "plan publié de Saint-Exemple" in text_of(response)


def test_public_page_of_every_measure_has_its_title(client, world):
    world.diagnostic.published_at = timezone.now()
    world.diagnostic.save()
    page = text_of(client.get(public_url(world)))
    for measure in MEASURES:
        assert measure.title in page
    assert "1 200 habitants" in page
    other_year = reverse("diagnostic:published_plan", args=[world.commune.insee, world.diagnostic.year - 1])
    assert client.get(other_year).status_code == 404
