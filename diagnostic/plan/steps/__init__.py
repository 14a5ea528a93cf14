"""Concrete next steps for each measure: 2 to 6 per measure, adapted to the commune's size, answers and neighbours.

Each measure has a list of candidate steps, each with a condition on the facts; the first ones that apply are kept
(at most `MAX_STEPS`), and generic steps (no condition) fill up to `MIN_STEPS`: every measure has at least
`MIN_STEPS` generic steps, so a step that the answers contradict is never proposed.

A step never proposes what is already there: when a place of the right kind lies within `PARTNER_NEAR_KM`, the step
orients towards it by name and distance, with its contact ("Orienter vers X (à 0,8 km)"), instead of asking the
commune to do the same thing itself. "Je ne sais pas" is never read as "no": it gives a step to find out.
Programmes and resources are cited from `diagnostic.plan.links` (label, official URL, what it brings, last check).

Every condition is built from the helpers of `conditions.py`, which declare what they read (`Reads`): `Step.reads`
is what a step reads, and `diagnostic.plan.selectors.questions_read()` the questions read by the rules and steps.

- `types.py`: `Condition`, `Step`, `PlanStep`, `MIN_STEPS`, `MAX_STEPS`;
- `conditions.py`: the condition helpers, each declaring what it reads;
- `measure1.py` … `measure5.py`: each measure's candidate steps, each declared next to its condition;
- `engine.py`: `STEPS` (measure number → steps) and `next_steps()`.
"""

from diagnostic.plan.steps.engine import STEPS, _render, next_steps
from diagnostic.plan.steps.types import ALWAYS, MAX_STEPS, MIN_STEPS, Condition, PlanStep, Step

__all__ = ["ALWAYS", "MAX_STEPS", "MIN_STEPS", "STEPS", "Condition", "PlanStep", "Step", "_render", "next_steps"]
