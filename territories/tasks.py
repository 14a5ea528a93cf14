"""Background jobs of the territories app (Django's Tasks framework, backend chosen by settings.TASKS).

`run_import` imports the open data again with one source's file replaced by a file uploaded on the staff page
(/equipe/donnees/), or first downloaded from its official address (territories.opendata.download). It calls the
public `load_open_data` entry point: every file is read and checked before anything is written, in one
transaction, so a malformed file leaves the data and the plans' cached priorities as they were.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from territories import datafiles, opendata
from territories.importers import SelectionError, load_open_data
from territories.importers.base import FileFormatError
from territories.models import Commune, ImportRun

logger = logging.getLogger("territories.imports")


def base_data_dir() -> Path:
    """The data folder the site was loaded from: INCLUSION_DATA_DIR, else the embedded copy fixtures/."""
    return Path(settings.INCLUSION_DATA_DIR) if settings.INCLUSION_DATA_DIR else datafiles.embedded_dir()


def build_overlay(*, base: Path, target: Path, relative_path: str, replacement: Path) -> None:
    """Lay out `target` as `base` (symbolic links, nothing copied) with `relative_path` replaced by `replacement`."""
    replaced = {relative_path, *(relative_path + suffix for suffix in datafiles.COMPRESSED_SUFFIXES)}
    for folder, _dirs, files in os.walk(base):
        for name in files:
            source = Path(folder) / name
            rel = source.relative_to(base).as_posix()
            if rel in replaced:
                continue
            link = target / rel
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(source.resolve())
    link = target / relative_path
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(replacement.resolve())


def _update(run: ImportRun, **fields) -> None:
    for name, value in fields.items():
        setattr(run, name, value)
    ImportRun.objects.filter(pk=run.pk).update(**fields)


def french_error(exc: FileFormatError) -> str:
    where = [Path(exc.path).name]
    if exc.line is not None:
        where.append(f"ligne {exc.line}")
    if exc.column is not None:
        where.append(f"colonne {exc.column}")
    return f"Fichier refusé ({', '.join(where)}) : {exc.message}"


UNCHANGED = "Rien n'a été modifié : les données et les plans d'action restent tels qu'avant."


@task
def run_import(*, run_id: int) -> str:
    run = ImportRun.objects.get(pk=run_id)
    _update(run, status=ImportRun.Status.RUNNING, started_at=timezone.now(), progress="Lecture des fichiers…")
    logger.info("import %s started: %s replaced by %s", run.pk, run.file_name, run.upload)
    departements = set(Commune.objects.values_list("departement_id", flat=True).distinct()) or None
    lines: list[str] = []
    try:
        if run.origin == ImportRun.Origin.DOWNLOAD:
            _update(run, progress="Téléchargement du fichier officiel…")
            folder = Path(run.upload).parents[len(Path(run.file_name).parts) - 1]
            _done, skipped = opendata.download(
                [run.file_name], folder, refresh=True, departements=sorted(departements) if departements else None
            )
            if not Path(run.upload).is_file():
                raise opendata.DownloadError("; ".join(skipped) or "aucun fichier reçu")
        if not Path(run.upload).is_file():  # never import without the file: the source's rows would be dropped
            raise FileNotFoundError(run.upload)
        with tempfile.TemporaryDirectory(prefix="inclusion-import-") as tmp:
            build_overlay(
                base=base_data_dir(), target=Path(tmp), relative_path=run.file_name, replacement=Path(run.upload)
            )
            _update(run, progress="Vérification puis enregistrement des données…")
            result = load_open_data(data_dir=Path(tmp), departements=departements, echo=lines.append, quiet=True)
    except FileFormatError as exc:
        message = f"{french_error(exc)}\n{UNCHANGED}"
        status = ImportRun.Status.FAILED
    except opendata.DownloadError as exc:
        message = f"Le téléchargement a échoué ({exc}).\n{UNCHANGED}"
        status = ImportRun.Status.FAILED
    except (SelectionError, OSError) as exc:
        message = f"L'import a échoué ({exc}).\n{UNCHANGED}"
        status = ImportRun.Status.FAILED
    else:
        status = ImportRun.Status.SUCCEEDED
        message = "Données mises à jour." if result["changed"] else "Aucun changement : ce fichier était déjà chargé."
    _update(run, status=status, message=message, progress="Terminé.", finished_at=timezone.now())
    logger.info("import %s %s: %s | %s", run.pk, status, message, " | ".join(lines))
    return status
