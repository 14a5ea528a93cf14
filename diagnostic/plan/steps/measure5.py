"""Measure 5: its candidate steps, each with its condition, in the order they are proposed."""

from diagnostic.plan.facts import LARGE, MEDIATION, MEDIUM
from diagnostic.plan.rules.thresholds import PUBLIC_COMPUTER_HOURS_ENOUGH
from diagnostic.plan.steps.conditions import (
    GAPS_OR_COMPLAINTS,
    above,
    all_of,
    answer_is,
    answer_not,
    any_of,
    below,
    fewer_than,
    has_choice,
    no_partner_near,
    partner_near,
    size_in,
    unknown,
)
from diagnostic.plan.steps.types import Step

STEPS = (
    Step(
        "Orienter les habitants vers du matériel reconditionné à prix solidaire (Emmaüs Connect, LaCollecte.tech : "
        "60 à 150 € selon les articles) et donner le matériel informatique réformé de la mairie (la moitié doit "
        "aller au réemploi depuis 2025).",
        answer_not("eq_loan_refurbished", "both"),
        links=("emmaus_connect", "lacollecte", "reemploi_materiel"),
    ),
    Step(
        "Signaler les secteurs mal couverts à l'Arcep avec « J'alerte l'Arcep » (profil collectivité), après les "
        "avoir vérifiés sur « Mon réseau mobile » et « Ma connexion internet » ; transmettre les zones sans 4G à "
        "l'équipe projet du dispositif de couverture ciblée (New Deal Mobile) du département, coprésidée par la "
        "préfecture et le conseil départemental.",
        all_of(answer_is("co_reported_gaps", "no"), GAPS_OR_COMPLAINTS),
        links=("jalerte_arcep", "mon_reseau_mobile", "ma_connexion_internet", "couverture_ciblee_exemple"),
    ),
    Step(
        "Vérifier si la commune a déjà signalé ses secteurs mal couverts (à l'Arcep, aux opérateurs, au "
        "département) ; sinon, les signaler avec « J'alerte l'Arcep ».",
        all_of(unknown("co_reported_gaps"), GAPS_OR_COMPLAINTS),
        links=("jalerte_arcep",),
    ),
    Step(
        "Repérer les secteurs mal desservis de la commune sur « Ma connexion internet » (internet fixe) et « Mon "
        "réseau mobile » (4G).",
        any_of(unknown("co_fixed_gaps"), unknown("co_mobile_gaps")),
        links=("ma_connexion_internet", "mon_reseau_mobile"),
    ),
    Step(
        "Demander au lieu de médiation {partner} (à {distance}) d'intervenir régulièrement sur la commune "
        "(permanence ou atelier).",
        all_of(answer_is("sk_conseiller_numerique", "no"), partner_near(MEDIATION)),
        partner=MEDIATION,
    ),
    Step(
        "Demander l'intervention régulière d'un conseiller numérique d'une structure voisine ou du département "
        "(l'État ne finance plus de nouveaux postes depuis mai 2025).",
        all_of(answer_is("sk_conseiller_numerique", "no"), no_partner_near(MEDIATION)),
        links=("conseiller_numerique",),
    ),
    Step(
        "Vérifier auprès de l'intercommunalité et des lieux de médiation voisins si un conseiller numérique "
        "intervient déjà sur la commune, et le faire connaître aux habitants.",
        unknown("sk_conseiller_numerique"),
        links=("conseiller_numerique",),
    ),
    Step(
        "Mettre à disposition un ou deux ordinateurs en accès libre en mairie ou à la médiathèque.",
        answer_is("eq_public_computers", 0),
    ),
    Step(
        "Recenser les ordinateurs en accès libre dans les lieux de la commune (mairie, médiathèque, espace "
        "numérique) et leurs horaires d'ouverture.",
        any_of(
            unknown("eq_public_computers"),
            all_of(above("eq_public_computers", 0), unknown("eq_public_computer_hours")),
        ),
    ),
    Step(
        f"Ouvrir les ordinateurs en accès libre au moins {PUBLIC_COMPUTER_HOURS_ENOUGH} heures par semaine, par "
        "exemple aux heures d'ouverture de la médiathèque.",
        all_of(above("eq_public_computers", 0), below("eq_public_computer_hours", PUBLIC_COMPUTER_HOURS_ENOUGH)),
    ),
    Step(
        "Proposer un Wi-Fi public gratuit dans les bâtiments communaux et dans un lieu ouvert à tous (place, "
        "salle des fêtes), utilisable en dehors des horaires de la mairie.",
        any_of(answer_is("eq_wifi_public_buildings", "no"), answer_is("co_outdoor_wifi", "no")),
    ),
    Step(
        "Pour les personnes âgées signalées comme manquant d'équipement : monter avec le CCAS ou le CIAS des "
        "ateliers numériques et des prêts de tablettes, à faire financer par la conférence des financeurs de la "
        "prévention de la perte d'autonomie du département ; les caisses de retraite et la MSA proposent aussi "
        "des ateliers (Pour bien vieillir).",
        has_choice("eq_needs_reported", "seniors"),
        links=("conference_financeurs", "pour_bien_vieillir"),
    ),
    Step(
        "Pour les jeunes signalés comme manquant d'équipement : les orienter vers le matériel reconditionné à prix "
        "solidaire et leur proposer Pix, gratuit, pour évaluer et faire certifier leurs compétences numériques.",
        has_choice("eq_needs_reported", "young"),
        links=("pix", "emmaus_connect"),
    ),
    Step(
        "Pour les demandeurs d'emploi signalés comme manquant d'équipement : leur réserver des créneaux sur les "
        "ordinateurs publics et faire le point sur leurs besoins avec ABC Diag, gratuit et sans compte.",
        has_choice("eq_needs_reported", "jobseekers"),
        links=("abc_diag",),
    ),
    Step(
        "Pour les familles signalées comme manquant d'équipement : proposer des ateliers parents (espace "
        "numérique de l'école, démarches de la CAF) avec une association de médiation.",
        has_choice("eq_needs_reported", "families"),
        links=("les_bons_clics",),
    ),
    Step(
        "Demander au conseil départemental, ou au syndicat qui porte le réseau d'initiative publique de fibre, "
        "le calendrier de déploiement de la fibre sur la commune, et le publier pour les habitants.",
        answer_is("co_fibre_schedule", "no", None, "unknown"),
        links=("rip_thd", "ma_connexion_internet"),
    ),
    Step(
        "Tenir un registre des plaintes de connexion reçues en mairie (adresse, opérateur, problème) : il appuie "
        "les signalements à l'Arcep et au département.",
        answer_is("co_complaints", "often", "sometimes"),
    ),
    Step(
        "Organiser des ateliers collectifs avec une association de médiation pour les publics signalés (les "
        "parcours Pix pour la médiation numérique sont gratuits).",
        fewer_than("sk_workshops", 1),
        links=("pix_mediation",),
    ),
    Step(
        "Demander le label « conseiller numérique » pour la structure qui emploie le conseiller (formation "
        "continue financée) et suivre son activité avec La Coop de la médiation numérique, gratuite.",
        answer_is("sk_conseiller_numerique", "hosted"),
        links=("conseiller_numerique_label", "coop"),
    ),
    Step("Lancer une collecte de matériel informatique usagé pour le faire reconditionner.", size_in(MEDIUM, LARGE)),
    Step(
        "Relayer les lieux de médiation proches (ce plan, la cartographie nationale) dans le bulletin municipal.",
        links=("cartographie",),
    ),
    Step(
        "Faire apparaître les lieux d'aide de la commune (mairie, médiathèque) sur la cartographie nationale.",
        links=("cartographie_referencer",),
    ),
)
