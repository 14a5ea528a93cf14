"""The rules that set the priority of each of the five measures, and say why.

Every rule is small and named: it belongs to one measure, declares what it reads (questions and `PlanFacts` fields),
and returns a `Finding` with a status and a sentence in plain French that quotes the figures behind it.

- `types.py`: `Rule`, `Finding`, `MeasureAssessment`, the statuses and their points;
- `thresholds.py`: every threshold;
- `common.py`: French numbers, answer status, IFN comparison, shared by the measures;
- `measure1.py` … `measure5.py`: each measure's rules, each check and explanation next to its declaration;
- `engine.py`: `assess()` — the findings of each measure combined into a priority and a confidence;
- `doc.py`: `docs/plan-rules.md`, generated (`.venv/bin/python -m diagnostic.plan.rules > docs/plan-rules.md`).
"""

from diagnostic.plan.rules.common import fr, ifn_status, km
from diagnostic.plan.rules.doc import rules_markdown
from diagnostic.plan.rules.engine import RULES, RULES_BY_MEASURE, assess, assess_measure, priority_from
from diagnostic.plan.rules.thresholds import FAR_KM, HIGH_RATIO, IFN_HIGH, MEDIUM_RATIO, NEAR_KM, THRESHOLD_NAMES
from diagnostic.plan.rules.types import (
    MET,
    MISSING,
    NEED,
    PARTIAL,
    POINTS,
    UNKNOWN_STATUS,
    Finding,
    MeasureAssessment,
    Rule,
)

__all__ = [
    "FAR_KM",
    "HIGH_RATIO",
    "IFN_HIGH",
    "MEDIUM_RATIO",
    "MET",
    "MISSING",
    "NEAR_KM",
    "NEED",
    "PARTIAL",
    "POINTS",
    "RULES",
    "RULES_BY_MEASURE",
    "THRESHOLD_NAMES",
    "UNKNOWN_STATUS",
    "Finding",
    "MeasureAssessment",
    "Rule",
    "assess",
    "assess_measure",
    "fr",
    "ifn_status",
    "km",
    "priority_from",
    "rules_markdown",
]
