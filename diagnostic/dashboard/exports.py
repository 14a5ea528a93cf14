"""CSV and XLSX exports of the dashboard's filtered commune table (same filters, same scope as the page).

CSV: UTF-8 with a BOM and ";" separators (what French spreadsheet software expects), one header row, one row per
commune. XLSX: the same table on a first sheet, the sources and filters on a second sheet.
"""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from diagnostic.dashboard.filters import STATUS_CHOICES, DashboardFilters
from diagnostic.dashboard.selectors.table import CommuneRow
from territories.formatting import safe_cell, spreadsheet_number

HEADERS = [
    "Code INSEE",
    "Commune",
    "Département",
    "EPCI",
    "Population",
    "IFN total",
    "Classe IFN",
    "Année",
    "Statut du diagnostic",
    "Mesures en priorité haute",
]


def safe_text(value: str) -> str:
    """Neutralise a text that a spreadsheet would read as a formula (territories.formatting.safe_cell)."""
    return safe_cell(value)


def row_values(row: CommuneRow, year: int) -> list:
    commune = row.commune
    ifn_class = row.ifn_class
    return [
        commune.insee,
        safe_text(commune.name),
        commune.departement_id,
        safe_text(commune.epci_name or ""),
        commune.population,
        row.ifn_total,
        ifn_class.number if ifn_class else "",
        year,
        row.status_label,
        " ".join(str(m) for m in row.high_measures),
    ]


def filter_description(filters: DashboardFilters, departements: dict, epcis: dict) -> list[tuple[str, str]]:
    lines = [("Année", str(filters.year))]
    if filters.departement:
        lines.append(("Département", departements.get(filters.departement, filters.departement)))
    if filters.epci:
        lines.append(("EPCI", epcis.get(filters.epci, filters.epci)))
    if filters.status:
        lines.append(("Statut", STATUS_CHOICES[filters.status]))
    if filters.ifn_class:
        lines.append(("Classe IFN", str(filters.ifn_class)))
    if filters.high_measure:
        lines.append(("Mesure en priorité haute", str(filters.high_measure)))
    return lines


def _bold(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell


def to_csv(rows, year: int) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        values = row_values(row, year)
        values[5] = spreadsheet_number(values[5])
        values[4] = "" if values[4] is None else values[4]
        writer.writerow(values)
    return buffer.getvalue()


def to_xlsx(rows, year: int, *, sources: list[str], filters: list[tuple[str, str]]) -> bytes:
    # write-only mode: streams rows (several times faster than the default mode for thousands of rows)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Communes")
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJ", (10, 30, 12, 30, 12, 10, 10, 8, 20, 18), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append([_bold(sheet, header) for header in HEADERS])
    for row in rows:
        sheet.append(row_values(row, year))

    about = workbook.create_sheet("Sources et filtres")
    about.append([_bold(about, "Filtres appliqués")])
    for label, value in filters:
        about.append([label, value])
    about.append([])
    about.append([_bold(about, "Sources")])
    for citation in sources:
        about.append([citation])
    about.append(["Statut et priorités : diagnostics des communes (saisie des communes)."])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
