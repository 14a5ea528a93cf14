"""CSV and XLSX exports of the dashboard's filtered commune table (same filters, same scope as the page).

CSV: UTF-8 with a BOM and ";" separators (what French spreadsheet software expects), one header row, one row per
commune. XLSX: the same table on a first sheet, the sources and filters on a second sheet.

The XLSX is written here as the few XML parts of a minimal Office Open XML workbook (inline strings, one bold style,
frozen header row, column widths), zipped: about ten times faster than openpyxl's write-only mode without lxml (the
national table, 34 969 rows, in well under a second instead of 3 to 8 s). Tests read it back with openpyxl.
"""

from __future__ import annotations

import csv
import io
import zipfile

from diagnostic.dashboard.filters import STATUS_CHOICES, DashboardFilters
from diagnostic.dashboard.selectors.table import CommuneRow

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


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Neutralise a text that a spreadsheet would read as a formula (CSV/formula injection)."""
    return f"'{value}" if value and value.startswith(FORMULA_PREFIXES) else value


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


def to_csv(rows, year: int) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        values = row_values(row, year)
        values[5] = "" if values[5] is None else str(values[5]).replace(".", ",")
        values[4] = "" if values[4] is None else values[4]
        writer.writerow(values)
    return buffer.getvalue()


COLUMN_WIDTHS = (10, 30, 12, 30, 12, 10, 10, 8, 20, 18)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_COLUMNS = [chr(ord("A") + i) for i in range(26)]
# Escapes for XML text, and the characters XML 1.0 cannot carry at all (control characters but tab, newline and
# carriage return), dropped.
_XML_TEXT = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"}
_XML_TEXT.update(dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]))

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/styles.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/worksheets/sheet2.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
</Types>"""
_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
</Relationships>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\
<sheet name="Communes" sheetId="1" r:id="rId1"/><sheet name="Sources et filtres" sheetId="2" r:id="rId2"/>\
</sheets></workbook>"""
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
Target="worksheets/sheet2.xml"/>\
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" \
Target="styles.xml"/>\
</Relationships>"""
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font>\
</fonts><fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _row(number: int, values, bold: bool = False, keep_empty: bool = False) -> str:
    """One <row>: strings as inline strings, numbers as numbers (hot loop: ~350 000 cells). Empty cells are left out,
    or written as empty elements with `keep_empty` (a streamed sheet has no <dimension>: readers see full rows)."""
    style = ' s="1"' if bold else ""
    line = str(number)
    cells = []
    for column, value in zip(_COLUMNS, values, strict=False):
        if value is None or value == "":
            if keep_empty:
                cells.append(f'<c r="{column}{line}"/>')
            continue
        kind = type(value)
        if kind is int or kind is float:
            cells.append(f'<c r="{column}{line}"{style}><v>{value!r}</v></c>')
        else:
            text = (value if kind is str else str(value)).translate(_XML_TEXT)
            cells.append(f'<c r="{column}{line}" t="inlineStr"{style}><is><t xml:space="preserve">{text}</t></is></c>')
    return f'<row r="{line}">{"".join(cells)}</row>'


def _sheet_head(*, dimension: str = "", widths=(), freeze_header: bool = False) -> str:
    view = (
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
        'state="frozen"/></sheetView></sheetViews>'
        if freeze_header
        else ""
    )
    cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, start=1))
    cols = f"<cols>{cols}</cols>" if cols else ""
    dimension = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"{_SHEET_START}{dimension}{view}{cols}<sheetData>"


_SHEET_END = "</sheetData></worksheet>"


class _Sink:
    """A write-only file for zipfile (no tell/seek: entries get data descriptors), emptied as the response streams."""

    def __init__(self):
        self.chunks: list[bytes] = []

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


def stream_xlsx(rows, year: int, *, sources, filters: list[tuple[str, str]], batch: int = 2000):
    """The workbook as a stream of bytes, written while `rows` (an iterator) is read: the download starts at once and
    memory stays flat whatever the number of rows. `sources(communes)` gives the citations of the rows' communes
    (the second sheet is written last)."""
    sink = _Sink()
    communes = []
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            lines = [_sheet_head(widths=COLUMN_WIDTHS, freeze_header=True), _row(1, HEADERS, bold=True)]
            for number, row in enumerate(rows, start=2):
                communes.append(row.commune)
                lines.append(_row(number, row_values(row, year), keep_empty=True))
                if len(lines) >= batch:
                    sheet.write("".join(lines).encode())
                    lines.clear()
                    chunk = sink.take()
                    if chunk:
                        yield chunk
            lines.append(_SHEET_END)
            sheet.write("".join(lines).encode())
        about_lines: list[tuple[list, bool]] = [(["Filtres appliqués"], True)]
        about_lines += [([label, value], False) for label, value in filters]
        about_lines += [([], False), (["Sources"], True)]
        about_lines += [([citation], False) for citation in sources(communes)]
        about_lines.append((["Statut et priorités : diagnostics des communes (saisie des communes)."], False))
        about = [_row(number, values, bold) for number, (values, bold) in enumerate(about_lines, start=1)]
        archive.writestr(
            "xl/worksheets/sheet2.xml", _sheet_head(dimension=f"A1:B{len(about)}") + "".join(about) + _SHEET_END
        )
    yield sink.take()


def to_xlsx(rows, year: int, *, sources: list[str], filters: list[tuple[str, str]]) -> bytes:
    """The whole workbook at once (same content as `stream_xlsx`)."""
    return b"".join(stream_xlsx(iter(rows), year, sources=lambda _communes: sources, filters=filters))
