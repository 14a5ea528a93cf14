"""Measure 3: join the département's strategy and use France Numérique Ensemble.

Each rule's check (returns the status and the figures behind it) and explanation (the plain-French sentence of the
plan) sit just above its declaration.
"""

from __future__ import annotations

from diagnostic.plan.facts import hub_phrase
from diagnostic.plan.reads import Reads
from diagnostic.plan.rules.common import answer_status, unknown_text
from diagnostic.plan.rules.types import MET, NEED, PARTIAL, UNKNOWN_STATUS, Rule


def _check_fne_roadmap(facts):
    status, value = answer_status(facts, "st_fne_roadmap")
    if status:
        return status, {"value": value}
    return {"not_aware": NEED, "aware": PARTIAL, "participates": MET}.get(value, NEED), {"value": value}


def _explain_fne_roadmap(status, data):
    if status == UNKNOWN_STATUS:
        return unknown_text("st_fne_roadmap", data["value"])
    return {
        NEED: "La commune ne connaît pas la feuille de route France Numérique Ensemble de son département.",
        PARTIAL: "La commune connaît la feuille de route France Numérique Ensemble mais n'y participe pas.",
        MET: "La commune participe à la feuille de route France Numérique Ensemble de son département.",
    }[status]


FNE_ROADMAP = Rule(
    code="M3_FEUILLE_DE_ROUTE",
    measure=3,
    title="Feuille de route France Numérique Ensemble",
    reads=Reads(questions=("st_fne_roadmap",)),
    need="ne la connaît pas",
    partial="la connaît sans y participer",
    met="y participe",
    check=_check_fne_roadmap,
    explain=_explain_fne_roadmap,
)


def _check_hub_contact(facts):
    status, value = answer_status(facts, "st_hub_contact")
    data = {"value": value, "hub": facts.hub_name}
    if status:
        return status, data
    return (MET if value == "yes" else NEED), data


def _explain_hub_contact(status, data):
    if status == UNKNOWN_STATUS:
        return unknown_text("st_hub_contact", data["value"])
    hub = hub_phrase(data["hub"])
    if status == NEED:
        return f"La commune n'est pas en contact avec {hub}."
    return f"La commune est en contact avec {hub}."


HUB_CONTACT = Rule(
    code="M3_CONTACT_HUB",
    measure=3,
    title="Contact avec le Hub territorial",
    reads=Reads(questions=("st_hub_contact",), data=("hub_name",)),
    need="non",
    partial="—",
    met="oui",
    check=_check_hub_contact,
    explain=_explain_hub_contact,
)


def _check_referent(facts):
    status, value = answer_status(facts, "st_referent")
    if status:
        return status, {"value": value}
    return (MET if value == "yes" else NEED), {"value": value}


def _explain_referent(status, data):
    if status == UNKNOWN_STATUS:
        return unknown_text("st_referent", data["value"])
    if status == NEED:
        return "Aucun élu ni agent n'est référent pour l'inclusion numérique."
    return "Un élu ou un agent est référent pour l'inclusion numérique."


REFERENT = Rule(
    code="M3_REFERENT",
    measure=3,
    title="Référent inclusion numérique",
    reads=Reads(questions=("st_referent",)),
    need="non",
    partial="—",
    met="oui",
    check=_check_referent,
    explain=_explain_referent,
)


def _check_budget(facts):
    status, value = answer_status(facts, "st_budget")
    if status:
        return status, {"value": value}
    return (MET if value == "yes" else PARTIAL), {"value": value}


def _explain_budget(status, data):
    if status == UNKNOWN_STATUS:
        return unknown_text("st_budget", data["value"])
    if status == PARTIAL:
        return "La commune n'a pas de ligne budgétaire pour l'inclusion numérique."
    return "La commune a une ligne budgétaire pour l'inclusion numérique."


BUDGET = Rule(
    code="M3_BUDGET",
    measure=3,
    title="Budget inclusion numérique",
    reads=Reads(questions=("st_budget",)),
    need="—",
    partial="non",
    met="oui",
    check=_check_budget,
    explain=_explain_budget,
)

RULES: tuple[Rule, ...] = (
    FNE_ROADMAP,
    HUB_CONTACT,
    REFERENT,
    BUDGET,
)
