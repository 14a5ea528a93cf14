"""The plan's PDF (WeasyPrint, read back with pypdf) and CSV exports. Data: MADE-UP (tests/factories)."""

import csv
import io
import socket

import pytest
from django.urls import reverse
from pypdf import PdfReader

from diagnostic.models import MeasureAction
from diagnostic.plan.pdf import StaticFileFetcher, render_plan_pdf, static_file_for
from diagnostic.plan.selectors import build_plan
from tests.factories import build_world, enrich

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return enrich(build_world())


@pytest.fixture
def agent(client, world):
    client.force_login(world.agent)
    return client


def pdf_text(reader: PdfReader) -> str:
    return " ".join((page.extract_text() or "") for page in reader.pages).replace("\n", " ")


def test_pdf_holds_commune_measures_priorities_and_sources(agent, world):
    MeasureAction.objects.filter(diagnostic=world.diagnostic, measure=4).update(
        owner="Secrétariat de mairie", status="in_progress"
    )
    response = agent.get(reverse("diagnostic:plan_pdf", args=[world.diagnostic.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="plan-saint-exemple-' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(pdf_text(reader).split())
    assert "Saint-Exemple" in text
    for title in (
        "Comprendre les inégalités et identifier les acteurs",
        "Former les agents de la commune",
        "Organiser des permanences numériques",
        "Mobiliser les acteurs de la médiation",
    ):
        assert title in text
    assert "France Numérique Ensemble" in text
    plan = build_plan(world.diagnostic)
    for item in plan.measures:
        assert f"priorité {item.assessment.priority_label.lower()}" in text
    assert "Haute" in text
    assert "Secrétariat de mairie" in text and "En cours" in text
    assert "Sources des données utilisées" in text
    assert "IFN inventé pour les tests" in text and "inventé 2026" in text
    assert "Méthode" in text
    assert "Hub Imaginaire" in text
    assert "Brouillon" in text
    assert "Démonstration" not in text


def test_pdf_metadata_language_and_tags(world):
    reader = PdfReader(io.BytesIO(render_plan_pdf(build_plan(world.diagnostic))))
    assert reader.metadata.title.startswith("Plan d'action pour l'inclusion numérique — Saint-Exemple")
    root = reader.trailer["/Root"]
    assert str(root["/Lang"]).lower().startswith("fr")
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert len(reader.pages) >= 5
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4 portrait


def test_demo_pdf_has_a_banner(world):
    world.diagnostic.is_demo = True
    world.diagnostic.save()
    text = pdf_text(PdfReader(io.BytesIO(render_plan_pdf(build_plan(world.diagnostic)))))
    assert "Démonstration" in text


def test_pdf_contains_the_svg_map_of_the_departement(world):
    from diagnostic.plan.pdf import plan_pdf_html

    html = plan_pdf_html(build_plan(world.diagnostic))
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="plan-map"' in html
    assert "Commune du diagnostic : Saint-Exemple" in html
    assert '<html lang="fr">' in html and "<title>Plan d'action" in html


def test_fetcher_serves_static_files_only():
    assert static_file_for("file:///static/css/print.css").name == "print.css"
    for url in (
        "https://example.org/static/css/print.css",
        "http://127.0.0.1/static/css/print.css",
        "file:///etc/passwd",
        "file:///static/../../../etc/passwd",
        "file:///static/",
        "data:text/css,body{}",
        "file://evil.example.org/static/css/print.css",
    ):
        assert static_file_for(url) is None, url
        with pytest.raises(ValueError):
            StaticFileFetcher().fetch(url)


def test_rendering_makes_no_network_access(world, monkeypatch):
    from weasyprint import HTML

    def no_network(*args, **kwargs):
        raise AssertionError("network access during PDF rendering")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    render_plan_pdf(build_plan(world.diagnostic))
    html = '<html lang="fr"><title>t</title><img src="https://example.org/x.png"><link rel="stylesheet" href="http://example.org/x.css"><p>x</p></html>'
    HTML(string=html, base_url="file:///", url_fetcher=StaticFileFetcher()).write_pdf()


def test_csv_export(agent, world):
    MeasureAction.objects.filter(diagnostic=world.diagnostic, measure=2).update(
        owner='=HYPERLINK("http://x")', comment="Former l'accueil ; puis la médiathèque", target_date="2026-06-30"
    )
    response = agent.get(reverse("diagnostic:plan_csv", args=[world.diagnostic.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="plan-saint-exemple-')
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:6] == ["Commune", "Code INSEE", "Année", "Statut du diagnostic", "N° de mesure", "Mesure"]
    assert "Priorité" in rows[0] and "Responsable" in rows[0] and "Échéance" in rows[0]
    assert len(rows) == 6
    header = rows[0]
    second = dict(zip(header, rows[2], strict=True))
    assert second["N° de mesure"] == "2"
    assert second["Commune"] == "Saint-Exemple"
    assert second["Échéance"] == "30/06/2026"
    assert second["Responsable"].startswith("'=")  # no formula injection
    assert second["Commentaire"] == "Former l'accueil ; puis la médiathèque"
    assert second["Priorité"] in {"Haute", "Moyenne", "Basse"}
    fourth = dict(zip(header, rows[4], strict=True))
    assert "Aucune permanence numérique aujourd'hui" in fourth["Raisons"]


def test_pdf_is_cached_until_something_it_shows_changes(agent, world, monkeypatch):
    from django.core.cache import cache

    from diagnostic.plan import pdf as pdf_module

    cache.clear()
    calls = []
    real = pdf_module.render_plan_pdf
    monkeypatch.setattr(pdf_module, "render_plan_pdf", lambda plan: calls.append(1) or real(plan))
    url = reverse("diagnostic:plan_pdf", args=[world.diagnostic.pk])
    first = agent.get(url).content
    assert agent.get(url).content == first
    assert len(calls) == 1
    action = MeasureAction.objects.get(diagnostic=world.diagnostic, measure=1)
    agent.post(
        reverse("diagnostic:plan_measure", args=[world.diagnostic.pk, 1]),
        {"owner": "Maire", "target_date": "", "status": "todo", "comment": "", "version": action.version},
    )
    agent.get(url)
    assert len(calls) == 2
