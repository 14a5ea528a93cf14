"""One place per real site, pre-2020 labels, postcode/town checks, conseillers numériques and list vintages, on the
MADE-UP data folder tests/fixtures/opendata with the MADE-UP place files of tests/fixtures/sites-made-up (READMEs)."""

import datetime as dt
import html
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from diagnostic.plan.contacts import nearest_places
from territories.models import MONTHS, Commune, CommunePlaceAccess, DataSource, Place

pytestmark = pytest.mark.django_db


def run(data_dir) -> str:
    out = StringIO()
    call_command("load_open_data", "--all", "--data-dir", str(data_dir), "--no-progress", stdout=out)
    return out.getvalue()


@pytest.fixture
def loaded(fixtures_dir, tmp_path) -> tuple[Path, str]:
    target = tmp_path / "opendata"
    shutil.copytree(fixtures_dir / "opendata", target)
    shutil.copytree(fixtures_dir / "sites-made-up" / "mediation", target / "mediation", dirs_exist_ok=True)
    return target, run(target)


def place(name_start: str) -> Place:
    return Place.objects.select_related("source").get(name__startswith=name_start)


def page_text(response) -> str:
    body = re.sub(r"<script.*?</script>", " ", response.content.decode(), flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def test_the_same_site_across_three_sources_is_one_place_holding_every_kind(loaded):
    _, output = loaded
    site = place("France services de Saint-Fauxville")
    assert site.same_site_as is None
    assert site.site_kinds == ["france_services", "aidants_connect", "mediation"]
    assert {p.name for p in site.same_site_records.all()} == {
        "Maison France Services de Saint-Fauxville (fictive)",  # Aidants Connect, same label in the same commune
        "Médiathèque fictive de Saint-Fauxville",  # 70 m away
    }
    # same SIRET, two sources: one site, main record the exactly located one
    siret_site = place("Tiers-lieu fictif au SIRET")
    assert place("Structure fictive au SIRET").same_site_as == siret_site
    assert siret_site.site_kinds == ["aidants_connect", "mediation"]
    assert "8 fiches fusionnées en 3 sites" in output  # Saint-Fauxville 3, Fauxbourg 2, Villefictive 3 (below)
    # nearest help counts sites: Saint-Fauxville's nearest lieu de médiation and Aidants Connect are the merged site
    for kind in ("mediation", "aidants_connect", "france_services"):
        access = CommunePlaceAccess.objects.get(commune_id="99001", kind=kind)
        assert access.nearest == site, kind
    # 3 Aidants Connect records lie within 10 km: 2 sites, as the flagged record is left out (see below)
    assert CommunePlaceAccess.objects.get(commune_id="99001", kind="aidants_connect").within_10km == 2


def test_a_second_import_changes_nothing(loaded):
    data_dir, _ = loaded
    assert "Aucun changement" in run(data_dir)


def test_a_pre_2020_label_gives_way_to_france_services_or_is_flagged(loaded, client):
    msap = place("MSAP de Villefictive")
    fs = place("France services de Villefictive")
    assert msap.same_site_as == fs and not fs.old_label
    assert CommunePlaceAccess.objects.get(commune_id="99003", kind="mediation").nearest == fs
    rsp = place("Relais services publics de Grandeville")
    assert rsp.old_label and rsp.same_site_as is None
    text = page_text(client.get(reverse("territories:commune", args=["99004"])))
    assert "Relais services publics de Grandeville (fictif)" in text
    assert "ancienne MSAP, à vérifier" in text
    assert "ancienne MSAP" not in page_text(client.get(reverse("territories:commune", args=["99003"])))


def test_postcode_and_town_disagreements_are_corrected_or_flagged(loaded):
    _, output = loaded
    fs = place("France services de Villefictive")  # code 99003 agrees with the town: postcode corrected
    assert (fs.postcode, fs.city, fs.address_check) == ("99300", "Villefictive", "corrected")
    assert "99100 Villefictive" in fs.address_note
    town = place("Espace fictif de Villefictive")  # code 99003 agrees with the postcode: town corrected
    assert (town.postcode, town.city, town.address_check) == ("99300", "Villefictive", "corrected")
    flagged = place("Structure fictive mal adressée")  # no code, no coordinates: nothing settles it
    assert (flagged.postcode, flagged.city, flagged.address_check) == ("99100", "Grandeville", "flagged")
    assert not CommunePlaceAccess.objects.filter(nearest=flagged).exists()
    groups = {g.kind: g for g in nearest_places(Commune.objects.get(insee="99001"))}
    assert flagged not in [c.place for c in groups["aidants_connect"].contacts]  # left out of plans
    assert place("Structure fictive au SIRET") not in [c.place for c in groups["aidants_connect"].contacts]
    # France services file, then Aidants Connect file
    assert "1 fiche corrigée d'après le code INSEE ou les coordonnées, 0 fiche signalée (écartée des plans)" in output
    assert "0 fiche corrigée d'après le code INSEE ou les coordonnées, 1 fiche signalée (écartée des plans)" in output


def test_conseillers_numeriques_are_shown_on_the_site_they_work_at(loaded, client):
    _, output = loaded
    assert place("France services de Saint-Fauxville").conseillers == 1  # labelled France services, same commune
    assert place("Tiers-lieu fictif au SIRET").conseillers == 2  # same SIRET
    assert "6 conseillers dans 3 structures du fichier, dont 3 accueillis par 2 sites" in output
    source = DataSource.objects.get(key="conseillers-numeriques")
    assert source.row_count == 3
    text = page_text(client.get(reverse("territories:commune", args=["99001"])))
    assert "Propose : France services, Aidants Connect, médiation numérique, conseiller numérique" in text


def test_a_list_older_than_18_months_says_so(loaded, client):
    fs = DataSource.objects.get(key="france-services")
    assert fs.vintage == "février 2023"
    assert fs.age_months(dt.date(2026, 12, 1)) == 46
    assert fs.age_months(dt.date(2024, 8, 1)) == 18
    today = timezone.localdate()
    assert DataSource(vintage=f"{MONTHS[today.month - 1]} {today.year}", producer="X").age_warning == ""
    assert DataSource(vintage="2021–2022", producer="X").age_months(dt.date(2026, 12, 1)) == 48  # its last year
    text = page_text(client.get(reverse("territories:commune", args=["99001"])))
    assert "liste de février 2023, plus de 18 mois : à vérifier auprès du Hub territorial ou du producteur" in text


def test_plan_contacts_flag_an_unmatched_old_label_and_state_the_list_age(loaded):
    from django.template.loader import render_to_string

    contacts = nearest_places(Commune.objects.get(insee="99004"))
    text = page_text_of(render_to_string("diagnostic/plan/_contacts.html", {"plan": {"contacts": contacts}}))
    assert "Relais services publics de Grandeville (fictif)" in text
    assert "Attention : ancienne MSAP, à vérifier" in text
    assert "Attention : liste de février 2023, plus de 18 mois" in text  # the France services group


def page_text_of(markup: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)))
