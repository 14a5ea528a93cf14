"""Pieces shared by the rules of several measures: French numbers, answer status, IFN comparison."""

from __future__ import annotations

from diagnostic.plan.facts import (
    AIDANTS_CONNECT,
    FRANCE_SERVICES,
    LARGE,
    MEDIATION,
    MEDIUM,
    SMALL,
    IfnFigure,
    PlanFacts,
)
from diagnostic.plan.rules.thresholds import IFN_HIGH, IFN_MEDIUM_NO_MEDIAN
from diagnostic.plan.rules.types import MET, MISSING, NEED, PARTIAL, UNKNOWN_STATUS
from diagnostic.questionnaire.definition import QUESTIONS, UNKNOWN_LABEL
from diagnostic.questionnaire.scoring import is_known
from territories import formatting

SIZE_SHORT = {SMALL: "petite commune", MEDIUM: "commune moyenne", LARGE: "grande commune"}

KIND_NAMES = {
    MEDIATION: "lieu de médiation",
    FRANCE_SERVICES: "France services",
    AIDANTS_CONNECT: "structure Aidants Connect",
}


def fr(value: float | int | None, digits: int = 1) -> str:
    """French number: 7.8 -> "7,8", 9.0 -> "9", 12345 -> "12 345" (territories.formatting.number)."""
    return formatting.number(value, digits)


def km(value: float | None) -> str:
    """A distance: "0,9 km", "12 km" (territories.formatting.km)."""
    return formatting.km(value)


def distance_note(access) -> str:
    """What a distance is and where the place comes from: "(à vol d'oiseau depuis le centre de la commune ; ANCT,
    Liste des structures labellisées France services, février 2023)"."""
    source = access.citation.removeprefix("Source : ") if access.citation else "source non précisée"
    return f"(à vol d'oiseau depuis le centre de la commune ; {source})"


def answer_status(facts: PlanFacts, key: str) -> tuple[str | None, object]:
    """(None, value) for a known answer, else (UNKNOWN_STATUS, value)."""
    value = facts.answer(key)
    return (None, value) if is_known(value) else (UNKNOWN_STATUS, value)


def unknown_text(key: str, value) -> str:
    question = QUESTIONS[key]
    if value is None:
        return f"Question « {question.label} » sans réponse : point non évalué, la confiance baisse."
    return f"Réponse « {UNKNOWN_LABEL} » à la question « {question.label} » : point non évalué, la confiance baisse."


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 lieu", "3 lieux", "0 agent": the count (French thousands separator) and the agreed noun."""
    return formatting.plural(count, singular, plural_form or singular + "s")


COVERAGE_PARTS = ("no_thd_coverage", "no_4g_coverage")


def ifn_note(*figures: IfnFigure) -> str:
    """What the figures are and their vintage, once for a sentence: "(sous-indices de l'indice de fragilité
    numérique de La Mednum, de 1 à 10, 10 = le plus fragile, IFN publié 2023–2024)"."""
    known = [f for f in figures if f is not None]
    if not known:
        return ""
    if all(f.part == "total" for f in known):
        what = "indice de fragilité numérique de La Mednum"
    else:
        what = "sous-indice" + ("s" if len(known) > 1 else "") + " de l'indice de fragilité numérique de La Mednum"
    vintages = list(dict.fromkeys(f.vintage for f in known if f.vintage))
    vintage = ", ".join(vintages) if vintages else "date de publication non précisée"
    note = f"{what}, de 1 à 10, 10 = le plus fragile, {vintage}"
    if any(f.part in COVERAGE_PARTS for f in known):
        note += " ; calculé sur des données de couverture de l'Arcep antérieures : la couverture a pu progresser depuis"
    return f"({note})"


def ifn_comparison(figure: IfnFigure, *, note: bool = True) -> str:
    """ "part des 65 ans et plus : 9/10 contre 6 pour la médiane du département (sous-indice … publié 2023–2024)";
    `note=False` when the sentence adds `ifn_note()` once for several figures."""
    scope = " (valeur de l'intercommunalité, la commune n'en a pas)" if figure.scope == "epci" else ""
    if figure.median is None:
        text = f"{figure.label} : {fr(figure.value)}/10{scope} (médiane du département indisponible)"
    else:
        text = (
            f"{figure.label} : {fr(figure.value)}/10{scope} contre {fr(figure.median)} pour la médiane du département"
        )
    return f"{text} {ifn_note(figure)}" if note else text


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
