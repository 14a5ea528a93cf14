"""CSV and XLSX exports of the filtered commune table: same filters, same scope; parsed back here."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from diagnostic.dashboard.exports import HEADERS
from tests.diagnostic.test_dashboard_world import login, world  # noqa: F401


def read_csv(response) -> list[dict]:
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
    assert reader.fieldnames == HEADERS
    return list(reader)


def read_xlsx(response) -> tuple[list[dict], list[list]]:
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.streaming  # written while the rows are read (national table: no wait before the download)
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook["Communes"].iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    about = [list(r) for r in workbook["Sources et filtres"].iter_rows(values_only=True)]
    return [dict(zip(HEADERS, r, strict=True)) for r in rows[1:]], about


@pytest.fixture
def coord(client, world):  # noqa: F811
    return login(client, world, "coordinator")


def test_csv_contents(coord, world):  # noqa: F811
    rows = read_csv(coord.get(reverse("diagnostic:dashboard_export_csv")))
    assert [r["Code INSEE"] for r in rows] == ["91001", "91002", "91003", "91004", "92001"]
    alpha = rows[0]
    assert alpha["Commune"] == "Alpha"
    assert alpha["Département"] == "91"
    assert alpha["EPCI"] == "CC Une inventée"
    assert alpha["Population"] == "1200"
    assert alpha["IFN total"] == "8,5"
    assert alpha["Classe IFN"] == "5"
    assert alpha["Année"] == str(world["year"])
    assert alpha["Statut du diagnostic"] == "Transmis"
    assert alpha["Mesures en priorité haute"] == "1 4"
    assert rows[1]["Statut du diagnostic"] == "Brouillon"
    assert rows[2]["Statut du diagnostic"] == "Pas de diagnostic"
    assert rows[2]["Mesures en priorité haute"] == ""


def test_csv_applies_the_filters_and_the_sort(coord):
    rows = read_csv(
        coord.get(reverse("diagnostic:dashboard_export_csv"), {"classe_ifn": "5", "statut": "aucun", "tri": "-ifn"})
    )
    assert [r["Code INSEE"] for r in rows] == ["92001", "91004"]


def test_export_ignores_the_page(coord, monkeypatch):
    from diagnostic.dashboard import classes

    monkeypatch.setattr(classes, "PAGE_SIZE", 2)
    rows = read_csv(coord.get(reverse("diagnostic:dashboard_export_csv"), {"page": "2"}))
    assert len(rows) == 5


def test_xlsx_contents(coord, world):  # noqa: F811
    rows, about = read_xlsx(coord.get(reverse("diagnostic:dashboard_export_xlsx"), {"departement": "91"}))
    assert [r["Code INSEE"] for r in rows] == ["91001", "91002", "91003", "91004"]
    alpha = rows[0]
    assert alpha["Population"] == 1200
    assert alpha["IFN total"] == 8.5
    assert alpha["Classe IFN"] == 5
    assert alpha["Année"] == world["year"]
    assert alpha["Mesures en priorité haute"] == "1 4"
    flat = [cell for row in about for cell in row if cell]
    assert "Département" in flat and "Département 91 inventé (91)" in flat
    assert any(str(cell).startswith("Source :") for cell in flat)


def test_xlsx_of_a_measure_filter_for_last_year(coord, world):  # noqa: F811
    rows, _ = read_xlsx(
        coord.get(
            reverse("diagnostic:dashboard_export_xlsx"),
            {"annee": world["year"] - 1, "mesure_prioritaire": "3"},
        )
    )
    assert [(r["Code INSEE"], r["Statut du diagnostic"]) for r in rows] == [("92001", "Transmis")]


@pytest.mark.parametrize("name", ["diagnostic:dashboard_export_csv", "diagnostic:dashboard_export_xlsx"])
def test_exports_never_leave_the_hub(client, world, name):  # noqa: F811
    login(client, world, "other_coordinator")
    response = client.get(reverse(name), {"departement": "91"})  # not theirs: ignored
    if name.endswith("csv"):
        codes = [r["Code INSEE"] for r in read_csv(response)]
    else:
        codes = [r["Code INSEE"] for r in read_xlsx(response)[0]]
    assert codes == ["93001"]


def test_staff_export_everything(client, world):  # noqa: F811
    login(client, world, "staff")
    rows = read_csv(client.get(reverse("diagnostic:dashboard_export_csv")))
    assert len(rows) == 6


def test_exports_neutralise_formulas(coord, world):  # noqa: F811
    commune = world["communes"]["charlie"]
    commune.name = '=HYPERLINK("http://example.org","x")'
    commune.save()
    rows = read_csv(coord.get(reverse("diagnostic:dashboard_export_csv"), {"epci": "900000002"}))
    assert rows[0]["Commune"] == "'" + commune.name
    xlsx_rows, _ = read_xlsx(coord.get(reverse("diagnostic:dashboard_export_xlsx"), {"epci": "900000002"}))
    assert xlsx_rows[0]["Commune"] == "'" + commune.name
