"""Boulleret's demo diagnostic (answers of seed_demo) against the REAL open data of the Cher (real_data_dir):
the plan page and the PDF quote the figures of the imported rows (IFN parts, département medians, nearest places,
Hub), with their sources."""

import html
import io
import re

import pytest
from django.core.management import call_command, get_commands
from django.urls import reverse
from pypdf import PdfReader

from diagnostic.plan.facts import facts_for
from diagnostic.plan.rules import FAR_KM, NEAR_KM, assess, fr, km
from diagnostic.plan.rules.thresholds import PARTNER_NEAR_KM
from territories.models import CommuneIfn, CommunePlaceAccess, Place
from tests.factories import make_member, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


@pytest.fixture
def boulleret(real_data_dir):
    if "load_open_data" not in get_commands():
        pytest.skip("The load_open_data importer is not available yet.")
    call_command("load_open_data", "--departements", "18", "--data-dir", str(real_data_dir), "--no-progress")
    from diagnostic.management.commands.seed_demo import BOULLERET_ANSWERS, BOULLERET_COMMENTS
    from diagnostic.questionnaire.services import create_diagnostic, save_answers
    from territories.models import Commune

    commune = Commune.objects.get(insee="18032")
    agent = make_user("agent.test@exemple.invalid")
    make_member(agent, commune)
    diagnostic = create_diagnostic(commune=commune, user=agent, year=2026, is_demo=True)
    save_answers(diagnostic=diagnostic, user=agent, answers=BOULLERET_ANSWERS, comments=BOULLERET_COMMENTS)
    return diagnostic, agent


def page_text(response) -> str:
    body = re.sub(r"<script.*?</script>", " ", response.content.decode(), flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def test_boulleret_plan_page_quotes_the_data_rows(client, boulleret):
    from territories.selectors import departement_ifn_stats

    diagnostic, agent = boulleret
    client.force_login(agent)
    text = page_text(client.get(reverse("diagnostic:plan", args=[diagnostic.pk])))

    ifn = CommuneIfn.objects.select_related("source").get(commune_id="18032")
    assert (ifn.older_65, ifn.total) == (9.0, 7.8)  # the published row: Boulleret 18032, total 7.8
    medians = departement_ifn_stats("18").medians
    assert f"part des 65 ans et plus : {fr(ifn.older_65)}/10 contre {fr(medians['older_65'])}" in text
    assert f"indice de fragilité numérique : {fr(ifn.total)}/10 contre {fr(medians['total'])}" in text
    assert ifn.source.citation in text

    # nearest help, from the import-time access rows
    rows = {r.kind: r for r in CommunePlaceAccess.objects.filter(commune_id="18032").select_related("nearest")}
    located = [rows[k] for k in (Place.Kind.MEDIATION, Place.Kind.FRANCE_SERVICES) if k in rows and rows[k].nearest]
    nearest = min(located, key=lambda r: r.nearest_km)
    assert f"le plus proche à {km(nearest.nearest_km)} ({nearest.nearest.name})" in text
    expected = (
        "Aide éloignée"
        if nearest.nearest_km > FAR_KM
        else ("Aide à distance moyenne" if nearest.nearest_km > NEAR_KM else "Aide proche")
    )
    assert expected in text
    assert f"{nearest.nearest.name} — à {fr(round(nearest.nearest_km, 1))}" in text or nearest.nearest.name in text

    # Hub of the Cher (Centre-Val de Loire) with its website
    hub = diagnostic.commune.departement.hub
    assert hub is not None and hub.name in text and hub.url in text

    # answers of the demo: unknown said plainly, priorities as the rules say
    assert "Réponse « Je ne sais pas »" not in text or "confiance baisse" in text
    assert "La commune ne connaît pas la feuille de route France Numérique Ensemble de son département." in text
    priorities = {n: a.priority_label.lower() for n, a in assess(facts_for(diagnostic)).items()}
    for number, label in priorities.items():
        assert f"Priorité {label}" in text, number
    assert dict(diagnostic.measures.values_list("measure", "priority")) == {
        n: a.priority for n, a in assess(facts_for(diagnostic)).items()
    }


def test_boulleret_steps_come_from_its_section_4_and_connectivity_answers_and_its_neighbours(client, boulleret):
    diagnostic, agent = boulleret
    client.force_login(agent)
    response = client.get(reverse("diagnostic:plan", args=[diagnostic.pk]))
    text, html_source = page_text(response), response.content.decode()

    # section 4: statement "Je ne sais pas" -> find out; plain language "no" -> the DITP method
    assert "Vérifier si le site de la commune publie sa déclaration d'accessibilité" in text
    assert "Relire en langage clair les formulaires et courriers" in text
    assert 'href="https://accessibilite.numerique.gouv.fr/obligations/declaration-accessibilite/"' in html_source
    # connectivity: gaps not reported -> J'alerte l'Arcep and the département's New Deal Mobile team; no Wi-Fi
    assert "Signaler les secteurs mal couverts à l'Arcep avec « J'alerte l'Arcep »" in text
    assert "New Deal Mobile" in text and 'href="https://jalerte.arcep.fr/"' in html_source
    assert "Proposer un Wi-Fi public gratuit" in text
    assert "Lien vérifié en décembre 2026." in text
    # publics reported as lacking equipment: seniors -> the senior route
    assert "conférence des financeurs de la prévention de la perte d'autonomie" in text
    # a partner already near is named with its distance instead of asking the commune to do the same
    aidants = CommunePlaceAccess.objects.select_related("nearest").get(
        commune_id="18032", kind=Place.Kind.AIDANTS_CONNECT
    )
    assert aidants.nearest_km <= PARTNER_NEAR_KM  # real data: the nearest structure is a few km away
    assert f"Orienter vers {aidants.nearest.name} (à {km(aidants.nearest_km)})" in text
    assert "Faire habiliter un agent" not in text
    # claims no stronger than the data: the index and its vintage, never a claim about people from a sub-score
    assert "Beaucoup d'habitants" not in text
    assert "de La Mednum, de 1 à 10, 10 = le plus fragile, IFN publié 2023–2024" in text
    # profile: section 4 row shows the commune's answers; distances have their own row
    assert "Accessibilité des services de la commune" in text and "Proximité de l'aide" in text
    assert "déclaration d'accessibilité du site : je ne sais pas" in text
    assert "accueil téléphonique : 18 heures par semaine" in text


def test_boulleret_pdf(client, boulleret):
    diagnostic, agent = boulleret
    client.force_login(agent)
    response = client.get(reverse("diagnostic:plan_pdf", args=[diagnostic.pk]))
    assert response.status_code == 200
    assert len(response.content) < 1024 * 1024
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join((p.extract_text() or "") for p in reader.pages).split())
    assert "Boulleret" in text and "Démonstration" in text
    assert "Indice de fragilité numérique" in text
    assert "La Mednum" in text and "Hub-Lo" in text
    assert "J'alerte l'Arcep" in text and "Lien vérifié en décembre 2026" in text
    assert "jalerte.arcep.fr" in text  # the PDF prints the URLs of the links
    assert str(reader.trailer["/Root"]["/Lang"]).startswith("fr")


def test_boulleret_deliberation_quotes_its_ifn_with_source_and_its_high_priorities(client, boulleret):
    import zipfile
    from xml.etree import ElementTree

    diagnostic, agent = boulleret
    client.force_login(agent)
    response = client.get(reverse("diagnostic:plan_deliberation_odt", args=[diagnostic.pk]))
    assert response.status_code == 200
    content = ElementTree.fromstring(zipfile.ZipFile(io.BytesIO(response.content)).read("content.xml"))
    paragraphs = ["".join(p.itertext()) for p in content.iter("{urn:oasis:names:tc:opendocument:xmlns:text:1.0}p")]
    text = " ".join(" ".join(paragraphs).split())
    ifn = CommuneIfn.objects.select_related("source").get(commune_id="18032")
    assert "Commune de Boulleret (Cher)" in text and "Démonstration" in text
    assert f"est de {fr(ifn.total)}" in text and ifn.source.citation in text
    assert "Considérant que ce diagnostic désigne comme prioritaire" in text or "aucune mesure de priorité haute" in (
        text
    )
    assert "Article 7 : Le maire est chargé" in text
