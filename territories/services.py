"""Write helpers for the open data import (keyword-only arguments; callers hold the transaction).

`sync_rows` is what makes every importer idempotent: it compares the wanted values with what the database holds
and only creates or updates the rows that differ, so a second run with the same files writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone

from territories.models import DataSource, ImportRun

BATCH = 2000


def get_source(*, key: str, meta: dict) -> DataSource:
    """The DataSource row of a file, created on first import (metadata is finalised by `finish_source`)."""
    source = DataSource.objects.filter(key=key).first()
    if source is None:
        source = DataSource.objects.create(key=key, **_source_fields(meta))
    return source


def _source_fields(meta: dict) -> dict:
    wanted = {}
    for name in ("name", "producer", "licence", "url", "vintage", "file_name", "sha256", "row_count"):
        if name in meta:
            wanted[name] = meta[name] if meta[name] is not None else ""
    return wanted


def finish_source(*, source: DataSource, meta: dict, rows_changed: bool) -> bool:
    """Bring the DataSource metadata up to date; stamp `imported_at` only when something changed. True if written."""
    wanted = _source_fields(meta)
    dirty = [name for name, value in wanted.items() if getattr(source, name) != value]
    if dirty or rows_changed or source.imported_at is None:
        for name in dirty:
            setattr(source, name, wanted[name])
        source.imported_at = timezone.now()
        source.save(update_fields=[*dirty, "imported_at"])
        return True
    return False


def _chunks(items: list, size: int = BATCH) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def sync_rows(
    *,
    model: type[models.Model],
    rows: dict,
    fields: list[str],
    key: str = "pk",
    existing: models.QuerySet | None = None,
    stale: models.QuerySet | None = None,
) -> dict:
    """Create or update `model` rows so that each `rows[key_value]` (a dict of field attnames) is stored.

    `existing` limits the rows read for comparison (default: all rows whose key is in `rows`); `stale`, if given,
    is a queryset of rows to delete when their key is not in `rows`. Returns created/updated/unchanged/deleted counts.
    """
    pk_name = model._meta.pk.attname
    key_field = pk_name if key == "pk" else key
    read = [key_field, *fields] + ([] if key_field == pk_name else [pk_name])
    current: dict = {}
    if existing is None:
        keys = list(rows)
        for chunk in _chunks(keys, 5000):
            for values in model.objects.filter(**{f"{key_field}__in": chunk}).values(*read):
                current[values.pop(key_field)] = values
    else:
        for values in existing.values(*read):
            current[values.pop(key_field)] = values

    to_create, to_update = [], []
    for key_value, wanted in rows.items():
        have = current.get(key_value)
        if have is None:
            to_create.append(model(**{key_field: key_value, **wanted}))
        elif any(have[name] != wanted[name] for name in fields):
            to_update.append((key_value, wanted))

    deleted = 0
    if stale is not None:
        gone = [pk for value, pk in stale.values_list(key_field, pk_name) if value not in rows]
        for chunk in _chunks(gone):
            deleted += model.objects.filter(pk__in=chunk).delete()[1].get(model._meta.label, 0)

    if to_update:
        if key_field == pk_name:
            objects = [model(**{key_field: k, **w}) for k, w in to_update]
        else:
            objects = [model(pk=current[k][pk_name], **{key_field: k, **w}) for k, w in to_update]
        for chunk in _chunks(objects):
            model.objects.bulk_update(chunk, fields, batch_size=BATCH)
    for chunk in _chunks(to_create):
        model.objects.bulk_create(chunk, batch_size=BATCH)
    return {
        "created": len(to_create),
        "updated": len(to_update),
        "unchanged": len(rows) - len(to_create) - len(to_update),
        "deleted": deleted,
    }


def sync_m2m(*, through: type[models.Model], pairs: set[tuple], left: str, right: str, scope: dict) -> dict:
    """Make the rows of an M2M `through` table restricted to `scope` equal to `pairs` of (left_id, right_id)."""
    current = set(through.objects.filter(**scope).values_list(left, right))
    add = pairs - current
    remove = current - pairs
    for a, b in remove:
        through.objects.filter(**{left: a, right: b}).delete()
    through.objects.bulk_create([through(**{left: a, right: b}) for a, b in add])
    return {"created": len(add), "deleted": len(remove), "unchanged": len(pairs & current), "updated": 0}


def start_import(*, user, source: DataSource, uploaded=None) -> ImportRun:
    """Store a replacement file for `source` under INCLUSION_UPLOAD_DIR and run the import as a task.

    Without `uploaded`, the task first downloads the source's official file (or the mirror's, when configured).

    The ImportRun row is the audit trail (who, which source, when, outcome). With the immediate backend the import
    has finished when this returns; with a worker backend the page shows its progress.
    """
    from territories.tasks import run_import

    relative_path = source.file_name
    origin = ImportRun.Origin.DOWNLOAD if uploaded is None else ImportRun.Origin.UPLOAD
    run = ImportRun.objects.create(
        source=source, source_key=source.key, file_name=relative_path, requested_by=user, origin=origin
    )
    folder = Path(settings.INCLUSION_UPLOAD_DIR) / f"import-{run.pk}"
    target = folder / relative_path
    target.parent.mkdir(parents=True, exist_ok=True)
    if uploaded is not None:
        with target.open("wb") as out:
            for chunk in uploaded.chunks():
                out.write(chunk)
    ImportRun.objects.filter(pk=run.pk).update(upload=str(target))
    run_import.enqueue(run_id=run.pk)
    run.refresh_from_db()
    return run


INTERRUPTED = "Import interrompu : le processus de traitement s'est arrêté."


def mark_import_interrupted(*, run_id: int) -> bool:
    """Close an ImportRun whose task failed outside `run_import`'s own error handling (its worker stopped, or an
    unexpected error): it must not stay "en cours". True when the run was still queued or running.

    The message says whether the data were written before the stop: a source stamped since the run started means
    the import's transaction had committed."""
    from territories.tasks import UNCHANGED

    run = ImportRun.objects.filter(pk=run_id, status__in=[ImportRun.Status.QUEUED, ImportRun.Status.RUNNING]).first()
    if run is None:
        return False
    committed = run.started_at is not None and DataSource.objects.filter(imported_at__gte=run.started_at).exists()
    if committed:
        message = (
            f"{INTERRUPTED} Les données avaient déjà été enregistrées : vérifiez la date du dernier import des "
            "sources ci-dessous et relancez l'import si besoin."
        )
    else:
        message = f"{INTERRUPTED} {UNCHANGED}"
    return bool(
        ImportRun.objects.filter(pk=run.pk, status=run.status).update(
            status=ImportRun.Status.FAILED, message=message, progress="Interrompu.", finished_at=timezone.now()
        )
    )
