"""Measure 5: mobilise the mediation actors and refurbished equipment; access to equipment and to a connection
(public computers and Wi-Fi, home internet and 4G coverage).

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
    plural,
    unknown_text,
    worst,
)
from diagnostic.plan.rules.thresholds import (
    MEDIATION_WITHIN_10KM_ENOUGH,
    PUBLIC_COMPUTER_HOURS_ENOUGH,
    PUBLIC_COMPUTERS_ENOUGH,
)
from diagnostic.plan.rules.types import MET, MISSING, NEED, PARTIAL, UNKNOWN_STATUS, Rule
from diagnostic.questionnaire.definition import QUESTIONS
from diagnostic.questionnaire.scoring import is_known


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
        NEED: "Pauvreté élevée selon l'indice : le coût de l'équipement peut être un frein important",
        PARTIAL: "Pauvreté au-dessus de la médiane du département selon l'indice : le coût de l'équipement peut "
        "être un frein",
        MET: "Pauvreté pas plus élevée que la médiane du département selon l'indice",
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
    hours_status, hours = answer_status(facts, "eq_public_computer_hours")
    data = {"value": value, "hours": None if hours_status else int(hours)}
    if status:
        return status, data
    value = data["value"] = int(value)
    if value == 0:
        return NEED, data
    if value < PUBLIC_COMPUTERS_ENOUGH:
        return PARTIAL, data
    if data["hours"] is not None and data["hours"] < PUBLIC_COMPUTER_HOURS_ENOUGH:
        return PARTIAL, data
    return MET, data


def _explain_public_computers(status, data):
    if status == UNKNOWN_STATUS:
        return unknown_text("eq_public_computers", data["value"])
    if status == NEED:
        return "Aucun ordinateur en accès libre pour le public dans les lieux de la commune."
    text = f"{plural(data['value'], 'ordinateur')} en accès libre pour le public"
    if data["hours"] is None:
        text += " (nombre d'heures d'ouverture par semaine inconnu)"
    elif data["hours"] == 0:
        text += ", mais jamais ouvert au public" if data["value"] == 1 else ", mais jamais ouverts au public"
    else:
        agreed = "accessible" if data["value"] == 1 else "accessibles"
        text += f", {agreed} {plural(data['hours'], 'heure')} par semaine"
    return text + "."


PUBLIC_COMPUTERS = Rule(
    code="M5_POSTES_PUBLICS",
    measure=5,
    title="Ordinateurs en accès libre",
    reads=Reads(questions=("eq_public_computers", "eq_public_computer_hours")),
    need="0",
    partial=(
        f"1 à {PUBLIC_COMPUTERS_ENOUGH - 1}, ou ouverts moins de {PUBLIC_COMPUTER_HOURS_ENOUGH} heures par semaine"
    ),
    met=f"{PUBLIC_COMPUTERS_ENOUGH} ou plus, ouverts {PUBLIC_COMPUTER_HOURS_ENOUGH} heures par semaine ou plus",
    check=_check_public_computers,
    explain=_explain_public_computers,
)


def _check_public_wifi(facts):
    indoor = answer_status(facts, "eq_wifi_public_buildings")
    outdoor = answer_status(facts, "co_outdoor_wifi")
    data = {"indoor": indoor, "outdoor": outdoor}
    known = [value for status, value in (indoor, outdoor) if status is None]
    if not known:
        return UNKNOWN_STATUS, data
    if "yes" not in known:
        # both "no", or one "no" and the other unknown (a known gap, not read from the unknown answer)
        return (NEED if len(known) == 2 else PARTIAL), data
    return (MET if known == ["yes", "yes"] else PARTIAL), data


def _explain_public_wifi(status, data):
    if status == UNKNOWN_STATUS:
        return (
            "Wi-Fi public gratuit dans les bâtiments communaux et en plein air : réponses « Je ne sais pas » ou "
            "absentes, point non évalué, la confiance baisse."
        )
    words = {"yes": "oui", "no": "non", None: "non répondu"}

    def said(pair):
        status, value = pair
        return (
            words.get(value, "") if status is None else ("« Je ne sais pas »" if value is not None else "non répondu")
        )

    detail = (
        f"Wi-Fi gratuit dans les bâtiments communaux : {said(data['indoor'])} ; "
        f"dans un espace ouvert à tous : {said(data['outdoor'])}"
    )
    prefix = {
        NEED: "Aucun Wi-Fi public gratuit",
        PARTIAL: "Wi-Fi public gratuit incomplet",
        MET: "Wi-Fi public gratuit disponible",
    }
    return f"{prefix[status]} — {detail}."


PUBLIC_WIFI = Rule(
    code="M5_WIFI_PUBLIC",
    measure=5,
    title="Wi-Fi public gratuit",
    reads=Reads(questions=("eq_wifi_public_buildings", "co_outdoor_wifi")),
    need="ni dans les bâtiments communaux ni en plein air",
    partial="l'un des deux seulement (ou l'autre inconnu)",
    met="les deux",
    check=_check_public_wifi,
    explain=_explain_public_wifi,
)


GAP_ANSWERS = ("co_fixed_gaps", "co_mobile_gaps")


def _check_connectivity(facts):
    figure = worst(facts.ifn_figure("no_thd_coverage"), facts.ifn_figure("no_4g_coverage"))
    gaps = {key: facts.answer(key) for key in GAP_ANSWERS}
    data = {"figure": figure, "gaps": gaps}
    known = [v for v in gaps.values() if is_known(v)]
    if "many" in known:
        return NEED, data
    if figure is None:
        if "some" in known:
            return PARTIAL, data
        return (MET if known else MISSING), data
    status = ifn_status(figure)
    if "some" in known and status == MET:
        status = PARTIAL
    return status, data


GAP_WORDS = {
    "co_fixed_gaps": "secteurs mal desservis en internet fixe signalés par la mairie",
    "co_mobile_gaps": "secteurs mal couverts en 4G signalés par la mairie",
}


def _explain_connectivity(status, data):
    figure, gaps = data["figure"], data["gaps"]
    if status == MISSING:
        return "Couverture internet et 4G inconnue (donnée absente, questions sans réponse connue) : point non évalué."
    parts = []
    if figure is not None:
        parts.append(ifn_comparison(figure))
    for key, value in gaps.items():
        if is_known(value):
            parts.append(f"{GAP_WORDS[key]} : {QUESTIONS[key].choice_label(value).lower()}")
    prefix = {
        NEED: "Connexion à domicile à améliorer en priorité",
        PARTIAL: "Connexion à domicile à améliorer par endroits",
        MET: "Connexion à domicile sans difficulté signalée",
    }
    return f"{prefix[status]} — " + " ; ".join(parts) + "."


CONNECTIVITY = Rule(
    code="M5_CONNEXION",
    measure=5,
    title="Connexion à domicile (internet fixe et 4G)",
    reads=Reads(
        questions=GAP_ANSWERS,
        data=("ifn.no_thd_coverage", "ifn.no_4g_coverage"),
        note="la plus fragile des deux parties de l'IFN",
    ),
    need=f"{IFN_NEED_DOC}, ou une grande partie de la commune mal desservie (internet fixe ou 4G)",
    partial=f"{IFN_PARTIAL_DOC}, ou quelques secteurs mal desservis",
    met=IFN_MET_DOC + " et aucun secteur signalé",
    check=_check_connectivity,
    explain=_explain_connectivity,
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
        parts.append(f"{plural(access.within_10km, 'lieu', 'lieux')} de médiation numérique à moins de 10 km")
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
        f"1 à {MEDIATION_WITHIN_10KM_ENOUGH - 1} lieux, ou un conseiller qui vient régulièrement, ou réponse "
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
    CONNECTIVITY,
    PUBLIC_WIFI,
)
