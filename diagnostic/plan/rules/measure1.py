"""Measure 1: understand the digital inequalities of the territory and identify the actors.

Each rule's check (returns the status and the figures behind it) and explanation (the plain-French sentence of the
plan) sit just above its declaration.
"""

from __future__ import annotations

from diagnostic.plan.reads import Reads
from diagnostic.plan.rules.common import (
    IFN_MET_DOC,
    IFN_NEED_DOC,
    IFN_PARTIAL_DOC,
    answer_status,
    ifn_comparison,
    ifn_status,
    plural,
    unknown_text,
)
from diagnostic.plan.rules.thresholds import (
    PARTNERS_ENOUGH,
    UNKNOWN_SHARE_HIGH,
    UNKNOWN_SHARE_MEDIUM,
    UNKNOWN_SHARE_MIN_ANSWERS,
)
from diagnostic.plan.rules.types import MET, MISSING, NEED, PARTIAL, UNKNOWN_STATUS, Rule
from diagnostic.questionnaire.definition import QUESTIONS, UNKNOWN_LABEL
from diagnostic.questionnaire.scoring import is_known


def _check_territorial_fragility(facts):
    figure = facts.ifn_figure("total")
    return ifn_status(figure), {"figure": figure}


def _explain_territorial_fragility(status, data):
    figure = data["figure"]
    if status == MISSING:
        return (
            "Indice de fragilité numérique absent pour la commune dans les données chargées : "
            "point non évalué, la confiance baisse."
        )
    prefix = {
        NEED: "Territoire très fragile selon l'indice",
        PARTIAL: "Territoire plus fragile que la médiane du département selon l'indice",
        MET: "Territoire pas plus fragile que la médiane du département selon l'indice",
    }
    return f"{prefix[status]} — {ifn_comparison(figure)}."


TERRITORIAL_FRAGILITY = Rule(
    code="M1_FRAGILITE_TERRITOIRE",
    measure=1,
    title="Fragilité numérique du territoire",
    reads=Reads(data=("ifn.total",)),
    need=IFN_NEED_DOC.replace("partie de l'IFN", "IFN total"),
    partial=IFN_PARTIAL_DOC,
    met=IFN_MET_DOC,
    check=_check_territorial_fragility,
    explain=_explain_territorial_fragility,
)


def _check_unknown_share(facts):
    answered = {k: v for k, v in facts.answers.items() if v is not None and k in QUESTIONS}
    unknown = sum(1 for v in answered.values() if not is_known(v))
    data = {"answered": len(answered), "unknown": unknown, "total": len(QUESTIONS)}
    if len(answered) < UNKNOWN_SHARE_MIN_ANSWERS:
        return UNKNOWN_STATUS, data
    share = unknown / len(answered)
    data["share"] = share
    if share >= UNKNOWN_SHARE_HIGH:
        return NEED, data
    if share >= UNKNOWN_SHARE_MEDIUM:
        return PARTIAL, data
    return MET, data


def _explain_unknown_share(status, data):
    if status == UNKNOWN_STATUS:
        return (
            f"Trop peu de réponses pour juger de la connaissance du territoire ({data['answered']} sur "
            f"{data['total']} questions) : point non évalué."
        )
    share = round(100 * data["share"])
    unknown = plural(data["unknown"], "réponse", "réponses")
    figures = f"{unknown} « {UNKNOWN_LABEL} » sur {data['answered']} ({share} %)"
    if status == NEED:
        return f"La commune connaît mal sa situation : {figures}."
    if status == PARTIAL:
        return f"Quelques points restent à connaître : {figures}."
    return f"La commune connaît bien sa situation : {figures}."


KNOWLEDGE = Rule(
    code="M1_CONNAISSANCE",
    measure=1,
    title="Connaissance de la situation locale",
    reads=Reads(
        data=("answers",),
        note=f"part des réponses « {UNKNOWN_LABEL} » (à partir de {UNKNOWN_SHARE_MIN_ANSWERS} réponses)",
    ),
    need=f"≥ {round(100 * UNKNOWN_SHARE_HIGH)} %",
    partial=f"≥ {round(100 * UNKNOWN_SHARE_MEDIUM)} %",
    met=f"< {round(100 * UNKNOWN_SHARE_MEDIUM)} %",
    check=_check_unknown_share,
    explain=_explain_unknown_share,
)


def _check_referral(facts):
    status, value = answer_status(facts, "sk_referral")
    if status:
        return status, {"value": value}
    return (MET if value == "yes" else NEED), {"value": value}


def _explain_referral(status, data):
    if status == UNKNOWN_STATUS:
        return unknown_text("sk_referral", data["value"])
    if status == NEED:
        return "Les agents d'accueil ne savent pas vers quel lieu orienter une personne en difficulté."
    return "Les agents d'accueil savent vers quel lieu orienter une personne en difficulté."


REFERRAL = Rule(
    code="M1_ORIENTATION",
    measure=1,
    title="Orientation des habitants par l'accueil",
    reads=Reads(questions=("sk_referral",)),
    need="non",
    partial="—",
    met="oui",
    check=_check_referral,
    explain=_explain_referral,
)


def _check_partners(facts):
    status, value = answer_status(facts, "st_partners")
    if status:
        return status, {"value": value}
    partners = [v for v in value if v != "none"]
    data = {
        "value": value,
        "count": len(partners),
        "labels": [QUESTIONS["st_partners"].choice_label(v) for v in partners],
    }
    if not partners:
        return NEED, data
    return (MET if len(partners) >= PARTNERS_ENOUGH else PARTIAL), data


def _explain_partners(status, data):
    if status == UNKNOWN_STATUS:
        return unknown_text("st_partners", data["value"])
    if status == NEED:
        return "La commune ne travaille aujourd'hui avec aucun acteur local du numérique."
    names = ", ".join(data["labels"])
    return f"La commune travaille avec {plural(data['count'], 'acteur local', 'acteurs locaux')} : {names}."


PARTNERS = Rule(
    code="M1_PARTENAIRES",
    measure=1,
    title="Acteurs locaux mobilisés",
    reads=Reads(questions=("st_partners",)),
    need="aucun",
    partial=f"moins de {PARTNERS_ENOUGH}",
    met=f"{PARTNERS_ENOUGH} ou plus",
    check=_check_partners,
    explain=_explain_partners,
)

RULES: tuple[Rule, ...] = (
    TERRITORIAL_FRAGILITY,
    KNOWLEDGE,
    REFERRAL,
    PARTNERS,
)
