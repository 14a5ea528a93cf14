"""`next_steps()`: the steps of a measure whose condition holds (at most `MAX_STEPS`), filled up with the measure's
generic steps to `MIN_STEPS`, rendered with the Hub, the partner and the links."""

from __future__ import annotations

from diagnostic.plan.facts import PlanFacts, hub_phrase
from diagnostic.plan.links import LINKS
from diagnostic.plan.rules.common import km
from diagnostic.plan.steps import measure1, measure2, measure3, measure4, measure5
from diagnostic.plan.steps.types import MAX_STEPS, MIN_STEPS, PlanStep, Step

STEPS: dict[int, tuple[Step, ...]] = {
    1: measure1.STEPS,
    2: measure2.STEPS,
    3: measure3.STEPS,
    4: measure4.STEPS,
    5: measure5.STEPS,
}


def _render(step: Step, facts: PlanFacts) -> PlanStep:
    """The step's text with the Hub and the partner filled in, its links (the département's pages with its code),
    and the partner's contact. Reads nothing beyond what `step.reads` declares."""
    values = {}
    if "{hub}" in step.text or "{au_hub}" in step.text:
        values |= {"hub": hub_phrase(facts.hub_name), "au_hub": hub_phrase(facts.hub_name, "au")}
    contact = ""
    if step.partner:
        access = facts.access[step.partner]  # the condition checked the partner is near
        values |= {"partner": access.nearest_name, "distance": km(access.nearest_km)}
        contact = access.nearest_contact
    links = []
    for key in step.links:
        link = LINKS[key]
        if link.per_departement:
            link = link.for_departement(facts.departement_code)
        if link is not None:
            links.append(link)
    return PlanStep(step.text.format(**values), tuple(links), contact)


def next_steps(number: int, facts: PlanFacts) -> list[PlanStep]:
    """2 to 6 next steps for a measure."""
    steps = STEPS[number]
    chosen = [s for s in steps if s.when(facts)][:MAX_STEPS]
    for step in steps:  # fill up with the measure's generic steps (never one the answers contradict)
        if len(chosen) >= MIN_STEPS:
            break
        if step.generic and step not in chosen:
            chosen.append(step)
    return [_render(s, facts) for s in chosen]
