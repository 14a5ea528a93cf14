"""Measure 4: organise digital drop-in sessions (permanences numériques).

Each rule's check (returns the status and the figures behind it) and explanation (the plain-French sentence of the
plan) sit just above its declaration.
"""

from __future__ import annotations

from diagnostic.plan.facts import FRANCE_SERVICES, MEDIATION, NEARBY_MAX_KM
from diagnostic.plan.reads import Reads
from diagnostic.plan.rules.common import (
    IFN_MET_DOC,
    IFN_NEED_DOC,
    IFN_PARTIAL_DOC,
    KIND_NAMES,
    answer_status,
    fr,
    ifn_comparison,
    ifn_status,
    km,
    unknown_text,
    worst,
)
from diagnostic.plan.rules.thresholds import FAR_KM, NEAR_KM
from diagnostic.plan.rules.types import MET, MISSING, NEED, PARTIAL, UNKNOWN_STATUS, Rule
from diagnostic.questionnaire.definition import QUESTIONS


def _check_drop_in(facts):
    status, value = answer_status(facts, "sk_drop_in")
    if status:
        return status, {"value": value}
    return {"none": NEED, "occasional": PARTIAL, "monthly": MET, "weekly": MET}.get(value, NEED), {"value": value}


def _explain_drop_in(status, data):
    if status == UNKNOWN_STATUS:
        return unknown_text("sk_drop_in", data["value"])
    if status == NEED:
        return "Aucune permanence numérique aujourd'hui sur la commune."
    label = QUESTIONS["sk_drop_in"].choice_label(data["value"]).lower()
    if status == PARTIAL:
        return f"Permanences numériques seulement occasionnelles ({label})."
    return f"Permanences numériques régulières ({label})."


DROP_IN = Rule(
    code="M4_PERMANENCES",
    measure=4,
    title="Permanences numériques",
    reads=Reads(questions=("sk_drop_in",)),
    need="aucune",
    partial="de temps en temps",
    met="chaque mois ou chaque semaine",
    check=_check_drop_in,
    explain=_explain_drop_in,
)


def _check_nearest_help(facts):
    candidates = [facts.access[k] for k in (MEDIATION, FRANCE_SERVICES) if k in facts.access]
    if not candidates:
        return MISSING, {}
    located = [a for a in candidates if a.nearest_km is not None]
    if not located:
        return NEED, {"access": None}
    nearest = min(located, key=lambda a: a.nearest_km)
    data = {"access": nearest}
    if nearest.nearest_km > FAR_KM:
        return NEED, data
    return (PARTIAL if nearest.nearest_km > NEAR_KM else MET), data


def _explain_nearest_help(status, data):
    if status == MISSING:
        return "Lieux d'aide au numérique voisins non connus (donnée absente) : point non évalué."
    access = data["access"]
    if access is None:
        return (
            f"Aucun lieu de médiation ni France services connu à moins de {fr(NEARBY_MAX_KM)} km dans les données "
            "chargées."
        )
    where = f"{KIND_NAMES[access.kind]} le plus proche à {km(access.nearest_km)}"
    if access.nearest_name:
        where += f" ({access.nearest_name})"
    if status == NEED:
        return f"Aide éloignée : {where}."
    if status == PARTIAL:
        return f"Aide à distance moyenne : {where}."
    return f"Aide proche : {where}."


NEAREST_HELP = Rule(
    code="M4_AIDE_PROCHE",
    measure=4,
    title="Distance à l'aide la plus proche",
    reads=Reads(data=("access.mediation", "access.france_services"), note="le plus proche des deux (km)"),
    need=f"> {fr(FAR_KM)} km, ou aucun lieu connu à moins de {fr(NEARBY_MAX_KM)} km",
    partial=f"> {fr(NEAR_KM)} km",
    met=f"≤ {fr(NEAR_KM)} km",
    check=_check_nearest_help,
    explain=_explain_nearest_help,
)


def _check_connectivity(facts):
    figure = worst(facts.ifn_figure("no_thd_coverage"), facts.ifn_figure("no_4g_coverage"))
    gaps = facts.answer("co_fixed_gaps")
    data = {"figure": figure, "gaps": gaps}
    if gaps == "many":
        return NEED, data
    if figure is None:
        if gaps == "some":
            return PARTIAL, data
        if gaps == "none":
            return MET, data
        return MISSING, data
    status = ifn_status(figure)
    if gaps == "some" and status == MET:
        status = PARTIAL
    return status, data


def _explain_connectivity(status, data):
    figure, gaps = data["figure"], data["gaps"]
    parts = []
    if figure is not None:
        parts.append(ifn_comparison(figure))
    if gaps in ("some", "many"):
        parts.append(
            "secteurs mal desservis en internet fixe : " + QUESTIONS["co_fixed_gaps"].choice_label(gaps).lower()
        )
    if status == MISSING:
        return "Couverture internet et 4G inconnue (donnée absente, question non répondue) : point non évalué."
    detail = " ; ".join(parts) if parts else "pas de zone mal desservie signalée"
    prefix = {
        NEED: "Beaucoup d'habitants ne peuvent pas faire leurs démarches depuis chez eux",
        PARTIAL: "Une partie des habitants a une connexion insuffisante",
        MET: "Connexion plutôt satisfaisante",
    }
    return f"{prefix[status]} — {detail}."


CONNECTIVITY = Rule(
    code="M4_CONNEXION",
    measure=4,
    title="Connexion à domicile",
    reads=Reads(
        questions=("co_fixed_gaps",),
        data=("ifn.no_thd_coverage", "ifn.no_4g_coverage"),
        note="la plus fragile des deux parties de l'IFN",
    ),
    need=f"{IFN_NEED_DOC}, ou une grande partie de la commune mal desservie",
    partial=f"{IFN_PARTIAL_DOC}, ou quelques secteurs mal desservis",
    met=IFN_MET_DOC + " et aucun secteur signalé",
    check=_check_connectivity,
    explain=_explain_connectivity,
)

RULES: tuple[Rule, ...] = (
    DROP_IN,
    NEAREST_HELP,
    CONNECTIVITY,
)
