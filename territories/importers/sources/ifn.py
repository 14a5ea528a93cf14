"""Indice de Fragilité Numérique (La Mednum) per commune and per EPCI.

How the file encodes gaps (measured on ifn-city-all-variation.csv): a blank cell means "not published"; a row whose
values are all 0 (six uninhabited Meuse communes) is not a score either, since the scale is 1–10. Both are stored as
NULL, never 0. Current communes with no usable row get a value DERIVED from the rows of their parts (municipal
arrondissements of Paris/Lyon/Marseille, former communes of a commune nouvelle): population-weighted mean when every
part's population is known, otherwise an equal-weight mean, and the `note` says which. The others are MISSING with
the reason in `note`.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from territories import opendata
from territories.formatting import agree, number, plural
from territories.importers.base import INSEE_RE, SIREN_RE, CsvDoc, Summary, parse_float, read_number, shown
from territories.models import CommuneIfn, EpciIfn, IfnFields
from territories.services import sync_rows

FILES = {key: opendata.path(key) for key in ("ifn-communes", "ifn-epci")}
COLUMNS = {
    "no_thd_coverage_rate": "no_thd_coverage",
    "no_4g_coverage_rate": "no_4g_coverage",
    "poverty_rate": "poverty",
    "older_65_rate": "older_65",
    "nscol15p_rate": "low_diploma",
    "total": "total",
}
HEADER = ["name", "division", "code", *COLUMNS]
VALUE_FIELDS = list(COLUMNS.values())
Status = IfnFields.Status
NO_EPCI = "ZZZZZZZZZ"
# Why a commune's IFN is derived or missing, as the import summary counts them: (singular, plural).
REASONS = {
    "derived, no row": (
        "commune à valeur déduite (aucune ligne sous son code)",
        "communes à valeur déduite (aucune ligne sous leur code)",
    ),
    "derived, empty row": (
        "commune à valeur déduite (ligne vide ou à 0)",
        "communes à valeur déduite (ligne vide ou à 0)",
    ),
    "missing, no row": (
        "commune sans valeur : aucune ligne, ni pour elle ni pour ses parties",
        "communes sans valeur : aucune ligne, ni pour elles ni pour leurs parties",
    ),
    "missing, zeros": (
        "commune sans valeur : toutes les valeurs à 0 dans le fichier",
        "communes sans valeur : toutes les valeurs à 0 dans le fichier",
    ),
    "missing, empty row": ("commune sans valeur : ligne vide", "communes sans valeur : ligne vide"),
}


def parse_ifn(path: Path, *, code_kind: str) -> dict[str, dict]:
    """code -> {field: float|None, "_zeros": [fields that were 0], "_line": n}. Validates the whole file."""
    doc = CsvDoc(path, required=HEADER)
    pattern = INSEE_RE if code_kind == "insee" else SIREN_RE
    label = "code INSEE" if code_kind == "insee" else "SIREN d'EPCI"
    out: dict[str, dict] = {}
    for row in doc.rows:
        code = row.values["code"].strip()
        if code_kind == "siren" and code == NO_EPCI:
            continue  # INSEE's "sans objet" pseudo-EPCI (communes outside any EPCI): not an EPCI, skipped
        if not pattern.match(code):
            raise doc.error(row, "code", f"{label} invalide {shown(code)}")
        if code in out:
            raise doc.error(row, "code", f"{label} {shown(code)} en double (déjà à la ligne {out[code]['_line']})")
        values: dict = {"_line": row.line, "_zeros": []}
        for column, name in COLUMNS.items():
            try:
                value = parse_float(row.values[column])
            except ValueError as exc:
                raise doc.error(row, column, str(exc)) from None
            if value is not None and not 0 <= value <= 10:
                raise doc.error(row, column, f"{read_number(value)} est hors de l'échelle 1–10")
            if value == 0:
                values["_zeros"].append(name)
                value = None
            values[name] = value
        out[code] = values
    return out


def _usable(row: dict | None) -> bool:
    return row is not None and any(row[name] is not None for name in VALUE_FIELDS)


def _measured(row: dict, source_id: int) -> dict:
    note = ""
    blanks = [n for n in VALUE_FIELDS if row[n] is None and n not in row["_zeros"]]
    if row["_zeros"]:
        note += f"Valeurs 0 (hors échelle 1–10) traitées comme absentes : {', '.join(row['_zeros'])}. "
    if blanks:
        note += f"Valeurs non publiées : {', '.join(blanks)}."
    return {
        **{n: row[n] for n in VALUE_FIELDS},
        "status": Status.MEASURED,
        "note": note.strip(),
        "source_id": source_id,
    }


def _derive(parts: dict[str, int | None], rows: dict[str, dict], kind: str) -> tuple[dict, str] | None:
    usable = {code: pop for code, pop in parts.items() if _usable(rows.get(code))}
    if not usable:
        return None
    weighted = all(pop for pop in usable.values())
    values = {}
    for name in VALUE_FIELDS:
        pairs = [(rows[c][name], (pop if weighted else 1)) for c, pop in usable.items() if rows[c][name] is not None]
        weight = sum(w for _, w in pairs)
        values[name] = round(sum(v * w for v, w in pairs) / weight, 6) if pairs else None
    codes = ", ".join(sorted(usable))
    if weighted:
        how = f"moyenne pondérée par la population municipale (INSEE, populations légales 2023) des {kind} {codes}"
    else:
        how = (
            f"moyenne à poids égaux des {kind} {codes} (leur population n'est pas connue dans le COG, "
            "d'où des poids égaux)"
        )
    return values, f"Pas de valeur publiée sous ce code : {how}, publiées par La Mednum."


def build_commune_ifn(
    *, rows: dict[str, dict], communes: dict[str, dict], parts: dict, part_kind: dict, source_id: int
) -> tuple[dict, Summary]:
    summary = Summary("IFN communes")
    out: dict[str, dict] = {}
    reasons = Counter()
    for code, commune in communes.items():
        row = rows.get(code)
        if _usable(row):
            out[code] = _measured(row, source_id)
            continue
        derived = _derive(parts.get(code, {}), rows, part_kind.get(code, "anciennes communes"))
        if derived:
            values, note = derived
            out[code] = {**values, "status": Status.DERIVED, "note": note, "source_id": source_id}
            reasons["derived, no row" if row is None else "derived, empty row"] += 1
            continue
        if row is None:
            note = (
                "Absent : aucune ligne pour ce code dans le fichier IFN de La Mednum (commune créée ou rétablie "
                "après le calcul, ou collectivité d'outre-mer non couverte) et aucune ancienne commune ou "
                "arrondissement publié dont déduire une valeur."
            )
            reasons["missing, no row"] += 1
        elif row["_zeros"]:
            note = (
                "Absent : le fichier publie 0 pour toutes les composantes, valeur hors de l'échelle 1–10 "
                f"(population municipale : {commune['population']}), traitée comme absente."
            )
            reasons["missing, zeros"] += 1
        else:
            note = "Absent : la ligne de ce code est vide dans le fichier IFN de La Mednum."
            reasons["missing, empty row"] += 1
        out[code] = {
            **dict.fromkeys(VALUE_FIELDS),
            "status": Status.MISSING,
            "note": note,
            "source_id": source_id,
        }
    derived = sum(1 for v in out.values() if v["status"] == Status.DERIVED)
    missing = sum(1 for v in out.values() if v["status"] == Status.MISSING)
    no_row = sum(1 for code in communes if code not in rows)
    with_row = plural(
        len(communes) - no_row, "commune a une ligne sous son code", "communes ont une ligne sous leur code"
    )
    without_row = agree(no_row, "n'en a aucune", "n'en ont aucune")
    summary.notes.append(
        f"{with_row}, {number(no_row)} {without_row} ; {plural(derived, 'valeur déduite', 'valeurs déduites')}, "
        f"{plural(missing, 'valeur absente', 'valeurs absentes')}"
    )
    summary.notes += [plural(reasons[key], *words) for key, words in REASONS.items() if reasons[key]]
    extra = sum(1 for code in rows if code not in communes)
    summary.notes.append(
        plural(
            extra,
            "ligne du fichier n'est pas une commune actuelle de cet import",
            "lignes du fichier ne sont pas des communes actuelles de cet import",
        )
    )
    return out, summary


def build_epci_ifn(*, rows: dict[str, dict], epcis: set[str], source_id: int) -> tuple[dict, Summary]:
    summary = Summary("IFN EPCI")
    out = {}
    for siren in epcis:
        row = rows.get(siren)
        if _usable(row):
            out[siren] = _measured(row, source_id)
        else:
            out[siren] = {
                **dict.fromkeys(VALUE_FIELDS),
                "status": Status.MISSING,
                "note": "Absent : aucune ligne pour ce SIREN dans le fichier IFN EPCI de La Mednum "
                "(EPCI créé ou modifié après le calcul).",
                "source_id": source_id,
            }
    missing = sum(1 for v in out.values() if v["status"] == Status.MISSING)
    summary.notes.append(
        f"{number(missing)} EPCI sans valeur (aucune ligne sous {agree(missing, 'son', 'leur')} SIREN)"
    )
    return out, summary


FIELDS = [*VALUE_FIELDS, "status", "note", "source_id"]


def write_commune_ifn(rows: dict, summary: Summary) -> Summary:
    return summary.add(sync_rows(model=CommuneIfn, rows=rows, fields=FIELDS))


def write_epci_ifn(rows: dict, summary: Summary) -> Summary:
    return summary.add(sync_rows(model=EpciIfn, rows=rows, fields=FIELDS))
