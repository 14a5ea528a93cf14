"""The common place record, and the base mapper every source of places declares its mapping on.

A source of places (France services, Aidants Connect, lieux de médiation v0/v1, the raw Hub-Lo and Région Sud
exports) is one `PlaceMapper` subclass in `territories/importers/sources/`. It declares which file it reads (its key in
`opendata.MANIFEST`), which kind of place it gives, the columns of its identifier, INSEE code and coordinates, and
`fields`: for each other `PlaceRecord` field, a column name or a small function of the record. The base class reads
and checks the whole file (a malformed record raises FileFormatError with its file, line and column), and builds every
`PlaceRecord` in one place (`PlaceMapper.map`). Placing the records in communes is `placement.py`'s job.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from territories import opendata
from territories.importers.base import (
    INSEE_RE,
    CsvDoc,
    CsvRow,
    FileFormatError,
    JsonDoc,
    invalid_insee,
    kind_of,
    parse_float,
    read_number,
    shown,
)

POSTCODE_RE = re.compile(r"^\d{5}$")


@dataclass
class PlaceRecord:
    """A place of digital help as every source gives it, before it is placed in a commune."""

    source_ref: str
    name: str
    insee: str = ""
    lat: float | None = None
    lon: float | None = None
    address: str = ""
    postcode: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    services: str = ""
    hours: str = ""
    details: dict = field(default_factory=dict)
    updated_on: dt.date | None = None


@dataclass
class MappedFile:
    """The usable records of a file, plus what was set aside while reading it."""

    records: list[PlaceRecord]
    total: int  # records in the file
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (reason, postcode) of records set aside
    notes: list[str] = field(default_factory=list)
    dates: list[dt.date] = field(default_factory=list)  # update dates, kept when the vintage comes from them
    default_vintage: str = ""

    @property
    def vintage(self) -> str:
        """The vintage read from the records' update dates ("" when the manifest's vintage stands)."""
        if not self.dates:
            return self.default_vintage
        first, last = min(self.dates).year, max(self.dates).year
        years = str(first) if first == last else f"{first}–{last}"
        return f"{years} (dates de mise à jour des fiches)"


# ---- one record of a file, whatever its format -------------------------------------------------------------------


class CsvRecord:
    __slots__ = ("doc", "row", "values")

    def __init__(self, doc: CsvDoc, row: CsvRow):
        self.doc, self.row, self.values = doc, row, row.values

    @property
    def position(self) -> str:
        return f"à la ligne {self.row.line}"

    def has(self, key: str) -> bool:
        return key in self.values

    def value(self, key: str):
        return self.values.get(key, "")

    def text(self, key: str) -> str:
        return self.values.get(key, "")

    def error(self, key: str, message: str) -> FileFormatError:
        return self.doc.error(self.row, key, message)


class JsonRecord:
    __slots__ = ("doc", "index", "data")

    def __init__(self, doc: JsonDoc, index: int, data: dict):
        self.doc, self.index, self.data = doc, index, data

    @property
    def position(self) -> str:
        return f"à l'enregistrement {self.index + 1}"

    def has(self, key: str) -> bool:
        return key in self.data

    def value(self, key: str):
        return self.data.get(key)

    def text(self, key: str) -> str:
        """A text-like field: a string, a number or null; anything else (list, object) is a malformed record."""
        value = self.data.get(key)
        if type(value) is str:  # the common case, first
            return value.strip()
        if value is None or isinstance(value, bool):
            return "" if value is None else str(value)
        if isinstance(value, str | int | float):
            return str(value).strip()
        raise self.error(key, f"texte attendu, trouvé : {kind_of(value)}")

    def error(self, key: str | None, message: str) -> FileFormatError:
        return self.doc.error(self.index, message, key=key)


Record = CsvRecord | JsonRecord
Spec = str | Callable[[Record], object]  # a column name (its text), or a function of the record


# ---- value cleaners and declarative specs ------------------------------------------------------------------------


def coords(lat_text, lon_text, fail: Callable[[str], None]) -> tuple[float | None, float | None]:
    try:
        lat, lon = parse_float(lat_text), parse_float(lon_text)
    except ValueError as exc:
        fail(str(exc))
    if (lat is None) != (lon is None):
        fail("latitude et longitude doivent être toutes deux renseignées ou toutes deux vides")
    if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        fail(f"coordonnées hors limites (latitude {read_number(lat)}, longitude {read_number(lon)})")
    if lat == 0 and lon == 0:
        return None, None
    return lat, lon


def parse_date(text, formats=("%Y-%m-%d", "%d/%m/%Y")) -> dt.date | None:
    text = str(text or "").strip()
    for fmt in formats:
        try:
            return dt.datetime.strptime(text[:10], fmt).date()
        except ValueError:
            continue
    return None


def clean_website(text: str | None) -> str:
    text = (text or "").strip().split("|")[0].strip()
    return text if text.startswith(("http://", "https://")) and len(text) <= 500 else ""


def clean_postcode(text) -> str:
    text = str(text or "").strip()
    if text.endswith(".0"):
        text = text[:-2]
    if text.isdigit() and len(text) == 4:
        text = "0" + text
    return text if POSTCODE_RE.match(text) else ""


def siret(column: str) -> Callable[[Record], dict]:
    """{"siret": ...} when `column` holds a real SIRET (14 digits, not the 00000000000000 placeholder), for `details`:
    the site merge (importers/dedupe.py) matches records of one site across sources by it."""

    def get(r: Record) -> dict:
        text = r.text(column).strip().removesuffix(".0")
        return {"siret": text} if len(text) == 14 and text.isdigit() and set(text) != {"0"} else {}

    return get


def joined(*columns: str) -> Spec:
    """The non-empty values of `columns`, joined by a space (street + complement)."""
    return lambda r: " ".join(x for x in (r.text(c) for c in columns) if x)


def postcode(column: str) -> Spec:
    return lambda r: clean_postcode(r.text(column))


def website(column: str) -> Spec:
    return lambda r: clean_website(r.text(column))


def date(column: str) -> Spec:
    return lambda r: parse_date(r.text(column))


def first(column: str, separator: str) -> Spec:
    """The first of several values (e-mails listed with `separator`)."""
    return lambda r: r.text(column).split(separator)[0].strip()


def items(column: str, separator: str) -> Spec:
    """A multi-valued column as one "a; b" text."""
    return lambda r: "; ".join(s.strip() for s in r.text(column).split(separator) if s.strip())


def lists(columns: list[str] | tuple[str, ...], separator: str) -> Callable[[Record], dict]:
    """{column: [values]} for the multi-valued `columns` that have a value (for `details`)."""

    def get(r: Record) -> dict:
        texts = ((c, r.text(c)) for c in columns)
        return {c: [s.strip() for s in text.split(separator) if s.strip()] for c, text in texts if text}

    return get


def present(*columns: str) -> Callable[[Record], dict]:
    """{column: text} for the `columns` that have a value (for `details`)."""

    def get(r: Record) -> dict:
        return {c: text for c, text in ((c, r.text(c)) for c in columns) if text}

    return get


# ---- mappers -----------------------------------------------------------------------------------------------------


class PlaceMapper:
    """Base of every source of places: read and check a file, map each record to a PlaceRecord."""

    key: ClassVar[str]  # opendata.MANIFEST key: the file, and its DataSource
    kind: ClassVar[str]  # Place.Kind
    identifier: ClassVar[str | None] = None  # column of the source's own identifier (non-empty, unique)
    insee: ClassVar[str | None] = None  # column of the INSEE code, when the source gives one
    latitude: ClassVar[str | None] = "latitude"  # None: the source gives no coordinates
    longitude: ClassVar[str] = "longitude"
    fields: ClassVar[dict[str, Spec]]  # every other PlaceRecord field -> column name or function(record)
    check_coordinates: ClassVar[bool] = False  # hand-geocoded: coordinates checked against the address (coordinates.py)
    default_vintage: ClassVar[str] = ""  # set: the vintage comes from the records' update dates (this text when none)

    def __init__(self):
        # the declared mapping, split once: plain columns, and functions of the record
        self._columns = [(name, spec) for name, spec in self.fields.items() if isinstance(spec, str)]
        self._functions = [(name, spec) for name, spec in self.fields.items() if not isinstance(spec, str)]

    @property
    def path(self) -> str:
        return opendata.path(self.key)

    def read(self, path: Path) -> list[Record]:
        raise NotImplementedError

    def check(self, record: Record) -> None:
        """Validation beyond identifier, code and coordinates: raise `record.error(...)`."""

    def insee_code(self, record: Record) -> str:
        if self.insee is None:
            return ""
        code = record.text(self.insee).strip()
        if code and not INSEE_RE.match(code):
            raise record.error(self.insee, invalid_insee(code))
        return code

    def accept(self, place: PlaceRecord, record: Record, state: dict) -> str | None:
        """The reason to set a readable but unusable record aside, or None to keep it (`state`: one per file)."""
        return None

    def finish(self, out: MappedFile, state: dict) -> None:
        """Notes on the whole file."""

    def parse(self, path: Path) -> MappedFile:
        records = self.read(path)
        out = MappedFile(records=[], total=len(records), default_vintage=self.default_vintage)
        seen: dict[str, Record] = {}
        state: dict = {}
        for record in records:
            ref = self._reference(record, seen) if self.identifier else ""

            def fail(message, record=record):
                raise record.error(self.latitude, message)

            lat, lon = (None, None)
            if self.latitude is not None:
                lat, lon = coords(record.value(self.latitude), record.value(self.longitude), fail)
            code = self.insee_code(record)
            self.check(record)
            place = self.map(record, source_ref=ref, insee=code, lat=lat, lon=lon)
            reason = self.accept(place, record, state)
            if reason:
                out.rejected.append((reason, place.postcode))
                continue
            if self.default_vintage and place.updated_on:
                out.dates.append(place.updated_on)
            out.records.append(place)
        self.finish(out, state)
        return out

    def map(self, record: Record, **known) -> PlaceRecord:
        """The one place a PlaceRecord is built: the declared `fields`, plus what `parse` already read."""
        values = {name: record.text(column) for name, column in self._columns}
        values.update((name, function(record)) for name, function in self._functions)
        return PlaceRecord(**known, **values)

    def _reference(self, record: Record, seen: dict[str, Record]) -> str:
        ref = record.text(self.identifier).strip()
        if not ref:
            raise record.error(self.identifier, "identifiant vide")
        if ref in seen:
            raise record.error(self.identifier, f"identifiant {shown(ref)} en double (déjà {seen[ref].position})")
        seen[ref] = record
        return ref


class CsvPlaceMapper(PlaceMapper):
    columns: ClassVar[list[str]]  # required columns
    delimiter: ClassVar[str] = ","

    def read(self, path: Path) -> list[Record]:
        doc = CsvDoc(path, required=self.columns, delimiter=self.delimiter)
        return [CsvRecord(doc, row) for row in doc.rows]


class JsonPlaceMapper(PlaceMapper):
    """A JSON array of objects."""

    keys: ClassVar[list[str]]  # required keys of every object

    def read(self, path: Path) -> list[Record]:
        doc = JsonDoc(path)
        if not isinstance(doc.data, list):
            raise FileFormatError(path, "un tableau JSON de lieux était attendu", line=1, column=1)
        for i, rec in enumerate(doc.data):
            if not isinstance(rec, dict):
                raise doc.error(i, f"objet attendu, trouvé : {kind_of(rec)}")
            for key in self.keys:
                if key not in rec:
                    raise doc.error(i, f'champ "{key}" absent')
        return [JsonRecord(doc, i, rec) for i, rec in enumerate(doc.data)]
