"""What the raw regional exports of lieux de médiation (Hub-Lo, Région Sud) share: hand-typed text, no schema.

Their cleaners (phones, e-mails, sites, services typed by hand) and `RawPlaceMapper`, the base of their mappers:
a record with no name, or with the same name and coordinates as an earlier record of the file, is set aside with a
reason (counted in the import summary), and a source with no identifier gets a stable digest of what makes a record
unique in its file. Their coordinates are checked against the address before placement (`coordinates.py`).
"""

from __future__ import annotations

import hashlib
import re

from territories.importers.mapping import JsonPlaceMapper, PlaceRecord, Record, clean_website
from territories.text import normalize_search

DUPLICATE = "doublon d'une fiche précédente du fichier (même nom, mêmes coordonnées)"

NO_NAME = "sans nom"


def compact(text: str) -> str:
    """Collapse runs of spaces/tabs, keep one line break between non-empty lines."""
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in str(text).splitlines())
    return "\n".join(line for line in lines if line)


def one_line(text: str) -> str:
    return compact(text).replace("\n", " ")


def email(text: str) -> str:
    for part in re.split(r"[\s;,|]+", text or ""):
        if "@" in part and "." in part.split("@")[-1]:
            return part[:200]
    return ""


def site(text: str) -> str:
    text = (text or "").strip()
    if text.lower().startswith("www."):
        text = "https://" + text
    elif text.lower().startswith(("http://", "https://")):
        scheme, rest = text.split("://", 1)
        text = f"{scheme.lower()}://{rest}"
    return clean_website(text)


def phone(*values: str) -> str:
    seen: list[str] = []
    for value in values:
        value = compact(value).replace("\n", " ")
        digits = re.sub(r"\D", "", value)
        if value and digits and digits not in [re.sub(r"\D", "", s) for s in seen]:
            seen.append(value)
    return " / ".join(seen)[:60]


def split_outside_parentheses(text: str, separator: str = ",") -> list[str]:
    parts, depth, current = [], 0, []
    for char in text:
        if char in "([":
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
        if char == separator and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip(" .") for p in parts if p.strip(" .")]


def join_services(values: list[str]) -> str:
    out: list[str] = []
    for item in values:
        item = re.sub(r"\s+", " ", item).strip()
        item = item[:1].upper() + item[1:]
        if item and item.lower() not in (o.lower() for o in out):
            out.append(item)
    return "; ".join(out)


def yes(value: str) -> bool:
    return value.strip().lower() in ("oui", "true", "1", "yes")


def phones(*columns: str):
    return lambda r: phone(*(r.text(c) for c in columns))


def emails(column: str):
    return lambda r: email(r.text(column))


def sites(column: str):
    return lambda r: site(r.text(column))


def compacted(column: str):
    return lambda r: one_line(r.text(column))


def renamed(mapping: dict[str, str]):
    """{label: compacted text} for the columns of `mapping` (column -> label) that have a value (for `details`)."""
    return lambda r: {label: compact(r.text(c)) for c, label in mapping.items() if r.text(c)}


def duplicate_key(place: PlaceRecord) -> tuple:
    """Same name (normalised) + same coordinates (≈ 1 m); without coordinates, same postcode and address."""
    if place.lat is not None:
        return (normalize_search(place.name), round(place.lat, 5), round(place.lon, 5))
    return (normalize_search(place.name), place.postcode, normalize_search(place.address))


class RawPlaceMapper(JsonPlaceMapper):
    """Base of the raw regional exports: records with no name, and repeated records, are set aside."""

    check_coordinates = True

    def accept(self, place: PlaceRecord, record: Record, state: dict) -> str | None:
        if not place.name:
            return NO_NAME
        key = duplicate_key(place)
        seen = state.setdefault("seen", set())
        if key in seen:
            return DUPLICATE
        seen.add(key)
        if not place.source_ref:  # no identifier in the source: a digest of what makes the record unique
            place.source_ref = hashlib.sha1("|".join(map(str, key)).encode()).hexdigest()[:16]
        return None
