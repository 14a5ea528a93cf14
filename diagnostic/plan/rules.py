"""The rules that set the priority of each of the five measures, and say why.

Every rule is small and named: it belongs to one measure, reads a few answers or open-data figures (`PlanFacts`),
and returns a `Finding` with a status and a sentence in plain French that quotes the figures behind it.

Statuses and points:
- NEED (2 points): the rule finds a clear need for the measure;
- PARTIAL (1 point): a partial need;
- MET (0 points): nothing to do on this point;
- UNKNOWN: the answer is "Je ne sais pas" or missing — never read as "no": the rule is left out of the score
  and the confidence of the measure drops;
- MISSING: the open-data figure is absent — no figure is invented: the rule is left out and the confidence drops.

Priority of a measure = points earned / (2 × number of rules that could be evaluated):
HIGH from `HIGH_RATIO`, MEDIUM from `MEDIUM_RATIO`, LOW below. With no evaluable rule at all, the priority is
MEDIUM ("à confirmer") with a low confidence. Confidence = share of the measure's rules that could be evaluated.

`docs/plan-rules.md` is generated from this module (`rules_markdown()`); a test checks that it is up to date:
`.venv/bin/python -m diagnostic.plan.rules > docs/plan-rules.md`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from diagnostic.plan.facts import (
    AIDANTS_CONNECT,
    FRANCE_SERVICES,
    LARGE,
    MEDIATION,
    MEDIUM,
    MEDIUM_COMMUNE_MAX,
    NEARBY_MAX_KM,
    SMALL,
    SMALL_COMMUNE_MAX,
    UNKNOWN_SIZE,
    IfnFigure,
    PlanFacts,
    hub_phrase,
)
from diagnostic.questionnaire.definition import QUESTIONS, UNKNOWN_LABEL
from diagnostic.questionnaire.scoring import is_known

# --- Thresholds ------------------------------------------------------------------------------------------------
# IFN parts are on a 1–10 scale, 10 = most fragile.
IFN_HIGH = 7.0  # a part at or above this is a clear fragility
IFN_MEDIUM_NO_MEDIAN = 5.0  # without a département median, a part at or above this is a partial fragility
# Distances to the nearest place offering digital help (km, from the commune's centre, computed at import).
NEAR_KM = 5.0
FAR_KM = 15.0
# Lieux de médiation numérique within 10 km
MEDIATION_WITHIN_10KM_ENOUGH = 3
# Share of "Je ne sais pas" among the answered questions
UNKNOWN_SHARE_HIGH = 0.25
UNKNOWN_SHARE_MEDIUM = 0.10
UNKNOWN_SHARE_MIN_ANSWERS = 5  # below this many answers, the share is not computed
# Trained agents expected by population band
TRAINED_AGENTS_TARGET = {SMALL: 1, MEDIUM: 2, LARGE: 4, UNKNOWN_SIZE: 2}
# Public computers
PUBLIC_COMPUTERS_ENOUGH = 3
# Partners the commune works with
PARTNERS_ENOUGH = 2
# Priority from the ratio of points
HIGH_RATIO = 0.6
MEDIUM_RATIO = 0.25
# Confidence from the share of evaluable rules
CONFIDENCE_GOOD = 0.75
CONFIDENCE_FAIR = 0.5

SIZE_SHORT = {SMALL: "petite commune", MEDIUM: "commune moyenne", LARGE: "grande commune"}

NEED = "need"
PARTIAL = "partial"
MET = "met"
UNKNOWN_STATUS = "unknown"
MISSING = "missing"
POINTS = {NEED: 2, PARTIAL: 1, MET: 0}
STATUS_LABELS = {
    NEED: "besoin",
    PARTIAL: "besoin partiel",
    MET: "acquis",
    UNKNOWN_STATUS: "réponse inconnue",
    MISSING: "donnée absente",
}

HIGH = "high"
MEDIUM_PRIORITY = "medium"
LOW = "low"
PRIORITY_LABELS = {HIGH: "Haute", MEDIUM_PRIORITY: "Moyenne", LOW: "Basse"}
CONFIDENCE_LABELS = {"good": "bonne", "fair": "moyenne", "low": "faible"}


@dataclass(frozen=True)
class Finding:
    rule: str
    measure: int
    status: str
    text: str

    @property
    def points(self) -> int | None:
        return POINTS.get(self.status)

    @property
    def counted(self) -> bool:
        return self.status in POINTS

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class Rule:
    """A named rule: `check(facts)` returns (status, data); `explain(status, data)` the plain-words reason."""

    code: str
    measure: int
    title: str
    inputs: str  # what it reads, for the documentation
    need: str  # when it finds a need (documentation, built from the thresholds)
    partial: str
    met: str
    check: Callable[[PlanFacts], tuple[str, dict]]
    explain: Callable[[str, dict], str]

    def evaluate(self, facts: PlanFacts) -> Finding:
        status, data = self.check(facts)
        return Finding(self.code, self.measure, status, self.explain(status, data))


# --- Formatting helpers ----------------------------------------------------------------------------------------


def fr(value: float | int | None, digits: int = 1) -> str:
    """French number: 7.8 -> "7,8", 9.0 -> "9", 12345 -> "12 345"."""
    if value is None:
        return "—"
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}".replace(",", "\u202f")
    return f"{value:,.{digits}f}".replace(",", "\u202f").replace(".", ",")


def km(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{fr(round(value, 1))} km"


def answer_status(facts: PlanFacts, key: str) -> tuple[str | None, object]:
    """(None, value) for a known answer, else (UNKNOWN_STATUS, value)."""
    value = facts.answer(key)
    return (None, value) if is_known(value) else (UNKNOWN_STATUS, value)


def unknown_text(key: str, value) -> str:
    question = QUESTIONS[key]
    if value is None:
        return f"Question « {question.label} » sans réponse : point non évalué, la confiance baisse."
    return f"Réponse « {UNKNOWN_LABEL} » à la question « {question.label} » : point non évalué, la confiance baisse."


def ifn_comparison(figure: IfnFigure) -> str:
    scope = " (valeur de l'intercommunalité, la commune n'en a pas)" if figure.scope == "epci" else ""
    if figure.median is None:
        return f"{figure.label} : {fr(figure.value)}/10{scope} (médiane du département indisponible)"
    return f"{figure.label} : {fr(figure.value)}/10{scope} contre {fr(figure.median)} pour la médiane du département"


def ifn_status(figure: IfnFigure) -> str:
    if figure.value is None:
        return MISSING
    if figure.value >= IFN_HIGH:
        return NEED
    if figure.median is not None:
        return PARTIAL if figure.value > figure.median else MET
    return PARTIAL if figure.value >= IFN_MEDIUM_NO_MEDIAN else MET


IFN_NEED_DOC = f"partie de l'IFN ≥ {fr(IFN_HIGH)}/10"
IFN_PARTIAL_DOC = f"au-dessus de la médiane du département (sans médiane : ≥ {fr(IFN_MEDIUM_NO_MEDIAN)}/10)"
IFN_MET_DOC = "à la médiane du département ou en dessous"


def worst(*figures: IfnFigure) -> IfnFigure | None:
    """The most fragile known figure (highest value relative to its status), or None when all are missing."""
    known = [f for f in figures if f.value is not None]
    if not known:
        return None
    order = {NEED: 2, PARTIAL: 1, MET: 0}
    return max(known, key=lambda f: (order[ifn_status(f)], f.value))


# --- Measure 1: understand the inequalities and identify the actors --------------------------------------------


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
    prefix = {NEED: "Territoire très fragile", PARTIAL: "Territoire plus fragile que la moyenne", MET: "Territoire"}
    return f"{prefix[status]} — {ifn_comparison(figure)}."


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
    figures = f"{data['unknown']} réponses « {UNKNOWN_LABEL} » sur {data['answered']} ({share} %)"
    if status == NEED:
        return f"La commune connaît mal sa situation : {figures}."
    if status == PARTIAL:
        return f"Quelques points restent à connaître : {figures}."
    return f"La commune connaît bien sa situation : {figures}."


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
    return f"La commune travaille avec {data['count']} acteur(s) local(aux) : {names}."


# --- Measure 2: train the commune's agents ---------------------------------------------------------------------


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
    return f"{data['value']} agent(s) formé(s) pour un objectif de {data['target']} pour une commune de cette taille."


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
        around = f"{access.within_10km} structure(s) Aidants Connect à moins de 10 km"
    return f"Aucun agent de la commune n'est habilité Aidants Connect ; {around}."


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
    parts = " ; ".join(ifn_comparison(f) for f in data["others"] if f.value is not None)
    prefix = {
        NEED: "Population exposée au manque de compétences numériques",
        PARTIAL: "Population un peu plus exposée que la moyenne du département",
        MET: "Population moins exposée que la moyenne du département",
    }
    return f"{prefix[status]} — {parts}."


# --- Measure 3: join the département's strategy and France Numérique Ensemble ----------------------------------


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


# --- Measure 4: organise digital drop-in sessions --------------------------------------------------------------


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


KIND_NAMES = {
    MEDIATION: "lieu de médiation",
    FRANCE_SERVICES: "France services",
    AIDANTS_CONNECT: "structure Aidants Connect",
}


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


# --- Measure 5: mobilise the mediation actors and refurbished equipment ----------------------------------------


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
    return f"{data['value']} ordinateur(s) en accès libre pour le public."


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
        parts.append(f"{access.within_10km} lieu(x) de médiation numérique à moins de 10 km")
    if status == MISSING:
        return "Offre de médiation inconnue : " + " ; ".join(parts) + ". Point non évalué."
    prefix = {
        NEED: "Peu d'accompagnement disponible",
        PARTIAL: "Accompagnement limité",
        MET: "Accompagnement disponible",
    }
    return f"{prefix[status]} — " + " ; ".join(p for p in parts if p) + "."


RULES: tuple[Rule, ...] = (
    Rule(
        "M1_FRAGILITE_TERRITOIRE",
        1,
        "Fragilité numérique du territoire",
        "IFN total de la commune ; médiane du département",
        IFN_NEED_DOC.replace("partie de l'IFN", "IFN total"),
        IFN_PARTIAL_DOC,
        IFN_MET_DOC,
        _check_territorial_fragility,
        _explain_territorial_fragility,
    ),
    Rule(
        "M1_CONNAISSANCE",
        1,
        "Connaissance de la situation locale",
        f"part des réponses « {UNKNOWN_LABEL} » (à partir de {UNKNOWN_SHARE_MIN_ANSWERS} réponses)",
        f"≥ {round(100 * UNKNOWN_SHARE_HIGH)} %",
        f"≥ {round(100 * UNKNOWN_SHARE_MEDIUM)} %",
        f"< {round(100 * UNKNOWN_SHARE_MEDIUM)} %",
        _check_unknown_share,
        _explain_unknown_share,
    ),
    Rule(
        "M1_ORIENTATION",
        1,
        "Orientation des habitants par l'accueil",
        "sk_referral",
        "non",
        "—",
        "oui",
        _check_referral,
        _explain_referral,
    ),
    Rule(
        "M1_PARTENAIRES",
        1,
        "Acteurs locaux mobilisés",
        "st_partners",
        "aucun",
        f"moins de {PARTNERS_ENOUGH}",
        f"{PARTNERS_ENOUGH} ou plus",
        _check_partners,
        _explain_partners,
    ),
    Rule(
        "M2_AGENTS_FORMES",
        2,
        "Agents formés",
        "sk_trained_agents ; taille de la commune",
        "0 agent formé",
        "moins que l'objectif : "
        + ", ".join(f"{TRAINED_AGENTS_TARGET[k]} ({SIZE_SHORT[k]})" for k in (SMALL, MEDIUM, LARGE))
        + f", {TRAINED_AGENTS_TARGET[UNKNOWN_SIZE]} si population inconnue",
        "objectif atteint",
        _check_trained_agents,
        _explain_trained_agents,
    ),
    Rule(
        "M2_AIDANTS_CONNECT",
        2,
        "Habilitation Aidants Connect",
        "sk_aidants_connect ; structures Aidants Connect à moins de 10 km",
        "non, et aucune structure à moins de 10 km",
        "non, avec une structure à moins de 10 km (ou voisinage inconnu)",
        "oui",
        _check_aidants_connect,
        _explain_aidants_connect,
    ),
    Rule(
        "M2_AIDE_GUICHET",
        2,
        "Aide aux démarches au guichet",
        "ac_desk_help",
        "non",
        "—",
        "oui",
        _check_desk_help,
        _explain_desk_help,
    ),
    Rule(
        "M2_COMPETENCES_TERRITOIRE",
        2,
        "Exposition de la population (âge, diplôme)",
        "IFN : part des 65 ans et plus, part des peu diplômés (la plus fragile des deux)",
        IFN_NEED_DOC,
        IFN_PARTIAL_DOC,
        IFN_MET_DOC,
        _check_skills_fragility,
        _explain_skills_fragility,
    ),
    Rule(
        "M3_FEUILLE_DE_ROUTE",
        3,
        "Feuille de route France Numérique Ensemble",
        "st_fne_roadmap",
        "ne la connaît pas",
        "la connaît sans y participer",
        "y participe",
        _check_fne_roadmap,
        _explain_fne_roadmap,
    ),
    Rule(
        "M3_CONTACT_HUB",
        3,
        "Contact avec le Hub territorial",
        "st_hub_contact",
        "non",
        "—",
        "oui",
        _check_hub_contact,
        _explain_hub_contact,
    ),
    Rule(
        "M3_REFERENT",
        3,
        "Référent inclusion numérique",
        "st_referent",
        "non",
        "—",
        "oui",
        _check_referent,
        _explain_referent,
    ),
    Rule(
        "M3_BUDGET",
        3,
        "Budget inclusion numérique",
        "st_budget",
        "—",
        "non",
        "oui",
        _check_budget,
        _explain_budget,
    ),
    Rule(
        "M4_PERMANENCES",
        4,
        "Permanences numériques",
        "sk_drop_in",
        "aucune",
        "de temps en temps",
        "chaque mois ou chaque semaine",
        _check_drop_in,
        _explain_drop_in,
    ),
    Rule(
        "M4_AIDE_PROCHE",
        4,
        "Distance à l'aide la plus proche",
        "lieu de médiation ou France services le plus proche (km)",
        f"> {fr(FAR_KM)} km, ou aucun lieu connu à moins de {fr(NEARBY_MAX_KM)} km",
        f"> {fr(NEAR_KM)} km",
        f"≤ {fr(NEAR_KM)} km",
        _check_nearest_help,
        _explain_nearest_help,
    ),
    Rule(
        "M4_CONNEXION",
        4,
        "Connexion à domicile",
        "IFN : non-couverture THD et 4G (la plus fragile) ; co_fixed_gaps",
        f"{IFN_NEED_DOC}, ou une grande partie de la commune mal desservie",
        f"{IFN_PARTIAL_DOC}, ou quelques secteurs mal desservis",
        IFN_MET_DOC + " et aucun secteur signalé",
        _check_connectivity,
        _explain_connectivity,
    ),
    Rule(
        "M5_EQUIPEMENT_TERRITOIRE",
        5,
        "Pauvreté (coût de l'équipement)",
        "IFN : taux de pauvreté (sinon celui de l'intercommunalité)",
        IFN_NEED_DOC,
        IFN_PARTIAL_DOC,
        IFN_MET_DOC,
        _check_equipment_fragility,
        _explain_equipment_fragility,
    ),
    Rule(
        "M5_RECONDITIONNE",
        5,
        "Prêt et matériel reconditionné",
        "eq_loan_refurbished",
        "non",
        "prêt ou reconditionné",
        "prêt et reconditionné",
        _check_refurbished,
        _explain_refurbished,
    ),
    Rule(
        "M5_POSTES_PUBLICS",
        5,
        "Ordinateurs en accès libre",
        "eq_public_computers",
        "0",
        f"1 à {PUBLIC_COMPUTERS_ENOUGH - 1}",
        f"{PUBLIC_COMPUTERS_ENOUGH} ou plus",
        _check_public_computers,
        _explain_public_computers,
    ),
    Rule(
        "M5_MEDIATION_PROCHE",
        5,
        "Acteurs de la médiation à proximité",
        "sk_conseiller_numerique ; lieux de médiation à moins de 10 km",
        "aucun lieu à moins de 10 km et pas de conseiller numérique (réponse « non »)",
        f"1 à {MEDIATION_WITHIN_10KM_ENOUGH - 1} lieu(x), ou un conseiller qui vient régulièrement, ou réponse "
        "inconnue sans lieu à moins de 10 km",
        f"{MEDIATION_WITHIN_10KM_ENOUGH} lieux ou plus, ou un conseiller accueilli par la commune",
        _check_mediation_nearby,
        _explain_mediation_nearby,
    ),
)

RULES_BY_MEASURE: dict[int, tuple[Rule, ...]] = {n: tuple(r for r in RULES if r.measure == n) for n in range(1, 6)}


@dataclass(frozen=True)
class MeasureAssessment:
    measure: int
    priority: str
    points: int
    possible: int
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    evaluated: int = 0
    rules: int = 0

    @property
    def priority_label(self) -> str:
        return PRIORITY_LABELS[self.priority]

    @property
    def confidence(self) -> str:
        share = self.evaluated / self.rules if self.rules else 0
        if share >= CONFIDENCE_GOOD:
            return "good"
        return "fair" if share >= CONFIDENCE_FAIR else "low"

    @property
    def confidence_label(self) -> str:
        return CONFIDENCE_LABELS[self.confidence]

    @property
    def reasons(self) -> tuple[Finding, ...]:
        """Needs first, then partial needs, what is acquired, and finally what could not be evaluated."""
        order = {NEED: 0, PARTIAL: 1, MET: 2, UNKNOWN_STATUS: 3, MISSING: 4}
        return tuple(sorted(self.findings, key=lambda f: order[f.status]))

    @property
    def not_evaluated(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.counted)


def priority_from(points: int, possible: int) -> str:
    if possible == 0:
        return MEDIUM_PRIORITY
    ratio = points / possible
    if ratio >= HIGH_RATIO:
        return HIGH
    return MEDIUM_PRIORITY if ratio >= MEDIUM_RATIO else LOW


def assess_measure(number: int, facts: PlanFacts) -> MeasureAssessment:
    findings = tuple(rule.evaluate(facts) for rule in RULES_BY_MEASURE[number])
    counted = [f for f in findings if f.counted]
    points = sum(f.points for f in counted)
    possible = 2 * len(counted)
    return MeasureAssessment(
        number, priority_from(points, possible), points, possible, findings, len(counted), len(findings)
    )


def assess(facts: PlanFacts) -> dict[int, MeasureAssessment]:
    """The assessment of the five measures."""
    return {n: assess_measure(n, facts) for n in range(1, 6)}


# --- Documentation -----------------------------------------------------------------------------------------------


def rules_markdown() -> str:
    """The content of docs/plan-rules.md, generated from the rules and thresholds above."""
    from diagnostic.measures import MEASURE_BY_NUMBER

    lines = [
        "# Règles de priorité du plan d'action",
        "",
        "<!-- Generated by `diagnostic.plan.rules.rules_markdown()`: do not edit by hand. Regenerate with",
        "     `.venv/bin/python -m diagnostic.plan.rules > docs/plan-rules.md`; a test checks it is up to date. -->",
        "",
        "Chaque règle lit quelques réponses du questionnaire ou données ouvertes et rend un constat :",
        "",
        f"- **besoin** ({POINTS[NEED]} points), **besoin partiel** ({POINTS[PARTIAL]} point), "
        f"**acquis** ({POINTS[MET]} point) ;",
        f"- **réponse inconnue** (« {UNKNOWN_LABEL} » ou pas de réponse) et **donnée absente** : la règle n'est pas "
        "comptée — une réponse inconnue n'est jamais lue comme un « non », une donnée absente n'est jamais "
        "remplacée par un chiffre inventé — et la confiance de la mesure baisse.",
        "",
        "Priorité d'une mesure = points obtenus / (2 × règles évaluées) : "
        f"**haute** à partir de {fr(HIGH_RATIO, 2)}, **moyenne** à partir de {fr(MEDIUM_RATIO, 2)}, **basse** "
        "en dessous. Sans aucune règle évaluable : **moyenne**, à confirmer. Confiance = part des règles évaluées : "
        f"bonne à partir de {round(100 * CONFIDENCE_GOOD)} %, moyenne à partir de {round(100 * CONFIDENCE_FAIR)} %, "
        "faible en dessous.",
        "",
        "Les parties de l'Indice de fragilité numérique (IFN, La Mednum) vont de 1 à 10 (10 = le plus fragile) ; la "
        "médiane du département est calculée sur les communes du département (valeurs vides ou nulles exclues). "
        "Un taux de pauvreté absent pour la commune est remplacé par celui de son intercommunalité, et le plan le dit.",
        "",
        "Tailles de commune (population municipale) : petite jusqu'à "
        f"{fr(SMALL_COMMUNE_MAX)} habitants, moyenne jusqu'à {fr(MEDIUM_COMMUNE_MAX)}, grande au-delà.",
        "",
        "| Règle | Mesure | Ce qu'elle vérifie | Lit | Besoin | Besoin partiel | Acquis |",
        "|---|---|---|---|---|---|---|",
    ]
    for rule in RULES:
        measure = MEASURE_BY_NUMBER[rule.measure]
        cells = [f"`{rule.code}`", f"{rule.measure}. {measure.short_title}", rule.title, rule.inputs]
        cells += [rule.need, rule.partial, rule.met]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    lines += [
        "",
        "## Seuils",
        "",
        "| Constante | Valeur |",
        "|---|---|",
    ]
    for name in THRESHOLD_NAMES:
        lines.append(f"| `{name}` | {globals()[name]!r} |")
    lines.append("")
    return "\n".join(lines)


THRESHOLD_NAMES = (
    "IFN_HIGH",
    "IFN_MEDIUM_NO_MEDIAN",
    "NEAR_KM",
    "FAR_KM",
    "MEDIATION_WITHIN_10KM_ENOUGH",
    "UNKNOWN_SHARE_HIGH",
    "UNKNOWN_SHARE_MEDIUM",
    "UNKNOWN_SHARE_MIN_ANSWERS",
    "TRAINED_AGENTS_TARGET",
    "PUBLIC_COMPUTERS_ENOUGH",
    "PARTNERS_ENOUGH",
    "HIGH_RATIO",
    "MEDIUM_RATIO",
    "CONFIDENCE_GOOD",
    "CONFIDENCE_FAIR",
    "SMALL_COMMUNE_MAX",
    "MEDIUM_COMMUNE_MAX",
)

if __name__ == "__main__":  # pragma: no cover
    import sys

    sys.stdout.write(rules_markdown())
