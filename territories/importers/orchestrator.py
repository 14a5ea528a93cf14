"""The open data import: parse and validate every file first (`parse_all`), then write everything (`write_all`).

    file --(sources/*: parse, validate)--> records --(write_all: one transaction)--> rows, DataSource, access figures

Nothing is written until every file has been read and checked: a malformed file raises FileFormatError before the
transaction opens. The writes run in one transaction, one savepoint per file. A dry run performs the same writes and
rolls the transaction back, so it reports exactly what a real run would change and keeps nothing. When data changed,
the "data changed" hooks (`territories.hooks`) run after the transaction, e.g. the plans' cached priorities.

Reference data is always national: `departements` selects the commune contours (hence the maps and the communes
that get nearest-help figures), never the communes, IFN or places, which are loaded for all of France so that
national medians are national and nearest help crosses département borders.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction

from territories import datafiles, hooks, opendata
from territories.formatting import agree, number, plural
from territories.importers import access, addresses, coordinates, dedupe, placement
from territories.importers.base import FileFormatError, Summary, progress, sha256_of
from territories.importers.dryrun import compare, table_state
from territories.importers.fingerprint import FINGERPRINT_KEY, fingerprint
from territories.importers.mapping import MappedFile, PlaceMapper
from territories.importers.sources import PLACE_SOURCES, admin, conseillers, contours, hubs, ifn
from territories.services import finish_source, get_source

DEP_RE = re.compile(admin.DEP_RE_TEXT)
STEPS = 8  # progress bar: 4 parse steps + 4 write steps


FINGERPRINT_STAGE = "empreinte (SHA-256 de chaque fichier)"


class SelectionError(Exception):
    """An unknown département in the selection."""


def repaired_note(repairs: list[tuple[str, str]]) -> str:
    """The summary note naming the invalid polygons repaired in a contour file (GEOS's reason, as it gives it)."""
    count = plural(len(repairs), "polygone invalide réparé", "polygones invalides réparés")
    return f"{count} (make_valid, parties surfaciques conservées) : " + " ; ".join(
        f"{code} ({reason})" for code, reason in repairs
    )


@dataclass
class Parsed:
    """Every file of the data folder, read and validated; nothing written yet."""

    data_dir: Path
    departements: set[str] | None  # départements whose contours are loaded; None: all of France
    cog: admin.AdminData  # régions, départements, EPCI, communes (COG)
    communes: dict[str, dict]  # every current commune (reference data is national)
    ifn: dict[str, tuple[str, dict]] = field(default_factory=dict)  # manifest key -> (path, rows)
    commune_contours: dict[str, tuple] = field(default_factory=dict)  # path -> (codes, shapes, repairs)
    contour_files: dict[str, str] = field(default_factory=dict)  # département -> its commune contour file
    missing_contours: list[str] = field(default_factory=list)  # selected départements with no contour file
    departement_contours: tuple[str, tuple] | None = None  # (path, (codes, shapes, repairs))
    hubs: dict | None = None
    places: list[tuple[PlaceMapper, str, MappedFile]] = field(default_factory=list)
    conseillers: tuple[str, list] | None = None  # (path, structures hosting conseillers numériques)


class Clock:
    """Seconds per stage, for the command's report and bench/import_bench.py."""

    def __init__(self):
        self.timings: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0) + now - self.last
        self.last = now


def parse_all(*, data_dir: Path, departements: set[str] | None, clock: Clock, bar) -> Parsed:
    """Read and validate every known file of `data_dir`. Raises FileFormatError or SelectionError."""
    for rel in admin.FILES.values():
        if not datafiles.exists(data_dir, rel):
            raise FileFormatError(
                data_dir / rel,
                "fichier introuvable (le dossier de données doit suivre l'organisation de ../shared/data)",
            )
    admin_data = admin.parse_admin(data_dir)
    if departements is not None:
        unknown = sorted(d for d in departements if d not in admin_data.departements)
        if unknown:
            raise SelectionError(
                f"{agree(len(unknown), 'département inconnu', 'départements inconnus')} : {', '.join(unknown)}"
            )
    parsed = Parsed(data_dir, departements, admin_data, admin_data.communes)
    bar.update()
    for key, rel in ifn.FILES.items():
        if datafiles.exists(data_dir, rel):
            kind = "insee" if key == "ifn-communes" else "siren"
            parsed.ifn[key] = (rel, ifn.parse_ifn(data_dir / rel, code_kind=kind))
    clock.lap("lecture COG + IFN")
    bar.update()
    selected = set(admin_data.departements) if departements is None else departements
    for dep in sorted(selected):
        rel = contours.commune_contour_file(data_dir, dep)
        if rel:
            parsed.commune_contours[rel] = contours.parse_contours(data_dir / rel)
            parsed.contour_files[dep] = rel
        else:
            parsed.missing_contours.append(dep)
    rel = contours.departement_contour_file(data_dir)
    if rel:
        shapes = contours.parse_contours(data_dir / rel, code_re=DEP_RE, what="code de département")
        parsed.departement_contours = (rel, shapes)
    clock.lap("lecture des contours")
    bar.update()
    if datafiles.exists(data_dir, hubs.FILE):
        parsed.hubs = hubs.parse_hubs(data_dir / hubs.FILE)
    for mapper in PLACE_SOURCES:  # the raw regional files are optional, like every place file
        if datafiles.exists(data_dir, mapper.path):
            parsed.places.append((mapper, mapper.path, mapper.parse(data_dir / mapper.path)))
    if datafiles.exists(data_dir, conseillers.path()):
        parsed.conseillers = (conseillers.path(), conseillers.parse_conseillers(data_dir / conseillers.path()))
    clock.lap("lecture des lieux et des hubs")
    bar.update()
    return parsed


class Writer:
    """The write phase: one method per step, and the DataSource bookkeeping they share."""

    def __init__(self, parsed: Parsed, clock: Clock, bar):
        self.parsed, self.clock, self.bar = parsed, clock, bar
        self.summaries: list[Summary] = []
        self.sources_changed = False

    def source(self, rel: str, rows: int, *, vintage: str = ""):
        """The DataSource of a file (created on first import) and the metadata it should end with."""
        entry = opendata.entry_for_path(rel)
        meta = entry.meta() | {"sha256": sha256_of(self.parsed.data_dir / rel), "row_count": rows}
        if vintage:  # read from the records' dates
            meta["vintage"] = vintage
        return get_source(key=entry.key, meta=meta), meta

    def finish(self, src, meta: dict, changed: bool) -> None:
        if finish_source(source=src, meta=meta, rows_changed=changed):
            self.sources_changed = True

    def run(self) -> list[Summary]:
        self.write_communes()
        self.write_departement_contours()
        self.write_ifn()
        self.write_places()
        self.write_sites()
        self.write_access()
        return self.summaries

    def write_communes(self) -> None:
        """Régions, départements, EPCI and communes, with the commune contours in the same statements."""
        p = self.parsed
        self.bar.set_description("données ouvertes : communes")
        with transaction.atomic():
            known = set(p.communes)
            geometry_rows: dict[str, dict] = {}
            contour_summaries = []
            for rel, (codes, geoms, repairs) in p.commune_contours.items():
                src, meta = self.source(rel, len(codes))
                summary = Summary(f"Contours {Path(rel).name}", counted=False)
                rows = contours.commune_geometry_rows(
                    codes=codes,
                    geoms=geoms,
                    known=known,
                    current_code=p.cog.current_code,
                    source_id=src.pk,
                    summary=summary,
                )
                if repairs:
                    summary.notes.append(repaired_note(repairs[:12]) + ("…" if len(repairs) > 12 else ""))
                written = agree(len(rows), "enregistré", "enregistrés")
                contours_count = plural(len(rows), "contour de commune", "contours de communes")
                summary.notes.append(f"{contours_count} ({written} avec les communes)")
                geometry_rows.update(rows)
                contour_summaries.append((src, meta, summary))
            self.add_missing_contour_notes(geometry_rows)
            self.clock.lap("contours (vérification et simplification)")
            admin_sources, metas = {}, {}
            for name, rel in admin.FILES.items():
                admin_sources[name], metas[name] = self.source(rel, p.cog.record_counts[name])
            result = admin.write_admin(data=p.cog, departements=None, sources=admin_sources, geometry=geometry_rows)
            self.summaries += result
            changed = any(s.changed for s in result)
            for name in admin.FILES:
                self.finish(admin_sources[name], metas[name], changed)
            for src, meta, summary in contour_summaries:
                self.finish(src, meta, changed)
                self.summaries.append(summary)
        self.clock.lap("enregistrement des communes, EPCI, départements et régions")
        self.bar.update()

    def add_missing_contour_notes(self, geometry_rows: dict) -> None:
        """Every commune without a contour gets a note saying why; those of the selection are listed in the summary."""
        p = self.parsed
        selected = set(p.cog.departements) if p.departements is None else p.departements
        listed = []
        for code, commune in p.communes.items():
            if code in geometry_rows:
                continue
            dep = commune["departement_id"]
            rel = p.contour_files.get(dep, "")
            note = contours.missing_note(
                departement=dep, selected=dep in selected, has_file=bool(rel), file=Path(rel).name
            )
            geometry_rows[code] = admin.NO_GEOMETRY | {"contour_note": note}
            if dep in selected and rel:
                listed.append(f"{code} {commune['name']}")
        if listed:
            note = number(len(listed)) + agree(
                len(listed),
                " commune actuelle de la sélection n'a pas de contour dans la source (rétablie, créée ou recodée "
                "après le millésime de la source ; sa page le signale) : ",
                " communes actuelles de la sélection n'ont pas de contour dans la source (rétablies, créées ou "
                "recodées après le millésime de la source ; leur page le signale) : ",
            )
            note += ", ".join(listed[:20])
            self.summaries.append(
                Summary("Contours des communes", counted=False, notes=[note + ("…" if len(listed) > 20 else "")])
            )

    def write_departement_contours(self) -> None:
        p = self.parsed
        self.bar.set_description("données ouvertes : contours")
        if p.missing_contours:
            shown = ", ".join(p.missing_contours[:12]) + ("…" if len(p.missing_contours) > 12 else "")
            count = len(p.missing_contours)
            note = (
                f"aucun fichier de contours pour {plural(count, 'département', 'départements')} ({shown}) : "
                + agree(count, "ses", "leurs")
                + " communes restent sans géométrie ni centroïde (laissés vides, jamais devinés)"
            )
            self.summaries.append(Summary("Contours des communes", counted=False, notes=[note]))
        if p.departement_contours:
            rel, (codes, geoms, repairs) = p.departement_contours
            with transaction.atomic():
                src, meta = self.source(rel, len(codes))
                summary = Summary(f"Contours des départements ({Path(rel).name})")
                rows = contours.departement_geometry_rows(
                    codes=codes, geoms=geoms, known=set(p.cog.departements), summary=summary
                )
                if repairs:
                    summary.notes.append(repaired_note(repairs))
                self.summaries.append(contours.write_departement_geometries(rows, summary))
                self.finish(src, meta, summary.changed)
        self.clock.lap("contours des départements")
        self.bar.update()

    def write_ifn(self) -> None:
        p = self.parsed
        self.bar.set_description("données ouvertes : IFN")
        if "ifn-communes" in p.ifn:
            rel, rows = p.ifn["ifn-communes"]
            with transaction.atomic():
                src, meta = self.source(rel, len(rows))
                wanted, summary = ifn.build_commune_ifn(
                    rows=rows, communes=p.communes, parts=p.cog.parts, part_kind=p.cog.part_kind, source_id=src.pk
                )
                self.summaries.append(ifn.write_commune_ifn(wanted, summary))
                self.finish(src, meta, summary.changed)
        if "ifn-epci" in p.ifn:
            rel, rows = p.ifn["ifn-epci"]
            with transaction.atomic():
                src, meta = self.source(rel, len(rows))
                epcis = {p.cog.commune_epci[c] for c in p.communes if c in p.cog.commune_epci}
                wanted, summary = ifn.build_epci_ifn(rows=rows, epcis=epcis, source_id=src.pk)
                self.summaries.append(ifn.write_epci_ifn(wanted, summary))
                self.finish(src, meta, summary.changed)
        self.clock.lap("IFN")
        self.bar.update()

    def write_places(self) -> None:
        p = self.parsed
        self.bar.set_description("données ouvertes : lieux")
        if p.hubs is not None:
            with transaction.atomic():
                src, meta = self.source(hubs.FILE, len(p.hubs))
                result = hubs.write_hubs(
                    hubs=p.hubs,
                    source_id=src.pk,
                    regions=set(p.cog.regions),
                    departements=set(p.cog.departements),
                )
                self.summaries += result
                self.finish(src, meta, any(s.changed for s in result))
        locator = placement.CommuneLocator(p.cog.current_code, set(p.cog.communes))
        cog_index = addresses.CogIndex(p.cog.communes)
        for mapper, rel, mapped in p.places:
            with transaction.atomic():
                src, meta = self.source(rel, mapped.total, vintage=mapped.vintage)
                summary = Summary(f"Lieux {Path(rel).name}")
                for reason, _postcode in mapped.rejected:  # set aside while reading
                    summary.reject(reason)  # places are national: every rejection counts
                summary.notes += mapped.notes
                records = mapped.records
                if mapper.check_coordinates:
                    records = coordinates.check_coordinates(
                        records, locator=locator, departements=None, summary=summary
                    )
                rows = placement.place_rows(
                    records=records,
                    kind=mapper.kind,
                    source_id=src.pk,
                    locator=locator,
                    departements=None,
                    summary=summary,
                )
                addresses.check_rows(rows=rows, records=records, cog=cog_index, locator=locator, summary=summary)
                self.summaries.append(
                    placement.write_places(rows=rows, source_id=src.pk, departements=None, summary=summary)
                )
                self.finish(src, meta, summary.changed)
        self.clock.lap("hubs et lieux")
        self.bar.update()

    def write_sites(self) -> None:
        """One place per real site across sources, and the conseillers numériques they host (dedupe.py)."""
        with transaction.atomic():
            structures = None
            if self.parsed.conseillers is not None:
                rel, structures = self.parsed.conseillers
                src, meta = self.source(rel, len(structures))
            summary = dedupe.write_sites(structures=structures, current_code=self.parsed.cog.current_code)
            self.summaries.append(summary)
            if structures is not None:
                self.finish(src, meta, summary.changed)

    def write_access(self) -> None:
        self.bar.set_description("données ouvertes : accès aux lieux")
        with transaction.atomic():
            notes: list[str] = []
            # every commune with a centroid (those of the contour selection) against every place of France
            wanted = access.compute_access(departements=None, notes=notes)
            self.summaries.append(access.write_access(wanted=wanted, departements=None, notes=notes))
        self.clock.lap("accès aux lieux (10 km, le plus proche)")
        self.bar.update()


def refresh_planner_statistics() -> None:
    """ANALYZE the tables an import rewrote (PostgreSQL). Right after a bulk load the planner's estimates are those of
    the empty tables: a profile's nearest-help query then hashes all 9 000 places (14 ms) instead of using the primary
    key (0.1 ms), until autovacuum gets round to it."""
    if connection.vendor != "postgresql":
        return
    from django.apps import apps

    tables = [model._meta.db_table for model in apps.get_app_config("territories").get_models()]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'ANALYZE "{table}"')


def load_open_data(
    *,
    data_dir: Path,
    departements: set[str] | None,
    echo: Callable[[str], None] = print,
    quiet: bool | None = None,
    dry_run: bool = False,
) -> dict:
    """Import every known file of `data_dir`; with `dry_run`, report what would change and keep nothing.

    Returns {"summaries": [...], "timings": {...}, "changed": bool, "changes": {table: {added, changed, removed}}}
    ("changes": dry run only, else None).
    Raises FileFormatError (nothing written) when a file is malformed, SelectionError for an unknown département.
    """
    from territories.models import Commune, ImportState

    data_dir = Path(data_dir)
    clock = Clock()
    current_fingerprint = fingerprint(data_dir, departements)
    if ImportState._meta.db_table not in connection.introspection.table_names():
        current_fingerprint = None  # not migrated: no shortcut (the parse still reports a malformed file first)
    same = ImportState.objects.filter(key=FINGERPRINT_KEY, fingerprint=current_fingerprint)
    if not dry_run and current_fingerprint and same.exists() and Commune.objects.exists():
        clock.lap(FINGERPRINT_STAGE)
        echo(
            "Chaque fichier est celui du dernier import (même SHA-256, même sélection, même version de "
            "l'importeur) : rien à relire."
        )
        return {"summaries": [], "timings": clock.timings, "changed": False, "changes": None}
    clock.lap(FINGERPRINT_STAGE)
    bar = progress(range(STEPS), desc="données ouvertes : lecture", disable=quiet)
    parsed = parse_all(data_dir=data_dir, departements=departements, clock=clock, bar=bar)
    changes = None
    with transaction.atomic():
        before = table_state() if dry_run else None
        writer = Writer(parsed, clock, bar)
        summaries = writer.run()
        if dry_run:  # the same writes as a real run, compared, then rolled back: exact figures, nothing kept
            changes = compare(before, table_state())
            transaction.set_rollback(True)
        elif current_fingerprint:
            ImportState.objects.update_or_create(key=FINGERPRINT_KEY, defaults={"fingerprint": current_fingerprint})
    bar.close()
    changed = writer.sources_changed or any(s.changed for s in summaries)
    if dry_run:
        echo("Essai à blanc : chaque fichier a été lu et vérifié ; rien n'a été enregistré.")
        echo("Ce que cet import changerait, par table :" if changes else "Cet import ne changerait rien.")
        for table, counts in changes.items():
            echo(
                f"  {table} : {plural(counts['added'], 'ajout', 'ajouts')}, "
                f"{plural(counts['changed'], 'modification', 'modifications')}, "
                f"{plural(counts['removed'], 'suppression', 'suppressions')}"
            )
        echo("Détail :")
    for summary in summaries:
        for line in summary.lines():
            echo(line)
    if changed and not dry_run:
        refresh_planner_statistics()
        clock.lap("statistiques du planificateur (ANALYZE)")
        hooks.data_changed(echo=echo)
    return {"summaries": summaries, "timings": clock.timings, "changed": changed, "changes": changes}
