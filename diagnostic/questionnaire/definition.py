"""Questionnaire definition, version 2026.1.

Five sections, one page each. Every question says why it matters (`help`). "Je ne sais pas" (UNKNOWN) is always
possible and counts as unknown, never as no. `points` give each answer's contribution to the section's
"local capacity" score (see diagnostic/questionnaire/scoring.py); a question with no points is context: it is
shown in the plan and used by its rules, but does not weigh in the score.
"""

from dataclasses import dataclass, field

VERSION = "2026.1"
UNKNOWN = "unknown"
UNKNOWN_LABEL = "Je ne sais pas"

YES_NO = "yes_no"
SINGLE = "single"
MULTIPLE = "multiple"
NUMBER = "number"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    points: int = 0
    exclusive: bool = False  # for MULTIPLE: cannot be combined with another choice ("Aucun")


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    help: str
    kind: str
    choices: tuple[Choice, ...] = ()
    min_value: int | None = None
    max_value: int | None = None
    unit: str = ""  # plural form ("ordinateurs"); unit_one is its singular ("ordinateur"), said after 0 and 1
    unit_one: str = ""
    # NUMBER: ((threshold, points), ...) — the points of the highest threshold reached.
    thresholds: tuple[tuple[int, int], ...] = ()
    max_points_multiple: int | None = None  # MULTIPLE: cap on the summed points

    def quantity(self, value) -> str:
        """The number and its unit agreed, French style: "0 ordinateur", "1\u202f200 heures par semaine"."""
        from territories.formatting import number, plural

        if not self.unit:
            return number(value)
        return plural(value, self.unit_one or self.unit, self.unit)

    @property
    def max_points(self) -> int:
        if self.kind == NUMBER:
            return max((p for _, p in self.thresholds), default=0)
        if self.kind == MULTIPLE:
            total = sum(c.points for c in self.choices)
            return min(total, self.max_points_multiple) if self.max_points_multiple is not None else total
        return max((c.points for c in self.choices), default=0)

    @property
    def is_scored(self) -> bool:
        return self.max_points > 0

    def choice_label(self, value) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return str(value)


@dataclass(frozen=True)
class Section:
    key: str
    number: int
    title: str
    intro: str
    questions: tuple[Question, ...] = field(default_factory=tuple)


def yes_no(key, label, help, *, yes=0, no=0):
    return Question(key, label, help, YES_NO, (Choice("yes", "Oui", yes), Choice("no", "Non", no)))


SECTIONS: tuple[Section, ...] = (
    Section(
        "equipement",
        1,
        "Équipement",
        "Ce que la commune met à disposition des habitants qui n'ont pas d'ordinateur, d'imprimante ou de connexion.",
        (
            Question(
                "eq_public_computers",
                "Combien d'ordinateurs en accès libre le public peut-il utiliser dans les lieux de la commune "
                "(mairie, médiathèque, espace numérique) ?",
                "Sans équipement, une démarche en ligne est impossible : un poste en libre accès est souvent "
                "le seul moyen pour une partie des habitants.",
                NUMBER,
                min_value=0,
                max_value=500,
                unit="ordinateurs",
                unit_one="ordinateur",
                thresholds=((1, 1), (3, 2)),
            ),
            Question(
                "eq_public_computer_hours",
                "Combien d'heures par semaine ces ordinateurs sont-ils accessibles ?",
                "Un poste ouvert deux heures par semaine ne répond pas aux mêmes besoins qu'un poste ouvert "
                "tous les jours.",
                NUMBER,
                min_value=0,
                max_value=80,
                unit="heures par semaine",
                unit_one="heure par semaine",
                thresholds=((1, 1), (10, 2)),
            ),
            yes_no(
                "eq_printer_scanner",
                "Le public peut-il imprimer et numériser un document (une pièce justificative, par exemple) "
                "en mairie ou dans un lieu communal ?",
                "Beaucoup de démarches demandent de déposer un justificatif numérisé.",
                yes=2,
            ),
            yes_no(
                "eq_wifi_public_buildings",
                "Un accès Wi-Fi gratuit est-il proposé au public dans les bâtiments communaux ?",
                "Un Wi-Fi gratuit permet d'utiliser son propre téléphone quand on n'a pas d'abonnement suffisant.",
                yes=2,
            ),
            Question(
                "eq_loan_refurbished",
                "La commune prête-t-elle ou aide-t-elle à obtenir du matériel reconditionné ?",
                "Le coût de l'équipement est un frein majeur ; le reconditionné réduit ce coût.",
                SINGLE,
                (
                    Choice("both", "Oui, prêt et matériel reconditionné", 2),
                    Choice("loan", "Oui, prêt de matériel", 1),
                    Choice("refurbished", "Oui, orientation vers du matériel reconditionné", 1),
                    Choice("none", "Non", 0),
                ),
            ),
            Question(
                "eq_needs_reported",
                "Pour quels publics un manque d'équipement vous est-il signalé ?",
                "Sert à cibler les actions ; cette question ne compte pas dans le score.",
                MULTIPLE,
                (
                    Choice("seniors", "Personnes âgées"),
                    Choice("young", "Jeunes"),
                    Choice("jobseekers", "Demandeurs d'emploi"),
                    Choice("families", "Familles"),
                    Choice("none", "Aucun signalement", exclusive=True),
                ),
            ),
        ),
    ),
    Section(
        "connectivite",
        2,
        "Connectivité",
        "Ce que la commune sait de la couverture internet et mobile de son territoire, et ce qu'elle propose.",
        (
            Question(
                "co_fixed_gaps",
                "Des secteurs de la commune sont-ils mal desservis en internet fixe (ni fibre ni bon ADSL) ?",
                "Les habitants de ces secteurs ne peuvent pas faire leurs démarches depuis chez eux. "
                "Cette question ne compte pas dans le score : elle décrit un besoin.",
                SINGLE,
                (
                    Choice("none", "Non, aucun secteur"),
                    Choice("some", "Oui, quelques habitations ou hameaux"),
                    Choice("many", "Oui, une grande partie de la commune"),
                ),
            ),
            Question(
                "co_mobile_gaps",
                "Des secteurs de la commune sont-ils mal couverts en téléphonie mobile (4G) ?",
                "Sans réseau mobile, le téléphone ne peut pas servir de solution de secours. "
                "Cette question ne compte pas dans le score : elle décrit un besoin.",
                SINGLE,
                (
                    Choice("none", "Non, aucun secteur"),
                    Choice("some", "Oui, quelques secteurs"),
                    Choice("many", "Oui, une grande partie de la commune"),
                ),
            ),
            Question(
                "co_complaints",
                "Des habitants se plaignent-ils de leur connexion auprès de la mairie ?",
                "Les plaintes signalent des besoins que les cartes de couverture ne montrent pas toujours. "
                "Cette question ne compte pas dans le score.",
                SINGLE,
                (
                    Choice("often", "Souvent"),
                    Choice("sometimes", "Parfois"),
                    Choice("never", "Jamais"),
                ),
            ),
            yes_no(
                "co_reported_gaps",
                "La commune a-t-elle signalé les zones mal couvertes (à l'Arcep avec « J'alerte l'Arcep », "
                "aux opérateurs ou au département) ?",
                "Les signalements des communes pèsent dans les priorités de déploiement.",
                yes=2,
            ),
            yes_no(
                "co_outdoor_wifi",
                "Un Wi-Fi public gratuit est-il disponible dans un espace ouvert à tous (place, parc, "
                "salle des fêtes) ?",
                "Un point d'accès ouvert en dehors des horaires de la mairie dépanne ceux qui n'ont pas de connexion.",
                yes=2,
            ),
            yes_no(
                "co_fibre_schedule",
                "Connaissez-vous le calendrier de déploiement de la fibre sur votre commune ?",
                "Savoir quand la fibre arrive permet de répondre aux habitants et d'anticiper.",
                yes=1,
            ),
        ),
    ),
    Section(
        "competences",
        3,
        "Compétences et accompagnement",
        "Qui, dans la commune, aide les habitants à utiliser le numérique et à faire leurs démarches.",
        (
            Question(
                "sk_trained_agents",
                "Combien d'agents de la commune sont formés pour aider les habitants dans leurs démarches en ligne ?",
                "L'agent d'accueil est souvent la première personne à qui l'on demande de l'aide.",
                NUMBER,
                min_value=0,
                max_value=200,
                unit="agents",
                unit_one="agent",
                thresholds=((1, 1), (2, 2)),
            ),
            yes_no(
                "sk_aidants_connect",
                "Un agent de la commune est-il habilité Aidants Connect ?",
                "Aidants Connect permet de faire une démarche à la place d'une personne, de façon sécurisée et légale.",
                yes=2,
            ),
            Question(
                "sk_conseiller_numerique",
                "Un conseiller numérique intervient-il sur la commune ?",
                "Les conseillers numériques sont formés pour accompagner les habitants vers l'autonomie.",
                SINGLE,
                (
                    Choice("hosted", "Oui, la commune en accueille un", 2),
                    Choice("visits", "Oui, un conseiller vient régulièrement", 1),
                    Choice("no", "Non", 0),
                ),
            ),
            Question(
                "sk_drop_in",
                "Des permanences numériques sont-elles proposées aux habitants sur la commune ?",
                "Une permanence régulière, près de chez soi, est la forme d'aide la plus demandée.",
                SINGLE,
                (
                    Choice("weekly", "Oui, chaque semaine", 3),
                    Choice("monthly", "Oui, chaque mois", 2),
                    Choice("occasional", "Oui, de temps en temps", 1),
                    Choice("none", "Non", 0),
                ),
            ),
            Question(
                "sk_workshops",
                "Des ateliers collectifs sur le numérique sont-ils organisés pour ces publics ?",
                "Les ateliers font progresser plusieurs personnes à la fois et créent du lien.",
                MULTIPLE,
                (
                    Choice("seniors", "Personnes âgées", 1),
                    Choice("young", "Jeunes", 1),
                    Choice("jobseekers", "Demandeurs d'emploi", 1),
                    Choice("parents", "Parents", 1),
                    Choice("none", "Aucun atelier", exclusive=True),
                ),
                max_points_multiple=3,
            ),
            yes_no(
                "sk_referral",
                "Les agents d'accueil savent-ils vers quel lieu orienter une personne en difficulté avec le "
                "numérique ?",
                "Bien orienter évite qu'une personne renonce à ses droits.",
                yes=2,
            ),
        ),
    ),
    Section(
        "accessibilite",
        4,
        "Accessibilité et simplicité des services de la commune",
        "Les services numériques de la commune elle-même : peut-on les utiliser facilement, ou s'en passer ?",
        (
            Question(
                "ac_online_procedures",
                "Quelles démarches la commune propose-t-elle en ligne ?",
                "Sert à vérifier qu'une alternative existe pour chacune. Cette question ne compte pas dans le score.",
                MULTIPLE,
                (
                    Choice("civil_status", "Actes d'état civil"),
                    Choice("school", "Inscriptions scolaires, cantine, périscolaire"),
                    Choice("planning", "Urbanisme"),
                    Choice("payment", "Paiement en ligne"),
                    Choice("booking", "Réservation de salles ou d'équipements"),
                    Choice("none", "Aucune démarche en ligne", exclusive=True),
                ),
            ),
            Question(
                "ac_offline_alternative",
                "Chaque démarche en ligne de la commune a-t-elle une alternative hors ligne (guichet, "
                "téléphone, courrier) ?",
                "Sans alternative, une démarche en ligne exclut ceux qui ne peuvent pas l'utiliser.",
                SINGLE,
                (
                    Choice("all", "Oui, toutes", 3),
                    Choice("most", "La plupart", 2),
                    Choice("some", "Quelques-unes", 1),
                    Choice("none", "Aucune", 0),
                ),
            ),
            yes_no(
                "ac_statement",
                "Le site internet de la commune publie-t-il une déclaration d'accessibilité ?",
                "La déclaration est obligatoire et montre ce qui reste à corriger pour les personnes en "
                "situation de handicap.",
                yes=2,
            ),
            yes_no(
                "ac_plain_language",
                "Les formulaires et courriers de la commune ont-ils été relus pour être écrits en langage clair ?",
                "Un texte simple évite des erreurs et des appels à la mairie.",
                yes=2,
            ),
            yes_no(
                "ac_desk_help",
                "Un agent peut-il faire une démarche en ligne avec l'habitant, au guichet de la mairie ?",
                "L'aide au guichet est souvent la seule solution pour les personnes les plus éloignées du numérique.",
                yes=2,
            ),
            Question(
                "ac_phone_hours",
                "Combien d'heures par semaine l'accueil téléphonique de la mairie est-il ouvert ?",
                "Le téléphone reste le premier recours de nombreux habitants.",
                NUMBER,
                min_value=0,
                max_value=70,
                unit="heures par semaine",
                unit_one="heure par semaine",
                thresholds=((5, 1), (20, 2)),
            ),
        ),
    ),
    Section(
        "acteurs",
        5,
        "Acteurs et stratégie",
        "Les liens de la commune avec les acteurs de l'inclusion numérique et sa place dans la stratégie "
        "départementale.",
        (
            yes_no(
                "st_hub_contact",
                "La commune est-elle en contact avec le Hub territorial pour un numérique inclusif de sa région ?",
                "Le Hub connaît les acteurs et les financements ; c'est le premier contact conseillé.",
                yes=2,
            ),
            Question(
                "st_fne_roadmap",
                "La commune connaît-elle la feuille de route France Numérique Ensemble de son département ?",
                "Cette feuille de route organise les actions et les financements de l'inclusion numérique "
                "dans le département.",
                SINGLE,
                (
                    Choice("participates", "Oui, et la commune y participe", 2),
                    Choice("aware", "Oui, la commune la connaît", 1),
                    Choice("not_aware", "Non, la commune ne la connaît pas", 0),
                ),
            ),
            Question(
                "st_partners",
                "Avec quels acteurs locaux la commune travaille-t-elle sur le numérique ?",
                "Travailler avec les acteurs présents évite de tout porter seul.",
                MULTIPLE,
                (
                    Choice("ccas", "CCAS ou CIAS", 1),
                    Choice("library", "Médiathèque", 1),
                    Choice("france_services", "France services", 1),
                    Choice("association", "Association de médiation numérique", 1),
                    Choice("epci", "Intercommunalité", 1),
                    Choice("departement", "Département", 1),
                    Choice("none", "Aucun", exclusive=True),
                ),
                max_points_multiple=3,
            ),
            yes_no(
                "st_budget",
                "La commune a-t-elle une ligne budgétaire pour l'inclusion numérique ?",
                "Même modeste, un budget permet d'agir dans la durée.",
                yes=2,
            ),
            yes_no(
                "st_referent",
                "Un élu ou un agent est-il référent pour l'inclusion numérique ?",
                "Un référent identifié fait avancer les actions et sert d'interlocuteur aux partenaires.",
                yes=2,
            ),
            yes_no(
                "st_elections_help",
                "La commune aide-t-elle les habitants à s'inscrire en ligne sur les listes électorales ?",
                "Le « kit élections » de la région PACA donne des outils aux aidants pour cette période.",
                yes=1,
            ),
        ),
    ),
)

QUESTIONS: dict[str, Question] = {q.key: q for s in SECTIONS for q in s.questions}
SECTION_OF: dict[str, Section] = {q.key: s for s in SECTIONS for q in s.questions}


def section(number: int) -> Section:
    """The section of a step number (1-based); raises KeyError when out of range."""
    if not 1 <= number <= len(SECTIONS):
        raise KeyError(number)
    return SECTIONS[number - 1]
