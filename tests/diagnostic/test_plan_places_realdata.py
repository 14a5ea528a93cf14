"""Contacts of Boulleret's (18032) and Villeurbanne's (69266) demo plans against the REAL open data (real_data_dir):
no postcode/town disagreement, no pre-2020 label, no site listed twice, and every list with its vintage."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from diagnostic.plan.contacts import nearest_places
from territories.importers.addresses import CogIndex
from territories.importers.dedupe import OLD_LABEL_RE, name_key
from territories.importers.sources import admin
from territories.models import Commune, Place

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]

STALE_FS = "liste de février 2023, plus de 18 mois : à vérifier auprès du Hub territorial ou du producteur"


@pytest.fixture
def loaded(real_data_dir):
    call_command("load_open_data", "--departements", "18", "69", "--data-dir", str(real_data_dir), "--no-progress")
    return CogIndex(admin.parse_admin(real_data_dir).communes)


def check_contacts(commune: Commune, cog: CogIndex) -> list:
    groups = nearest_places(commune)
    for group in groups:
        places = [c.place for c in group.contacts]
        assert places, group.title
        keys = [name_key(p.name) for p in places]
        assert len(set(keys)) == len(keys), (group.title, keys)  # no site twice under two names
        for p in places:
            assert p.same_site_as_id is None, p.name  # the site's main record, never one of its duplicates
            assert cog.disagreement(p.postcode, p.city) is None, (p.name, p.postcode, p.city)
            assert not OLD_LABEL_RE.search(p.name) and not p.old_label, p.name
            assert p.address_check != Place.AddressCheck.FLAGGED, p.name
            assert p.source.vintage in group.citation
    return groups


def test_boulleret_contacts(loaded):
    groups = {g.kind: g for g in check_contacts(Commune.objects.get(insee="18032"), loaded)}
    # Boulleret's France services is also its Aidants Connect structure and its lieu de médiation (Hub-Lo's "MSAP
    # BOULLERET"), and hosts a conseiller numérique
    fs = groups["france_services"].contacts[0].place
    assert fs.name == "France services Boulleret"
    assert groups["mediation"].contacts[0].place == fs == groups["aidants_connect"].contacts[0].place
    assert fs.offers == ["France services", "Aidants Connect", "médiation numérique", "conseiller numérique"]
    assert {p.name for p in fs.same_site_records.all()} == {"MSAP BOULLERET", "Maison France Services de Boulleret"}
    assert any(STALE_FS in w for w in groups["france_services"].warnings)
    # Saint-Satur's Hub-Lo record ("18300 CESTAS", a town in Gironde) had its town corrected from its coordinates
    satur = Place.objects.get(name="MSAP SAINT SATUR")
    assert (satur.postcode, satur.city, satur.address_check) == ("18300", "Saint-Satur", "corrected")


def test_villeurbanne_contacts(loaded):
    groups = {g.kind: g for g in check_contacts(Commune.objects.get(insee="69266"), loaded)}
    assert any(STALE_FS in w for w in groups["france_services"].warnings)
    # the France services of Pimms Médiation in Villeurbanne: its Lyon 8e postcode (69008) replaced by Villeurbanne's
    pimms = Place.objects.get(source__key="france-services", name__contains="Pimms Médiation de Villeurbanne")
    assert (pimms.postcode, pimms.address_check) == ("69100", "corrected")


def test_boulleret_plan_page_and_pdf_show_the_vintage_and_what_each_place_offers(loaded, client, django_user_model):
    from diagnostic.management.commands.seed_demo import BOULLERET_ANSWERS
    from diagnostic.questionnaire.services import create_diagnostic, save_answers
    from inclusion.accounts.models import Membership

    commune = Commune.objects.get(insee="18032")
    agent = django_user_model.objects.create_user(email="agent.test@exemple.invalid", password="x" * 12)
    Membership.objects.create(user=agent, commune=commune, status=Membership.Status.APPROVED)
    diagnostic = create_diagnostic(commune=commune, user=agent, year=2026, is_demo=True)
    save_answers(diagnostic=diagnostic, user=agent, answers=BOULLERET_ANSWERS, comments={})
    client.force_login(agent)
    page = client.get(reverse("diagnostic:plan", args=[diagnostic.pk])).content.decode()
    assert STALE_FS in page
    assert "Propose : France services, Aidants Connect, médiation numérique, conseiller numérique" in page
    assert "MSAP BOULLERET" not in page  # neither in the contacts nor on the map: merged into its France services
    pdf = client.get(reverse("diagnostic:plan_pdf", args=[diagnostic.pk]))
    reader = PdfReader(io.BytesIO(pdf.content))
    text = " ".join(" ".join((p.extract_text() or "") for p in reader.pages).split())
    assert " ".join(STALE_FS.split()) in text
    assert "MSAP" not in text
