"""French formatting, the one place where numbers, distances, plurals, dates and spreadsheet cells are written.

Used by the templates (filters of `territories/templatetags/fr.py`: `{% load fr %}`), the plan's rules and PDF, the SVG
map, the exports and the e-mails. It lives in `territories`, the lowest layer (territories ← inclusion ← diagnostic),
so that every app may import it; it imports nothing from the project.

Conventions (as a mairie writes them):
- decimal comma ("7,8"), thousands separated by a no-break space U+00A0 ("1 397"), the separator of Django's French
  locale, so that figures formatted here and by `floatformat:"0g"` in templates look the same;
- a missing value is "—" (MISSING) unless the caller says otherwise ("donnée absente" in sentences);
- plurals follow French: singular for 0 and 1 (and anything below 2: "1,5 km" but "0 lieu"), plural from 2.
"""

from __future__ import annotations

import datetime as dt

NBSP = "\u00a0"
MISSING = "—"

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

# A cell starting with one of these is read as a formula by spreadsheet software (CSV/formula injection, OWASP), also
# after leading spaces, and in their full-width forms that some software folds to ASCII.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")

_FRENCH_DIGITS = str.maketrans({",": NBSP, ".": ","})


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _coerce(value):
    """A number from an int, float, Decimal or numeric string; None when it is not a number."""
    if value is None or value == "":
        return None
    if _is_number(value):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def number(value, digits: int = 1, *, missing: str = MISSING) -> str:
    """French number, decimals only when needed: 7.8 -> "7,8", 9.0 -> "9", 12345 -> "12 345", -1234.5 -> "-1 234,5"."""
    value = _coerce(value)
    if value is None:
        return missing
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}".translate(_FRENCH_DIGITS)
    rounded = round(float(value), digits)
    if rounded.is_integer():
        return f"{int(rounded):,}".translate(_FRENCH_DIGITS)
    return f"{rounded:,.{digits}f}".translate(_FRENCH_DIGITS)


def decimal(value, digits: int = 1, *, missing: str = MISSING) -> str:
    """French number with a fixed count of decimals (scores, indices): 9 -> "9,0", 7.84 -> "7,8"."""
    value = _coerce(value)
    if value is None:
        return missing
    return f"{float(value):,.{digits}f}".translate(_FRENCH_DIGITS)


def spreadsheet_number(value) -> str:
    """A number for a French CSV cell: decimal comma, no thousands separator (the software parses it), "" if missing."""
    value = _coerce(value)
    if value is None:
        return ""
    return str(value).replace(".", ",")


def km(value, *, missing: str = MISSING) -> str:
    """A distance to 0.1 km: 0.94 -> "0,9 km", 12.0 -> "12 km"."""
    value = _coerce(value)
    if value is None:
        return missing
    return f"{number(round(float(value), 1))} km"


def percent(value, digits: int = 1, *, missing: str = MISSING) -> str:
    """A percentage already multiplied by 100: 12.54 -> "12,5 %", 50 -> "50 %"."""
    value = _coerce(value)
    if value is None:
        return missing
    return f"{number(value, digits)} %"


def is_plural(count) -> bool:
    """French agreement: plural from 2 (0 and 1 take the singular)."""
    count = _coerce(count)
    return count is not None and abs(count) >= 2


def agree(count, singular: str, plural: str) -> str:
    """The words agreed with `count`, without the number: agree(3, "lieu", "lieux") -> "lieux"."""
    return plural if is_plural(count) else singular


def plural(count, singular: str, plural: str, *, missing: str = MISSING) -> str:
    """The number and its words agreed: plural(1, "agent formé", "agents formés") -> "1 agent formé",
    plural(3, "lieu", "lieux") -> "3 lieux", plural(0, "lieu", "lieux") -> "0 lieu"."""
    if _coerce(count) is None:
        return missing
    return f"{number(count)} {agree(count, singular, plural)}"


def _local(value: dt.datetime) -> dt.datetime:
    from django.utils import timezone

    return timezone.localtime(value) if timezone.is_aware(value) else value


def date(value, *, missing: str = MISSING) -> str:
    """A French date: "1er décembre 2026", "3 mars 2026". An aware datetime is shown in the site's time zone."""
    if value is None or value == "":
        return missing
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def date_time(value, *, missing: str = MISSING) -> str:
    """A French date and time: "1er décembre 2026 à 09 h 05" (site's time zone)."""
    if value is None or value == "":
        return missing
    value = _local(value)
    return f"{date(value)} à {value:%H} h {value:%M}"


def safe_cell(value) -> str:
    """A text for a CSV/XLSX cell that no spreadsheet reads as a formula: prefixed with an apostrophe when it starts,
    possibly after spaces, with = + - @, a tab, a line break or their full-width forms. None -> ""."""
    if value is None:
        return ""
    text = str(value)
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text
