"""Official sources whose format differs from the data folder's: fetched, checked, and written in that format.

`load_open_data --download` (without a mirror) calls `fetch(key, target)` for the manifest keys listed in OFFICIAL.
Each fetcher reads the official publication and writes the file the importer already reads, at its manifest path:

- france-services: data.gouv.fr stable resource (`;`-separated, UTF-8 with BOM, columns groupe_fs/labellisation_fs/
  type_fs/prise_rdv), with the dataset API as a fallback when the resource is gone (404/410). Written as the 2023
  `,`-separated file (columns groupe/labellisation; type_fs and prise_rdv kept as extra columns).
- aidants-connect: the public paged JSON API of Aidants Connect (DRF: rows under `results`, next page in `next`;
  fields of OrganisationSerializer in betagouv/Aidants_Connect: id, url, pivot, nom, commune, code_postal,
  code_insee, adresse, service; only active organisations are listed). Written as the CSV export's columns.
- mediation-national: the national cartography's CSV export per département (schema v1; route
  `api/[region]/[departement]/lieux/exporter` of anct-cartographie-nationale/cartographie, slugs of its
  collectivites-territoriales/regions.json and departements.json), one request per selected département, written as
  one CSV (same header required across départements).

Each fetcher returns notes on what it could not obtain (listed by the command). A missing column or field raises
FileFormatError naming the official URL and the column; nothing is written then.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

import requests

from territories import opendata
from territories.formatting import number
from territories.importers.base import FileFormatError, shown

DATAGOUV = "https://www.data.gouv.fr"
FRANCE_SERVICES_RESOURCE = "31576dff-fd61-4de9-819f-32c2f880b142"
# Dataset slug as linked by ANCT's own map (github anct-carto/france_services, README "Données").
FRANCE_SERVICES_DATASET = "liste-des-structures-france-services"
AIDANTS_CONNECT_API = "https://aidantsconnect.beta.gouv.fr/api/organisations/?format=json"
MAX_PAGES = 1000  # a `next` loop guard: the API lists a few thousand organisations, 20–100 per page

# Columns of the 2023 file the France services importer reads (mediation/france-services-liste-2023.csv).
FRANCE_SERVICES_2023 = [
    "id_fs", "insee_dep", "lib_fs", "adresse", "complement_adresse", "insee_com", "code_postal", "lib_com",
    "latitude", "longitude", "mail", "telephone", "h_lundi", "h_mardi", "h_mercredi", "h_jeudi", "h_vendredi",
    "h_samedi", "commentaire", "itinerance", "format_fs", "groupe", "labellisation", "format_fs_anct",
]  # fmt: skip
FRANCE_SERVICES_REQUIRED = [
    "id_fs",
    "lib_fs",
    "adresse",
    "insee_com",
    "code_postal",
    "lib_com",
    "latitude",
    "longitude",
]
FRANCE_SERVICES_RENAMED = {"groupe_fs": "groupe", "labellisation_fs": "labellisation"}

AIDANTS_CONNECT_FIELDS = ["id", "nom", "commune", "code_postal", "code_insee", "adresse"]
AIDANTS_CONNECT_COLUMNS = [
    "Name", "ID", "UUID", "Is Active", "City Insee Code", "Address", "Zip Code", "Siret", "France Services Label",
    "City", "Nombre d'aidants",
]  # fmt: skip


def _write_csv(target: Path, header: list[str], rows: list[dict]) -> None:
    """Write a `,`-separated UTF-8 CSV atomically (temp file, then rename)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _france_services_api_url(session: requests.Session) -> str:
    """The current CSV resource named by the dataset API (used when the stable resource is gone: 404/410)."""
    api = f"{DATAGOUV}/api/1/datasets/{FRANCE_SERVICES_DATASET}/"
    with tempfile.TemporaryDirectory() as tmp:
        text = opendata.download_file(api, Path(tmp) / "dataset.json", session=session).read_text("utf-8")
    try:
        resources = json.loads(text).get("resources", [])
    except (ValueError, AttributeError):
        raise FileFormatError(api, 'un jeu de données avec une liste "resources" était attendu') from None
    for resource in resources:
        if (resource.get("format") or "").lower() == "csv" and resource.get("url"):
            return resource["url"]
    raise opendata.DownloadError(f"{api} : aucune ressource CSV listée")


def france_services(target: Path, *, session: requests.Session) -> None:
    url = f"{DATAGOUV}/fr/datasets/r/{FRANCE_SERVICES_RESOURCE}"
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "france-services-officiel.csv"
        try:
            opendata.download_file(url, raw, session=session)
        except opendata.DownloadError as exc:
            if exc.status not in (404, 410):
                raise
            url = _france_services_api_url(session)
            opendata.download_file(url, raw, session=session)
        text = raw.read_bytes().decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=";")
    header = reader.fieldnames or []
    for column in FRANCE_SERVICES_REQUIRED:
        if column not in header:
            raise FileFormatError(
                url, f"colonne {shown(column)} absente (le fichier officiel France services a changé)", line=1
            )
    extras = [c for c in header if c not in FRANCE_SERVICES_2023 and c not in FRANCE_SERVICES_RENAMED]
    rows = []
    for row in reader:
        row = {FRANCE_SERVICES_RENAMED.get(k, k): (v or "") for k, v in row.items() if k is not None}
        for coord in ("latitude", "longitude"):
            row[coord] = row[coord].strip().replace(",", ".")
        rows.append(row)
    _write_csv(target, FRANCE_SERVICES_2023 + extras, rows)


def aidants_connect(target: Path, *, session: requests.Session) -> None:
    url: str | None = AIDANTS_CONNECT_API
    rows = []
    for _page in range(MAX_PAGES):
        if not url:
            break
        page_url = url
        with tempfile.TemporaryDirectory() as tmp:
            data = opendata.download_file(page_url, Path(tmp) / "page.json", session=session).read_text("utf-8")
        try:
            page = json.loads(data)
        except ValueError as exc:
            raise FileFormatError(page_url, f"la réponse n'est pas du JSON ({exc})") from None
        if not isinstance(page, dict) or not isinstance(page.get("results"), list):
            raise FileFormatError(page_url, 'une page avec une liste "results" était attendue')
        for i, org in enumerate(page["results"]):
            for field in AIDANTS_CONNECT_FIELDS:
                if field not in org:
                    raise FileFormatError(page_url, f'résultat {i + 1} : champ "{field}" absent', column=field)
            rows.append(
                {
                    "Name": org["nom"] or "",
                    "ID": org["id"],
                    "UUID": org["id"],
                    "Is Active": "true",  # the API lists active organisations only
                    "City Insee Code": org["code_insee"] or "",
                    "Address": org["adresse"] or "",
                    "Zip Code": org["code_postal"] or "",
                    "Siret": org.get("pivot") or "",
                    "France Services Label": "",
                    "City": org["commune"] or "",
                    "Nombre d'aidants": "",  # not published by the API
                }
            )
        url = page.get("next")
    else:
        raise opendata.DownloadError(f"{AIDANTS_CONNECT_API} : plus de {number(MAX_PAGES)} pages, arrêt")
    _write_csv(target, AIDANTS_CONNECT_COLUMNS, rows)


CARTOGRAPHIE = "https://cartographie.societenumerique.gouv.fr"
# Région slugs of the cartography (regions.json of anct-cartographie-nationale/cartographie), by INSEE région code:
# not derivable from the names (Provence-Alpes-Côte d'Azur is "provence-alpes-cote-dazur").
REGION_SLUGS = {
    "01": "guadeloupe", "02": "martinique", "03": "guyane", "04": "la-reunion", "06": "mayotte",
    "11": "ile-de-france", "24": "centre-val-de-loire", "27": "bourgogne-franche-comte", "28": "normandie",
    "32": "hauts-de-france", "44": "grand-est", "52": "pays-de-la-loire", "53": "bretagne", "75": "nouvelle-aquitaine",
    "76": "occitanie", "84": "auvergne-rhone-alpes", "93": "provence-alpes-cote-dazur", "94": "corse",
}  # fmt: skip


def departement_slug(name: str) -> str:
    """The cartography's département slug: "Côte-d'Or" -> "cote-d-or", "La Réunion" -> "la-reunion"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def mediation_national(target: Path, *, session: requests.Session, departements: list[str] | None) -> list[str]:
    from territories.importers.sources.mediation_v1 import MAPPER  # the columns the v1 importer requires

    cog = target.parents[1] / opendata.path("cog-departements")  # fetched earlier (admin files come first)
    known = {d["code"]: d for d in json.loads(cog.read_text(encoding="utf-8"))}
    notes, header, rows = [], None, []
    for code in departements if departements is not None else sorted(known):
        dep = known.get(code)
        region = REGION_SLUGS.get(dep["region"]) if dep else None
        if region is None:
            notes.append(f"lieux de médiation {code} : département absent de la cartographie nationale")
            continue
        url = f"{CARTOGRAPHIE}/api/{region}/{departement_slug(dep['nom'])}/lieux/exporter"
        with tempfile.TemporaryDirectory() as tmp:
            try:
                raw = opendata.download_file(url, Path(tmp) / "export.csv", session=session)
            except opendata.DownloadError as exc:
                if exc.status != 404:
                    raise
                notes.append(f"lieux de médiation {code} : introuvables ({url})")
                continue
            text = raw.read_bytes().decode("utf-8-sig")
        if not text.strip():
            continue
        reader = csv.reader(io.StringIO(text, newline=""))
        first = next(reader)
        if header is None:
            missing = [c for c in MAPPER.columns if c not in first]
            if missing:
                raise FileFormatError(
                    url, f"colonne {shown(missing[0])} absente (l'export au schéma v1 a changé)", line=1
                )
            header = first
        elif first != header:
            changed = next(c for c in [*header, *first] if c not in header or c not in first)
            raise FileFormatError(
                url, f"l'en-tête diffère de celui des autres départements à la colonne {shown(changed)}", line=1
            )
        rows += [dict(zip(header, row, strict=False)) for row in reader if row]
    if header is None:
        notes.append("lieux de médiation : aucun export obtenu")
        return notes
    _write_csv(target, header, rows)
    return notes


OFFICIAL: dict[str, Callable[..., None] | None] = {
    "france-services": france_services,
    "aidants-connect": aidants_connect,
    "mediation-national": None,  # per département: see fetch()
}


def fetch(key: str, target: Path, *, session: requests.Session, departements: list[str] | None = None) -> list[str]:
    """Fetch the official source of `key` into `target`; returns notes on what could not be obtained."""
    if key == "mediation-national":
        return mediation_national(target, session=session, departements=departements)
    OFFICIAL[key](target, session=session)
    return []


def place_ifn(source: Path, data_dir: Path) -> str:
    """Copy an IFN file given with `--ifn` (the data folder's format: name,division,code,…,total) to its place.

    The IFN has no bulk open file: fragilite-numerique.fr (La Mednum) shows the index per commune and EPCI. The file
    is checked whole before it is copied (a wrong header or value raises FileFormatError naming the file and column);
    its `division` (city or epci) says whether it is the communes' or the EPCIs' file. Returns its relative path.
    """
    from territories.importers.base import CsvDoc
    from territories.importers.sources import ifn

    doc = CsvDoc(source, required=ifn.HEADER)
    if not doc.rows:
        raise FileFormatError(source, "aucune ligne", line=2)
    division = doc.rows[0].values["division"].strip()
    key = {"city": "ifn-communes", "epci": "ifn-epci"}.get(division)
    if key is None:
        raise doc.error(doc.rows[0], "division", f"city ou epci attendu, trouvé : {shown(division)}")
    ifn.parse_ifn(source, code_kind="insee" if key == "ifn-communes" else "siren")
    rel = opendata.path(key)
    target = data_dir / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(fd)
    try:
        Path(tmp).write_bytes(source.read_bytes())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return rel
