"""The territories' vocabulary, defined once: INSEE and département code patterns, IFN labels, classes and colours.

Every other module imports from here (a test fails if a hand-made INSEE pattern reappears elsewhere). The colours are
also written in static/css/territories.css (`.ifn-class-N`), which cannot import them: a test keeps both in sync.

IFN classes: five equal-width classes on La Mednum's IFN total (1–10, 10 = most fragile): [1; 2,8), [2,8; 4,6),
[4,6; 6,4), [6,4; 8,2), [8,2; 10]. Class 0 = no value: a missing total, or one below the scale (the source publishes 0
for a known gap; no real total lies between 0 and 1).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from territories.formatting import decimal

# A commune's INSEE code (COG): 5 digits, or 2A/2B then 3 digits for Corsica.
INSEE_PATTERN = r"\d{5}|2[AB]\d{3}"
INSEE_RE = re.compile(rf"^(?:{INSEE_PATTERN})$")
# A département code: 2 digits, 2A/2B, or 3 digits overseas.
DEPARTEMENT_PATTERN = r"\d{2,3}|2[AB]"
DEPARTEMENT_RE = re.compile(rf"^(?:{DEPARTEMENT_PATTERN})$")
# A région code (COG): 2 digits.
REGION_RE = re.compile(r"^\d{2}$")
# The start of a code typed in the search box: 2 to 5 digits, or 2A/2B and up to 3 digits.
CODE_PREFIX_RE = re.compile(r"^(?:\d{2,5}|2[AB]\d{0,3})$")

IFN_LABELS = {
    "total": "Indice de fragilité numérique (total)",
    "no_thd_coverage": "Absence de couverture en très haut débit",
    "no_4g_coverage": "Absence de couverture 4G",
    "poverty": "Taux de pauvreté",
    "older_65": "Part des personnes de 65 ans et plus",
    "low_diploma": "Part des personnes peu ou pas diplômées",
}
IFN_HELP = {
    "total": "Moyenne des cinq indicateurs ci-dessous.",
    "no_thd_coverage": "Logements non couverts par le très haut débit fixe (ARCEP).",
    "no_4g_coverage": "Territoire non couvert en 4G (ARCEP).",
    "poverty": "Taux de pauvreté (INSEE, Filosofi).",
    "older_65": "Part de la population âgée de 65 ans ou plus (INSEE, recensement).",
    "low_diploma": "Part des 15 ans ou plus sans diplôme ou peu diplômés (INSEE, recensement).",
}

NO_CLASS_LABEL = "donnée absente"
SCALE_MAX = 10.0

# Fill colours of class 0 (no value) to 5: public maps, dashboard map, PDF map (and static/css/territories.css).
CLASS_COLOURS = ("#d9d9d9", "#ffffb2", "#fecc5c", "#fd8d3c", "#e8502d", "#a50026")


class IfnClass(NamedTuple):
    low: float  # inclusive
    high: float  # exclusive, except for the last class (up to 10 included)
    label: str

    @property
    def number(self) -> int:
        return IFN_CLASSES.index(self) + 1

    @property
    def is_last(self) -> bool:
        return self.number == len(IFN_CLASSES)

    @property
    def colour(self) -> str:
        return CLASS_COLOURS[self.number]

    @property
    def range_text(self) -> str:
        """ "2,8 à moins de 4,6", "8,2 à 10" for the last class."""
        upper = decimal(SCALE_MAX, 0) if self.is_last else f"moins de {decimal(self.high)}"
        return f"{decimal(self.low)} à {upper}"


IFN_CLASSES = (
    IfnClass(1.0, 2.8, "très peu fragile"),
    IfnClass(2.8, 4.6, "peu fragile"),
    IfnClass(4.6, 6.4, "moyennement fragile"),
    IfnClass(6.4, 8.2, "fragile"),
    IfnClass(8.2, SCALE_MAX, "très fragile"),
)


def ifn_class(value: float | None) -> int:
    """1..5 for an IFN total, 0 when missing (None, or below the 1–10 scale: the source's 0 for a gap)."""
    if value is None or value < IFN_CLASSES[0].low:
        return 0
    for number, klass in enumerate(IFN_CLASSES, start=1):
        if value < klass.high:
            return number
    return len(IFN_CLASSES)


def ifn_class_label(number: int) -> str:
    return IFN_CLASSES[number - 1].label if number else NO_CLASS_LABEL


def legend() -> list[dict]:
    """The map legends' classes (public map, plan page): index, bounds, range text, label, colour."""
    return [
        {
            "index": c.number,
            "low": c.low,
            "high": c.high,
            "range": c.range_text,
            "label": c.label,
            "colour": c.colour,
        }
        for c in IFN_CLASSES
    ]
