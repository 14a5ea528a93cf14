"""The five measures of the La Mednum / InterHubs webinar "Agir contre les inégalités numériques dans votre
commune" (3 February 2026), slide "Les mesures simples à mettre en place"."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    number: int
    short_title: str
    title: str  # the webinar's wording


MEASURES: tuple[Measure, ...] = (
    Measure(
        1,
        "Comprendre les inégalités et identifier les acteurs",
        "Mieux identifier et comprendre les inégalités numériques sur mon territoire, et identifier les acteurs "
        "présents",
    ),
    Measure(
        2,
        "Former les agents de la commune",
        "Former les agent·es de votre commune à mieux accompagner les habitant·es sur le numérique",
    ),
    Measure(
        3,
        "Rejoindre la stratégie départementale et France Numérique Ensemble",
        "Participer à la stratégie d'inclusion numérique de mon département et bénéficier des actions et "
        "dispositifs disponibles dans le cadre de France Numérique Ensemble",
    ),
    Measure(
        4,
        "Organiser des permanences numériques",
        "Organiser des permanences numériques auprès des habitant·es de votre territoire",
    ),
    Measure(
        5,
        "Mobiliser les acteurs de la médiation et le matériel reconditionné",
        "Mobiliser les acteurs de la médiation numérique pour que les citoyens aient accès à de "
        "l'accompagnement au numérique et à des équipements informatiques reconditionnés",
    ),
)

MEASURE_BY_NUMBER = {m.number: m for m in MEASURES}
