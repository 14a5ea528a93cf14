"""Postcode and town of each place checked against the COG, before the places are written.

A record's postcode and town *disagree* when the town names current communes none of which has that postcode, while
the postcode is a real one of other communes (e.g. "18300 Cestas": 18300 is Saint-Satur's, Cestas is in Gironde).
The record's INSEE code or coordinates (the commune the place was put in) settle it when they agree with one side:
- they agree with the postcode: the town is replaced by the commune's name;
- they agree with the town: the postcode is replaced by the commune's, when it has only one;
- otherwise the record is flagged (`address_check = flagged`): shown with a warning, left out of plans and of the
  access figures. Both counts go to the import summary.
CEDEX postcodes and towns that are no current commune (lieux-dits, former communes) are not disagreements.
"""

from __future__ import annotations

import re

from territories.formatting import agree, plural
from territories.importers.base import Summary
from territories.importers.mapping import PlaceRecord
from territories.importers.placement import CommuneLocator
from territories.models import Place
from territories.text import normalize_search

ABBREVIATIONS = [(re.compile(r"\bst\b"), "saint"), (re.compile(r"\bste\b"), "sainte")]
CEDEX_RE = re.compile(r"\bcedex\b.*$")


def town_key(text: str) -> str:
    """A town as written in an address, normalised for comparison with commune names ("St Priest Cedex 2")."""
    text = CEDEX_RE.sub("", normalize_search(text)).strip()
    for pattern, full in ABBREVIATIONS:
        text = pattern.sub(full, text)
    return text.replace(" ", "")


class CogIndex:
    """Current communes of the COG by town key and by postcode (the whole of France, loaded or not)."""

    def __init__(self, communes: dict[str, dict]):
        self.names = {code: c["name"] for code, c in communes.items()}
        self.postcodes = {code: [p for p in c.get("postcodes", "").split("|") if p] for code, c in communes.items()}
        self.by_town: dict[str, set[str]] = {}
        self.by_postcode: dict[str, set[str]] = {}
        for code, c in communes.items():
            self.by_town.setdefault(town_key(c["name"]), set()).add(code)
            for postcode in self.postcodes[code]:
                self.by_postcode.setdefault(postcode, set()).add(code)

    def disagreement(self, postcode: str, city: str) -> tuple[set[str], set[str]] | None:
        """(communes of the town, communes of the postcode) when they have none in common, else None."""
        towns = self.by_town.get(town_key(city), set()) if city else set()
        codes = self.by_postcode.get(postcode, set()) if postcode else set()
        if towns and codes and not towns & codes:
            return towns, codes
        return None


def evidence(record: PlaceRecord, locator: CommuneLocator) -> str | None:
    """The commune the record's own INSEE code or coordinates give (not its postcode and town)."""
    if record.insee:
        return locator.by_code(record.insee)
    if record.lat is not None:
        return locator.by_points([record.lat], [record.lon])[0]
    return None


def check_rows(
    *, rows: dict, records: list[PlaceRecord], cog: CogIndex, locator: CommuneLocator, summary: Summary
) -> dict:
    """Correct or flag, in `rows` (source_ref -> Place field values), the places whose postcode and town disagree."""
    by_ref = {rec.source_ref[:120]: rec for rec in records}
    corrected = flagged = 0
    for ref, row in rows.items():
        row["address_check"], row["address_note"] = "", ""
        found = cog.disagreement(row["postcode"], row["city"])
        if found is None:
            continue
        towns, postcodes = found
        code = evidence(by_ref[ref], locator)
        written = f"{row['postcode']} {row['city']}"
        if code and code == row["commune_id"] and code in postcodes:
            row["city"] = cog.names[code][:200]
            note = f"commune corrigée : la source indique « {written} », le code postal et la position désignent "
            row["address_note"] = note + cog.names[code]
        elif code and code == row["commune_id"] and code in towns and len(cog.postcodes[code]) == 1:
            row["postcode"] = cog.postcodes[code][0]
            row["address_note"] = f"code postal corrigé : la source indique « {written} »"
        else:
            row["address_check"] = Place.AddressCheck.FLAGGED
            row["address_note"] = f"la source indique « {written} » : code postal et commune incohérents"
            flagged += 1
            continue
        row["address_check"] = Place.AddressCheck.CORRECTED
        corrected += 1
    summary.notes.append(
        "code postal et commune en désaccord avec le COG : "
        f"{plural(corrected, 'fiche corrigée', 'fiches corrigées')} d'après le code INSEE ou les coordonnées, "
        f"{plural(flagged, 'fiche signalée', 'fiches signalées')} ({agree(flagged, 'écartée', 'écartées')} des plans)"
    )
    return rows
