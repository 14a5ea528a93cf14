"""The types of the plan rules: what a rule is, what it finds, and what a measure's assessment is.

Statuses (`diagnostic.enums.RuleStatus`) and points:
- NEED (2 points): the rule finds a clear need for the measure;
- PARTIAL (1 point): a partial need;
- MET (0 points): nothing to do on this point;
- UNKNOWN_STATUS: the answer is "Je ne sais pas" or missing — never read as "no": the rule is left out of the score
  and the confidence of the measure drops;
- MISSING: the open-data figure is absent — no figure is invented: the rule is left out and the confidence drops.

Priority (`diagnostic.enums.Priority`) and confidence (`diagnostic.enums.Confidence`) of a measure: see `engine.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from diagnostic.enums import Confidence, Priority, RuleStatus
from diagnostic.plan.facts import PlanFacts
from diagnostic.plan.reads import Reads
from diagnostic.plan.rules.thresholds import CONFIDENCE_FAIR, CONFIDENCE_GOOD

NEED = RuleStatus.NEED
PARTIAL = RuleStatus.PARTIAL
MET = RuleStatus.MET
UNKNOWN_STATUS = RuleStatus.UNKNOWN
MISSING = RuleStatus.MISSING
POINTS = {NEED: 2, PARTIAL: 1, MET: 0}


@dataclass(frozen=True)
class Finding:
    rule: str
    measure: int
    status: str
    text: str

    @property
    def points(self) -> int | None:
        return POINTS.get(self.status)

    @property
    def counted(self) -> bool:
        return self.status in POINTS

    @property
    def status_label(self) -> str:
        return RuleStatus(self.status).label


@dataclass(frozen=True, kw_only=True)
class Rule:
    """A named rule: `check(facts)` returns (status, data); `explain(status, data)` the plain-words reason.

    `reads` declares the questions and data fields the check reads; `need`, `partial` and `met` say, for the
    documentation, when the rule finds each status (built from the thresholds).
    """

    code: str
    measure: int
    title: str
    reads: Reads
    need: str
    partial: str
    met: str
    check: Callable[[PlanFacts], tuple[str, dict]]
    explain: Callable[[str, dict], str]

    def evaluate(self, facts: PlanFacts) -> Finding:
        status, data = self.check(facts)
        return Finding(self.code, self.measure, status, self.explain(status, data))


@dataclass(frozen=True)
class MeasureAssessment:
    measure: int
    priority: str
    points: int
    possible: int
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    evaluated: int = 0
    rules: int = 0

    @property
    def priority_label(self) -> str:
        return Priority(self.priority).label

    @property
    def confidence(self) -> str:
        share = self.evaluated / self.rules if self.rules else 0
        if share >= CONFIDENCE_GOOD:
            return Confidence.GOOD
        return Confidence.FAIR if share >= CONFIDENCE_FAIR else Confidence.LOW

    @property
    def confidence_label(self) -> str:
        return Confidence(self.confidence).label

    @property
    def reasons(self) -> tuple[Finding, ...]:
        """Needs first, then partial needs, what is acquired, and finally what could not be evaluated."""
        order = {NEED: 0, PARTIAL: 1, MET: 2, UNKNOWN_STATUS: 3, MISSING: 4}
        return tuple(sorted(self.findings, key=lambda f: order[f.status]))

    @property
    def not_evaluated(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.counted)
