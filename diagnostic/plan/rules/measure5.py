"""Measure 5: mobilise the mediation actors and refurbished equipment.

Each rule's check (returns the status and the figures behind it) and explanation (the plain-French sentence of the
plan) sit just above its declaration.
"""

from __future__ import annotations

from diagnostic.plan.facts import MEDIATION
from diagnostic.plan.reads import Reads
from diagnostic.plan.rules.common import (
    IFN_MET_DOC,
    IFN_NEED_DOC,
    IFN_PARTIAL_DOC,
    answer_status,
    ifn_comparison,
    ifn_status,
    unknown_text,
)
from diagnostic.plan.rules.thresholds import MEDIATION_WITHIN_10KM_ENOUGH, PUBLIC_COMPUTERS_ENOUGH
from diagnostic.plan.rules.types import MET, MISSING, NEED, PARTIAL, UNKNOWN_STATUS, Rule
from diagnostic.questionnaire.definition import QUESTIONS
from territories.formatting import plural


def _check_equipment_fragility(facts):
    figure = facts.ifn_figure("poverty")
    return ifn_status(figure), {"figure": figure}


def _explain_equipment_fragility(status, data):
    if status == MISSING:
        return (
            "Taux de pauvreté absent des données pour la commune et pour son intercommunalité : point non "
            "évalué, la confiance baisse."
        )
    prefix = {
        NEED: "Coût de l'équipement : frein important",
        PARTIAL: "Coût de l'équipement : frein réel",
        MET: "Coût de l'équipement",
    }
    return f"{prefix[status]} — {ifn_comparison(data['figure'])}."


EQUIPMENT_FRAGILITY = Rule(
    code="M5_EQUIPEMENT_TERRITOIRE",
    measure=5,
    title="Pauvreté (coût de l'équipement)",
    reads=Reads(data=("ifn.poverty",)),
    need=IFN_NEED_DOC,
    partial=IFN_PARTIAL_DOC,
    met=IFN_MET_DOC,
    check=_check_equipment_fragility,
    explain=_explain_equipment_fragility,
)


def _check_refurbished(facts):
    status, value = answer_status(facts, "eq_loan_refurbished")
    if status:
        return status, {"value": value}
    return {"none": NEED, "loan": PARTIAL, "refurbished": PARTIAL, "both": MET}.get(value, NEED), {"value": value}


def _explain_refurbished(status, data):
    if status == UNKNOWN_STATUS:
        return unknown_text("eq_loan_refurbished", data["value"])
    if status == NEED:
        return "La commune ne prête pas de matériel et n'oriente pas vers du matériel reconditionné."
    label = QUESTIONS["eq_loan_refurbished"].choice_label(data["value"])
    return f"Équipement : {label.lower()}."


REFURBISHED = Rule(
    code="M5_RECONDITIONNE",
    measure=5,
    title="Prêt et matériel reconditionné",
    reads=Reads(questions=("eq_loan_refurbished",)),
    need="non",
    partial="prêt ou reconditionné",
    met="prêt et reconditionné",
    check=_check_refurbished,
    explain=_explain_refurbished,
)


def _check_public_computers(facts):
    status, value = answer_status(facts, "eq_public_computers")
    if status:
        return status, {"value": value}
    value = int(value)
    if value == 0:
        return NEED, {"value": value}
    return (MET if value >= PUBLIC_COMPUTERS_ENOUGH else PARTIAL), {"value": value}


def _explain_public_computers(status, data):
    if status == UNKNOWN_STATUS:
        return unknown_text("eq_public_computers", data["value"])
    if status == NEED:
        return "Aucun ordinateur en accès libre pour le public dans les lieux de la commune."
    return f"{plural(data['value'], 'ordinateur', 'ordinateurs')} en accès libre pour le public."


PUBLIC_COMPUTERS = Rule(
    code="M5_POSTES_PUBLICS",
    measure=5,
    title="Ordinateurs en accès libre",
    reads=Reads(questions=("eq_public_computers",)),
    need="0",
    partial=f"1 à {PUBLIC_COMPUTERS_ENOUGH - 1}",
    met=f"{PUBLIC_COMPUTERS_ENOUGH} ou plus",
    check=_check_public_computers,
    explain=_explain_public_computers,
)


def _check_mediation_nearby(facts):
    access = facts.access.get(MEDIATION)
    cnum_status, cnum = answer_status(facts, "sk_conseiller_numerique")
    data = {"access": access, "cnum": cnum, "cnum_known": cnum_status is None}
    if cnum_status is None and cnum == "hosted":
        return MET, data
    if access is None:
        if cnum_status is None:
            return (PARTIAL if cnum == "visits" else NEED), data
        return MISSING, data
    if access.within_10km >= MEDIATION_WITHIN_10KM_ENOUGH:
        return MET, data
    if access.within_10km == 0 and cnum_status is None and cnum == "no":
        return NEED, data
    # A visiting adviser, some places nearby, or an unknown answer (never read as "no"): at most a partial need.
    return PARTIAL, data


def _explain_mediation_nearby(status, data):
    access, cnum = data["access"], data["cnum"]
    parts = []
    if data["cnum_known"]:
        parts.append(
            {
                "hosted": "la commune accueille un conseiller numérique",
                "visits": "un conseiller numérique vient régulièrement",
                "no": "aucun conseiller numérique n'intervient sur la commune",
            }.get(cnum, "")
        )
    else:
        parts.append("intervention d'un conseiller numérique inconnue")
    if access is None:
        parts.append("lieux de médiation voisins non connus (donnée absente)")
    else:
        parts.append(plural(access.within_10km, "lieu", "lieux") + " de médiation numérique à moins de 10 km")
    if status == MISSING:
        return "Offre de médiation inconnue : " + " ; ".join(parts) + ". Point non évalué."
    prefix = {
        NEED: "Peu d'accompagnement disponible",
        PARTIAL: "Accompagnement limité",
        MET: "Accompagnement disponible",
    }
    return f"{prefix[status]} — " + " ; ".join(p for p in parts if p) + "."


MEDIATION_NEARBY = Rule(
    code="M5_MEDIATION_PROCHE",
    measure=5,
    title="Acteurs de la médiation à proximité",
    reads=Reads(questions=("sk_conseiller_numerique",), data=("access.mediation",)),
    need="aucun lieu à moins de 10 km et pas de conseiller numérique (réponse « non »)",
    partial=(
        f"1 à {plural(MEDIATION_WITHIN_10KM_ENOUGH - 1, 'lieu', 'lieux')}, ou un conseiller qui vient régulièrement, "
        "ou réponse "
        "inconnue sans lieu à moins de 10 km"
    ),
    met=f"{MEDIATION_WITHIN_10KM_ENOUGH} lieux ou plus, ou un conseiller accueilli par la commune",
    check=_check_mediation_nearby,
    explain=_explain_mediation_nearby,
)

RULES: tuple[Rule, ...] = (
    EQUIPMENT_FRAGILITY,
    REFURBISHED,
    PUBLIC_COMPUTERS,
    MEDIATION_NEARBY,
)
