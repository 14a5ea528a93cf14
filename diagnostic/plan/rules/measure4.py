"""Measure 4: organise digital drop-in sessions (permanences numériques), and keep a human way to each of the
commune's own services (an offline alternative to each online procedure, a telephone desk).

Each rule's check (returns the status and the figures behind it) and explanation (the plain-French sentence of the
plan) sit just above its declaration.
"""

from __future__ import annotations

from diagnostic.plan.facts import FRANCE_SERVICES, MEDIATION, NEARBY_MAX_KM
from diagnostic.plan.reads import Reads
from diagnostic.plan.rules.common import KIND_NAMES, answer_status, distance_note, fr, km, plural, unknown_text
from diagnostic.plan.rules.thresholds import FAR_KM, NEAR_KM, PHONE_HOURS_ENOUGH
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
    where += " " + distance_note(access)
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


def _check_offline_alternative(facts):
    procedures = facts.answer("ac_online_procedures")
    status, value = answer_status(facts, "ac_offline_alternative")
    data = {"value": value, "procedures": procedures}
    if procedures == ["none"]:
        return MET, data  # no online procedure: nothing to offer offline
    if status:
        return status, data
    return {"all": MET, "most": PARTIAL}.get(value, NEED), data


def _procedures_text(procedures) -> str:
    if not isinstance(procedures, list) or not procedures or "unknown" in procedures:
        return ""
    labels = [QUESTIONS["ac_online_procedures"].choice_label(v).lower() for v in procedures]
    return " (démarches en ligne de la commune : " + ", ".join(labels) + ")"


def _explain_offline_alternative(status, data):
    if data["procedures"] == ["none"]:
        return "La commune ne propose pas de démarche en ligne : il n'y a pas d'alternative hors ligne à prévoir."
    if status == UNKNOWN_STATUS:
        return unknown_text("ac_offline_alternative", data["value"])
    procedures = _procedures_text(data["procedures"])
    if status == MET:
        return (
            "Chaque démarche en ligne de la commune a une alternative au guichet, par téléphone ou par courrier"
            f"{procedures}."
        )
    label = QUESTIONS["ac_offline_alternative"].choice_label(data["value"]).lower()
    return (
        f"Démarches en ligne de la commune avec une alternative hors ligne : {label}{procedures} ; sans alternative, "
        "elles excluent les habitants qui ne peuvent pas les faire en ligne."
    )


OFFLINE_ALTERNATIVE = Rule(
    code="M4_ALTERNATIVE_HORS_LIGNE",
    measure=4,
    title="Une alternative hors ligne à chaque démarche en ligne de la commune",
    reads=Reads(questions=("ac_online_procedures", "ac_offline_alternative")),
    need="quelques-unes ou aucune",
    partial="la plupart",
    met="toutes, ou aucune démarche en ligne",
    check=_check_offline_alternative,
    explain=_explain_offline_alternative,
)


def _check_phone_hours(facts):
    status, value = answer_status(facts, "ac_phone_hours")
    if status:
        return status, {"value": value}
    value = int(value)
    if value == 0:
        return NEED, {"value": value}
    return (MET if value >= PHONE_HOURS_ENOUGH else PARTIAL), {"value": value}


def _explain_phone_hours(status, data):
    if status == UNKNOWN_STATUS:
        return unknown_text("ac_phone_hours", data["value"])
    if status == NEED:
        return "La mairie n'a pas d'accueil téléphonique ouvert au public."
    hours = plural(data["value"], "heure")
    if status == PARTIAL:
        return f"Accueil téléphonique de la mairie ouvert seulement {hours} par semaine."
    return f"Accueil téléphonique de la mairie ouvert {hours} par semaine."


PHONE_HOURS = Rule(
    code="M4_ACCUEIL_TELEPHONIQUE",
    measure=4,
    title="Accueil téléphonique de la mairie",
    reads=Reads(questions=("ac_phone_hours",)),
    need="aucune heure",
    partial=f"moins de {PHONE_HOURS_ENOUGH} heures par semaine",
    met=f"{PHONE_HOURS_ENOUGH} heures par semaine ou plus",
    check=_check_phone_hours,
    explain=_explain_phone_hours,
)

RULES: tuple[Rule, ...] = (
    DROP_IN,
    NEAREST_HELP,
    OFFLINE_ALTERNATIVE,
    PHONE_HOURS,
)
