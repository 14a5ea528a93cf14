"""Commune search of the public pages: by name (case, accent and hyphen insensitive), postcode or INSEE code.

The postcode index is held per process and rebuilt when the imported data change (territories.selectors.data_version).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When

from territories.models import Commune
from territories.selectors import data_version
from territories.text import normalize_search
from territories.vocabulary import CODE_PREFIX_RE

_CODE_QUERY_RE = CODE_PREFIX_RE

SUGGESTION_LIMIT = 8
RESULT_LIMIT = 30

# Common abbreviations typed by users.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


@dataclass
class SearchResult:
    communes: list[Commune]
    truncated: bool
    kind: str  # "name", "code" or "empty"


def search_communes(query: str, limit: int = RESULT_LIMIT) -> SearchResult:
    """Communes matching a name (case, accent and hyphen insensitive), a postcode or an INSEE code.

    Ranking: exact match first, then names starting with the query, then a word starting with it, then any match;
    within a rank, the most populated commune first.
    """
    raw = (query or "").strip()
    qs = Commune.objects.select_related("departement").only(
        "insee", "name", "population", "postcodes", "departement__code", "departement__name"
    )
    compact = raw.replace(" ", "").upper()
    if _CODE_QUERY_RE.match(compact):
        code = compact
        postcodes = _postcode_index()
        exact_postcode = postcodes.communes(code) if len(code) == 5 else []
        matching_postcode = exact_postcode if len(code) == 5 else postcodes.communes_with_prefix(code)
        insee_condition = Q(insee=code) if len(code) == 5 else _prefix_condition(code, "insee")
        qs = qs.filter(insee_condition | Q(insee__in=matching_postcode)).annotate(
            rank=Case(
                When(insee=code, then=Value(0)),
                When(insee__in=exact_postcode, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        kind = "code"
    else:
        tokens = [_ABBREVIATIONS.get(token, token) for token in normalize_search(raw).split()]
        if not tokens:
            return SearchResult([], False, "empty")
        phrase = " ".join(tokens)
        # Fast path: when more than `limit` names start with the phrase, they are the whole answer (they outrank
        # every other match) and an index finds them without scanning the 35 000 names.
        ordering = ("rank", F("population").desc(nulls_last=True), "name", "insee")
        prefix_rows = list(
            qs.filter(_prefix_condition(phrase))
            .annotate(rank=Case(When(search_name=phrase, then=Value(0)), default=Value(1), output_field=IntegerField()))
            .order_by(*ordering)[: limit + 1]
        )
        if len(prefix_rows) > limit:
            return SearchResult(prefix_rows[:limit], True, "name")
        condition = Q()
        for token in tokens:
            condition &= Q(search_name__contains=token)
        qs = qs.filter(condition).annotate(
            rank=Case(
                When(search_name=phrase, then=Value(0)),
                When(search_name__startswith=phrase, then=Value(1)),
                When(search_name__contains=" " + phrase, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        kind = "name"
    rows = list(qs.order_by("rank", F("population").desc(nulls_last=True), "name", "insee")[: limit + 1])
    return SearchResult(rows[:limit], len(rows) > limit, kind)


class _PostcodeIndex:
    """Postcode -> INSEE codes, held per process and rebuilt when the data version changes (Commune.postcodes is a
    "18240|18300" text: a LIKE '%…%' would scan every commune)."""

    def __init__(self, version: str, rows):
        index: dict[str, list[str]] = {}
        for insee, text in rows:
            for postcode in text.split("|"):
                if postcode:
                    index.setdefault(postcode, []).append(insee)
        self.version = version
        self.index = index
        self.keys = sorted(index)

    def communes(self, postcode: str) -> list[str]:
        return self.index.get(postcode, [])

    def communes_with_prefix(self, prefix: str) -> list[str]:
        start = bisect.bisect_left(self.keys, prefix)
        found: list[str] = []
        for key in self.keys[start:]:
            if not key.startswith(prefix):
                break
            found.extend(self.index[key])
        return found


_postcodes: _PostcodeIndex | None = None


def _postcode_index() -> _PostcodeIndex:
    global _postcodes
    version = data_version()
    if _postcodes is None or _postcodes.version != version:
        rows = Commune.objects.exclude(postcodes="").values_list("insee", "postcodes").iterator(chunk_size=5000)
        _postcodes = _PostcodeIndex(version, rows)
    return _postcodes


def _prefix_condition(phrase: str, field: str = "search_name") -> Q:
    """`field` (search_name or insee) starts with `phrase`, in a form the database can answer from its index.

    PostgreSQL: LIKE 'x%' uses the varchar_pattern_ops index Django creates for db_index fields. SQLite only uses an
    index for LIKE with a NOCASE column, so use a range instead: normalized names and codes only hold [0-9A-Za-z ],
    all below chr(127), so [phrase, phrase + chr(127)) holds exactly the values starting with phrase (binary
    collation)."""
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__gte": phrase, f"{field}__lt": phrase + chr(127)})
    return Q(**{f"{field}__startswith": phrase})
