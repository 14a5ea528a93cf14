"""Conseillers numériques France Services (ANCT): the structures hosting them, a JSON object keyed by structure name.

Each value: `Siret` (number), `Code postal` and `Code commune Insee` (number or text: leading zeros lost, re-padded),
`Nb de conseillers recrutés` (and attribués / en formation / formés), `Label France Services` (oui / non / non
renseigné). No address and no coordinates: a structure is not a place of its own, it is matched to the site of a place
(same SIRET, or same commune and name, or its France services site) by `importers/dedupe.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from territories import opendata
from territories.importers.base import INSEE_RE, FileFormatError, JsonDoc, invalid_insee

KEY = "conseillers-numeriques"
REQUIRED = ["Siret", "Code commune Insee", "Nb de conseillers recrutés", "Label France Services"]


@dataclass(frozen=True)
class Structure:
    name: str
    siret: str  # 14 digits, or "" when the file gives none
    insee: str
    postcode: str
    conseillers: int
    france_services: bool  # "Label France Services": oui


def path() -> str:
    return opendata.path(KEY)


def _padded(value, width: int) -> str:
    text = str(value if value is not None else "").strip()
    if text.endswith(".0"):
        text = text[:-2]
    return text.zfill(width) if text.isdigit() else text


def _line(doc: JsonDoc, name: str) -> int:
    """Line of the structure's key in the file, for error messages."""
    position = doc.text.find(f'"{name}"')
    return doc.text.count("\n", 0, position) + 1 if position >= 0 else 1


def parse_conseillers(file: Path) -> list[Structure]:
    """Read and check the file. Raises FileFormatError on a malformed structure."""
    doc = JsonDoc(file)
    if not isinstance(doc.data, dict):
        raise FileFormatError(
            file, "un objet JSON dont les clés sont les noms des structures était attendu", line=1, column=1
        )
    out = []
    for name, rec in doc.data.items():
        if not isinstance(rec, dict):
            raise FileFormatError(file, f'structure "{name}" : objet attendu', line=_line(doc, name), column=1)
        for key in REQUIRED:
            if key not in rec:
                raise FileFormatError(file, f'structure "{name}" : champ "{key}" absent', line=_line(doc, name))
        insee = _padded(rec["Code commune Insee"], 5)
        if insee and not INSEE_RE.match(insee):
            raise FileFormatError(file, f'structure "{name}" : {invalid_insee(insee)}', line=_line(doc, name))
        count = rec["Nb de conseillers recrutés"]
        if count in (None, ""):
            count = 0
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise FileFormatError(
                file,
                f'structure "{name}" : "Nb de conseillers recrutés" n\'est pas un nombre entier',
                line=_line(doc, name),
            )
        siret = _padded(rec["Siret"], 14)
        out.append(
            Structure(
                name=name.strip(),
                siret=siret if len(siret) == 14 and siret.isdigit() and set(siret) != {"0"} else "",
                insee=insee,
                postcode=_padded(rec.get("Code postal"), 5),
                conseillers=count,
                france_services=str(rec["Label France Services"]).strip().lower() == "oui",
            )
        )
    return out
