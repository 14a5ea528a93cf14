"""Concrete next steps for each measure: 2 to 6 per measure, adapted to the commune's size, answers and neighbours.

Each measure has a list of candidate steps, each with a condition on the facts; the first ones that apply are kept
(at most `MAX_STEPS`), and generic steps (no condition) fill up to `MIN_STEPS`: every measure has at least
`MIN_STEPS` generic steps, so a step that the answers contradict is never proposed.

A step never proposes what is already there: when a place of the right kind lies within `PARTNER_NEAR_KM`, the step
orients towards it by name and distance, with its contact ("Orienter vers X (à 0,8 km)"), instead of asking the
commune to do the same thing itself. "Je ne sais pas" is never read as "no": it gives a step to find out.
Programmes and resources are cited from `diagnostic.plan.links` (label, official URL, what it brings, last check).

Every condition is built from the helpers below, which declare what they read (`Reads`): `Step.reads` is what a
step reads, and `diagnostic.plan.selectors.questions_read()` the questions read by the rules and steps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from diagnostic.plan.facts import (
    AIDANTS_CONNECT,
    FRANCE_SERVICES,
    LARGE,
    MEDIATION,
    MEDIUM,
    SMALL,
    UNKNOWN_SIZE,
    PlanFacts,
    hub_phrase,
)
from diagnostic.plan.links import LINKS, Link
from diagnostic.plan.reads import Reads
from diagnostic.plan.rules.common import km
from diagnostic.plan.rules.thresholds import PARTNER_NEAR_KM, PHONE_HOURS_ENOUGH, PUBLIC_COMPUTER_HOURS_ENOUGH
from diagnostic.questionnaire.scoring import is_known

MIN_STEPS = 2
MAX_STEPS = 6


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
    """A candidate step. `links`: keys of `diagnostic.plan.links.LINKS`; `partner`: a kind of place whose nearest
    one the text names (`{partner}`, `{distance}`) and whose contact the plan shows beside the step."""

    text: str
    when: Condition = ALWAYS
    links: tuple[str, ...] = ()
    partner: str = ""

    @property
    def generic(self) -> bool:
        return self.when is ALWAYS

    @property
    def reads(self) -> Reads:
        """What the condition reads, the Hub's name when the text names the Hub, the nearest place of the partner's
        kind, and the département's code when a link is the département's page."""
        reads = self.when.reads
        if "{hub}" in self.text or "{au_hub}" in self.text:
            reads |= Reads(data=("hub_name",))
        if self.partner:
            reads |= Reads(data=(f"access.{self.partner}",))
        if any(LINKS[key].per_departement for key in self.links):
            reads |= Reads(data=("departement_code",))
        return reads


@dataclass(frozen=True)
class PlanStep:
    """A step as the plan shows it: its text, its official links, and the contact of the partner it names."""

    text: str
    links: tuple[Link, ...] = ()
    partner_contact: str = ""

    def __str__(self) -> str:
        return self.text

    @property
    def plain(self) -> str:
        """One line for the CSV: the text, the partner's contact and the links' URLs."""
        extra = [self.partner_contact] if self.partner_contact else []
        extra += [f"{link.label} : {link.url}" for link in self.links]
        return self.text + "".join(f" — {e}" for e in extra)


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


def _has(key, value):
    """True when the MULTIPLE answer lists `value`."""
    return Condition(lambda facts: isinstance(v := facts.answer(key), list) and value in v, Reads(questions=(key,)))


def _unknown(key):
    """True when the answer is "Je ne sais pas" or missing: the step finds out, never assumes "no"."""
    return Condition(lambda facts: not is_known(facts.answer(key)), Reads(questions=(key,)))


def _below(key, limit):
    """True when the NUMBER answer is known and below `limit`."""
    return Condition(lambda facts: is_known(v := facts.answer(key)) and int(v) < limit, Reads(questions=(key,)))


def _above(key, limit):
    """True when the NUMBER answer is known and above `limit`."""
    return Condition(lambda facts: is_known(v := facts.answer(key)) and int(v) > limit, Reads(questions=(key,)))


def _partner_near(kind):
    """True when the nearest place of `kind` lies within PARTNER_NEAR_KM."""
    return Condition(
        lambda facts: (
            (a := facts.access.get(kind)) is not None and a.nearest_km is not None and a.nearest_km <= PARTNER_NEAR_KM
        ),
        Reads(data=(f"access.{kind}",)),
    )


def _no_partner_near(kind):
    """True unless a place of `kind` lies within PARTNER_NEAR_KM (also when the data is absent)."""
    near = _partner_near(kind)
    return Condition(lambda facts: not near(facts), near.reads)


def _any(*conditions):
    reads = Reads()
    for c in conditions:
        reads |= c.reads

    def condition(facts):
        results = [c(facts) for c in conditions]  # each one evaluated: what the condition reads does not vary
        return any(results)

    return Condition(condition, reads)


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


GAPS_OR_COMPLAINTS = _any(
    _is("co_fixed_gaps", "some", "many"),
    _is("co_mobile_gaps", "some", "many"),
    _is("co_complaints", "often", "sometimes"),
)
HAS_ONLINE_PROCEDURES = _not("ac_online_procedures", ["none"])

STEPS: dict[int, tuple[Step, ...]] = {
    1: (
        Step(
            "Compléter les réponses « Je ne sais pas » du diagnostic avec le secrétariat, le CCAS et la médiathèque.",
            ANY_UNKNOWN_ANSWER,
        ),
        Step(
            "Demander au CCAS, à la médiathèque et aux associations pour quels publics un manque d'équipement est "
            "constaté (personnes âgées, jeunes, demandeurs d'emploi, familles), pour cibler les actions.",
            _unknown("eq_needs_reported"),
        ),
        Step(
            "Lister sur une page les lieux d'aide au numérique proches (ceux de ce plan et de la cartographie "
            "nationale) et la remettre aux agents d'accueil.",
            _not("sk_referral", "yes"),
            links=("cartographie",),
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
        Step(
            "Consulter les indicateurs, les lieux et les acteurs de l'inclusion numérique du département sur le site "
            "de l'ANCT.",
            links=("donnees_territoriales",),
        ),
        Step("Mettre à jour ce diagnostic dans un an pour mesurer les progrès."),
        Step("Partager ce diagnostic avec les partenaires locaux et leur demander ce qu'ils observent."),
    ),
    2: (
        Step(
            "Inscrire un agent d'accueil à une formation courte à l'accompagnement numérique (demander au Hub les "
            "sessions proches) ; Les Bons Clics propose gratuitement des parcours et des ressources pour les aidants.",
            _is("sk_trained_agents", 0),
            links=("les_bons_clics",),
        ),
        Step(
            "Compter les agents d'accueil (mairie, CCAS, médiathèque) déjà formés à l'accompagnement numérique, et "
            "former au moins l'un d'eux s'il n'y en a aucun.",
            _unknown("sk_trained_agents"),
            links=("les_bons_clics",),
        ),
        Step(
            "Orienter vers {partner} (à {distance}), structure habilitée Aidants Connect, les habitants qui ont besoin "
            "qu'un aidant fasse une démarche en ligne à leur place.",
            _all(_not("sk_aidants_connect", "yes"), _partner_near(AIDANTS_CONNECT)),
            links=("aidants_connect",),
            partner=AIDANTS_CONNECT,
        ),
        Step(
            "Faire habiliter un agent d'accueil (mairie ou CCAS) à Aidants Connect pour faire une démarche à la place "
            "d'un habitant, en sécurité : la structure dépose la demande ; la formation est payante, une prise en "
            "charge est possible.",
            _all(_is("sk_aidants_connect", "no"), _no_partner_near(AIDANTS_CONNECT)),
            links=("aidants_connect_habilitation", "aidants_connect_demande"),
        ),
        Step(
            "Vérifier si un agent de la mairie ou du CCAS est déjà habilité Aidants Connect.",
            _unknown("sk_aidants_connect"),
            links=("aidants_connect",),
        ),
        Step(
            "Publier sur le site de la commune la déclaration d'accessibilité obligatoire (état de conformité au "
            "RGAA, contact, recours) avec le générateur gratuit, et former l'agent qui met le site à jour aux bases "
            "du RGAA.",
            _is("ac_statement", "no"),
            links=("declaration_accessibilite", "generateur_declaration", "rgaa", "ara"),
        ),
        Step(
            "Vérifier si le site de la commune publie sa déclaration d'accessibilité (une page « Accessibilité » "
            "accessible depuis la page d'accueil) ; sinon, la publier.",
            _unknown("ac_statement"),
            links=("declaration_accessibilite", "generateur_declaration"),
        ),
        Step(
            "Relire en langage clair les formulaires et courriers les plus utilisés de la mairie avec la méthode et "
            "les fiches de la DITP ; pour les personnes avec un handicap intellectuel, suivre les règles « Facile à "
            "lire et à comprendre » (FALC).",
            _is("ac_plain_language", "no"),
            links=("langage_clair", "simplifier_documents", "unapei"),
        ),
        Step(
            "Vérifier avec le secrétariat si les formulaires et courriers de la mairie ont été relus en langage clair.",
            _unknown("ac_plain_language"),
            links=("langage_clair",),
        ),
        Step(
            "Prévoir un plan de formation annuel des agents d'accueil (mairie, CCAS, médiathèques) ; les médiateurs "
            "numériques de la commune peuvent suivre la formation continue de La Mednum.",
            _size(MEDIUM, LARGE),
            links=("lamednum_formation",),
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
            links=("fne",),
        ),
        Step(
            "Demander à participer à la gouvernance France Numérique Ensemble du département (ses membres sont en "
            "ligne) ; une collectivité peut demander à la rejoindre depuis Mon Inclusion Numérique.",
            _not("st_fne_roadmap", "participates"),
            links=("fne_gouvernance", "mon_inclusion_numerique"),
        ),
        Step("Désigner un élu ou un agent référent pour l'inclusion numérique.", _not("st_referent", "yes")),
        Step(
            "Prévoir une ligne budgétaire, même modeste, et repérer les financements de la feuille de route "
            "départementale.",
            _not("st_budget", "yes"),
            links=("fne_feuille_de_route",),
        ),
        Step("Porter le sujet à l'intercommunalité pour une action commune.", _size(SMALL)),
        Step(
            "Suivre les dispositifs avec la lettre d'information de La Mednum et les ressources gratuites des Bases "
            "du numérique d'intérêt général.",
            links=("lamednum", "les_bases"),
        ),
        Step("Partager ce plan avec {hub} pour repérer les financements et dispositifs disponibles."),
    ),
    4: (
        Step(
            "Convenir avec {partner} (à {distance}) d'une permanence numérique régulière en mairie, et y orienter les "
            "habitants en attendant.",
            _all(_is("sk_drop_in", "none", "occasional"), _partner_near(MEDIATION)),
            partner=MEDIATION,
        ),
        Step(
            "Vérifier si des permanences numériques ont déjà lieu sur la commune (médiathèque, CCAS, association) et "
            "les faire connaître ; sinon, en organiser une.",
            _unknown("sk_drop_in"),
        ),
        Step(
            "Ouvrir une permanence numérique mensuelle en mairie, avec un conseiller numérique ou une association "
            "voisine.",
            _all(_size(SMALL), _is("sk_drop_in", "none", "occasional"), _no_partner_near(MEDIATION)),
        ),
        Step(
            "Ouvrir une permanence numérique hebdomadaire dans un lieu central (médiathèque, centre social).",
            _all(_size(MEDIUM, LARGE), _is("sk_drop_in", "none", "occasional", "monthly")),
        ),
        Step(
            "Orienter vers {partner} (à {distance}) les habitants qui ont besoin d'aide pour leurs démarches "
            "administratives (impôts, CAF, retraite, titres d'identité) : l'accueil y est gratuit.",
            _partner_near(FRANCE_SERVICES),
            links=("france_services",),
            partner=FRANCE_SERVICES,
        ),
        Step(
            "Faire venir un bus ou une permanence itinérante (France services, département) dans les hameaux éloignés.",
            _all(_size(SMALL, MEDIUM, UNKNOWN_SIZE), NO_MEDIATION_WITHIN_10KM),
        ),
        Step(
            "Garder pour chaque démarche en ligne de la commune une alternative au guichet, par téléphone ou par "
            "courrier, et l'indiquer sur la page de la démarche.",
            _all(HAS_ONLINE_PROCEDURES, _is("ac_offline_alternative", "most", "some", "none")),
        ),
        Step(
            "Lister les démarches que la commune propose en ligne (état civil, inscriptions scolaires, urbanisme…) "
            "et vérifier pour chacune qu'un habitant peut la faire au guichet, par téléphone ou par courrier.",
            _all(HAS_ONLINE_PROCEDURES, _any(_unknown("ac_online_procedures"), _unknown("ac_offline_alternative"))),
        ),
        Step(
            f"Élargir l'accueil téléphonique de la mairie à au moins {PHONE_HOURS_ENOUGH} heures par semaine (par "
            "exemple deux heures chaque jour ouvré) et afficher ses horaires.",
            _below("ac_phone_hours", PHONE_HOURS_ENOUGH),
        ),
        Step(
            "Relever les horaires de l'accueil téléphonique de la mairie et les publier sur le site et à l'affichage.",
            _unknown("ac_phone_hours"),
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
            "Pendant les périodes électorales, aider à l'inscription en ligne sur les listes (le « kit élections » de "
            "la Région Sud, de décembre 2025, a été préparé pour les municipales de mars 2026).",
            _not("st_elections_help", "yes"),
        ),
    ),
    5: (
        Step(
            "Orienter les habitants vers du matériel reconditionné à prix solidaire (Emmaüs Connect, LaCollecte.tech : "
            "60 à 150 € selon les articles) et donner le matériel informatique réformé de la mairie (la moitié doit "
            "aller au réemploi depuis 2025).",
            _not("eq_loan_refurbished", "both"),
            links=("emmaus_connect", "lacollecte", "reemploi_materiel"),
        ),
        Step(
            "Signaler les secteurs mal couverts à l'Arcep avec « J'alerte l'Arcep » (profil collectivité), après les "
            "avoir vérifiés sur « Mon réseau mobile » et « Ma connexion internet » ; transmettre les zones sans 4G à "
            "l'équipe projet du dispositif de couverture ciblée (New Deal Mobile) du département, coprésidée par la "
            "préfecture et le conseil départemental.",
            _all(_is("co_reported_gaps", "no"), GAPS_OR_COMPLAINTS),
            links=("jalerte_arcep", "mon_reseau_mobile", "ma_connexion_internet", "couverture_ciblee_exemple"),
        ),
        Step(
            "Vérifier si la commune a déjà signalé ses secteurs mal couverts (à l'Arcep, aux opérateurs, au "
            "département) ; sinon, les signaler avec « J'alerte l'Arcep ».",
            _all(_unknown("co_reported_gaps"), GAPS_OR_COMPLAINTS),
            links=("jalerte_arcep",),
        ),
        Step(
            "Repérer les secteurs mal desservis de la commune sur « Ma connexion internet » (internet fixe) et « Mon "
            "réseau mobile » (4G).",
            _any(_unknown("co_fixed_gaps"), _unknown("co_mobile_gaps")),
            links=("ma_connexion_internet", "mon_reseau_mobile"),
        ),
        Step(
            "Demander au lieu de médiation {partner} (à {distance}) d'intervenir régulièrement sur la commune "
            "(permanence ou atelier).",
            _all(_is("sk_conseiller_numerique", "no"), _partner_near(MEDIATION)),
            partner=MEDIATION,
        ),
        Step(
            "Demander l'intervention régulière d'un conseiller numérique d'une structure voisine ou du département "
            "(l'État ne finance plus de nouveaux postes depuis mai 2025).",
            _all(_is("sk_conseiller_numerique", "no"), _no_partner_near(MEDIATION)),
            links=("conseiller_numerique",),
        ),
        Step(
            "Vérifier auprès de l'intercommunalité et des lieux de médiation voisins si un conseiller numérique "
            "intervient déjà sur la commune, et le faire connaître aux habitants.",
            _unknown("sk_conseiller_numerique"),
            links=("conseiller_numerique",),
        ),
        Step(
            "Mettre à disposition un ou deux ordinateurs en accès libre en mairie ou à la médiathèque.",
            _is("eq_public_computers", 0),
        ),
        Step(
            "Recenser les ordinateurs en accès libre dans les lieux de la commune (mairie, médiathèque, espace "
            "numérique) et leurs horaires d'ouverture.",
            _any(
                _unknown("eq_public_computers"),
                _all(_above("eq_public_computers", 0), _unknown("eq_public_computer_hours")),
            ),
        ),
        Step(
            f"Ouvrir les ordinateurs en accès libre au moins {PUBLIC_COMPUTER_HOURS_ENOUGH} heures par semaine, par "
            "exemple aux heures d'ouverture de la médiathèque.",
            _all(_above("eq_public_computers", 0), _below("eq_public_computer_hours", PUBLIC_COMPUTER_HOURS_ENOUGH)),
        ),
        Step(
            "Proposer un Wi-Fi public gratuit dans les bâtiments communaux et dans un lieu ouvert à tous (place, "
            "salle des fêtes), utilisable en dehors des horaires de la mairie.",
            _any(_is("eq_wifi_public_buildings", "no"), _is("co_outdoor_wifi", "no")),
        ),
        Step(
            "Pour les personnes âgées signalées comme manquant d'équipement : monter avec le CCAS ou le CIAS des "
            "ateliers numériques et des prêts de tablettes, à faire financer par la conférence des financeurs de la "
            "prévention de la perte d'autonomie du département ; les caisses de retraite et la MSA proposent aussi "
            "des ateliers (Pour bien vieillir).",
            _has("eq_needs_reported", "seniors"),
            links=("conference_financeurs", "pour_bien_vieillir"),
        ),
        Step(
            "Pour les jeunes signalés comme manquant d'équipement : les orienter vers le matériel reconditionné à prix "
            "solidaire et leur proposer Pix, gratuit, pour évaluer et faire certifier leurs compétences numériques.",
            _has("eq_needs_reported", "young"),
            links=("pix", "emmaus_connect"),
        ),
        Step(
            "Pour les demandeurs d'emploi signalés comme manquant d'équipement : leur réserver des créneaux sur les "
            "ordinateurs publics et faire le point sur leurs besoins avec ABC Diag, gratuit et sans compte.",
            _has("eq_needs_reported", "jobseekers"),
            links=("abc_diag",),
        ),
        Step(
            "Pour les familles signalées comme manquant d'équipement : proposer des ateliers parents (espace "
            "numérique de l'école, démarches de la CAF) avec une association de médiation.",
            _has("eq_needs_reported", "families"),
            links=("les_bons_clics",),
        ),
        Step(
            "Demander au conseil départemental, ou au syndicat qui porte le réseau d'initiative publique de fibre, "
            "le calendrier de déploiement de la fibre sur la commune, et le publier pour les habitants.",
            _is("co_fibre_schedule", "no", None, "unknown"),
            links=("rip_thd", "ma_connexion_internet"),
        ),
        Step(
            "Tenir un registre des plaintes de connexion reçues en mairie (adresse, opérateur, problème) : il appuie "
            "les signalements à l'Arcep et au département.",
            _is("co_complaints", "often", "sometimes"),
        ),
        Step(
            "Organiser des ateliers collectifs avec une association de médiation pour les publics signalés (les "
            "parcours Pix pour la médiation numérique sont gratuits).",
            _fewer_than("sk_workshops", 1),
            links=("pix_mediation",),
        ),
        Step(
            "Demander le label « conseiller numérique » pour la structure qui emploie le conseiller (formation "
            "continue financée) et suivre son activité avec La Coop de la médiation numérique, gratuite.",
            _is("sk_conseiller_numerique", "hosted"),
            links=("conseiller_numerique_label", "coop"),
        ),
        Step("Lancer une collecte de matériel informatique usagé pour le faire reconditionner.", _size(MEDIUM, LARGE)),
        Step(
            "Relayer les lieux de médiation proches (ce plan, la cartographie nationale) dans le bulletin municipal.",
            links=("cartographie",),
        ),
        Step(
            "Faire apparaître les lieux d'aide de la commune (mairie, médiathèque) sur la cartographie nationale.",
            links=("cartographie_referencer",),
        ),
    ),
}


def _render(step: Step, facts: PlanFacts) -> PlanStep:
    """The step's text with the Hub and the partner filled in, its links (the département's pages with its code),
    and the partner's contact. Reads nothing beyond what `step.reads` declares."""
    values = {}
    if "{hub}" in step.text or "{au_hub}" in step.text:
        values |= {"hub": hub_phrase(facts.hub_name), "au_hub": hub_phrase(facts.hub_name, "au")}
    contact = ""
    if step.partner:
        access = facts.access[step.partner]  # the condition checked the partner is near
        values |= {"partner": access.nearest_name, "distance": km(access.nearest_km)}
        contact = access.nearest_contact
    links = []
    for key in step.links:
        link = LINKS[key]
        if link.per_departement:
            link = link.for_departement(facts.departement_code)
        if link is not None:
            links.append(link)
    return PlanStep(step.text.format(**values), tuple(links), contact)


def next_steps(number: int, facts: PlanFacts) -> list[PlanStep]:
    """2 to 6 next steps for a measure."""
    steps = STEPS[number]
    chosen = [s for s in steps if s.when(facts)][:MAX_STEPS]
    for step in steps:  # fill up with the measure's generic steps (never one the answers contradict)
        if len(chosen) >= MIN_STEPS:
            break
        if step.generic and step not in chosen:
            chosen.append(step)
    return [_render(s, facts) for s in chosen]
