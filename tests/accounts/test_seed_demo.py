"""seed_demo: idempotent, labelled demo data; stops clearly without the communes (all data here MADE UP)."""

import io

import pytest
from django.core.management import CommandError, call_command

from diagnostic.models import Answer, AuditEvent, Diagnostic
from inclusion.accounts.models import Membership, User
from inclusion.accounts.roles import role_of
from tests.factories import make_commune, make_departement, make_hub, make_region


@pytest.fixture
def demo_communes(db):
    centre, aura = make_region("24", "Région inventée du Centre"), make_region("84", "Région inventée AURA")
    hub_lo = make_hub("hub-lo", "Hub-Lo (inventé)", region=centre)
    hinaura = make_hub("hinaura", "Hinaura (inventé)", region=aura)
    make_commune("18032", "Boulleret", dep=make_departement("18", "Cher inventé", region=centre, hub=hub_lo))
    make_commune("69266", "Villeurbanne", dep=make_departement("69", "Rhône inventé", region=aura, hub=hinaura))
    return hub_lo, hinaura


def snapshot():
    return (
        User.objects.count(),
        Membership.objects.count(),
        Diagnostic.objects.count(),
        Answer.objects.count(),
        AuditEvent.objects.count(),
    )


def test_seed_demo_is_idempotent(demo_communes):
    hub_lo, hinaura = demo_communes
    call_command("seed_demo", stdout=io.StringIO())
    first = snapshot()
    call_command("seed_demo", stdout=io.StringIO())
    assert snapshot() == first
    boulleret = Diagnostic.objects.get(commune_id="18032")
    villeurbanne = Diagnostic.objects.get(commune_id="69266")
    assert boulleret.is_demo and villeurbanne.is_demo
    assert boulleret.is_submitted and not villeurbanne.is_submitted
    assert boulleret.answers.filter(value__isnull=False).count() == 30
    assert User.objects.get(email="coordination.hub-lo@demo.invalid").hub == hub_lo
    assert User.objects.get(email="coordination.hinaura@demo.invalid").hub == hinaura
    assert role_of(User.objects.get(email="agent.boulleret@demo.invalid")) == "agent"
    assert role_of(User.objects.get(email="agent.attente@demo.invalid")) == "pending_agent"
    assert role_of(User.objects.get(email="equipe@demo.invalid")) == "staff"
    assert User.objects.get(email="agent.villeurbanne@demo.invalid").check_password("demo-inclusion-2026")


def test_demo_label_is_shown(demo_communes, client):
    call_command("seed_demo", stdout=io.StringIO())
    client.force_login(User.objects.get(email="agent.boulleret@demo.invalid"))
    diagnostic = Diagnostic.objects.get(commune_id="18032")
    from django.urls import reverse

    assert "Démonstration" in client.get(reverse("diagnostic:summary", args=[diagnostic.pk])).text
    assert "Démonstration" in client.get(reverse("accounts:home")).text


def test_seed_demo_without_communes_stops_with_a_clear_message(db):
    with pytest.raises(CommandError, match="load_open_data"):
        call_command("seed_demo")
