"""Shared machinery of the open data importers: strict readers, file errors with positions, summaries.

Every reader validates a whole file before anything is written. A problem that makes the file unusable raises
`FileFormatError`, whose message names the file, the line and the column; the management command turns it into a
`CommandError` (exit code 1) and, since files are parsed before the write transaction opens, the database is untouched.
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from territories import datafiles

INSEE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
SIREN_RE = re.compile(r"^\d{9}$")


class FileFormatError(Exception):
    """A file that cannot be imported. `str()` reads "path, line L, column C: message"."""

    def __init__(self, path, message: str, *, line: int | None = None, column: int | str | None = None):
        self.path = str(path)
        self.line = line
        self.column = column
        self.message = message
        where = [self.path]
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column}")
        super().__init__(f"{', '.join(where)}: {message}")


@dataclass
class Summary:
    """What an importer did to one kind of row."""

    label: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    rejected: Counter = field(default_factory=Counter)  # reason -> count
    notes: list[str] = field(default_factory=list)
    counted: bool = True  # False: rows are counted by another summary (e.g. contours written with communes)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def reject(self, reason: str, count: int = 1) -> None:
        self.rejected[reason] += count

    def add(self, counts: dict) -> Summary:
        for key in ("created", "updated", "unchanged", "deleted"):
            setattr(self, key, getattr(self, key) + counts.get(key, 0))
        return self

    def lines(self) -> list[str]:
        head = (
            f"{self.label}: {self.created} created, {self.updated} updated, {self.unchanged} unchanged"
            + (f", {self.deleted} deleted" if self.deleted else "")
            + f", {sum(self.rejected.values())} rejected"
        )
        if not self.counted:
            head = f"{self.label}: {sum(self.rejected.values())} rejected" if self.rejected else f"{self.label}:"
        out = [head]
        out += [f"    rejected {n}: {reason}" for reason, n in sorted(self.rejected.items(), key=lambda x: -x[1])]
        out += [f"    {note}" for note in self.notes]
        return out


def progress(iterable, *, desc: str, total: int | None = None, disable: bool | None = None):
    """tqdm on stderr; quiet when stderr is not a terminal unless asked (INCLUSION_PROGRESS=1)."""
    return tqdm(iterable, desc=desc, total=total, file=sys.stderr, leave=False, disable=disable, mininterval=0.5)


def sha256_of(path: Path) -> str:
    """Checksum of the content (a file stored as .gz or .xz has the checksum of its decompressed content)."""
    return datafiles.sha256_of(datafiles.stored_path(path) or path)


def read_text(path: Path) -> str:
    """Read a file as strict UTF-8 (a BOM is accepted); a Latin-1 file stops with the position of the first bad byte.

    The file may be stored as `<path>.gz` or `<path>.xz` (the embedded fixtures/ folder): read transparently.
    """
    try:
        data = datafiles.read_data(path)
    except datafiles.DamagedFile as exc:
        raise FileFormatError(exc.path, "compressed file is damaged or truncated: rebuild or re-download it") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FileFormatError(
            path,
            f"not UTF-8 (byte 0x{data[exc.start]:02x}; the file looks Latin-1/Windows-1252 encoded: "
            "convert it to UTF-8)",
            line=line,
            column=column,
        ) from None
    return text.removeprefix("\ufeff")


class _Positions:
    """Turn character offsets of a text into 1-based (line, column)."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


class JsonDoc:
    """A parsed JSON file that can point back at the line/column of the n-th item of an array."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.text = read_text(self.path)
        try:
            self.data = json.loads(self.text)
        except json.JSONDecodeError as exc:
            raise FileFormatError(
                self.path, f"invalid or truncated JSON ({exc.msg})", line=exc.lineno, column=exc.colno
            ) from None
        self._offsets: dict[str, list[int]] = {}

    def _item_offsets(self, array_key: str | None) -> list[int]:
        if array_key not in self._offsets:
            if array_key is None:
                start = self.text.index("[")
            else:
                match = re.search(r'"' + re.escape(array_key) + r'"\s*:\s*\[', self.text)
                start = match.end() - 1
            decoder = json.JSONDecoder()
            offsets, index = [], start + 1
            ws = re.compile(r"[\s,]*")
            while True:
                index = ws.match(self.text, index).end()
                if self.text[index] == "]":
                    break
                offsets.append(index)
                _, index = decoder.raw_decode(self.text, index)
            self._offsets[array_key] = offsets
        return self._offsets[array_key]

    def error(self, item: int, message: str, *, key: str | None = None, array_key: str | None = None):
        """A FileFormatError at item number `item` (0-based) of the top-level array (or of `array_key`)."""
        offsets = self._item_offsets(array_key)
        offset = offsets[item]
        if key is not None:
            end = offsets[item + 1] if item + 1 < len(offsets) else len(self.text)
            found = self.text.find(f'"{key}"', offset, end)
            if found >= 0:
                offset = found
        line, column = _Positions(self.text).at(offset)
        label = f"record {item + 1}" + (f', field "{key}"' if key else "")
        return FileFormatError(self.path, f"{label}: {message}", line=line, column=column)


@dataclass
class CsvRow:
    line: int  # physical line where the record starts
    values: dict[str, str]


class CsvDoc:
    """A strictly checked CSV file: UTF-8, expected delimiter, required columns present, equal field counts."""

    def __init__(self, path: Path, *, required: list[str], delimiter: str = ","):
        self.path = Path(path)
        self.delimiter = delimiter
        text = read_text(self.path)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            raise FileFormatError(self.path, "empty file", line=1, column=1) from None
        except csv.Error as exc:
            raise FileFormatError(self.path, f"unreadable header ({exc})", line=1, column=1) from None
        self.header = [h.strip() for h in header]
        if len(self.header) == 1 and len(required) > 1:
            for other in (";", "\t", ",", "|"):
                if other != delimiter and other in self.header[0]:
                    raise FileFormatError(
                        self.path,
                        f"wrong delimiter: the header is separated by {other!r}, expected {delimiter!r}",
                        line=1,
                        column=self.header[0].index(other) + 1,
                    )
        for position, name in enumerate(required, start=1):
            if name not in self.header:
                raise FileFormatError(
                    self.path,
                    f"missing column {name!r} (expected at position {position}; header has {len(self.header)} columns)",
                    line=1,
                    column=min(position, len(self.header) + 1),
                )
        seen = set()
        for position, name in enumerate(self.header, start=1):
            if name in seen:
                raise FileFormatError(self.path, f"duplicate column {name!r}", line=1, column=position)
            seen.add(name)
        self.rows: list[CsvRow] = []
        line = reader.line_num + 1
        try:
            for record in reader:
                if not record or record == [""]:
                    line = reader.line_num + 1
                    continue
                if len(record) != len(self.header):
                    raise FileFormatError(
                        self.path,
                        f"{len(record)} fields, the header has {len(self.header)} (wrong delimiter or "
                        "unbalanced quotes?)",
                        line=line,
                        column=min(len(record), len(self.header)) + 1,
                    )
                self.rows.append(CsvRow(line, dict(zip(self.header, record, strict=True))))
                line = reader.line_num + 1
        except csv.Error as exc:
            raise FileFormatError(self.path, f"malformed CSV ({exc})", line=line, column=1) from None

    def column(self, name: str) -> int:
        return self.header.index(name) + 1

    def error(self, row: CsvRow, name: str, message: str) -> FileFormatError:
        return FileFormatError(self.path, f"{name}: {message}", line=row.line, column=self.column(name))


def parse_float(text) -> float | None:
    """A number from a cell: blank/None is None (missing), NaN is None; a decimal comma is accepted."""
    if text is None or text == "":
        return None
    try:
        value = float(text)
    except (TypeError, ValueError):
        cleaned = str(text).strip().replace(",", ".")
        if cleaned == "":
            return None
        try:
            value = float(cleaned)
        except ValueError:
            raise ValueError(f"not a number: {text!r}") from None
    if value != value:  # NaN
        return None
    return value
