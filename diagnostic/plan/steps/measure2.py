"""Measure 2: its candidate steps, each with its condition, in the order they are proposed."""

from diagnostic.plan.facts import AIDANTS_CONNECT, LARGE, MEDIUM, SMALL
from diagnostic.plan.steps.conditions import (
    all_of,
    answer_is,
    answer_not,
    no_partner_near,
    partner_near,
    size_in,
    unknown,
)
from diagnostic.plan.steps.types import Step

STEPS = (
    Step(
        "Inscrire un agent d'accueil à une formation courte à l'accompagnement numérique (demander au Hub les "
        "sessions proches) ; Les Bons Clics propose gratuitement des parcours et des ressources pour les aidants.",
        answer_is("sk_trained_agents", 0),
        links=("les_bons_clics",),
    ),
    Step(
        "Compter les agents d'accueil (mairie, CCAS, médiathèque) déjà formés à l'accompagnement numérique, et "
        "former au moins l'un d'eux s'il n'y en a aucun.",
        unknown("sk_trained_agents"),
        links=("les_bons_clics",),
    ),
    Step(
        "Orienter vers {partner} (à {distance}), structure habilitée Aidants Connect, les habitants qui ont besoin "
        "qu'un aidant fasse une démarche en ligne à leur place.",
        all_of(answer_not("sk_aidants_connect", "yes"), partner_near(AIDANTS_CONNECT)),
        links=("aidants_connect",),
        partner=AIDANTS_CONNECT,
    ),
    Step(
        "Faire habiliter un agent d'accueil (mairie ou CCAS) à Aidants Connect pour faire une démarche à la place "
        "d'un habitant, en sécurité : la structure dépose la demande ; la formation est payante, une prise en "
        "charge est possible.",
        all_of(answer_is("sk_aidants_connect", "no"), no_partner_near(AIDANTS_CONNECT)),
        links=("aidants_connect_habilitation", "aidants_connect_demande"),
    ),
    Step(
        "Vérifier si un agent de la mairie ou du CCAS est déjà habilité Aidants Connect.",
        unknown("sk_aidants_connect"),
        links=("aidants_connect",),
    ),
    Step(
        "Publier sur le site de la commune la déclaration d'accessibilité obligatoire (état de conformité au "
        "RGAA, contact, recours) avec le générateur gratuit, et former l'agent qui met le site à jour aux bases "
        "du RGAA.",
        answer_is("ac_statement", "no"),
        links=("declaration_accessibilite", "generateur_declaration", "rgaa", "ara"),
    ),
    Step(
        "Vérifier si le site de la commune publie sa déclaration d'accessibilité (une page « Accessibilité » "
        "accessible depuis la page d'accueil) ; sinon, la publier.",
        unknown("ac_statement"),
        links=("declaration_accessibilite", "generateur_declaration"),
    ),
    Step(
        "Relire en langage clair les formulaires et courriers les plus utilisés de la mairie avec la méthode et "
        "les fiches de la DITP ; pour les personnes avec un handicap intellectuel, suivre les règles « Facile à "
        "lire et à comprendre » (FALC).",
        answer_is("ac_plain_language", "no"),
        links=("langage_clair", "simplifier_documents", "unapei"),
    ),
    Step(
        "Vérifier avec le secrétariat si les formulaires et courriers de la mairie ont été relus en langage clair.",
        unknown("ac_plain_language"),
        links=("langage_clair",),
    ),
    Step(
        "Prévoir un plan de formation annuel des agents d'accueil (mairie, CCAS, médiathèques) ; les médiateurs "
        "numériques de la commune peuvent suivre la formation continue de La Mednum.",
        size_in(MEDIUM, LARGE),
        links=("lamednum_formation",),
    ),
    Step(
        "Afficher au guichet la liste des démarches que l'agent peut faire avec l'habitant.",
        answer_not("ac_desk_help", "no"),
    ),
    Step(
        "Mutualiser la formation avec les communes voisines ou l'intercommunalité.",
        size_in(SMALL),
    ),
    Step("Partager entre agents une fiche des sites publics les plus demandés (impôts, CAF, ANTS, France Travail)."),
    Step("Faire le point chaque trimestre avec les agents d'accueil sur les demandes d'aide reçues."),
)
