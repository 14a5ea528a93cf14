"""The engine: evaluate every rule of a measure and combine the findings into a priority and a confidence.

Priority of a measure = points earned / (2 × number of rules that could be evaluated):
HIGH from `HIGH_RATIO`, MEDIUM from `MEDIUM_RATIO`, LOW below. With no evaluable rule at all, the priority is
MEDIUM ("à confirmer") with a low confidence. Confidence = share of the measure's rules that could be evaluated.
"""

from __future__ import annotations

from diagnostic.enums import Priority
from diagnostic.measures import MEASURES
from diagnostic.plan.facts import PlanFacts
from diagnostic.plan.rules import measure1, measure2, measure3, measure4, measure5
from diagnostic.plan.rules.thresholds import HIGH_RATIO, MEDIUM_RATIO
from diagnostic.plan.rules.types import MeasureAssessment, Rule

RULES: tuple[Rule, ...] = measure1.RULES + measure2.RULES + measure3.RULES + measure4.RULES + measure5.RULES

RULES_BY_MEASURE: dict[int, tuple[Rule, ...]] = {
    m.number: tuple(r for r in RULES if r.measure == m.number) for m in MEASURES
}


def priority_from(points: int, possible: int) -> str:
    if possible == 0:
        return Priority.MEDIUM
    ratio = points / possible
    if ratio >= HIGH_RATIO:
        return Priority.HIGH
    return Priority.MEDIUM if ratio >= MEDIUM_RATIO else Priority.LOW


def assess_measure(number: int, facts: PlanFacts) -> MeasureAssessment:
    findings = tuple(rule.evaluate(facts) for rule in RULES_BY_MEASURE[number])
    counted = [f for f in findings if f.counted]
    points = sum(f.points for f in counted)
    possible = 2 * len(counted)
    return MeasureAssessment(
        number, priority_from(points, possible), points, possible, findings, len(counted), len(findings)
    )


def assess(facts: PlanFacts) -> dict[int, MeasureAssessment]:
    """The assessment of the five measures."""
    return {m.number: assess_measure(m.number, facts) for m in MEASURES}
