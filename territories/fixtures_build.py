"""Build the embedded `fixtures/` folder: a compact, gzip-compressed copy of a data folder's layout.

`manage.py build_fixtures --data-dir ../shared/data` copies the national reference files (COG, IFN, every place of
help, Hubs) and the contours of the demo départements into `fixtures/`, each file gzip-compressed
(`<relative path>.gz`, read transparently by `territories.datafiles`), and writes `fixtures/PROVENANCE.md`.

The build is deterministic: files are copied verbatim (or, for the département contours, filtered and re-serialised
in the input's order), gzip runs with mtime 0 and no file name, and PROVENANCE.md carries no date and no absolute
path. The same input gives byte-identical files.

gzip rather than xz: every Python has zlib, while a Python built without liblzma (a pyenv build on a machine
without liblzma-dev) cannot read .xz. The reader accepts both.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from territories import datafiles, formatting
from territories.formatting import agree

DEMO_DEPARTEMENTS = ("18", "69", "84")
PROVENANCE = "PROVENANCE.md"
MAX_TOTAL_BYTES = 5 * 1024 * 1024

LO = "Licence Ouverte / Open Licence 2.0 (Etalab)"
ADMIN_ORIGIN = (
    "[registry] npm package `@etalab/decoupage-administratif@6.0.0` (published March 2026), file `data/{file}`"
)
PORTREA = "[github] repository Assembleurs/portrea"
MEDNUM_CLI = "[github] ANCT repository anct-cartographie-nationale/mednum-cli"
CARTO_PACKAGE = "[registry] npm package `@gouvfr-anct/cartographie-nationale@5.22.0`"
IFN_REPO = "[github] ANCT repository inclusion-numerique/inclusion-numerique, commit a15f920 (2024-12-19)"


@dataclass(frozen=True)
class Spec:
    """One file of the data-folder layout to embed, with the facts PROVENANCE.md states about it.

    Facts are copied from the data folder's own PROVENANCE.md / README.md files (../shared/data); nothing here is
    guessed. `path` may contain `{dep}` (one file per selected département).
    """

    path: str
    title: str
    producer: str
    licence: str
    vintage: str
    origin: str
    production: str
    required: bool = False
    read_by_importers: bool = True
    transform: str = "verbatim"  # or "departements" (keep the features of the selected départements)
    notes: tuple[str, ...] = field(default_factory=tuple)


def _admin(file: str, title: str) -> Spec:
    return Spec(
        path=f"admin/decoupage-administratif-6.0.0/{file}",
        title=f"Découpage administratif: {title}",
        producer="INSEE (COG, populations légales), DGCL (EPCI), La Poste (codes postaux), via Etalab",
        licence=f"{LO} for the data; MIT for the package code (no code is copied here)",
        vintage="COG 2026, EPCI 2026, populations légales 2023 (in force on 1 January 2026)",
        origin=ADMIN_ORIGIN.format(file=file),
        production="the same official file: this package (or the next year's version) from the npm registry, "
        "https://unpkg.com/@etalab/decoupage-administratif@6.0.0/data/" + file,
        required=True,
    )


SPECS: list[Spec] = [
    _admin("regions.json", "régions"),
    _admin("departements.json", "départements"),
    _admin("epci.json", "EPCI (with their member communes)"),
    _admin("communes.json", "communes (with arrondissements municipaux, communes déléguées and associées)"),
    Spec(
        path="indicators/ifn-communes.csv",
        title="Indice de Fragilité Numérique (tout âge), per commune",
        producer="La Mednum (IFN); file reused by ANCT (Espace France Numérique Ensemble)",
        licence="not stated by the producer: La Mednum publishes no bulk open-data file of the IFN; reuse terms are "
        "the CGU of fragilite-numerique.fr (the repository the file was copied from is AGPL code)",
        vintage="IFN as published 2023–2024",
        origin=f"{IFN_REPO}, file apps/web/public/data/ifn-city-all-variation.csv",
        production="its own export from fragilite-numerique.fr (La Mednum), under the portal's terms",
    ),
    Spec(
        path="indicators/ifn-epci.csv",
        title="Indice de Fragilité Numérique (tout âge), per EPCI",
        producer="La Mednum (IFN); file reused by ANCT (Espace France Numérique Ensemble)",
        licence="not stated by the producer: La Mednum publishes no bulk open-data file of the IFN; reuse terms are "
        "the CGU of fragilite-numerique.fr (the repository the file was copied from is AGPL code)",
        vintage="IFN as published 2023–2024",
        origin=f"{IFN_REPO}, file apps/web/public/data/ifn-epci-all-variation.csv",
        production="its own export from fragilite-numerique.fr (La Mednum), under the portal's terms",
    ),
    Spec(
        path="geo/cog2025-mathieulebasic/communes-dep{dep}.geojson",
        title="Contours des communes (simplified), one file per demo département",
        producer="mathieulebasic/france-geojson, generated from a private PostGIS database; the geometries are "
        "presumably IGN ADMIN EXPRESS, which is not stated",
        licence="not stated (the repository has no README and no LICENSE)",
        vintage="COG 2025 (commit 72e7e73d, 2025-05-30)",
        origin="[github] repository mathieulebasic/france-geojson, file communes/dep{dep}.geojson",
        production="an official IGN extract (ADMIN EXPRESS, Licence Ouverte 2.0), or the contours of "
        "geo.api.gouv.fr/departements/{dep}/communes?format=geojson&geometry=contour (Etalab)",
    ),
    Spec(
        path="geo/departements-fne/departements.geojson",
        title="Contours des départements",
        producer="IGN-derived contours (properties DDEP_C_COD, DDEP_L_LIB)",
        licence="not stated beyond \u201cIGN-derived\u201d (the data folder's README)",
        vintage="2023",
        origin="[github] ANCT repository inclusion-numerique/inclusion-numerique",
        production="Etalab \u201cContours administratifs\u201d (IGN ADMIN EXPRESS, Licence Ouverte 2.0) on "
        "data.gouv.fr",
        transform="departements",
    ),
    Spec(
        path="mediation/france-services-liste-2023.csv",
        title="Liste des structures labellisées France services (2 707 sites)",
        producer="ANCT (Agence nationale de la cohésion des territoires)",
        licence="Licence Ouverte (ANCT open dataset); the repository the snapshot comes from has no licence file",
        vintage="early 2023 (latest labellisation 01/02/2023; snapshot of July 2023)",
        origin=f"{PORTREA}, commit 21113020, file data/france-services/liste-fs.csv",
        production="the current list on data.gouv.fr, \u201cListe des structures labellisées France services\u201d "
        "(same columns)",
    ),
    Spec(
        path="mediation/aidants-connect-structures.csv",
        title="Structures habilitées Aidants Connect (5 539 structures)",
        producer="ANCT (programme Aidants Connect)",
        licence="\u201cANCT open data\u201d (the data folder's README); no licence is stated with the file",
        vintage="2024",
        origin="[github] ANCT repository inclusion-numerique/inclusion-numerique",
        production="the public Aidants Connect API, https://aidantsconnect.beta.gouv.fr/api/organisations/",
    ),
    Spec(
        path="mediation/conseillers-numeriques-structures.json",
        title="Structures d'accueil des conseillers numériques France Services (2 485 structures)",
        producer="ANCT (programme Conseiller numérique France Services)",
        licence="not stated by the repository (origin: ANCT open data on the programme)",
        vintage="2023",
        origin=f"{PORTREA}, file data/france-services/cnum.json",
        production="the programme's current open data from ANCT",
        read_by_importers=False,
    ),
    Spec(
        path="mediation/hinaura-lieux-mediation-numerique-aura.json",
        title="Lieux de médiation numérique du Hub Hinaura (Auvergne-Rhône-Alpes, schéma v0, 687 lieux)",
        producer="Hub Hinaura, via ANCT cartographie nationale des lieux d'inclusion numérique",
        licence=f"{LO} (the package's LICENSE.md)",
        vintage="2021–2022 (date_maj)",
        origin=f"{CARTO_PACKAGE}, file assets/data/source.json",
        production="the national export of the lieux de médiation numérique (schéma v1, data.gouv.fr / "
        "cartographie.societenumerique.gouv.fr)",
    ),
    Spec(
        path="mediation/hub-lo-lieux-centre-val-de-loire-dep18.json",
        title="Lieux de médiation numérique du Hub-Lo, raw export, Cher (76 lieux)",
        producer="Hub-Lo, hub territorial pour un numérique inclusif (Centre-Val de Loire)",
        licence="not stated (hub data; the data folder's PROVENANCE says test use only): check with the Hub "
        "before any use beyond tests and demos",
        vintage="2020–2023 (c__edit_datemaj)",
        origin=f"{MEDNUM_CLI}, commit 525661ab, file assets/input/hub-lo/hub-lo.json, filtered to postcodes 18",
        production="the national export of the lieux de médiation numérique (schéma v1)",
    ),
    Spec(
        path="mediation/regionsud-lieux-inclusion-numerique-2022-dep13-84.json",
        title="Lieux d'inclusion numérique 2022 de la Région Sud, raw inventory, 13 and 84 (508 lieux)",
        producer="Région Sud (Provence-Alpes-Côte d'Azur)",
        licence="not stated in the repository (regional open data; the data folder's PROVENANCE says to verify "
        "before redistribution outside tests)",
        vintage="inventory 2022",
        origin=f"{MEDNUM_CLI}, commit 3ae228e3, file assets/input/paca/paca.json, filtered to postcodes 13 and 84",
        production="the national export of the lieux de médiation numérique (schéma v1)",
    ),
    Spec(
        path="mediation/assembleurs-lieux-mediation-hdf.geojson",
        title="Lieux de médiation numérique des Assembleurs, Nord and Pas-de-Calais (1 741 lieux, schéma v0)",
        producer="Les Assembleurs (Hub Hauts-de-France), aggregating assembleurs, conseiller-numerique, "
        "france-services, france-tiers-lieux and dora records",
        licence="not stated by the repository (aggregated open data)",
        vintage="2018–2023 (snapshot of May 2023)",
        origin=f"{PORTREA}, file data/locations.geojson",
        production="the national export of the lieux de médiation numérique (schéma v1)",
        read_by_importers=False,
    ),
    Spec(
        path="mediation/lieux-mediation-numerique.csv",
        title="Lieux de médiation numérique, national export (schéma v1)",
        producer="ANCT (Programme Société Numérique) and contributing hubs",
        licence=LO,
        vintage="as exported",
        origin="national export, when the data folder holds one",
        production="the current national export on data.gouv.fr",
    ),
    Spec(
        path="mediation/hubs-numerique-inclusif-regions.json",
        title="Hubs territoriaux pour un numérique inclusif (16 hubs, régions and départements)",
        producer="ANCT / La Mednum (cartographie nationale)",
        licence=f"{LO} (the package's LICENSE.md)",
        vintage="2024 (status as of late 2024; Hubikoop was reported closing in June 2024)",
        origin=f"{CARTO_PACKAGE}: values extracted verbatim from the bundle cartographie.js, re-serialised as JSON",
        production="the same package's current version; check that each hub still exists before display",
    ),
]


@dataclass
class Built:
    spec: Spec
    path: str  # relative path in the layout (without .gz)
    source_sha256: str
    source_bytes: int
    content_sha256: str
    content_bytes: int
    stored_bytes: int
    note: str = ""


@dataclass(frozen=True)
class Skipped:
    """A file of the layout left out of the build: `without` (--without) or `absent` (not in the data folder)."""

    path: str
    reason: str

    def doc(self) -> str:
        """As PROVENANCE.md (English, like the project's docs) lists it."""
        why = "left out (--without)" if self.reason == "without" else "not in the data folder"
        return f"{self.path}: {why}"

    def message(self) -> str:
        """As the command prints it (French)."""
        why = "laissé de côté (--without)" if self.reason == "without" else "absent du dossier de données"
        return f"{self.path} : {why}"


@dataclass
class BuildResult:
    files: list[Built]
    skipped: list[Skipped]
    total_bytes: int  # every file written, PROVENANCE.md included


class BuildError(Exception):
    pass


def _departement_code(properties: dict) -> str:
    for key in ("code", "DDEP_C_COD", "code_insee"):
        if properties.get(key):
            return str(properties[key])
    return str(properties.get("code_territoire", "")).removeprefix("dep")


def keep_departements(data: bytes, departements: tuple[str, ...]) -> tuple[bytes, str]:
    """The FeatureCollection with only the features of `departements`, input order and properties unchanged."""
    doc = json.loads(data.decode("utf-8-sig"))
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise BuildError("ce n'est pas une FeatureCollection GeoJSON")
    kept = [f for f in features if _departement_code(f.get("properties") or {}) in departements]
    found = {_departement_code(f["properties"]) for f in kept}
    if missing := sorted(set(departements) - found):
        departements_word = agree(len(missing), "le département", "les départements")
        raise BuildError(f"aucune entité pour {departements_word} {', '.join(missing)}")
    doc["features"] = kept
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"
    note = (
        f"only the {len(kept)} features of départements {', '.join(departements)} (of {len(features)}); "
        "properties and coordinates unchanged, re-serialised as compact JSON"
    )
    return text.encode("utf-8"), note


TRANSFORMS: dict[str, Callable] = {"departements": keep_departements}


def build(
    *,
    data_dir: Path,
    out_dir: Path,
    departements: tuple[str, ...] = DEMO_DEPARTEMENTS,
    without: tuple[str, ...] = (),
    command: str,
) -> BuildResult:
    """Write the compressed copy of `data_dir` into `out_dir` and its PROVENANCE.md. Returns what was built.

    Files of other builds left in `out_dir` (compressed files not produced this time) are removed, so the folder
    holds exactly this build.
    """
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    if not data_dir.is_dir():
        raise BuildError(f"dossier de données introuvable : {data_dir}")
    departements = tuple(sorted(set(departements)))
    built: list[Built] = []
    skipped: list[Skipped] = []
    for spec in SPECS:
        paths = [spec.path.format(dep=d) for d in departements] if "{dep}" in spec.path else [spec.path]
        for rel in paths:
            if rel in without or spec.path in without:
                skipped.append(Skipped(rel, "without"))
                continue
            source = datafiles.resolve(data_dir, rel)
            if source is None:
                if spec.required or "{dep}" in spec.path:
                    raise BuildError(
                        f"{data_dir / rel} : fichier introuvable (le dossier de données doit suivre l'organisation "
                        "de ../shared/data)"
                    )
                skipped.append(Skipped(rel, "absent"))
                continue
            raw = datafiles.read_bytes(source)
            note = ""
            content = raw
            if spec.transform != "verbatim":
                try:
                    content, note = TRANSFORMS[spec.transform](raw, departements)
                except (BuildError, ValueError) as exc:
                    raise BuildError(f"{source} : {exc}") from None
            stored = datafiles.gzip_bytes(content)
            target = out_dir / (rel + ".gz")
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.is_file() or target.read_bytes() != stored:
                target.write_bytes(stored)
            built.append(
                Built(
                    spec=spec,
                    path=rel,
                    source_sha256=datafiles.sha256_of(source),
                    source_bytes=len(raw),
                    content_sha256=_sha256(content),
                    content_bytes=len(content),
                    stored_bytes=len(stored),
                    note=note,
                )
            )
    _remove_stale(out_dir, {b.path + ".gz" for b in built})
    provenance = render_provenance(built=built, skipped=skipped, departements=departements, command=command)
    (out_dir / PROVENANCE).write_text(provenance, encoding="utf-8", newline="\n")
    total = sum(b.stored_bytes for b in built) + len(provenance.encode("utf-8"))
    return BuildResult(files=built, skipped=skipped, total_bytes=total)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _remove_stale(out_dir: Path, keep: set[str]) -> None:
    for path in sorted(out_dir.rglob("*"), reverse=True):
        rel = path.relative_to(out_dir).as_posix()
        if path.is_file() and path.name.endswith(datafiles.COMPRESSED_SUFFIXES) and rel not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())


def _int(value: int) -> str:
    return formatting.number(value, 0)


def _kb(size: int) -> str:
    return _int(round(size / 1024)) + " KB"


def render_provenance(
    *, built: list[Built], skipped: list[Skipped], departements: tuple[str, ...], command: str
) -> str:
    total = sum(b.stored_bytes for b in built)
    lines = [
        "# fixtures/ — embedded copy of the open data (generated: do not edit)",
        "",
        f"Rebuilt by `{command}` (module `territories/fixtures_build.py`). The build is deterministic: the same",
        "data folder gives byte-identical files (gzip level 9, mtime 0, no file name in the header).",
        "",
        "`make run` and `load_open_data` use this folder when neither `INCLUSION_DATA_DIR` nor `../shared/data` is",
        "there, so that a fresh clone with no network serves the demo. Every file keeps the relative path of the data",
        "folder layout plus `.gz`; the importers read it transparently (`territories/datafiles.py`).",
        "",
        "What is inside: the national reference files (COG communes, EPCI, départements, régions; the IFN of every",
        "commune and EPCI; every place of help in the data folder; the Hubs) and the contours of the demo",
        f"départements {', '.join(departements)} only. Files are copied verbatim (no field dropped), except the",
        "département contours, reduced to the demo départements. \u201csource sha256\u201d is the checksum of the",
        "data folder's file; \u201ccontent sha256\u201d the checksum of this file once decompressed (equal for a",
        "verbatim copy, and what the import records as the source's checksum).",
        "",
        "Facts (producer, licence, vintage, origin) are copied from the data folder's PROVENANCE.md and README.md.",
        "**Not for production as is**: several files come from snapshots of public GitHub repositories and some",
        "licences are not stated by their producer (see each file). A production deployment loads its own files",
        "(`INCLUSION_DATA_DIR` or `load_open_data --data-dir`), as each entry's \u201cproduction\u201d line says.",
        "",
        f"Total: {len(built)} files, {_kb(total)} compressed (limit {_kb(MAX_TOTAL_BYTES)}).",
        "",
    ]
    for b in built:
        spec = b.spec
        lines += [
            f"## `{b.path}.gz`",
            "",
            f"- what: {spec.title}",
            f"- producer: {spec.producer}",
            f"- licence: {spec.licence}",
            f"- vintage: {spec.vintage}",
            f"- origin of the data folder's copy: {spec.origin.format(dep=_dep_of(b.path))}",
            f"- a production deployment should use: {spec.production.format(dep=_dep_of(b.path))}",
            f"- source: `{b.path}` of the data folder, {_int(b.source_bytes)} bytes, sha256 `{b.source_sha256}`",
            f"- content: {b.note or 'verbatim copy'}; {_int(b.content_bytes)} bytes, sha256 `{b.content_sha256}`; "
            f"stored {_kb(b.stored_bytes)}",
        ]
        if not spec.read_by_importers:
            lines.append("- not read by the importers yet (kept so that every place of help is embedded)")
        lines.append("")
    if skipped:
        lines += ["## Not embedded", ""] + [f"- {note.doc()}" for note in skipped] + [""]
    return "\n".join(lines)


def _dep_of(rel: str) -> str:
    stem = Path(rel).stem  # communes-dep18
    return stem.split("-dep")[-1] if "-dep" in stem else ""
