"""The same-files shortcut of the import: a SHA-256 fingerprint of what a run would read.

When every file, the contour selection and the importer's own code are those of the last complete import, the
import stops before parsing and says "Aucun changement" (a second national run takes seconds).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from territories import datafiles
from territories.importers.base import FileFormatError, read_text, sha256_of
from territories.importers.sources import PLACE_SOURCES, admin, conseillers, contours, hubs, ifn

FINGERPRINT_KEY = "open-data"
IMPORTER_DIR = Path(__file__).resolve().parent


def files_to_read(data_dir: Path, departements: set[str] | None) -> list[str] | None:
    """Relative paths of every file a run would read (as parse_all picks them), None when unsure (let parse decide)."""
    try:
        deps = json.loads(read_text(data_dir / admin.FILES["departements"]))
        codes = {d["code"] for d in deps}
    except (OSError, ValueError, TypeError, KeyError, FileFormatError):
        return None
    if departements is not None and not departements <= codes:
        return None
    rels = list(admin.FILES.values()) + [rel for rel in ifn.FILES.values() if datafiles.exists(data_dir, rel)]
    for dep in sorted(codes if departements is None else departements):
        rels.append(contours.commune_contour_file(data_dir, dep) or f"(no contour file for {dep})")
    rels.append(contours.departement_contour_file(data_dir) or "(no département contours)")
    rels += [
        rel
        for rel in [hubs.FILE, *(m.path for m in PLACE_SOURCES), conseillers.path()]
        if datafiles.exists(data_dir, rel)
    ]
    return rels


def fingerprint(data_dir: Path, departements: set[str] | None) -> str | None:
    """SHA-256 over the files' SHA-256, the contour selection and the importer's own code (an upgrade re-imports)."""
    rels = files_to_read(data_dir, departements)
    if rels is None:
        return None
    digest = hashlib.sha256()
    for path in sorted(IMPORTER_DIR.rglob("*.py")):
        digest.update(path.read_bytes())
    selection = "all" if departements is None else " ".join(sorted(departements))
    try:
        files = [(rel, sha256_of(data_dir / rel) if datafiles.exists(data_dir, rel) else "") for rel in rels]
    except OSError:  # e.g. a damaged .gz: no shortcut, the parse reports the file
        return None
    digest.update(json.dumps([selection, files]).encode())
    return digest.hexdigest()
