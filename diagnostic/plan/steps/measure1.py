"""Measure 1: its candidate steps, each with its condition, in the order they are proposed."""

from diagnostic.plan.facts import LARGE, MEDIUM, SMALL
from diagnostic.plan.steps.conditions import ANY_UNKNOWN_ANSWER, all_of, answer_not, fewer_than, size_in, unknown
from diagnostic.plan.steps.types import Step

STEPS = (
    Step(
        "Compléter les réponses « Je ne sais pas » du diagnostic avec le secrétariat, le CCAS et la médiathèque.",
        ANY_UNKNOWN_ANSWER,
    ),
    Step(
        "Demander au CCAS, à la médiathèque et aux associations pour quels publics un manque d'équipement est "
        "constaté (personnes âgées, jeunes, demandeurs d'emploi, familles), pour cibler les actions.",
        unknown("eq_needs_reported"),
    ),
    Step(
        "Lister sur une page les lieux d'aide au numérique proches (ceux de ce plan et de la cartographie "
        "nationale) et la remettre aux agents d'accueil.",
        answer_not("sk_referral", "yes"),
        links=("cartographie",),
    ),
    Step(
        "Rencontrer les acteurs voisins (France services, médiathèque, association) pour se répartir l'accueil "
        "des habitants.",
        fewer_than("st_partners", 2),
    ),
    Step(
        "Présenter ce diagnostic en conseil municipal et désigner un élu référent.",
        all_of(size_in(SMALL, MEDIUM), answer_not("st_referent", "yes")),
    ),
    Step(
        "Cartographier les besoins par quartier avec le CCAS et les centres sociaux (données IRIS de l'INSEE).",
        size_in(LARGE),
    ),
    Step(
        "Consulter les indicateurs, les lieux et les acteurs de l'inclusion numérique du département sur le site "
        "de l'ANCT.",
        links=("donnees_territoriales",),
    ),
    Step("Mettre à jour ce diagnostic dans un an pour mesurer les progrès."),
    Step("Partager ce diagnostic avec les partenaires locaux et leur demander ce qu'ils observent."),
)
