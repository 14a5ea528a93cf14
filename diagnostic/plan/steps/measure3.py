"""Measure 3: its candidate steps, each with its condition, in the order they are proposed."""

from diagnostic.plan.facts import SMALL
from diagnostic.plan.steps.conditions import answer_not, size_in
from diagnostic.plan.steps.types import Step

STEPS = (
    Step(
        "Contacter {hub} pour connaître la feuille de route France Numérique Ensemble du département.",
        answer_not("st_hub_contact", "yes"),
        links=("fne",),
    ),
    Step(
        "Demander à participer à la gouvernance France Numérique Ensemble du département (ses membres sont en "
        "ligne) ; une collectivité peut demander à la rejoindre depuis Mon Inclusion Numérique.",
        answer_not("st_fne_roadmap", "participates"),
        links=("fne_gouvernance", "mon_inclusion_numerique"),
    ),
    Step("Désigner un élu ou un agent référent pour l'inclusion numérique.", answer_not("st_referent", "yes")),
    Step(
        "Prévoir une ligne budgétaire, même modeste, et repérer les financements de la feuille de route "
        "départementale.",
        answer_not("st_budget", "yes"),
        links=("fne_feuille_de_route",),
    ),
    Step("Porter le sujet à l'intercommunalité pour une action commune.", size_in(SMALL)),
    Step(
        "Suivre les dispositifs avec la lettre d'information de La Mednum et les ressources gratuites des Bases "
        "du numérique d'intérêt général.",
        links=("lamednum", "les_bases"),
    ),
    Step("Partager ce plan avec {hub} pour repérer les financements et dispositifs disponibles."),
)
