"""Measure 4: its candidate steps, each with its condition, in the order they are proposed."""

from diagnostic.plan.facts import FRANCE_SERVICES, LARGE, MEDIATION, MEDIUM, SMALL, UNKNOWN_SIZE
from diagnostic.plan.rules.thresholds import PHONE_HOURS_ENOUGH
from diagnostic.plan.steps.conditions import (
    HAS_ONLINE_PROCEDURES,
    NO_MEDIATION_WITHIN_10KM,
    all_of,
    answer_is,
    answer_not,
    any_of,
    below,
    no_partner_near,
    partner_near,
    size_in,
    unknown,
)
from diagnostic.plan.steps.types import Step

STEPS = (
    Step(
        "Convenir avec {partner} (à {distance}) d'une permanence numérique régulière en mairie, et y orienter les "
        "habitants en attendant.",
        all_of(answer_is("sk_drop_in", "none", "occasional"), partner_near(MEDIATION)),
        partner=MEDIATION,
    ),
    Step(
        "Vérifier si des permanences numériques ont déjà lieu sur la commune (médiathèque, CCAS, association) et "
        "les faire connaître ; sinon, en organiser une.",
        unknown("sk_drop_in"),
    ),
    Step(
        "Ouvrir une permanence numérique mensuelle en mairie, avec un conseiller numérique ou une association voisine.",
        all_of(size_in(SMALL), answer_is("sk_drop_in", "none", "occasional"), no_partner_near(MEDIATION)),
    ),
    Step(
        "Ouvrir une permanence numérique hebdomadaire dans un lieu central (médiathèque, centre social).",
        all_of(size_in(MEDIUM, LARGE), answer_is("sk_drop_in", "none", "occasional", "monthly")),
    ),
    Step(
        "Orienter vers {partner} (à {distance}) les habitants qui ont besoin d'aide pour leurs démarches "
        "administratives (impôts, CAF, retraite, titres d'identité) : l'accueil y est gratuit.",
        partner_near(FRANCE_SERVICES),
        links=("france_services",),
        partner=FRANCE_SERVICES,
    ),
    Step(
        "Faire venir un bus ou une permanence itinérante (France services, département) dans les hameaux éloignés.",
        all_of(size_in(SMALL, MEDIUM, UNKNOWN_SIZE), NO_MEDIATION_WITHIN_10KM),
    ),
    Step(
        "Garder pour chaque démarche en ligne de la commune une alternative au guichet, par téléphone ou par "
        "courrier, et l'indiquer sur la page de la démarche.",
        all_of(HAS_ONLINE_PROCEDURES, answer_is("ac_offline_alternative", "most", "some", "none")),
    ),
    Step(
        "Lister les démarches que la commune propose en ligne (état civil, inscriptions scolaires, urbanisme…) "
        "et vérifier pour chacune qu'un habitant peut la faire au guichet, par téléphone ou par courrier.",
        all_of(HAS_ONLINE_PROCEDURES, any_of(unknown("ac_online_procedures"), unknown("ac_offline_alternative"))),
    ),
    Step(
        f"Élargir l'accueil téléphonique de la mairie à au moins {PHONE_HOURS_ENOUGH} heures par semaine (par "
        "exemple deux heures chaque jour ouvré) et afficher ses horaires.",
        below("ac_phone_hours", PHONE_HOURS_ENOUGH),
    ),
    Step(
        "Relever les horaires de l'accueil téléphonique de la mairie et les publier sur le site et à l'affichage.",
        unknown("ac_phone_hours"),
    ),
    Step(
        "Annoncer les permanences et les lieux d'aide proches dans le bulletin municipal, à l'affichage et au guichet."
    ),
    Step("Proposer des rendez-vous pour les démarches longues (impôts, retraite, titres d'identité)."),
    Step(
        "Proposer un ordinateur et une imprimante en libre accès pendant les permanences.",
        answer_not("eq_printer_scanner", "yes"),
    ),
    Step(
        "Pendant les périodes électorales, aider à l'inscription en ligne sur les listes (le « kit élections » de "
        "la Région Sud, de décembre 2025, a été préparé pour les municipales de mars 2026).",
        answer_not("st_elections_help", "yes"),
    ),
)
