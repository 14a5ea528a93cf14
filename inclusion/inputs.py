"""Input hygiene in one place: which characters a request may carry, numbers as a person types them in French,
dates within a sensible range.

- `invalid_character(text)`: the first character no form accepts (NUL and the other C0 controls except tab, line feed
  and carriage return, lone surrogates, the non-characters U+FFFE/U+FFFF), or None. `InputHygieneMiddleware`
  answers 400 when the path or any GET/POST name or value carries one, before any view or database sees it.
- `parse_integer` / `parse_decimal`: ASCII digits only (no `1_0`, no Arabic-Indic or full-width digits), an optional
  sign, spaces (also non-breaking) between groups of three digits ("1 234"), a decimal comma or point ("12,5").
- `FrenchIntegerField`, `FrenchDecimalField`, `BoundedDateField`: the form fields built on them.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

_INVALID_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Spaces a person (or a French number format) puts between thousands: space, no-break space, narrow no-break space.
_GROUP_SPACES = " \u00a0\u202f"
_NUMBER = re.compile(
    rf"(?P<sign>[+-]?)(?P<int>[0-9]{{1,3}}(?:[{_GROUP_SPACES}][0-9]{{3}})+|[0-9]+)(?:[.,](?P<frac>[0-9]+))?",
    re.ASCII,
)

MIN_DATE = datetime.date(2000, 1, 1)
MAX_DATE = datetime.date(2100, 12, 31)


def invalid_character(text: str) -> str | None:
    match = _INVALID_CHARACTERS.search(text)
    return match.group() if match else None


def _match_number(text: str) -> re.Match:
    match = _NUMBER.fullmatch(str(text).strip(_GROUP_SPACES + "\t"))
    if match is None:
        raise ValueError(f"not a number as typed in French: {text!r}")
    return match


def parse_integer(text: str) -> int:
    """'1 234' -> 1234; raises ValueError for '1_0', '١٢', '１２', '12,5', '1e3'."""
    match = _match_number(text)
    if match["frac"] is not None and set(match["frac"]) != {"0"}:
        raise ValueError(f"not a whole number: {text!r}")
    digits = re.sub(f"[{_GROUP_SPACES}]", "", match["int"])
    return int(match["sign"] + digits)


def parse_decimal(text: str) -> Decimal:
    """'12,5' -> Decimal('12.5'); '1 234,5' -> Decimal('1234.5')."""
    match = _match_number(text)
    digits = re.sub(f"[{_GROUP_SPACES}]", "", match["int"])
    try:
        return Decimal(f"{match['sign']}{digits}.{match['frac'] or '0'}")
    except InvalidOperation as error:  # pragma: no cover - the pattern only lets digits through
        raise ValueError(text) from error


class FrenchIntegerField(forms.IntegerField):
    """An integer typed as a person types it in French (see parse_integer)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        try:
            return parse_integer(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class FrenchDecimalField(forms.DecimalField):
    """A decimal number typed as a person types it in French (see parse_decimal)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_decimal(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class BoundedDateField(forms.DateField):
    """A date between MIN_DATE and MAX_DATE (a target date of 1900 or 9999 is a typing slip, not a plan)."""

    default_error_messages = {
        "invalid": "Indiquez une date valide, par exemple 31/12/2027.",
        "out_of_range": (f"Indiquez une date entre le {MIN_DATE:%d/%m/%Y} et le {MAX_DATE:%d/%m/%Y}."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.widget, forms.DateInput) and self.widget.input_type == "date":
            self.widget.attrs.setdefault("min", MIN_DATE.isoformat())
            self.widget.attrs.setdefault("max", MAX_DATE.isoformat())

    def validate(self, value):
        super().validate(value)
        if value is not None and not MIN_DATE <= value <= MAX_DATE:
            raise ValidationError(self.error_messages["out_of_range"], code="out_of_range")
