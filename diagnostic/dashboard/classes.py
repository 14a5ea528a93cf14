"""Named classes and thresholds of the Hub coordinators' dashboard.

IFN classes
    The five classes of the public pages (territories.vocabulary.IFN_CLASSES), so that a commune has the same class
    everywhere: equal-width classes on La Mednum's IFN total (1–10, 10 = most fragile): [1; 2.8), [2.8; 4.6),
    [4.6; 6.4), [6.4; 8.2), [8.2; 10]. Totals published empty or 0 (a known gap of the source) have no class.

Population bands (used to choose similar communes)
    < 500, 500–1 999, 2 000–4 999, 5 000–19 999, ≥ 20 000 inhabitants (population municipale).

Alerts
    - "Fragile, low local capacity": IFN total ≥ FRAGILE_IFN_THRESHOLD = 7.4, the most fragile fifth of communes
      nationally (80th percentile of the 2026 published totals, 35 000 communes), and a diagnostic of the
      year whose mean section score (local capacity, 0–100, see diagnostic/questionnaire/scoring.py) is below
      LOW_CAPACITY_SCORE = 40, counted only when at least MIN_SCORED_SECTIONS = 3 of the five sections have a
      score (otherwise the capacity is not known yet).
    - "Fragile, no diagnostic": IFN total ≥ FRAGILE_IFN_THRESHOLD and no diagnostic (draft or submitted) that year.

Map
    One département at a time (the département filter, else the first département of the territory): the
    simplified, cached contours of territories.maps.departement_layer coloured by IFN class, and a mark at each
    commune's centroid for its diagnostic of the year. A whole région (hundreds to thousands of contours) is never
    sent to the browser; the table covers it.

Similar communes
    Same IFN class and same population band, in the same département; completed from the same région when fewer
    than SIMILAR_MIN are found; at most SIMILAR_MAX shown, closest population first.
"""

from __future__ import annotations

from dataclasses import dataclass

from territories import vocabulary
from territories.formatting import number


@dataclass(frozen=True)
class Band:
    number: int
    label: str
    lower: float | None  # inclusive, None = no lower bound
    upper: float | None  # exclusive, None = no upper bound

    def contains(self, value) -> bool:
        if value is None:
            return False
        return (self.lower is None or value >= self.lower) and (self.upper is None or value < self.upper)

    def q(self, field: str):
        """A Q object on `field` for this band."""
        from django.db.models import Q

        q = Q()
        if self.lower is not None:
            q &= Q(**{f"{field}__gte": self.lower})
        if self.upper is not None:
            q &= Q(**{f"{field}__lt": self.upper})
        return q


# The five classes of territories.vocabulary as bands (a label with its range, a filter on the total).
IFN_CLASSES: tuple[Band, ...] = tuple(
    Band(c.number, f"{c.label} ({c.range_text})", c.low, None if c.is_last else c.high) for c in vocabulary.IFN_CLASSES
)
IFN_CLASS_BY_NUMBER = {c.number: c for c in IFN_CLASSES}

POPULATION_BANDS: tuple[Band, ...] = (
    Band(1, f"moins de {number(500)} habitants", None, 500),
    Band(2, f"{number(500)} à {number(1999)} habitants", 500, 2000),
    Band(3, f"{number(2000)} à {number(4999)} habitants", 2000, 5000),
    Band(4, f"{number(5000)} à {number(19999)} habitants", 5000, 20000),
    Band(5, f"{number(20000)} habitants et plus", 20000, None),
)

FRAGILE_IFN_THRESHOLD = 7.4
LOW_CAPACITY_SCORE = 40
MIN_SCORED_SECTIONS = 3
ALERT_LIST_LIMIT = 15

SIMILAR_MIN = 5
SIMILAR_MAX = 8

PAGE_SIZE = 50


def band_of(bands: tuple[Band, ...], value) -> Band | None:
    return next((b for b in bands if b.contains(value)), None)


def ifn_class_of(total) -> Band | None:
    """The band of an IFN total: the class of the public pages (territories.vocabulary.ifn_class), None without one."""
    return IFN_CLASS_BY_NUMBER.get(vocabulary.ifn_class(total))


def population_band_of(population) -> Band | None:
    return band_of(POPULATION_BANDS, population)
