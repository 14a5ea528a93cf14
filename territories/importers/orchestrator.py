"""The open data import: parse and validate every file first (`parse_all`), then write everything (`write_all`).

    file --(sources/*: parse, validate)--> records --(write_all: one transaction)--> rows, DataSource, access figures

Nothing is written until every file has been read and checked: a malformed file raises FileFormatError before the
transaction opens. The writes run in one transaction, one savepoint per file. A dry run performs the same writes and
rolls the transaction back, so it reports exactly what a real run would change and keeps nothing. When data changed,
the "data changed" hooks (`territories.hooks`) run after the transaction, e.g. the plans' cached priorities.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from territories import datafiles, hooks, opendata
from territories.importers import access, addresses, coordinates, dedupe, placement
from territories.importers.base import FileFormatError, Summary, progress, sha256_of
from territories.importers.mapping import MappedFile, PlaceMapper
from territories.importers.sources import PLACE_SOURCES, admin, conseillers, contours, hubs, ifn
from territories.services import finish_source, get_source

DEP_RE = re.compile(admin.DEP_RE_TEXT)
STEPS = 8  # progress bar: 4 parse steps + 4 write steps


class SelectionError(Exception):
    """An unknown département in the selection."""


@dataclass
class Parsed:
    """Every file of the data folder, read and validated; nothing written yet."""

    data_dir: Path
    departements: set[str] | None  # None: all of France
    cog: admin.AdminData  # régions, départements, EPCI, communes (COG)
    communes: dict[str, dict]  # the selected communes
    ifn: dict[str, tuple[str, dict]] = field(default_factory=dict)  # manifest key -> (path, rows)
    commune_contours: dict[str, tuple] = field(default_factory=dict)  # path -> (codes, shapes)
    missing_contours: list[str] = field(default_factory=list)  # selected départements with no contour file
    departement_contours: tuple[str, tuple] | None = None  # (path, (codes, shapes))
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
                data_dir / rel, "file not found (the data folder must follow the layout of ../shared/data)"
            )
    admin_data = admin.parse_admin(data_dir)
    if departements is not None:
        unknown = sorted(d for d in departements if d not in admin_data.departements)
        if unknown:
            raise SelectionError(f"unknown département code(s): {', '.join(unknown)}")
    parsed = Parsed(data_dir, departements, admin_data, admin_data.selected_communes(departements))
    bar.update()
    for key, rel in ifn.FILES.items():
        if datafiles.exists(data_dir, rel):
            kind = "insee" if key == "ifn-communes" else "siren"
            parsed.ifn[key] = (rel, ifn.parse_ifn(data_dir / rel, code_kind=kind))
    clock.lap("parse admin + IFN")
    bar.update()
    selected = set(admin_data.departements) if departements is None else departements
    for dep in sorted(selected):
        rel = contours.commune_contour_file(data_dir, dep)
        if rel:
            parsed.commune_contours[rel] = contours.parse_contours(data_dir / rel)
        else:
            parsed.missing_contours.append(dep)
    rel = contours.departement_contour_file(data_dir)
    if rel:
        shapes = contours.parse_contours(data_dir / rel, code_re=DEP_RE, what="département code")
        parsed.departement_contours = (rel, shapes)
    clock.lap("parse contours")
    bar.update()
    if datafiles.exists(data_dir, hubs.FILE):
        parsed.hubs = hubs.parse_hubs(data_dir / hubs.FILE)
    for mapper in PLACE_SOURCES:  # the raw regional files are optional, like every place file
        if datafiles.exists(data_dir, mapper.path):
            parsed.places.append((mapper, mapper.path, mapper.parse(data_dir / mapper.path)))
    if datafiles.exists(data_dir, conseillers.path()):
        parsed.conseillers = (conseillers.path(), conseillers.parse_conseillers(data_dir / conseillers.path()))
    clock.lap("parse places + hubs")
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
        self.bar.set_description("open data: communes")
        with transaction.atomic():
            known = set(p.communes)
            geometry_rows: dict[str, dict] = {}
            contour_summaries = []
            for rel, (codes, geoms) in p.commune_contours.items():
                src, meta = self.source(rel, len(codes))
                summary = Summary(f"Contours {Path(rel).name}", counted=False)
                rows = contours.commune_geometry_rows(
                    codes=codes, geoms=geoms, known=known, source_id=src.pk, summary=summary
                )
                summary.notes.append(f"{len(rows)} commune contours (written with the communes)")
                geometry_rows.update(rows)
                contour_summaries.append((src, meta, summary))
            self.clock.lap("contours (validate + simplify)")
            admin_sources, metas = {}, {}
            for name, rel in admin.FILES.items():
                admin_sources[name], metas[name] = self.source(rel, p.cog.record_counts[name])
            result = admin.write_admin(
                data=p.cog, departements=p.departements, sources=admin_sources, geometry=geometry_rows
            )
            self.summaries += result
            changed = any(s.changed for s in result)
            for name in admin.FILES:
                self.finish(admin_sources[name], metas[name], changed)
            for src, meta, summary in contour_summaries:
                self.finish(src, meta, changed)
                self.summaries.append(summary)
        self.clock.lap("write communes/EPCI/départements/régions")
        self.bar.update()

    def write_departement_contours(self) -> None:
        p = self.parsed
        self.bar.set_description("open data: contours")
        if p.missing_contours:
            shown = ", ".join(p.missing_contours[:12]) + ("…" if len(p.missing_contours) > 12 else "")
            note = (
                f"no contour file for {len(p.missing_contours)} département(s) ({shown}): "
                "their communes keep no geometry and no centroid (left null, not guessed)"
            )
            self.summaries.append(Summary("Contours des communes", counted=False, notes=[note]))
        if p.departement_contours:
            rel, (codes, geoms) = p.departement_contours
            with transaction.atomic():
                src, meta = self.source(rel, len(codes))
                summary = Summary(f"Contours des départements ({Path(rel).name})")
                rows = contours.departement_geometry_rows(
                    codes=codes, geoms=geoms, known=set(p.cog.departements), summary=summary
                )
                self.summaries.append(contours.write_departement_geometries(rows, summary))
                self.finish(src, meta, summary.changed)
        self.clock.lap("département contours")
        self.bar.update()

    def write_ifn(self) -> None:
        p = self.parsed
        self.bar.set_description("open data: IFN")
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
        self.bar.set_description("open data: places")
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
                for reason, postcode in mapped.rejected:  # set aside while reading: counted where they lie
                    if p.departements is None or not postcode or placement.postcode_in(postcode, p.departements):
                        summary.reject(reason)
                summary.notes += mapped.notes
                records = mapped.records
                if mapper.check_coordinates:
                    records = coordinates.check_coordinates(
                        records, locator=locator, departements=p.departements, summary=summary
                    )
                rows = placement.place_rows(
                    records=records,
                    kind=mapper.kind,
                    source_id=src.pk,
                    locator=locator,
                    departements=p.departements,
                    summary=summary,
                )
                addresses.check_rows(rows=rows, records=records, cog=cog_index, locator=locator, summary=summary)
                self.summaries.append(
                    placement.write_places(rows=rows, source_id=src.pk, departements=p.departements, summary=summary)
                )
                self.finish(src, meta, summary.changed)
        self.clock.lap("hubs + places")
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
        self.bar.set_description("open data: access")
        with transaction.atomic():
            notes: list[str] = []
            wanted = access.compute_access(departements=self.parsed.departements, notes=notes)
            self.summaries.append(
                access.write_access(wanted=wanted, departements=self.parsed.departements, notes=notes)
            )
        self.clock.lap("place access (10 km, nearest)")
        self.bar.update()


def written_models() -> list:
    """The tables the import writes."""
    from territories import models as m

    return [
        m.DataSource,
        m.Region,
        m.Departement,
        m.Epci,
        m.Commune,
        m.CommuneIfn,
        m.EpciIfn,
        m.Hub,
        m.Hub.regions.through,
        m.Place,
        m.CommunePlaceAccess,
    ]


def table_state() -> dict[str, dict]:
    """{table: {pk: digest of the row}}, to compare before and after the writes (dry run)."""
    state = {}
    for model in written_models():
        fields = [f.attname for f in model._meta.concrete_fields]
        rows = model.objects.order_by().values_list("pk", *fields).iterator(chunk_size=2000)
        state[model.__name__] = {row[0]: hash(repr(row[1:])) for row in rows}
    return state


def compare(before: dict[str, dict], after: dict[str, dict]) -> dict[str, dict[str, int]]:
    """{table: {"added", "changed", "removed"}} for the tables whose rows differ."""
    changes = {}
    for table, old in before.items():
        new = after[table]
        counts = {
            "added": sum(1 for pk in new if pk not in old),
            "changed": sum(1 for pk, digest in new.items() if pk in old and old[pk] != digest),
            "removed": sum(1 for pk in old if pk not in new),
        }
        if any(counts.values()):
            changes[table] = counts
    return changes


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
    data_dir = Path(data_dir)
    clock = Clock()
    bar = progress(range(STEPS), desc="open data: parse", disable=quiet)
    parsed = parse_all(data_dir=data_dir, departements=departements, clock=clock, bar=bar)
    changes = None
    with transaction.atomic():
        before = table_state() if dry_run else None
        writer = Writer(parsed, clock, bar)
        summaries = writer.run()
        if dry_run:  # the same writes as a real run, compared, then rolled back: exact figures, nothing kept
            changes = compare(before, table_state())
            transaction.set_rollback(True)
    bar.close()
    changed = writer.sources_changed or any(s.changed for s in summaries)
    if dry_run:
        echo("Dry run: every file was read and checked; nothing was written.")
        echo("What this import would change, per table:" if changes else "It would change nothing.")
        for table, counts in changes.items():
            echo(f"  {table}: {counts['added']} added, {counts['changed']} changed, {counts['removed']} removed")
        echo("Details:")
    for summary in summaries:
        for line in summary.lines():
            echo(line)
    if changed and not dry_run:
        hooks.data_changed(echo=echo)
    return {"summaries": summaries, "timings": clock.timings, "changed": changed, "changes": changes}
