"""Files of a data folder, stored as-is or compressed (`.gz` or `.xz`), read transparently.

A data folder follows the layout of ../shared/data: every file has a relative path such as
`indicators/ifn-communes.csv`. In the embedded `fixtures/` folder the same file is stored as
`indicators/ifn-communes.csv.gz`; readers ask for the relative path and get the content, whichever way it is stored.
An uncompressed file wins over a compressed one, then `.gz`, then `.xz`.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import zlib
from pathlib import Path
from typing import BinaryIO

COMPRESSED_SUFFIXES = (".gz", ".xz")
CHUNK = 1 << 20


class DamagedFile(OSError):
    """A compressed file that cannot be decompressed (truncated or not really gzip/xz)."""

    def __init__(self, path: Path, reason: str):
        self.path = Path(path)
        super().__init__(f"{path} : fichier compressé abîmé ou tronqué ({reason})")


def candidates(root: Path | str, relative_path: str) -> list[Path]:
    """Where `relative_path` may be stored under `root`, in order of preference."""
    base = Path(root) / relative_path
    return [base] + [base.with_name(base.name + suffix) for suffix in COMPRESSED_SUFFIXES]


def resolve(root: Path | str, relative_path: str) -> Path | None:
    """The file that holds `relative_path` under `root` (as-is, .gz or .xz), or None when there is none."""
    for candidate in candidates(root, relative_path):
        if candidate.is_file():
            return candidate
    return None


def exists(root: Path | str, relative_path: str) -> bool:
    return resolve(root, relative_path) is not None


def find(root: Path | str, pattern: str) -> list[str]:
    """Relative paths (without .gz/.xz) of the files matching `pattern` (a glob on the file name), sorted."""
    folder = (Path(root) / pattern).parent
    name = Path(pattern).name
    found = {
        path.relative_to(root).as_posix().removesuffix(suffix)
        for suffix in ("", *COMPRESSED_SUFFIXES)
        for path in folder.glob(name + suffix)
        if path.is_file()
    }
    return sorted(found)


def _decompression_errors() -> tuple[type[BaseException], ...]:
    errors: tuple[type[BaseException], ...] = (gzip.BadGzipFile, EOFError, zlib.error)
    try:
        import lzma
    except ImportError:  # Python built without liblzma: .xz files cannot be read, .gz still can
        return errors
    return (*errors, lzma.LZMAError)


def open_path(path: Path | str) -> BinaryIO:
    """Open one stored file for binary reading, decompressing by its suffix."""
    path = Path(path)
    if path.suffix == ".gz":
        return gzip.open(path, "rb")
    if path.suffix == ".xz":
        try:
            import lzma
        except ImportError:
            raise DamagedFile(
                path, "ce Python n'a pas le module lzma : enregistrez le fichier non compressé ou en .gz"
            ) from None
        return lzma.open(path, "rb")
    return open(path, "rb")


def stored_path(path: Path | str) -> Path | None:
    """The file that holds the logical `path` (`<root>/<relative path>`): itself, or its .gz / .xz."""
    path = Path(path)
    return resolve(path.parent, path.name)


def read_data(path: Path | str) -> bytes:
    """The content of the logical `path`, however it is stored. Raises FileNotFoundError or DamagedFile."""
    path = Path(path)
    stored = stored_path(path)
    if stored is None:
        raise FileNotFoundError(f"{path} : fichier introuvable (ni {path.name}.gz, ni {path.name}.xz)")
    return read_bytes(stored)


def embedded_dir() -> Path:
    """The embedded copy of the open data, `fixtures/` at the root of the project (see fixtures/PROVENANCE.md)."""
    return Path(__file__).resolve().parent.parent / "fixtures"


def open_data_file(root: Path | str, relative_path: str) -> BinaryIO:
    """Open `relative_path` of the data folder `root` for binary reading (decompressed content)."""
    path = resolve(root, relative_path)
    if path is None:
        tried = ", ".join(c.name for c in candidates(root, relative_path))
        raise FileNotFoundError(f"{Path(root) / relative_path} : fichier introuvable (cherché : {tried})")
    return open_path(path)


def read_bytes(path: Path | str) -> bytes:
    """The whole (decompressed) content of one stored file. Raises DamagedFile for a broken archive."""
    try:
        with open_path(path) as handle:
            return handle.read()
    except _decompression_errors() as exc:
        raise DamagedFile(Path(path), str(exc) or type(exc).__name__) from None


def sha256_of(path: Path | str) -> str:
    """SHA-256 of the decompressed content: a file has the same checksum stored as-is, .gz or .xz."""
    digest = hashlib.sha256()
    try:
        with open_path(path) as handle:
            for block in iter(lambda: handle.read(CHUNK), b""):
                digest.update(block)
    except _decompression_errors() as exc:
        raise DamagedFile(Path(path), str(exc) or type(exc).__name__) from None
    return digest.hexdigest()


def gzip_bytes(data: bytes) -> bytes:
    """Deterministic gzip (level 9, mtime 0, no file name in the header): same bytes in, same bytes out."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as handle:
        handle.write(data)
    return buffer.getvalue()
