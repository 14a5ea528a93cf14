"""The helpers every step condition is built from; each declares what it reads (`Reads`).

"Je ne sais pas" is never read as "no": `unknown()` gives a step to find out, and `answer_not()` keeps a step proposed
when the answer is unknown or missing.
"""

from __future__ import annotations

from diagnostic.plan.facts import MEDIATION
from diagnostic.plan.reads import Reads
from diagnostic.plan.rules.thresholds import PARTNER_NEAR_KM
from diagnostic.plan.steps.types import Condition
from diagnostic.questionnaire.scoring import is_known


def answer_is(key, *values):
    return Condition(lambda facts: facts.answer(key) in values, Reads(questions=(key,)))


def answer_not(key, *values):
    """True unless the answer is one of `values` (an unknown or missing answer keeps the step proposed)."""
    return Condition(lambda facts: facts.answer(key) not in values, Reads(questions=(key,)))


def fewer_than(key, count):
    """True unless the MULTIPLE answer lists at least `count` real choices."""

    def condition(facts):
        value = facts.answer(key)
        chosen = [v for v in value if v not in ("none", "unknown")] if isinstance(value, list) else []
        return len(chosen) < count

    return Condition(condition, Reads(questions=(key,)))


def has_choice(key, value):
    """True when the MULTIPLE answer lists `value`."""
    return Condition(lambda facts: isinstance(v := facts.answer(key), list) and value in v, Reads(questions=(key,)))


def unknown(key):
    """True when the answer is "Je ne sais pas" or missing: the step finds out, never assumes "no"."""
    return Condition(lambda facts: not is_known(facts.answer(key)), Reads(questions=(key,)))


def below(key, limit):
    """True when the NUMBER answer is known and below `limit`."""
    return Condition(lambda facts: is_known(v := facts.answer(key)) and int(v) < limit, Reads(questions=(key,)))


def above(key, limit):
    """True when the NUMBER answer is known and above `limit`."""
    return Condition(lambda facts: is_known(v := facts.answer(key)) and int(v) > limit, Reads(questions=(key,)))


def partner_near(kind):
    """True when the nearest place of `kind` lies within PARTNER_NEAR_KM."""
    return Condition(
        lambda facts: (
            (a := facts.access.get(kind)) is not None and a.nearest_km is not None and a.nearest_km <= PARTNER_NEAR_KM
        ),
        Reads(data=(f"access.{kind}",)),
    )


def no_partner_near(kind):
    """True unless a place of `kind` lies within PARTNER_NEAR_KM (also when the data is absent)."""
    near = partner_near(kind)
    return Condition(lambda facts: not near(facts), near.reads)


def any_of(*conditions):
    reads = Reads()
    for c in conditions:
        reads |= c.reads

    def condition(facts):
        results = [c(facts) for c in conditions]  # each one evaluated: what the condition reads does not vary
        return any(results)

    return Condition(condition, reads)


def size_in(*sizes):
    return Condition(lambda facts: facts.size in sizes, Reads(data=("population",)))


def all_of(*conditions):
    reads = Reads()
    for c in conditions:
        reads |= c.reads
    return Condition(lambda facts: all(c(facts) for c in conditions), reads)


ANY_UNKNOWN_ANSWER = Condition(
    lambda facts: any(v == "unknown" or (isinstance(v, list) and "unknown" in v) for v in facts.answers.values()),
    Reads(data=("answers",)),
)
NO_MEDIATION_WITHIN_10KM = Condition(
    lambda facts: (a := facts.access.get(MEDIATION)) is not None and a.within_10km == 0,
    Reads(data=("access.mediation",)),
)


GAPS_OR_COMPLAINTS = any_of(
    answer_is("co_fixed_gaps", "some", "many"),
    answer_is("co_mobile_gaps", "some", "many"),
    answer_is("co_complaints", "often", "sometimes"),
)
HAS_ONLINE_PROCEDURES = answer_not("ac_online_procedures", ["none"])
