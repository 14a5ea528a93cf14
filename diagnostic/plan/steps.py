"""Concrete next steps for each measure: 2 to 4 per measure, adapted to the commune's size and answers.

Each measure has a list of candidate steps, each with a condition on the facts; the first ones that apply are kept
(at most `MAX_STEPS`), and generic steps (no condition) fill up to `MIN_STEPS`: every measure has at least
`MIN_STEPS` generic steps, so a step that the answers contradict is never proposed.

Every condition is built from the helpers below, which declare what they read (`Reads`): `Step.reads` is what a
step reads, and `diagnostic.plan.selectors.questions_read()` the questions read by the rules and steps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from diagnostic.plan.facts import LARGE, MEDIATION, MEDIUM, SMALL, UNKNOWN_SIZE, PlanFacts, hub_phrase
from diagnostic.plan.reads import Reads

MIN_STEPS = 2
MAX_STEPS = 4


@dataclass(frozen=True)
class Condition:
    """A test on the facts, with what it reads."""

    test: Callable[[PlanFacts], bool]
    reads: Reads

    def __call__(self, facts: PlanFacts) -> bool:
        return self.test(facts)


ALWAYS = Condition(lambda facts: True, Reads())


@dataclass(frozen=True)
class Step:
    text: str
    when: Condition = ALWAYS

    @property
    def generic(self) -> bool:
        return self.when is ALWAYS

    @property
    def reads(self) -> Reads:
        """What the condition reads, and the Hub's name when the text names the Hub."""
        hub = Reads(data=("hub_name",)) if "{hub}" in self.text or "{au_hub}" in self.text else Reads()
        return self.when.reads | hub


def _is(key, *values):
    return Condition(lambda facts: facts.answer(key) in values, Reads(questions=(key,)))


def _not(key, *values):
    """True unless the answer is one of `values` (an unknown or missing answer keeps the step proposed)."""
    return Condition(lambda facts: facts.answer(key) not in values, Reads(questions=(key,)))


def _fewer_than(key, count):
    """True unless the MULTIPLE answer lists at least `count` real choices."""

    def condition(facts):
        value = facts.answer(key)
        chosen = [v for v in value if v not in ("none", "unknown")] if isinstance(value, list) else []
        return len(chosen) < count

    return Condition(condition, Reads(questions=(key,)))


def _size(*sizes):
    return Condition(lambda facts: facts.size in sizes, Reads(data=("population",)))


def _all(*conditions):
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


STEPS: dict[int, tuple[Step, ...]] = {
    1: (
        Step(
            "Compléter les réponses « Je ne sais pas » du diagnostic avec le secrétariat, le CCAS et la médiathèque.",
            ANY_UNKNOWN_ANSWER,
        ),
        Step(
            "Lister sur une page les lieux d'aide au numérique proches (ceux de ce plan) et la remettre aux agents "
            "d'accueil.",
            _not("sk_referral", "yes"),
        ),
        Step(
            "Rencontrer les acteurs voisins (France services, médiathèque, association) pour se répartir l'accueil "
            "des habitants.",
            _fewer_than("st_partners", 2),
        ),
        Step(
            "Présenter ce diagnostic en conseil municipal et désigner un élu référent.",
            _all(_size(SMALL, MEDIUM), _not("st_referent", "yes")),
        ),
        Step(
            "Cartographier les besoins par quartier avec le CCAS et les centres sociaux (données IRIS de l'INSEE).",
            _size(LARGE),
        ),
        Step("Mettre à jour ce diagnostic dans un an pour mesurer les progrès."),
        Step("Partager ce diagnostic avec les partenaires locaux et leur demander ce qu'ils observent."),
    ),
    2: (
        Step(
            "Inscrire un agent d'accueil à une formation courte à l'accompagnement numérique (demander au Hub les "
            "sessions proches).",
            _is("sk_trained_agents", None, "unknown", 0),
        ),
        Step(
            "Habiliter un agent à Aidants Connect pour faire les démarches à la place d'un habitant, en sécurité.",
            _not("sk_aidants_connect", "yes"),
        ),
        Step(
            "Prévoir un plan de formation annuel des agents d'accueil (mairie, CCAS, médiathèques).",
            _size(MEDIUM, LARGE),
        ),
        Step(
            "Afficher au guichet la liste des démarches que l'agent peut faire avec l'habitant.",
            _not("ac_desk_help", "no"),
        ),
        Step(
            "Mutualiser la formation avec les communes voisines ou l'intercommunalité.",
            _size(SMALL),
        ),
        Step(
            "Partager entre agents une fiche des sites publics les plus demandés (impôts, CAF, ANTS, France Travail)."
        ),
        Step("Faire le point chaque trimestre avec les agents d'accueil sur les demandes d'aide reçues."),
    ),
    3: (
        Step(
            "Contacter {hub} pour connaître la feuille de route France Numérique Ensemble du département.",
            _not("st_hub_contact", "yes"),
        ),
        Step(
            "Demander au département à participer à la gouvernance locale de la feuille de route.",
            _not("st_fne_roadmap", "participates"),
        ),
        Step("Désigner un élu ou un agent référent pour l'inclusion numérique.", _not("st_referent", "yes")),
        Step(
            "Prévoir une ligne budgétaire, même modeste, et repérer les appels à projets du département.",
            _not("st_budget", "yes"),
        ),
        Step("Porter le sujet à l'intercommunalité pour une action commune.", _size(SMALL)),
        Step("S'inscrire à la lettre d'information de La Mednum pour suivre les dispositifs."),
        Step("Partager ce plan avec {hub} pour repérer les financements et dispositifs disponibles."),
    ),
    4: (
        Step(
            "Ouvrir une permanence numérique mensuelle en mairie, avec un conseiller numérique ou une association "
            "voisine.",
            _all(_size(SMALL), _is("sk_drop_in", "none", "occasional", None, "unknown")),
        ),
        Step(
            "Ouvrir une permanence numérique hebdomadaire dans un lieu central (médiathèque, centre social).",
            _all(_size(MEDIUM, LARGE), _is("sk_drop_in", "none", "occasional", "monthly", None, "unknown")),
        ),
        Step(
            "Faire venir un bus ou une permanence itinérante (France services, département) dans les hameaux éloignés.",
            _all(_size(SMALL, MEDIUM, UNKNOWN_SIZE), NO_MEDIATION_WITHIN_10KM),
        ),
        Step(
            "Annoncer les permanences et les lieux d'aide proches dans le bulletin municipal, à l'affichage et "
            "au guichet."
        ),
        Step("Proposer des rendez-vous pour les démarches longues (impôts, retraite, titres d'identité)."),
        Step(
            "Proposer un ordinateur et une imprimante en libre accès pendant les permanences.",
            _not("eq_printer_scanner", "yes"),
        ),
        Step(
            "Pendant la période électorale, aider à l'inscription en ligne sur les listes (« kit élections »).",
            _not("st_elections_help", "yes"),
        ),
    ),
    5: (
        Step(
            "Orienter les habitants vers un reconditionneur ou un dispositif de matériel à prix solidaire "
            "(demander {au_hub}).",
            _not("eq_loan_refurbished", "both"),
        ),
        Step(
            "Demander l'intervention régulière d'un conseiller numérique (structure voisine ou département).",
            _is("sk_conseiller_numerique", "no", None, "unknown"),
        ),
        Step(
            "Mettre à disposition un ou deux ordinateurs en accès libre en mairie ou à la médiathèque.",
            _is("eq_public_computers", None, "unknown", 0),
        ),
        Step(
            "Organiser des ateliers collectifs avec une association de médiation pour les publics signalés.",
            _fewer_than("sk_workshops", 1),
        ),
        Step("Lancer une collecte de matériel informatique usagé pour le faire reconditionner.", _size(MEDIUM, LARGE)),
        Step("Relayer les lieux de médiation proches (ce plan) dans le bulletin municipal."),
        Step("Recenser avec le CCAS les besoins d'équipement pour cibler les prêts et les dons."),
    ),
}


def next_steps(number: int, facts: PlanFacts) -> list[str]:
    """2 to 4 next steps for a measure."""
    steps = STEPS[number]
    chosen = [s for s in steps if s.when(facts)][:MAX_STEPS]
    for step in steps:  # fill up with the measure's generic steps (never one the answers contradict)
        if len(chosen) >= MIN_STEPS:
            break
        if step.generic and step not in chosen:
            chosen.append(step)
    return [s.text.format(hub=hub_phrase(facts.hub_name), au_hub=hub_phrase(facts.hub_name, "au")) for s in chosen]
