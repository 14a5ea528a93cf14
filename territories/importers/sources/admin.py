"""Régions, départements, EPCI and communes from the JSON files of @etalab/decoupage-administratif."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from territories import opendata
from territories.formatting import agree, number, plural
from territories.importers.base import INSEE_RE, SIREN_RE, FileFormatError, JsonDoc, Summary, invalid_insee, shown
from territories.models import Commune, Departement, Epci, Region
from territories.services import sync_rows
from territories.text import normalize_search
from territories.vocabulary import DEPARTEMENT_RE

FILES = {name: opendata.path(f"cog-{name}") for name in ("regions", "departements", "epci", "communes")}
DEP_RE_TEXT = DEPARTEMENT_RE.pattern


@dataclass
class AdminData:
    """Everything parsed from the four files, already validated."""

    regions: dict[str, dict] = field(default_factory=dict)  # code -> {name}
    departements: dict[str, dict] = field(default_factory=dict)  # code -> {name, region_id}
    epcis: dict[str, dict] = field(default_factory=dict)  # siren -> {name, kind, population}
    communes: dict[str, dict] = field(default_factory=dict)  # insee -> {name, departement_id, population, ...}
    commune_epci: dict[str, str] = field(default_factory=dict)  # insee -> siren
    # Parts of a current commune that the IFN file may list instead of it: code -> population or None.
    parts: dict[str, dict[str, int | None]] = field(default_factory=dict)
    part_kind: dict[str, str] = field(default_factory=dict)  # current insee -> "arrondissements" / "anciennes"
    # Any older or sub-commune code (ancien code, commune déléguée/associée, arrondissement) -> current code.
    current_code: dict[str, str] = field(default_factory=dict)
    record_counts: dict[str, int] = field(default_factory=dict)  # file name -> records in the file

    def selected_communes(self, departements: set[str] | None) -> dict[str, dict]:
        if departements is None:
            return self.communes
        return {k: v for k, v in self.communes.items() if v["departement_id"] in departements}


def _require(doc: JsonDoc, index: int, record, keys: list[str]) -> None:
    if not isinstance(record, dict):
        raise doc.error(index, "objet attendu")
    for key in keys:
        if record.get(key) in (None, ""):
            raise doc.error(index, f'valeur manquante pour le champ "{key}"', key=key if key in record else None)


def _population(doc: JsonDoc, index: int, record: dict, key: str) -> int | None:
    value = record.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise doc.error(
            index, f"la population doit être un nombre entier positif ou nul, trouvé : {shown(value)}", key=key
        )
    return value


def parse_admin(data_dir: Path) -> AdminData:
    import re

    dep_re = re.compile(DEP_RE_TEXT)
    out = AdminData()

    doc = JsonDoc(data_dir / FILES["regions"])
    out.record_counts["regions"] = len(doc.data) if isinstance(doc.data, list) else 0
    if not isinstance(doc.data, list):
        raise FileFormatError(doc.path, "un tableau JSON de régions était attendu", line=1, column=1)
    for i, rec in enumerate(doc.data):
        _require(doc, i, rec, ["code", "nom"])
        if rec["code"] in out.regions:
            raise doc.error(i, f"code de région {shown(rec['code'])} en double", key="code")
        out.regions[rec["code"]] = {"name": rec["nom"]}

    doc = JsonDoc(data_dir / FILES["departements"])
    out.record_counts["departements"] = len(doc.data) if isinstance(doc.data, list) else 0
    if not isinstance(doc.data, list):
        raise FileFormatError(doc.path, "un tableau JSON de départements était attendu", line=1, column=1)
    for i, rec in enumerate(doc.data):
        _require(doc, i, rec, ["code", "nom", "region"])
        if not dep_re.match(rec["code"]):
            raise doc.error(i, f"code de département invalide {shown(rec['code'])}", key="code")
        if rec["code"] in out.departements:
            raise doc.error(i, f"code de département {shown(rec['code'])} en double", key="code")
        if rec["region"] not in out.regions:
            raise doc.error(i, f"région inconnue {shown(rec['region'])}", key="region")
        out.departements[rec["code"]] = {"name": rec["nom"], "region_id": rec["region"]}

    doc = JsonDoc(data_dir / FILES["communes"])
    out.record_counts["communes"] = len(doc.data) if isinstance(doc.data, list) else 0
    if not isinstance(doc.data, list):
        raise FileFormatError(doc.path, "un tableau JSON de communes était attendu", line=1, column=1)
    sub_records = []
    for i, rec in enumerate(doc.data):
        _require(doc, i, rec, ["code", "nom", "type"])
        code = rec["code"]
        if not isinstance(code, str) or not INSEE_RE.match(code):
            raise doc.error(i, invalid_insee(code), key="code")
        population = _population(doc, i, rec, "population")
        if rec["type"] == "commune-actuelle":
            _require(doc, i, rec, ["departement"])
            if code in out.communes:
                raise doc.error(i, f"code INSEE {shown(code)} en double parmi les communes actuelles", key="code")
            if rec["departement"] not in out.departements:
                raise doc.error(i, f"département inconnu {shown(rec['departement'])}", key="departement")
            postcodes = rec.get("codesPostaux") or []
            out.communes[code] = {
                "name": rec["nom"],
                "departement_id": rec["departement"],
                "population": population,
                "postcodes": "|".join(sorted(set(postcodes)))[:200],
                "anciens": [c for c in rec.get("anciensCodes") or [] if c != code],
            }
        else:
            parent = rec.get("commune") if rec["type"] == "arrondissement-municipal" else rec.get("chefLieu")
            if not parent:
                raise doc.error(i, f"type {shown(rec['type'])} sans commune de rattachement", key="type")
            sub_records.append((i, rec, parent, population))
    for i, rec, parent, population in sub_records:
        if parent not in out.communes:
            raise doc.error(i, f"la commune de rattachement {shown(parent)} n'est pas une commune actuelle", key="code")
        if rec["code"] != parent:
            out.parts.setdefault(parent, {})[rec["code"]] = population
            out.current_code[rec["code"]] = parent
        out.part_kind[parent] = "arrondissements" if rec["type"] == "arrondissement-municipal" else "anciennes communes"
    for code, commune in out.communes.items():
        for old in commune["anciens"]:
            if old not in out.communes:
                out.parts.setdefault(code, {}).setdefault(old, None)
                out.current_code.setdefault(old, code)
                out.part_kind.setdefault(code, "anciennes communes")

    doc = JsonDoc(data_dir / FILES["epci"])
    out.record_counts["epci"] = len(doc.data) if isinstance(doc.data, list) else 0
    if not isinstance(doc.data, list):
        raise FileFormatError(doc.path, "un tableau JSON d'EPCI était attendu", line=1, column=1)
    for i, rec in enumerate(doc.data):
        _require(doc, i, rec, ["code", "nom"])
        siren = rec["code"]
        if not isinstance(siren, str) or not SIREN_RE.match(siren):
            raise doc.error(i, f"SIREN d'EPCI invalide {shown(siren)} (attendu : 9 chiffres)", key="code")
        if siren in out.epcis:
            raise doc.error(i, f"SIREN d'EPCI {shown(siren)} en double", key="code")
        members = rec.get("membres")
        if not isinstance(members, list):
            raise doc.error(i, "liste des communes membres absente", key="membres")
        for member in members:
            mcode = member.get("code") if isinstance(member, dict) else None
            if not isinstance(mcode, str) or not INSEE_RE.match(mcode):
                raise doc.error(i, f"code INSEE de commune membre invalide {shown(mcode)}", key="membres")
            if mcode in out.commune_epci:
                raise doc.error(
                    i, f"la commune {shown(mcode)} est déjà membre de l'EPCI {out.commune_epci[mcode]}", key="membres"
                )
            out.commune_epci[mcode] = siren
        out.epcis[siren] = {
            "name": rec["nom"][:200],
            "kind": (rec.get("type") or "")[:10],
            "population": _population(doc, i, rec, "populationMunicipale"),
            "members": [m["code"] for m in members],
        }
    return out


NO_GEOMETRY = {
    "geometry": "",
    "centroid_lat": None,
    "centroid_lon": None,
    "geometry_source_id": None,
    "contour_derived": False,
    "contour_note": "",
}


def write_admin(
    *, data: AdminData, departements: set[str] | None, sources: dict, geometry: dict | None = None
) -> list[Summary]:
    """Upsert régions and départements (all), then EPCI and communes of `departements` (the orchestrator passes None:
    communes are reference data, loaded for all of France whatever the contour selection).

    `geometry` (insee -> contour fields, from contours.commune_geometry_rows, or NO_GEOMETRY plus a note saying why
    there is none) is written with the communes, in the same bulk statements; never a guessed centroid.
    """
    summaries = []
    src = sources["regions"].pk
    rows = {code: {"name": r["name"], "source_id": src} for code, r in data.regions.items()}
    summaries.append(Summary("Régions").add(sync_rows(model=Region, rows=rows, fields=["name", "source_id"])))

    src = sources["departements"].pk
    rows = {
        code: {"name": d["name"], "region_id": d["region_id"], "source_id": src}
        for code, d in data.departements.items()
    }
    summaries.append(
        Summary("Départements").add(sync_rows(model=Departement, rows=rows, fields=["name", "region_id", "source_id"]))
    )

    communes = data.selected_communes(departements)
    wanted_epci = {data.commune_epci[c] for c in communes if c in data.commune_epci}
    src = sources["epci"].pk
    rows = {
        siren: {"name": e["name"], "kind": e["kind"], "population": e["population"], "source_id": src}
        for siren, e in data.epcis.items()
        if siren in wanted_epci
    }
    summaries.append(
        Summary("EPCI").add(sync_rows(model=Epci, rows=rows, fields=["name", "kind", "population", "source_id"]))
    )

    src = sources["communes"].pk
    fields = ["name", "search_name", "departement_id", "epci_id", "population", "postcodes", "source_id"]
    if geometry is not None:
        fields += list(NO_GEOMETRY)
    rows = {}
    for code, c in communes.items():
        rows[code] = {
            "name": c["name"][:200],
            "search_name": normalize_search(c["name"])[:200],
            "departement_id": c["departement_id"],
            "epci_id": data.commune_epci.get(code),
            "population": c["population"],
            "postcodes": c["postcodes"],
            "source_id": src,
        }
        if geometry is not None:
            rows[code].update(geometry.get(code, NO_GEOMETRY))
    summary = Summary("Communes").add(sync_rows(model=Commune, rows=rows, fields=fields))
    no_epci = sum(1 for code in communes if code not in data.commune_epci)
    inhabitants = sum(c["population"] or 0 for c in communes.values())
    belong = agree(no_epci, "commune n'appartient", "communes n'appartiennent")
    summary.notes.append(
        f"{plural(len(communes), 'commune', 'communes')}, {plural(inhabitants, 'habitant', 'habitants')} "
        f"(population municipale), {number(len(wanted_epci))} EPCI ; {number(no_epci)} {belong} à aucun EPCI"
    )
    summaries.append(summary)
    return summaries
