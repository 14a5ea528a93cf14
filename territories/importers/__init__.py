"""Open data import: parse and validate every file first, then write everything in one transaction.

Entry point: `load_open_data(data_dir=..., departements={"18", "69"} or None)`; see the `load_open_data` command.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from django.db import transaction

from territories import opendata
from territories.importers import access, admin, geo, hubs, ifn, places, raw_mediation
from territories.importers.base import FileFormatError, Summary, progress, sha256_of
from territories.services import finish_source, get_source

DEP_RE = re.compile(admin.DEP_RE_TEXT)


class SelectionError(Exception):
    """An unknown département in the selection."""


def _meta(data_dir: Path, rel: str, row_count: int) -> tuple[str, dict]:
    entry = opendata.entry_for_path(rel)
    if entry is None:  # a file outside the manifest: describe it by its path
        key = re.sub(r"[^a-z0-9]+", "-", rel.lower()).strip("-")[:80]
        meta = {"name": rel, "producer": "", "licence": "", "url": "", "vintage": "", "file_name": rel}
    else:
        key, meta = entry.key, entry.meta()
    meta |= {"sha256": sha256_of(data_dir / rel), "row_count": row_count}
    return key, meta


def load_open_data(
    *, data_dir: Path, departements: set[str] | None, echo: Callable[[str], None] = print, quiet: bool | None = None
) -> dict:
    """Import every known file of `data_dir`. Returns {"summaries": [...], "timings": {...}, "changed": bool}.

    Raises FileFormatError (nothing written) when a file is malformed, SelectionError for an unknown département.
    """
    data_dir = Path(data_dir)
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str):
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = timings.get(stage, 0) + now - clock
        clock = now

    for rel in admin.FILES.values():
        if not (data_dir / rel).is_file():
            raise FileFormatError(
                data_dir / rel, "file not found (the data folder must follow the layout of ../shared/data)"
            )
    bar = progress(range(8), desc="open data: parse", disable=quiet)
    # ---- 1. parse and validate everything ----------------------------------------------------------------------
    admin_data = admin.parse_admin(data_dir)
    if departements is not None:
        unknown = sorted(d for d in departements if d not in admin_data.departements)
        if unknown:
            raise SelectionError(f"unknown département code(s): {', '.join(unknown)}")
    selected_deps = set(admin_data.departements) if departements is None else set(departements)
    communes = admin_data.selected_communes(departements)
    bar.update()
    ifn_rows = {}
    for key, rel in ifn.FILES.items():
        if (data_dir / rel).is_file():
            ifn_rows[key] = (
                rel,
                ifn.parse_ifn(data_dir / rel, code_kind="insee" if key == "ifn-communes" else "siren"),
            )
    lap("parse admin + IFN")
    bar.update()
    contour_files = {}
    missing_contours = []
    for dep in sorted(selected_deps):
        rel = geo.commune_contour_file(data_dir, dep)
        if rel:
            contour_files[rel] = geo.parse_contours(data_dir / rel)
        else:
            missing_contours.append(dep)
    dep_contours = None
    for rel in geo.DEPARTEMENT_FILES:
        if (data_dir / rel).is_file():
            dep_contours = (rel, geo.parse_contours(data_dir / rel, code_re=DEP_RE, what="département code"))
            break
    lap("parse contours")
    bar.update()
    hub_data = None
    if (data_dir / hubs.FILE).is_file():
        hub_data = hubs.parse_hubs(data_dir / hubs.FILE)
    place_data = {}
    for key, (rel, kind, parser) in places.PARSERS.items():
        if (data_dir / rel).is_file():
            place_data[key] = (rel, kind, parser(data_dir / rel), None)
    for key, (rel, kind, parser) in raw_mediation.PARSERS.items():  # optional raw regional files
        if (data_dir / rel).is_file():
            raw = parser(data_dir / rel)
            place_data[key] = (rel, kind, raw.records, raw)
    lap("parse places + hubs")
    bar.update()

    # ---- 2. write (one transaction; one savepoint per file) ----------------------------------------------------
    summaries: list[Summary] = []
    sources_changed = False
    with transaction.atomic():

        def source_for(key_hint: str, rel: str, rows: int):
            key, meta = _meta(data_dir, rel, rows)
            return get_source(key=key, meta=meta), meta

        def finish(src, meta, changed):
            nonlocal sources_changed
            sources_changed |= finish_source(source=src, meta=meta, rows_changed=changed)

        bar.set_description("open data: communes")
        with transaction.atomic():
            known = set(communes)
            geometry_rows: dict[str, dict] = {}
            contour_summaries = []
            for rel, (codes, geoms) in contour_files.items():
                src, meta = source_for("contours", rel, len(codes))
                summary = Summary(f"Contours {Path(rel).name}", counted=False)
                rows = geo.commune_geometry_rows(
                    codes=codes, geoms=geoms, known=known, source_id=src.pk, summary=summary
                )
                summary.notes.append(f"{len(rows)} commune contours (written with the communes)")
                geometry_rows.update(rows)
                contour_summaries.append((src, meta, summary))
            lap("contours (validate + simplify)")
            admin_sources, metas = {}, {}
            counts = admin_data.record_counts
            for name, rel in admin.FILES.items():
                admin_sources[name], metas[name] = source_for(name, rel, counts[name])
            result = admin.write_admin(
                data=admin_data, departements=departements, sources=admin_sources, geometry=geometry_rows
            )
            summaries += result
            changed = any(s.changed for s in result)
            for name in admin.FILES:
                finish(admin_sources[name], metas[name], changed)
            for src, meta, summary in contour_summaries:
                finish(src, meta, changed)
                summaries.append(summary)
        lap("write communes/EPCI/départements/régions")
        bar.update()

        bar.set_description("open data: contours")
        if missing_contours:
            summaries.append(
                Summary(
                    "Contours des communes",
                    counted=False,
                    notes=[
                        f"no contour file for {len(missing_contours)} département(s) "
                        f"({', '.join(missing_contours[:12])}{'…' if len(missing_contours) > 12 else ''}): "
                        "their communes keep no geometry and no centroid (left null, not guessed)"
                    ],
                )
            )
        if dep_contours:
            rel, (codes, geoms) = dep_contours
            with transaction.atomic():
                src, meta = source_for("contours-departements", rel, len(codes))
                summary = Summary(f"Contours des départements ({Path(rel).name})")
                rows = geo.departement_geometry_rows(
                    codes=codes, geoms=geoms, known=set(admin_data.departements), summary=summary
                )
                summaries.append(geo.write_departement_geometries(rows, summary))
                finish(src, meta, summary.changed)
        lap("département contours")
        bar.update()

        bar.set_description("open data: IFN")
        if "ifn-communes" in ifn_rows:
            rel, rows = ifn_rows["ifn-communes"]
            with transaction.atomic():
                src, meta = source_for("ifn", rel, len(rows))
                wanted, summary = ifn.build_commune_ifn(
                    rows=rows,
                    communes=communes,
                    parts=admin_data.parts,
                    part_kind=admin_data.part_kind,
                    source_id=src.pk,
                )
                summaries.append(ifn.write_commune_ifn(wanted, summary))
                finish(src, meta, summary.changed)
        if "ifn-epci" in ifn_rows:
            rel, rows = ifn_rows["ifn-epci"]
            with transaction.atomic():
                src, meta = source_for("ifn", rel, len(rows))
                epcis = {admin_data.commune_epci[c] for c in communes if c in admin_data.commune_epci}
                wanted, summary = ifn.build_epci_ifn(rows=rows, epcis=epcis, source_id=src.pk)
                summaries.append(ifn.write_epci_ifn(wanted, summary))
                finish(src, meta, summary.changed)
        lap("IFN")
        bar.update()

        bar.set_description("open data: places")
        if hub_data is not None:
            with transaction.atomic():
                src, meta = source_for("hubs", hubs.FILE, len(hub_data))
                result = hubs.write_hubs(
                    hubs=hub_data,
                    source_id=src.pk,
                    regions=set(admin_data.regions),
                    departements=set(admin_data.departements),
                )
                summaries += result
                finish(src, meta, any(s.changed for s in result))
        locator = places.CommuneLocator(admin_data.current_code, set(admin_data.communes))
        for _key, (rel, kind, records, raw) in place_data.items():
            with transaction.atomic():
                src, meta = source_for(kind, rel, raw.total if raw else len(records))
                summary = Summary(f"Lieux {Path(rel).name}")
                if raw is not None:
                    records = raw_mediation.prepare(
                        raw, locator=locator, departements=departements, summary=summary, meta=meta
                    )
                rows = places.place_rows(
                    records=records,
                    kind=kind,
                    source_id=src.pk,
                    locator=locator,
                    departements=departements,
                    summary=summary,
                )
                summaries.append(
                    places.write_places(rows=rows, source_id=src.pk, departements=departements, summary=summary)
                )
                finish(src, meta, summary.changed)
        lap("hubs + places")
        bar.update()

        bar.set_description("open data: access")
        with transaction.atomic():
            notes: list[str] = []
            wanted = access.compute_access(departements=departements, notes=notes)
            summaries.append(access.write_access(wanted=wanted, departements=departements, notes=notes))
        lap("place access (10 km, nearest)")
        bar.update()
    bar.close()
    changed = sources_changed or any(s.changed for s in summaries)
    for summary in summaries:
        for line in summary.lines():
            echo(line)
    return {"summaries": summaries, "timings": timings, "changed": changed}
