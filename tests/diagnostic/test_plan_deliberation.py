"""The draft deliberation adopting the plan: ODT and DOCX downloads, and the annex of the PDF.

Data: MADE-UP world of tests/factories enriched by tests/factories (Saint-Exemple).
"""

import datetime
import io
import os
import re
import shutil
import subprocess
import zipfile
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from pypdf import PdfReader

from diagnostic.measures import MEASURES
from diagnostic.models import MeasureAction
from diagnostic.plan.deliberation import deliberation_docx, deliberation_for, deliberation_odt
from diagnostic.plan.pdf import render_plan_pdf
from diagnostic.plan.selectors import build_plan
from tests.factories import ROLES, build_world, enrich

pytestmark = pytest.mark.django_db

ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def world(db):
    world = enrich(build_world())
    MeasureAction.objects.filter(diagnostic=world.diagnostic, measure=2).update(
        owner="Secrétariat de mairie", target_date=datetime.date(2026, 3, 1), status="in_progress"
    )
    return world


def url(world, fmt):
    return reverse(f"diagnostic:plan_deliberation_{fmt}", args=[world.diagnostic.pk])


def download(client, world, fmt):
    client.force_login(world.agent)
    return client.get(url(world, fmt))


PARAGRAPH_TAGS = (
    "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}p",
    "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p",
)


def xml_text(data: bytes) -> str:
    """The text of an XML part, one paragraph after the other (parsing it proves it is well-formed)."""
    root = ElementTree.fromstring(data)
    paragraphs = [p for tag in PARAGRAPH_TAGS for p in root.iter(tag)] or [root]
    return " ".join(" ".join("".join(p.itertext()) for p in paragraphs).split())


def check_text(text: str):
    assert "Commune de Saint-Exemple" in text
    assert "PROJET DE DÉLIBÉRATION" in text.upper()
    assert "article L. 2121-29" in text
    assert "France Numérique Ensemble" in text
    assert "[date de la séance]" in text and "[nom du maire]" in text
    for number, measure in enumerate(MEASURES, start=2):
        assert f"Article {number} : La mesure {measure.number} « {measure.title} » est retenue avec une priorité" in (
            text
        )
    # Owner and date from the plan's follow-up; dotted blanks where the plan has none.
    assert "Responsable : Secrétariat de mairie. Échéance : 1er mars 2026. État d'avancement" in text
    assert "en cours" in text
    assert "Responsable : ………. Échéance : ………." in text
    assert "Article 7 : Le maire est chargé de l'exécution" in text and "préfecture" in text
    # Considérants: the IFN with its source and vintage, the diagnostic's date, the priorities found.
    assert "indice de fragilité numérique de la commune, de 1 à 10 (10 = le plus fragile), est de 7,4" in text
    assert "part des 65 ans et plus (9 contre 6)" in text
    assert "IFN inventé pour les tests" in text and "inventé 2026" in text
    assert "1 200 habitants" in text
    assert re.search(r"commencé le \d{1,2}(er)? \w+ 20\d\d et non encore transmis", text)
    assert "(s)" not in text


def test_odt_is_a_valid_opendocument_text(client, world):
    response = download(client, world, "odt")
    assert response.status_code == 200
    assert response["Content-Type"] == ODT
    assert response["Content-Disposition"] == (
        f'attachment; filename="deliberation-plan-saint-exemple-{world.diagnostic.year}.odt"'
    )
    assert response["Cache-Control"] == "private, no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    first = archive.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert archive.read("mimetype") == ODT.encode()
    assert response.content[30:38] == b"mimetype"  # right after the first local header, as ODF readers expect
    assert {"META-INF/manifest.xml", "content.xml", "styles.xml"} <= set(archive.namelist())
    manifest = archive.read("META-INF/manifest.xml").decode()
    ElementTree.fromstring(manifest)
    for part in ("content.xml", "styles.xml"):
        assert f'manifest:full-path="{part}"' in manifest
    xml_text(archive.read("styles.xml"))
    check_text(xml_text(archive.read("content.xml")))


def test_docx_is_a_valid_wordprocessing_document(client, world):
    response = download(client, world, "docx")
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].endswith('.docx"')
    assert response["Cache-Control"] == "private, no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert {"[Content_Types].xml", "_rels/.rels", "word/document.xml"} <= set(archive.namelist())
    for name in archive.namelist():
        ElementTree.fromstring(archive.read(name))
    assert "/word/document.xml" in archive.read("[Content_Types].xml").decode()
    assert 'Target="word/document.xml"' in archive.read("_rels/.rels").decode()
    check_text(xml_text(archive.read("word/document.xml")))


def test_files_are_deterministic(world):
    blocks = deliberation_for(build_plan(world.diagnostic))
    again = deliberation_for(build_plan(world.diagnostic))
    assert deliberation_odt(blocks, title="t") == deliberation_odt(again, title="t")
    assert deliberation_docx(blocks, title="t") == deliberation_docx(again, title="t")


def test_submitted_diagnostic_gives_its_transmission_date_and_high_priorities(world):
    diagnostic = world.diagnostic
    diagnostic.status = diagnostic.Status.SUBMITTED
    diagnostic.submitted_at = datetime.datetime(2026, 2, 12, 10, 0, tzinfo=datetime.UTC)
    diagnostic.save()
    plan = build_plan(diagnostic)
    text = " ".join(block.label + block.text for block in deliberation_for(plan))
    assert "transmis le 12 février 2026" in text
    high = [m for m in plan.measures if m.priority == "high"]
    assert high, "the made-up commune has at least one high priority"
    for item in high:
        assert f"mesure {item.number} « {item.measure.short_title} »" in text


def test_pdf_has_the_deliberation_as_annex(world):
    reader = PdfReader(io.BytesIO(render_plan_pdf(build_plan(world.diagnostic))))
    text = " ".join(" ".join((page.extract_text() or "") for page in reader.pages).split())
    assert "Annexe : projet de délibération" in text
    assert "L. 2121-29" in text and "[date de la séance]" in text
    assert "Article 7 :" in text


def test_plan_page_links_both_downloads(client, world):
    client.force_login(world.agent)
    html = client.get(reverse("diagnostic:plan", args=[world.diagnostic.pk])).content.decode()
    assert url(world, "odt") in html and "Projet de délibération (ODT" in html
    assert url(world, "docx") in html


READ = {
    "anonymous": 302,
    "pending_agent": 404,
    "agent": 200,
    "other_agent": 404,
    "coordinator": 200,
    "other_coordinator": 404,
    "staff": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_same_readers_as_the_plan_pdf(client, world, role):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    for fmt in ("odt", "docx"):
        assert client.get(url(world, fmt)).status_code == READ[role]


@pytest.mark.skipif(
    not shutil.which("soffice") and not os.environ.get("CI"),
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui",
)
def test_libreoffice_converts_both_files_to_pdf(world, tmp_path):
    soffice = shutil.which("soffice")
    assert soffice, "CI must install libreoffice-writer-nogui"
    plan = build_plan(world.diagnostic)
    blocks = deliberation_for(plan)
    (tmp_path / "deliberation.odt").write_bytes(deliberation_odt(blocks, title="t"))
    (tmp_path / "deliberation-word.docx").write_bytes(deliberation_docx(blocks, title="t"))
    for name in ("deliberation.odt", "deliberation-word.docx"):
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp_path}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path),
                str(tmp_path / name),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        pdf = tmp_path / (name.rsplit(".", 1)[0] + ".pdf")
        assert pdf.exists(), f"LibreOffice did not convert {name}"
        text = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(pdf).pages).split())
        assert "Saint-Exemple" in text and "Article 7 : Le maire" in text, text
        assert "Responsable : Secrétariat de mairie" in text
