"""Measure 2: train the commune's agents to help the inhabitants.

Each rule's check (returns the status and the figures behind it) and explanation (the plain-French sentence of the
plan) sit just above its declaration.
"""

from __future__ import annotations

from diagnostic.plan.facts import AIDANTS_CONNECT, LARGE, MEDIUM, NEARBY_MAX_KM, SMALL, UNKNOWN_SIZE
from diagnostic.plan.reads import Reads
from diagnostic.plan.rules.common import (
    IFN_MET_DOC,
    IFN_NEED_DOC,
    IFN_PARTIAL_DOC,
    SIZE_SHORT,
    answer_status,
    distance_note,
    fr,
    ifn_comparison,
    ifn_note,
    ifn_status,
    km,
    plural,
    unknown_text,
    worst,
)
from diagnostic.plan.rules.thresholds import TRAINED_AGENTS_TARGET
from diagnostic.plan.rules.types import MET, MISSING, NEED, PARTIAL, UNKNOWN_STATUS, Rule


def _check_trained_agents(facts):
    status, value = answer_status(facts, "sk_trained_agents")
    target = TRAINED_AGENTS_TARGET[facts.size]
    if status:
        return status, {"value": value, "target": target}
    value = int(value)
    data = {"value": value, "target": target}
    if value == 0:
        return NEED, data
    return (MET if value >= target else PARTIAL), data


def _explain_trained_agents(status, data):
    if status == UNKNOWN_STATUS:
        return unknown_text("sk_trained_agents", data["value"])
    if status == NEED:
        return "Aucun agent de la commune n'est formé pour aider les habitants dans leurs démarches en ligne."
    return (
        f"{plural(data['value'], 'agent formé', 'agents formés')} pour un objectif de {fr(data['target'])} pour une "
        "commune de cette taille."
    )


TRAINED_AGENTS = Rule(
    code="M2_AGENTS_FORMES",
    measure=2,
    title="Agents formés",
    reads=Reads(questions=("sk_trained_agents",), data=("population",)),
    need="0 agent formé",
    partial=(
        "moins que l'objectif : "
        + ", ".join(f"{TRAINED_AGENTS_TARGET[k]} ({SIZE_SHORT[k]})" for k in (SMALL, MEDIUM, LARGE))
        + f", {TRAINED_AGENTS_TARGET[UNKNOWN_SIZE]} si population inconnue"
    ),
    met="objectif atteint",
    check=_check_trained_agents,
    explain=_explain_trained_agents,
)


def _check_aidants_connect(facts):
    status, value = answer_status(facts, "sk_aidants_connect")
    access = facts.access.get(AIDANTS_CONNECT)
    data = {"value": value, "access": access}
    if status:
        return status, data
    if value == "yes":
        return MET, data
    if access is None:
        return PARTIAL, data
    return (NEED if access.within_10km == 0 else PARTIAL), data


def _explain_aidants_connect(status, data):
    if status == UNKNOWN_STATUS:
        return unknown_text("sk_aidants_connect", data["value"])
    if status == MET:
        return "Un agent de la commune est habilité Aidants Connect."
    access = data["access"]
    if access is None:
        around = "les structures Aidants Connect voisines ne sont pas connues (donnée absente)"
    elif access.within_10km == 0:
        around = "aucune structure Aidants Connect à moins de 10 km" + (
            f" (la plus proche à {km(access.nearest_km)})"
            if access.nearest_km is not None
            else f" ni à moins de {fr(NEARBY_MAX_KM)} km"
        )
    else:
        around = f"{plural(access.within_10km, 'structure')} Aidants Connect à moins de 10 km"
        if access.nearest_name and access.nearest_km is not None:
            around += f", la plus proche à {km(access.nearest_km)} ({access.nearest_name}) {distance_note(access)}"
    return f"Aucun agent de la commune n'est habilité Aidants Connect ; {around}."


AIDANTS_CONNECT_RULE = Rule(
    code="M2_AIDANTS_CONNECT",
    measure=2,
    title="Habilitation Aidants Connect",
    reads=Reads(questions=("sk_aidants_connect",), data=("access.aidants_connect",)),
    need="non, et aucune structure à moins de 10 km",
    partial="non, avec une structure à moins de 10 km (ou voisinage inconnu)",
    met="oui",
    check=_check_aidants_connect,
    explain=_explain_aidants_connect,
)


def _check_desk_help(facts):
    status, value = answer_status(facts, "ac_desk_help")
    if status:
        return status, {"value": value}
    return (MET if value == "yes" else NEED), {"value": value}


def _explain_desk_help(status, data):
    if status == UNKNOWN_STATUS:
        return unknown_text("ac_desk_help", data["value"])
    if status == NEED:
        return "Au guichet de la mairie, aucun agent ne peut faire une démarche en ligne avec l'habitant."
    return "Au guichet de la mairie, un agent peut faire une démarche en ligne avec l'habitant."


DESK_HELP = Rule(
    code="M2_AIDE_GUICHET",
    measure=2,
    title="Aide aux démarches au guichet",
    reads=Reads(questions=("ac_desk_help",)),
    need="non",
    partial="—",
    met="oui",
    check=_check_desk_help,
    explain=_explain_desk_help,
)


def _check_skills_fragility(facts):
    figure = worst(facts.ifn_figure("older_65"), facts.ifn_figure("low_diploma"))
    if figure is None:
        return MISSING, {}
    return ifn_status(figure), {
        "figure": figure,
        "others": [facts.ifn_figure("older_65"), facts.ifn_figure("low_diploma")],
    }


def _explain_skills_fragility(status, data):
    if status == MISSING:
        return "Parts des 65 ans et plus et des peu diplômés absentes des données : point non évalué."
    known = [f for f in data["others"] if f.value is not None]
    parts = " ; ".join(ifn_comparison(f, note=False) for f in known)
    prefix = {
        NEED: "Risque élevé de manque de compétences numériques selon l'indice (âge, diplôme)",
        PARTIAL: "Risque de manque de compétences numériques au-dessus de la médiane du département selon l'indice",
        MET: "Risque de manque de compétences numériques pas plus élevé que la médiane du département selon l'indice",
    }
    return f"{prefix[status]} — {parts} {ifn_note(*known)}."


SKILLS_FRAGILITY = Rule(
    code="M2_COMPETENCES_TERRITOIRE",
    measure=2,
    title="Exposition de la population (âge, diplôme)",
    reads=Reads(data=("ifn.older_65", "ifn.low_diploma"), note="la plus fragile des deux"),
    need=IFN_NEED_DOC,
    partial=IFN_PARTIAL_DOC,
    met=IFN_MET_DOC,
    check=_check_skills_fragility,
    explain=_explain_skills_fragility,
)


def _check_yes_no(key, no_status):
    def check(facts):
        status, value = answer_status(facts, key)
        if status:
            return status, {"value": value}
        return (MET if value == "yes" else no_status), {"value": value}

    return check


def _explain_plain_language(status, data):
    if status == UNKNOWN_STATUS:
        return unknown_text("ac_plain_language", data["value"])
    if status == MET:
        return "Les formulaires et courriers de la commune ont été relus pour être écrits en langage clair."
    return "Les formulaires et courriers de la commune n'ont pas été relus en langage clair."


PLAIN_LANGUAGE = Rule(
    code="M2_LANGAGE_CLAIR",
    measure=2,
    title="Formulaires et courriers en langage clair",
    reads=Reads(questions=("ac_plain_language",)),
    need="—",
    partial="non",
    met="oui",
    check=_check_yes_no("ac_plain_language", PARTIAL),
    explain=_explain_plain_language,
)


def _explain_statement(status, data):
    if status == UNKNOWN_STATUS:
        return unknown_text("ac_statement", data["value"])
    if status == MET:
        return "Le site internet de la commune publie sa déclaration d'accessibilité."
    return (
        "Le site internet de la commune ne publie pas de déclaration d'accessibilité, pourtant obligatoire : "
        "les agents qui le mettent à jour ont besoin de connaître le RGAA."
    )


ACCESSIBILITY_STATEMENT = Rule(
    code="M2_DECLARATION_ACCESSIBILITE",
    measure=2,
    title="Site de la commune : déclaration d'accessibilité (RGAA)",
    reads=Reads(questions=("ac_statement",)),
    need="non (obligation légale)",
    partial="—",
    met="oui",
    check=_check_yes_no("ac_statement", NEED),
    explain=_explain_statement,
)

RULES: tuple[Rule, ...] = (
    TRAINED_AGENTS,
    AIDANTS_CONNECT_RULE,
    DESK_HELP,
    PLAIN_LANGUAGE,
    ACCESSIBILITY_STATEMENT,
    SKILLS_FRAGILITY,
)
