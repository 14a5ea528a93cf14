"""Manifest of the open data files (the one registry of their relative paths), and a downloader.

Each entry maps a relative path of the data-folder layout (the layout of ../shared/data, also used for
`var/opendata/`) to its dataset: producer, licence, vintage, official URL. The importers ask the manifest for every
path they read (`path`, `locate`); a key or path it does not declare raises `UnknownDataPath`. `download_url` is the
file fetched when no data folder is given; it is None when no official file exists in a format the importer reads
(the entry's `note` says why and where the dataset lives). With a mirror (INCLUSION_OPENDATA_MIRROR or `mirror=`),
every downloadable file is fetched from `<mirror>/<relative path>`, which is how the tests serve a data folder.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

import requests
from django.conf import settings

from territories import datafiles
from territories.vocabulary import DEPARTEMENT_PATTERN

logger = logging.getLogger(__name__)

ATTEMPTS = 3
BACKOFF_SECONDS = float(os.environ.get("INCLUSION_DOWNLOAD_BACKOFF", "2"))  # wait 2 s, then 4 s
TIMEOUT_SECONDS = (10, 120)  # connect, read

LO = "Licence Ouverte / Open Licence 2.0 (Etalab)"
ETALAB = "INSEE, DGCL, La Poste via Etalab (@etalab/decoupage-administratif)"
NPM_ADMIN = "https://unpkg.com/@etalab/decoupage-administratif@6.0.0/data/"
ADMIN_VINTAGE = "COG 2026, EPCI 2026, populations légales 2023"


class UnknownDataPath(LookupError):
    """A relative path or key that the manifest does not declare: every file the importers read must be declared."""


@dataclass(frozen=True)
class Entry:
    key: str  # DataSource.key; "{dep}" in key, path and URLs: one file per département (a family)
    path: str  # relative path in the data-folder layout ("{slug}": the file name also carries the département name)
    name: str
    producer: str
    licence: str
    vintage: str
    url: str  # official dataset page or file
    download_url: str | None
    note: str = ""
    data_folder_only: bool = False  # optional file, read only from a data folder: never downloaded, not even mirrored
    fallback_for: str = ""  # key of the entry this file replaces when that one is absent (never downloaded)
    # Why `--download` cannot fetch it, in French: listed by the command under « Non obtenus » (download_url None).
    why_not_downloaded: str = ""

    @property
    def per_departement(self) -> bool:
        return "{dep}" in self.path

    @property
    def downloadable(self) -> bool:
        """Fetched when no data folder is given (from the official URL, or any file from a mirror)."""
        return not self.data_folder_only and not self.fallback_for

    def at(self, dep: str, path: str | None = None) -> Entry:
        """The entry of one département's file, for a per-département family."""
        if not self.per_departement:
            raise ValueError(f"{self.key} n'est pas un fichier par département")
        url = self.download_url.format(dep=dep) if self.download_url else None
        return replace(
            self,
            key=self.key.format(dep=dep.lower()),
            path=path or self.path.format(dep=dep, slug="*"),
            name=self.name.format(dep=dep),
            url=self.url.format(dep=dep),
            download_url=url,
        )

    def pattern(self) -> re.Pattern:
        text = re.escape(self.path).replace(r"\{dep\}", rf"(?P<dep>{DEPARTEMENT_PATTERN})")
        return re.compile("^" + text.replace(r"\{slug\}", r"[a-z0-9-]+") + "$")

    def meta(self) -> dict:
        return {
            "name": self.name,
            "producer": self.producer,
            "licence": self.licence,
            "url": self.url,
            "vintage": self.vintage,
            "file_name": self.path,
        }


def _admin(key: str, file: str, label: str) -> Entry:
    return Entry(
        key=key,
        path=f"admin/decoupage-administratif-6.0.0/{file}",
        name=f"Découpage administratif ({label})",
        producer=ETALAB,
        licence=f"{LO} (données), MIT (code du paquet)",
        vintage=ADMIN_VINTAGE,
        url=NPM_ADMIN + file,
        download_url=NPM_ADMIN + file,
        note="npm package @etalab/decoupage-administratif@6.0.0, file served by the unpkg CDN.",
    )


IFN_NOT_DOWNLOADED = (
    "l'IFN n'a pas de fichier ouvert à télécharger (fragilite-numerique.fr, de La Mednum, affiche l'indice sans le "
    "publier en bloc) : donnez le fichier avec --ifn FICHIER"
)
GEO_API = "https://geo.api.gouv.fr/departements/{dep}/communes?format=geojson&geometry=contour"
FRANCE_GEOJSON = "IGN ADMIN EXPRESS COG 2018, via gregoiredavid/france-geojson"

# The one registry of the data folder's files (the layout of ../shared/data, also used for var/opendata/): the
# importers ask it for every relative path they read (`path`, `locate`), and an undeclared path or key raises.
MANIFEST: dict[str, Entry] = {
    e.key: e
    for e in [
        _admin("cog-regions", "regions.json", "régions"),
        _admin("cog-departements", "departements.json", "départements"),
        _admin("cog-epci", "epci.json", "EPCI"),
        _admin("cog-communes", "communes.json", "communes"),
        Entry(
            key="ifn-communes",
            path="indicators/ifn-communes.csv",
            name="Indice de Fragilité Numérique (communes, tout âge)",
            producer="La Mednum (IFN), fichier repris par l'ANCT (Espace France Numérique Ensemble)",
            licence="données ouvertes de La Mednum (conditions de fragilite-numerique.fr) ; dépôt AGPL",
            vintage="IFN publié 2023–2024",
            url="https://github.com/inclusion-numerique/inclusion-numerique/blob/main/apps/web/public/data/"
            "ifn-city-all-variation.csv",
            download_url=None,
            note="[github] No official bulk file: fragilite-numerique.fr (La Mednum) shows the index but publishes "
            "no download; give the file with --ifn FILE. "
            "The file comes from the ANCT repository inclusion-numerique (commit a15f920); raw URL "
            "to confirm before automating.",
            why_not_downloaded=IFN_NOT_DOWNLOADED,
        ),
        Entry(
            key="ifn-epci",
            path="indicators/ifn-epci.csv",
            name="Indice de Fragilité Numérique (EPCI, tout âge)",
            producer="La Mednum (IFN), fichier repris par l'ANCT (Espace France Numérique Ensemble)",
            licence="données ouvertes de La Mednum (conditions de fragilite-numerique.fr) ; dépôt AGPL",
            vintage="IFN publié 2023–2024",
            url="https://github.com/inclusion-numerique/inclusion-numerique/blob/main/apps/web/public/data/"
            "ifn-epci-all-variation.csv",
            download_url=None,
            note="[github] Same as ifn-communes.",
            why_not_downloaded=IFN_NOT_DOWNLOADED,
        ),
        Entry(
            key="contours-departements",
            path="geo/departements-fne/departements.geojson",
            name="Contours des départements",
            producer="IGN (ADMIN EXPRESS), via Etalab contours administratifs",
            licence=LO,
            vintage="2023",
            url="https://www.data.gouv.fr/fr/datasets/contours-administratifs/",
            download_url=None,
            note="[github] The file here comes from the inclusion-numerique repository (properties DDEP_C_COD). "
            "Official equivalent: Etalab 'Contours administratifs' (departements-100m.geojson, properties "
            "code/nom, read as well) — exact file URL to confirm.",
            why_not_downloaded="adresse exacte du fichier officiel (Etalab, « Contours administratifs ») encore à "
            "vérifier",
        ),
        Entry(
            key="france-services",
            path="mediation/france-services-liste-2023.csv",
            name="Liste des structures labellisées France services",
            producer="ANCT (Agence nationale de la cohésion des territoires)",
            licence=LO,
            vintage="février 2023",
            url="https://www.data.gouv.fr/fr/datasets/liste-des-structures-france-services/",
            download_url="https://www.data.gouv.fr/fr/datasets/r/31576dff-fd61-4de9-819f-32c2f880b142",
            note="[github] The file here is a snapshot from Assembleurs/portrea (July 2023). --download fetches the "
            "data.gouv.fr stable resource (';', BOM, groupe_fs/labellisation_fs), falls back to the dataset API "
            "when it is gone, and writes it in this file's format (territories/downloads.py).",
        ),
        Entry(
            key="aidants-connect",
            path="mediation/aidants-connect-structures.csv",
            name="Structures habilitées Aidants Connect",
            producer="ANCT (programme Aidants Connect)",
            licence="données ouvertes de l'ANCT (licence à confirmer)",
            vintage="2024",
            url="https://aidantsconnect.beta.gouv.fr/api/organisations/?format=json",
            download_url="https://aidantsconnect.beta.gouv.fr/api/organisations/?format=json",
            note="[github] The file here is an export from the inclusion-numerique repository. --download reads the "
            "public paged API (active organisations; no number of aidants) and writes this file's columns "
            "(territories/downloads.py).",
        ),
        Entry(
            key="mediation-hinaura",
            path="mediation/hinaura-lieux-mediation-numerique-aura.json",
            name="Lieux de médiation numérique (Hinaura, schéma v0)",
            producer="Hub Hinaura (Auvergne-Rhône-Alpes), via ANCT cartographie nationale",
            licence=LO,
            vintage="2021–2022",
            url="https://unpkg.com/@gouvfr-anct/cartographie-nationale@5.22.0/assets/data/source.json",
            download_url="https://unpkg.com/@gouvfr-anct/cartographie-nationale@5.22.0/assets/data/source.json",
            note="npm package @gouvfr-anct/cartographie-nationale@5.22.0, file assets/data/source.json.",
        ),
        Entry(
            key="mediation-national",
            path="mediation/lieux-mediation-numerique.csv",
            name="Lieux de médiation numérique (cartographie nationale, schéma v1)",
            producer="ANCT (Programme Société Numérique) et hubs contributeurs",
            licence=LO,
            vintage="export national",
            url="https://cartographie.societenumerique.gouv.fr/",
            download_url=None,
            note="Optional: loaded when present in the data folder. National CSV export in schema "
            "LaMednum/standard-mediation-num v1 (multi-values '|'). --download asks the cartography's export per "
            "selected département (cartographie.societenumerique.gouv.fr/api/{région}/{département}/lieux/exporter) "
            "and writes one file (territories/downloads.py).",
        ),
        Entry(
            key="hubs",
            path="mediation/hubs-numerique-inclusif-regions.json",
            name="Hubs territoriaux pour un numérique inclusif",
            producer="ANCT / La Mednum (cartographie nationale)",
            licence=LO,
            vintage="2024",
            url="https://www.npmjs.com/package/@gouvfr-anct/cartographie-nationale",
            download_url=None,
            note="Extracted from the JS bundle of npm @gouvfr-anct/cartographie-nationale@5.22.0: no file in "
            "this format is published, so it cannot be downloaded; use a data folder or a mirror.",
            why_not_downloaded="aucun fichier publié dans ce format (liste extraite du paquet npm de la cartographie "
            "nationale) : utilisez un dossier de données ou un miroir",
        ),
        Entry(
            key="contours-communes-{dep}",
            path="geo/cog2025-mathieulebasic/communes-dep{dep}.geojson",
            name="Contours des communes ({dep})",
            producer="IGN (ADMIN EXPRESS) via API Découpage administratif (geo.api.gouv.fr, Etalab)",
            licence=LO + " (licence de la copie utilisée non précisée)",
            vintage="COG 2025",
            url=GEO_API,
            download_url=GEO_API,
            note="[github] Files here are mathieulebasic/france-geojson (COG 2025, property code_territoire "
            "'com'+INSEE); the download is geo.api.gouv.fr (property code, current COG, full-resolution contours). "
            "The importer reads both.",
        ),
        Entry(
            key="contours-communes-2018-{dep}",
            path="geo/france-geojson-2018/communes-{dep}-{slug}.geojson",
            name="Contours des communes ({dep}, COG 2018)",
            producer=FRANCE_GEOJSON,
            licence=LO,
            vintage="COG 2018",
            url="https://github.com/gregoiredavid/france-geojson",
            download_url=None,
            fallback_for="contours-communes-{dep}",
            note="[github] Read only when the COG 2025 file of the département is absent (codes of COG 2018).",
        ),
        Entry(
            key="contours-departements-2018",
            path="geo/france-geojson-2018/departements-version-simplifiee.geojson",
            name="Contours des départements (COG 2018, version simplifiée)",
            producer=FRANCE_GEOJSON,
            licence=LO,
            vintage="COG 2018",
            url="https://github.com/gregoiredavid/france-geojson",
            download_url=None,
            fallback_for="contours-departements",
            note="[github] Read only when geo/departements-fne/departements.geojson is absent.",
        ),
        Entry(
            key="mediation-hub-lo",
            path="mediation/hub-lo-lieux-centre-val-de-loire-dep18.json",
            name="Lieux de médiation numérique du Hub-Lo (Centre-Val de Loire, export brut)",
            producer="Hub-Lo, hub territorial pour un numérique inclusif (Centre-Val de Loire), via ANCT mednum-cli",
            licence="non précisée (données du hub, réservées aux essais)",
            vintage="2020–2023",  # replaced at import by the span of the records' c__edit_datemaj
            url="https://github.com/anct-cartographie-nationale/mednum-cli/blob/525661ab/assets/input/hub-lo/"
            "hub-lo.json",
            download_url=None,
            data_folder_only=True,
            note="[github] Optional, data folder only. Raw export of the Hub-Lo directory "
            "(fields prefixed c_), kept by ANCT's mednum-cli repository; no official download, licence not stated.",
        ),
        Entry(
            key="mediation-region-sud",
            path="mediation/regionsud-lieux-inclusion-numerique-2022-dep13-84.json",
            name="Lieux d'inclusion numérique 2022 (Région Sud, inventaire brut)",
            producer="Région Sud (Provence-Alpes-Côte d'Azur), via ANCT mednum-cli",
            licence="non précisée (données du hub, réservées aux essais)",
            vintage="inventaire 2022 (fiches non datées)",
            url="https://github.com/anct-cartographie-nationale/mednum-cli/blob/3ae228e3/assets/input/paca/paca.json",
            download_url=None,
            data_folder_only=True,
            note="[github] Optional, data folder only. Raw Région Sud inventory (1 245 lieux "
            "for PACA, filtered to 13 and 84 here), later deleted from ANCT's mednum-cli repository; no official "
            "download, licence not stated. Every record is dated 01/01/1970 (no real date).",
        ),
        Entry(
            key="conseillers-numeriques",
            path="mediation/conseillers-numeriques-structures.json",
            name="Structures accueillant des conseillers numériques France Services",
            producer="ANCT (programme Conseiller numérique France Services)",
            licence="données ouvertes de l'ANCT (licence non précisée par le dépôt)",
            vintage="2023",
            url="https://github.com/Assembleurs/portrea/blob/main/data/france-services/cnum.json",
            download_url=None,
            data_folder_only=True,
            note="[github] Optional, data folder only. Snapshot from Assembleurs/portrea (cnum.json, 2023): host "
            "structures keyed by name, with SIRET, postcode, INSEE code (leading zero lost) and posts. No address: "
            "matched to the places' sites (importers/dedupe.py), never a place of its own.",
        ),
    ]
}

# Optional raw regional exports with no official download, loaded when present in a data folder.
DATA_FOLDER_ONLY: dict[str, Entry] = {key: e for key, e in MANIFEST.items() if e.data_folder_only}


def entry(key: str, *, dep: str | None = None) -> Entry:
    """The manifest entry of `key` (with `dep` for a per-département file). Raises UnknownDataPath."""
    found = MANIFEST.get(key)
    if found is None:
        raise UnknownDataPath(f"« {key} » n'est pas une clé de opendata.MANIFEST")
    if found.per_departement:
        if dep is None:
            raise UnknownDataPath(f"« {key} » désigne un fichier par département : indiquer dep=")
        return found.at(dep)
    return found


def path(key: str, *, dep: str | None = None) -> str:
    """The relative path of a declared file (see `locate` for a family whose file name carries a slug)."""
    return entry(key, dep=dep).path


def locate(data_dir: Path, key: str, *, dep: str | None = None) -> str | None:
    """The relative path of the file of `key` present in `data_dir`, or None when the folder has none."""
    rel = path(key, dep=dep)
    if "*" in rel:  # files may be stored as-is, .gz or .xz (territories.datafiles)
        found = datafiles.find(data_dir, rel)
        return found[0] if found else None
    return rel if datafiles.exists(data_dir, rel) else None


def entry_for_path(rel: str) -> Entry:
    """The entry describing a relative path of the data folder. Raises UnknownDataPath for an undeclared path."""
    for candidate in MANIFEST.values():
        if not candidate.per_departement:
            if candidate.path == rel:
                return candidate
            continue
        match = candidate.pattern().match(rel)
        if match:
            return candidate.at(match.group("dep"), path=rel)
    raise UnknownDataPath(f"« {rel} » n'est pas un fichier déclaré dans opendata.MANIFEST")


def files_to_download(departements: list[str] | None) -> list[str]:
    """Relative paths fetched when no data folder is given: every downloadable file, contours per département."""
    paths = [e.path for e in MANIFEST.values() if e.downloadable and not e.per_departement]
    for dep in departements or []:
        paths += [e.at(dep).path for e in MANIFEST.values() if e.downloadable and e.per_departement]
    return list(dict.fromkeys(paths))


class DownloadError(Exception):
    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.status = status


def mirror_base() -> str:
    return getattr(settings, "INCLUSION_OPENDATA_MIRROR", "") or os.environ.get("INCLUSION_OPENDATA_MIRROR", "")


def download_file(url: str, target: Path, *, session: requests.Session | None = None) -> Path:
    """GET `url` into `target` (temp file then atomic rename), 3 attempts with exponential backoff."""
    session = session or requests.Session()
    target.parent.mkdir(parents=True, exist_ok=True)
    last: Exception | None = None
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with session.get(url, stream=True, timeout=TIMEOUT_SECONDS) as response:
                if response.status_code >= 500 or response.status_code == 429:
                    raise requests.HTTPError(f"HTTP {response.status_code}", response=response)
                if response.status_code != 200:
                    raise DownloadError(f"{url} : erreur HTTP {response.status_code}", status=response.status_code)
                fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
                try:
                    with os.fdopen(fd, "wb") as handle:
                        for block in response.iter_content(1 << 16):
                            handle.write(block)
                    os.replace(tmp, target)
                except BaseException:
                    Path(tmp).unlink(missing_ok=True)
                    raise
                return target
        except (requests.ConnectionError, requests.Timeout, requests.HTTPError) as exc:
            last = exc
            logger.warning("download %s failed (attempt %d/%d): %s", url, attempt, ATTEMPTS, exc)
            if attempt < ATTEMPTS:
                time.sleep(BACKOFF_SECONDS * 2 ** (attempt - 1))
    raise DownloadError(f"{url} : échec après {ATTEMPTS} tentatives ({last})")


def download(
    paths: list[str],
    target_dir: Path,
    *,
    mirror: str | None = None,
    refresh: bool = False,
    departements: list[str] | None = None,
) -> tuple[list[str], list[str]]:
    """Fetch the files of `paths` into `target_dir` (same layout). Returns (fetched or present, skipped notes).

    Official sources in another format (territories.downloads) are converted; `departements` limits the
    per-département exports (lieux de médiation)."""
    mirror = mirror if mirror is not None else mirror_base()
    session = requests.Session()
    done, skipped = [], []
    for rel in paths:
        target = target_dir / rel
        if target.is_file() and not refresh:
            done.append(rel)
            continue
        if mirror:
            url = mirror.rstrip("/") + "/" + rel
        else:
            declared = entry_for_path(rel)
            url = declared.download_url
            from territories import downloads  # official formats converted to the data folder's (imports us)

            if declared.key in downloads.OFFICIAL:
                skipped += downloads.fetch(declared.key, target, session=session, departements=departements)
                if target.is_file():
                    done.append(rel)
                continue
            if not url:
                why = declared.why_not_downloaded or "aucune adresse officielle connue"
                skipped.append(f"{rel} : pas de téléchargement officiel dans un format lisible ({why})")
                continue
        try:
            download_file(url, target, session=session)
        except DownloadError as exc:
            if exc.status != 404:
                raise
            skipped.append(f"{rel} : absent du serveur ({url})")
            continue
        done.append(rel)
    return done, skipped
