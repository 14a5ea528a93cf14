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
from territories.formatting import number, plural
from territories.vocabulary import INSEE_RE  # noqa: F401  (re-exported to the importers)

SIREN_RE = re.compile(r"^\d{9}$")

# What a JSON value is, as the messages name it ("texte attendu, trouvé : une liste").
JSON_KINDS = {
    "str": "un texte",
    "int": "un nombre",
    "float": "un nombre",
    "bool": "un booléen (true ou false)",
    "list": "une liste",
    "dict": "un objet",
    "NoneType": "une valeur vide",
}


def shown(value) -> str:
    """A value read from a file, quoted for a French message: texts between « », control characters escaped
    ("« 75A01 »", "« 12\\t3 »"), an empty text "« »", a missing value "(vide)", numbers and lists as in JSON."""
    if value is None:
        return "(vide)"
    if isinstance(value, str):
        escaped = "".join(repr(char)[1:-1] if not char.isprintable() else char for char in value)
        return f"« {escaped} »" if escaped else "« »"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False, default=str)[:80]


def invalid_insee(code) -> str:
    """The message for a malformed INSEE code (the code as read, between « »)."""
    return f"code INSEE invalide {shown(code)} (attendu : 5 chiffres, ou 2A ou 2B suivi de 3 chiffres)"


def read_number(value: float) -> str:
    """A number read from a file, in French, to 6 decimals without trailing zeros: 2.15 -> "2,15", 46.0 -> "46"."""
    text = number(value, 6)
    return text.rstrip("0").rstrip(",") if "," in text else text


def kind_of(value) -> str:
    """The JSON type of `value`, in French: "une liste", "un objet"…"""
    return JSON_KINDS.get(type(value).__name__, type(value).__name__)


class FileFormatError(Exception):
    """A file that cannot be imported. `str()` reads "path, ligne L, colonne C : message" (French: staff read it).

    `message` alone is what `territories.tasks.french_error` shows after the file name, line and column."""

    def __init__(self, path, message: str, *, line: int | None = None, column: int | str | None = None):
        self.path = str(path)
        self.line = line
        self.column = column
        self.message = message
        where = [self.path]
        if line is not None:
            where.append(f"ligne {line}")
        if column is not None:
            where.append(f"colonne {column}")
        super().__init__(f"{', '.join(where)} : {message}")


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
        """The summary as the command prints it: "Communes : 7 créations, 0 mise à jour, 0 sans changement, 0 rejet",
        then one line per reason of rejection ("    4 rejets : sans nom") and one per note."""
        rejected = plural(sum(self.rejected.values()), "rejet", "rejets")
        head = (
            f"{self.label} : {plural(self.created, 'création', 'créations')}, "
            f"{plural(self.updated, 'mise à jour', 'mises à jour')}, {number(self.unchanged)} sans changement"
            + (f", {plural(self.deleted, 'suppression', 'suppressions')}" if self.deleted else "")
            + f", {rejected}"
        )
        if not self.counted:
            head = f"{self.label} : {rejected}" if self.rejected else f"{self.label} :"
        out = [head]
        by_count = sorted(self.rejected.items(), key=lambda x: -x[1])
        out += [f"    {plural(n, 'rejet', 'rejets')} : {reason}" for reason, n in by_count]
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
        raise FileFormatError(
            exc.path, "fichier compressé abîmé ou tronqué : reconstruisez-le ou téléchargez-le à nouveau"
        ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FileFormatError(
            path,
            f"le fichier n'est pas en UTF-8 (octet 0x{data[exc.start]:02x} ; il semble encodé en Latin-1 ou "
            "Windows-1252 : convertissez-le en UTF-8)",
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
                self.path, f"JSON invalide ou tronqué ({exc.msg})", line=exc.lineno, column=exc.colno
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
        label = f"enregistrement {item + 1}" + (f', champ "{key}"' if key else "")
        return FileFormatError(self.path, f"{label} : {message}", line=line, column=column)


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
            raise FileFormatError(self.path, "fichier vide", line=1, column=1) from None
        except csv.Error as exc:
            raise FileFormatError(self.path, f"en-tête illisible ({exc})", line=1, column=1) from None
        self.header = [h.strip() for h in header]
        if len(self.header) == 1 and len(required) > 1:
            for other in (";", "\t", ",", "|"):
                if other != delimiter and other in self.header[0]:
                    raise FileFormatError(
                        self.path,
                        f"mauvais séparateur : l'en-tête est séparé par {shown(other)}, {shown(delimiter)} attendu",
                        line=1,
                        column=self.header[0].index(other) + 1,
                    )
        for position, name in enumerate(required, start=1):
            if name not in self.header:
                raise FileFormatError(
                    self.path,
                    f"colonne {shown(name)} absente (attendue en position {position} ; l'en-tête a "
                    f"{plural(len(self.header), 'colonne', 'colonnes')})",
                    line=1,
                    column=min(position, len(self.header) + 1),
                )
        seen = set()
        for position, name in enumerate(self.header, start=1):
            if name in seen:
                raise FileFormatError(self.path, f"colonne {shown(name)} en double", line=1, column=position)
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
                        f"{plural(len(record), 'champ', 'champs')} alors que l'en-tête a "
                        f"{plural(len(self.header), 'colonne', 'colonnes')} (mauvais séparateur ou guillemets "
                        "mal fermés ?)",
                        line=line,
                        column=min(len(record), len(self.header)) + 1,
                    )
                self.rows.append(CsvRow(line, dict(zip(self.header, record, strict=True))))
                line = reader.line_num + 1
        except csv.Error as exc:
            raise FileFormatError(self.path, f"CSV mal formé ({exc})", line=line, column=1) from None

    def column(self, name: str) -> int:
        return self.header.index(name) + 1

    def error(self, row: CsvRow, name: str, message: str) -> FileFormatError:
        return FileFormatError(self.path, f"colonne {shown(name)} : {message}", line=row.line, column=self.column(name))


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
            raise ValueError(f"pas un nombre : {shown(text)}") from None
    if value != value:  # NaN
        return None
    return value
