"""A digest of this release's code and templates, for cache keys of rendered fragments.

The shared cache (database table or Valkey) outlives a deployment; a fragment of HTML rendered by the previous
release must not be served by the new one. Keys of rendered fragments therefore carry `code_digest()`: the SHA-256
of every Python file and template of the project (~1 MB, read once per process).
"""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings

SOURCE_FOLDERS = ("inclusion", "diagnostic", "territories", "templates")


@functools.cache
def code_digest() -> str:
    root = settings.BASE_DIR
    digest = hashlib.sha256()
    for folder in SOURCE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in {".py", ".html"} and path.is_file():
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
