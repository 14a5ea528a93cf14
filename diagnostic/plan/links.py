"""The official links the plan's next steps cite: one entry per link, with its owner, what it brings to the commune
(what it funds or costs) and the month it was last checked.

Every URL comes from the team's checked list (LINKS.md beside the open data folder: each URL with where it was seen);
a test fails on a duplicate, a malformed URL or a URL that list does not hold. Resources the list could not find
("introuvable": La Mednum's newsletter sign-up page, the "Agir contre les inégalités numériques" pack, the InterHubs
directory, the Kit élections, a national New Deal Mobile page) get no URL: a step may name them, never link them.

A URL may hold `{code}`, the département's code (the France Numérique Ensemble pages of a département).
"""

from __future__ import annotations

from dataclasses import dataclass

from territories import formatting

# LINKS.md: "Relevé de décembre 2026".
CHECKED_DECEMBER_2026 = "2026-12"


@dataclass(frozen=True)
class Link:
    key: str
    label: str  # French, as the step shows it
    url: str
    owner: str
    brings: str  # what it brings to the commune, what it funds or costs (French)
    checked: str = CHECKED_DECEMBER_2026  # "YYYY-MM": month of the last check

    @property
    def checked_label(self) -> str:
        """ "décembre 2026"."""
        year, month = self.checked.split("-")
        return f"{formatting.MONTHS[int(month) - 1]} {year}"

    @property
    def per_departement(self) -> bool:
        return "{code}" in self.url

    def for_departement(self, code: str) -> Link | None:
        """The link with the département's code filled in (None when the link needs a code that is unknown)."""
        if not self.per_departement:
            return self
        if not code:
            return None
        return Link(self.key, self.label, self.url.replace("{code}", code), self.owner, self.brings, self.checked)


ALL_LINKS: tuple[Link, ...] = (
    # Aidants Connect
    Link(
        "aidants_connect",
        "Aidants Connect",
        "https://aidantsconnect.beta.gouv.fr/",
        "ANCT",
        "Permet à un agent d'accueil habilité (mairie, CCAS, France services) de faire une démarche en ligne à la "
        "place d'un habitant, avec un mandat sécurisé.",
    ),
    Link(
        "aidants_connect_habilitation",
        "Aidants Connect : l'habilitation",
        "https://aidantsconnect.beta.gouv.fr/habilitation/",
        "ANCT",
        "Qui peut être habilité (agents salariés ; pas les élus, les bénévoles ni les services civiques) et les "
        "étapes ; la formation est payante, une prise en charge est possible.",
    ),
    Link(
        "aidants_connect_demande",
        "Aidants Connect : déposer une demande d'habilitation",
        "https://aidantsconnect.beta.gouv.fr/habilitation/nouvelle/",
        "ANCT",
        "Formulaire déposé par le référent de la structure, avec la liste des aidants ; formation finançable par "
        "Uniformation ou France Numérique Ensemble.",
    ),
    # Conseillers numériques
    Link(
        "conseiller_numerique",
        "Dispositif Conseiller numérique",
        "https://www.conseiller-numerique.gouv.fr/",
        "ANCT",
        "Médiateurs cofinancés par l'État ; l'attribution de nouveaux postes est suspendue depuis mai 2025.",
    ),
    Link(
        "conseiller_numerique_label",
        "Label « conseiller numérique » pour les structures",
        "https://www.conseiller-numerique.gouv.fr/label",
        "ANCT",
        "Pour une structure qui emploie ou a employé un conseiller numérique : formation continue financée, "
        "communauté, outils.",
    ),
    Link(
        "coop",
        "La Coop de la médiation numérique",
        "https://coop-numerique.anct.gouv.fr/",
        "ANCT",
        "Outil gratuit des médiateurs : comptes rendus d'activité, statistiques, outils.",
    ),
    # France services
    Link(
        "france_services",
        "France services",
        "https://www.france-services.gouv.fr/",
        "ANCT",
        "Guichets uniques pour les démarches administratives, gratuits ; recherche de la France services la plus "
        "proche par commune.",
    ),
    # France Numérique Ensemble, département's strategy
    Link(
        "fne",
        "France Numérique Ensemble",
        "https://www.societenumerique.gouv.fr/nos-missions/france-numerique-ensemble",
        "ANCT, programme Société numérique",
        "Cadre national 2023-2027 : gouvernance et feuille de route de l'inclusion numérique dans chaque département.",
    ),
    Link(
        "fne_gouvernance",
        "Gouvernance France Numérique Ensemble du département",
        "https://inclusion-numerique.anct.gouv.fr/vitrine/donnees-territoriales/gouvernances/departement/{code}",
        "ANCT",
        "Membres et co-porteurs de la gouvernance départementale : à qui demander pour y participer.",
    ),
    Link(
        "fne_feuille_de_route",
        "Feuille de route France Numérique Ensemble du département",
        "https://inclusion-numerique.anct.gouv.fr/vitrine/donnees-territoriales/feuille-de-route/departement/{code}",
        "ANCT",
        "Actions et financements de la feuille de route départementale.",
    ),
    Link(
        "donnees_territoriales",
        "Inclusion numérique : données territoriales",
        "https://inclusion-numerique.anct.gouv.fr/vitrine/donnees-territoriales",
        "ANCT",
        "Indicateurs, lieux, médiateurs, gouvernances et feuilles de route par département.",
    ),
    Link(
        "mon_inclusion_numerique",
        "Mon Inclusion Numérique",
        "https://mon.inclusion-numerique.anct.gouv.fr/",
        "ANCT",
        "Espace des membres des gouvernances : une collectivité peut demander à rejoindre la gouvernance de son "
        "département.",
    ),
    Link(
        "les_bases",
        "Les Bases du numérique d'intérêt général",
        "https://lesbases.anct.gouv.fr/",
        "ANCT",
        "Ressources méthodologiques gratuites : feuilles de route, kits, fiches.",
    ),
    # La Mednum
    Link(
        "lamednum",
        "La Mednum",
        "https://lamednum.coop/",
        "La Mednum (coopérative)",
        "Coopérative nationale de la médiation numérique : formations, outils, accompagnement des collectivités.",
    ),
    Link(
        "lamednum_formation",
        "La Mednum : formations",
        "https://lamednum.coop/formation",
        "La Mednum (coopérative)",
        "Formation continue des médiateurs : financée par l'État pour les conseillers numériques, par l'employeur "
        "pour les autres.",
    ),
    # Skills
    Link(
        "pix",
        "Pix",
        "https://pix.fr",
        "GIP Pix",
        "Évaluation et certification gratuites des compétences numériques.",
    ),
    Link(
        "pix_mediation",
        "Pix pour la médiation numérique",
        "https://pix.fr/mediation-numerique",
        "GIP Pix",
        "Parcours et tests pour les publics des médiateurs, sans compte, sur smartphone, énoncés en FALC ; gratuit.",
    ),
    Link(
        "abc_diag",
        "ABC Diag",
        "https://pix.fr/abc-diag",
        "GIP Pix",
        "Diagnostic gratuit en 10 questions, sans compte, pour orienter un habitant.",
    ),
    Link(
        "les_bons_clics",
        "Les Bons Clics",
        "https://www.lesbonsclics.fr/fr/",
        "WeTechCare (association)",
        "Plateforme gratuite : diagnostic, parcours d'apprentissage et ressources pour les aidants (agents de "
        "mairie, CCAS).",
    ),
    # Places
    Link(
        "cartographie",
        "Cartographie nationale des lieux d'inclusion numérique",
        "https://cartographie.societenumerique.gouv.fr/",
        "ANCT",
        "Carte des lieux de médiation, intégrable gratuitement sur le site de la mairie.",
    ),
    Link(
        "cartographie_referencer",
        "Faire apparaître ou modifier un lieu sur la cartographie nationale",
        "https://lesbases.anct.gouv.fr/ressources/comment-apparaitre-ou-modifier-vos-donnees-sur-la-cartographie-"
        "nationale",
        "ANCT",
        "Marche à suivre pour référencer les lieux d'aide de la commune.",
    ),
    # Connectivity
    Link(
        "jalerte_arcep",
        "J'alerte l'Arcep",
        "https://jalerte.arcep.fr/",
        "Arcep",
        "Signaler un problème de réseau (mobile, internet fixe, fibre), avec un profil « collectivité » ; ce n'est "
        "pas une saisine et il n'y a pas de suivi individuel.",
    ),
    Link(
        "mon_reseau_mobile",
        "Mon réseau mobile",
        "https://monreseaumobile.arcep.fr/",
        "Arcep",
        "Couverture mobile par opérateur, antennes et zones à couvrir du dispositif de couverture ciblée.",
    ),
    Link(
        "ma_connexion_internet",
        "Ma connexion internet",
        "https://maconnexioninternet.arcep.fr/",
        "Arcep",
        "Technologies et débits disponibles à chaque adresse (fibre, cuivre, 4G fixe, satellite).",
    ),
    Link(
        "couverture_ciblee_exemple",
        "Dispositif de couverture ciblée : l'équipe projet départementale (exemple de l'Ain)",
        "https://www.ain.gouv.fr/Actions-de-l-Etat/Amenagement-du-territoire-construction-logement/Services-publics"
        "-et-au-public-en-milieu-rural/Numerique-tres-haut-debit-telephonie-mobile/Dispositif-de-couverture-ciblee-"
        "en-telephonie-mobile",
        "Préfecture de l'Ain (État)",
        "Explique le rôle de l'équipe projet (préfecture et conseil départemental) qui choisit les zones à couvrir ; "
        "la commune transmet ses besoins à celle de son département.",
    ),
    Link(
        "rip_thd",
        "Plan France Très Haut Débit : réseaux d'initiative publique",
        "https://www.amenagement-numerique.gouv.fr/fr/pilotage-du-plan-france-tres-haut-debit",
        "État, ANCT",
        "Rôle des collectivités et des réseaux d'initiative publique dans le déploiement de la fibre.",
    ),
    # Accessibility of the commune's own services
    Link(
        "rgaa",
        "RGAA, référentiel d'accessibilité",
        "https://accessibilite.numerique.gouv.fr/",
        "DINUM",
        "Référentiel officiel auquel le site de la commune est soumis.",
    ),
    Link(
        "declaration_accessibilite",
        "Obligation : la déclaration d'accessibilité",
        "https://accessibilite.numerique.gouv.fr/obligations/declaration-accessibilite/",
        "DINUM",
        "Contenu obligatoire (état de conformité, contact, recours au Défenseur des droits) ; mise à jour tous "
        "les 3 ans ou à la refonte du site.",
    ),
    Link(
        "generateur_declaration",
        "Générateur de déclaration d'accessibilité",
        "https://betagouv.github.io/a11y-generateur-declaration/",
        "beta.gouv.fr (DINUM)",
        "Outil gratuit qui génère la page « Accessibilité » du site de la commune.",
    ),
    Link(
        "ara",
        "Ara, outil d'audit RGAA",
        "https://ara.numerique.gouv.fr",
        "DINUM",
        "Outil gratuit pour réaliser l'audit et générer rapport et déclaration (demande des compétences en "
        "accessibilité).",
    ),
    Link(
        "langage_clair",
        "Le langage clair (DITP)",
        "https://www.modernisation.gouv.fr/simplifier-la-vie-des-usagers-et-des-agents/simplifier-le-langage-et-"
        "les-documents-administratifs",
        "DITP",
        "Méthode gratuite pour écrire les courriers, formulaires et pages du site en langage clair.",
    ),
    Link(
        "simplifier_documents",
        "Simplifier les documents administratifs : fiches et vidéos",
        "https://www.modernisation.gouv.fr/campus-de-la-transformation-publique/catalogue-de-ressources/outil/"
        "simplifier-les-documents",
        "DITP",
        "6 vidéos et 6 fiches pratiques gratuites pour les agents.",
    ),
    Link(
        "unapei",
        "Unapei (Facile à lire et à comprendre)",
        "https://www.unapei.org/",
        "Unapei (association)",
        "Règles « Facile à lire et à comprendre » (FALC) pour les publics avec un handicap intellectuel.",
    ),
    # Seniors
    Link(
        "conference_financeurs",
        "Conférence des financeurs de la prévention de la perte d'autonomie",
        "https://www.cnsa.fr/outils-methodes-et-territoires/conference-des-financeurs-de-la-prevention-de-la-perte-"
        "dautonomie",
        "CNSA",
        "Instance du département qui finance des actions collectives de prévention pour les 60 ans et plus, dont "
        "des ateliers numériques, par appel à projets.",
    ),
    Link(
        "pour_bien_vieillir",
        "Pour bien vieillir",
        "https://www.pourbienvieillir.fr/",
        "Caisses de retraite (Assurance retraite, MSA, CNRACL, Agirc-Arrco)",
        "Ateliers de prévention pour les retraités, dont des ateliers numériques, avec des partenaires locaux.",
    ),
    # Equipment
    Link(
        "reemploi_materiel",
        "Réemploi du matériel informatique des collectivités",
        "https://www.notre-environnement.gouv.fr/actualites/breves/article/une-seconde-vie-pour-le-materiel-"
        "informatique-de-l-etat-et-des-collectivites",
        "Ministère de la Transition écologique",
        "Depuis 2025, 50 % du matériel informatique réformé doit aller au réemploi ; le don à des associations est "
        "possible.",
    ),
    Link(
        "emmaus_connect",
        "Emmaüs Connect",
        "https://emmaus-connect.org/",
        "Emmaüs Connect (association)",
        "Équipement à prix solidaire et accompagnement ; la commune peut lui donner son matériel réformé.",
    ),
    Link(
        "lacollecte",
        "LaCollecte.tech",
        "https://lacollecte.tech",
        "Emmaüs Connect (association)",
        "Dons de PC, smartphones et tablettes des collectivités, reconditionnés puis revendus à prix solidaire "
        "(60 à 150 € selon les articles).",
    ),
)

LINKS: dict[str, Link] = {link.key: link for link in ALL_LINKS}
