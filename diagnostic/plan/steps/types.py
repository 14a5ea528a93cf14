"""What a step is: a `Condition` on the facts with what it reads, a candidate `Step`, and the `PlanStep` the plan
shows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from diagnostic.plan.facts import PlanFacts
from diagnostic.plan.links import LINKS, Link
from diagnostic.plan.reads import Reads

MIN_STEPS = 2
MAX_STEPS = 6


@dataclass(frozen=True)
class Condition:
    """A test on the facts, with what it reads."""

    test: Callable[[PlanFacts], bool]
    reads: Reads

    def __call__(self, facts: PlanFacts) -> bool:
        return self.test(facts)


ALWAYS = Condition(lambda facts: True, Reads())


@dataclass(frozen=True)
class Step:
    """A candidate step. `links`: keys of `diagnostic.plan.links.LINKS`; `partner`: a kind of place whose nearest
    one the text names (`{partner}`, `{distance}`) and whose contact the plan shows beside the step."""

    text: str
    when: Condition = ALWAYS
    links: tuple[str, ...] = ()
    partner: str = ""

    @property
    def generic(self) -> bool:
        return self.when is ALWAYS

    @property
    def reads(self) -> Reads:
        """What the condition reads, the Hub's name when the text names the Hub, the nearest place of the partner's
        kind, and the département's code when a link is the département's page."""
        reads = self.when.reads
        if "{hub}" in self.text or "{au_hub}" in self.text:
            reads |= Reads(data=("hub_name",))
        if self.partner:
            reads |= Reads(data=(f"access.{self.partner}",))
        if any(LINKS[key].per_departement for key in self.links):
            reads |= Reads(data=("departement_code",))
        return reads


@dataclass(frozen=True)
class PlanStep:
    """A step as the plan shows it: its text, its official links, and the contact of the partner it names."""

    text: str
    links: tuple[Link, ...] = ()
    partner_contact: str = ""

    def __str__(self) -> str:
        return self.text

    @property
    def plain(self) -> str:
        """One line for the CSV: the text, the partner's contact and the links' URLs."""
        extra = [self.partner_contact] if self.partner_contact else []
        extra += [f"{link.label} : {link.url}" for link in self.links]
        return self.text + "".join(f" — {e}" for e in extra)
