"""The plan rules, case by case (pure functions of PlanFacts: no database). Figures here are MADE UP."""

from dataclasses import dataclass, field, fields
from pathlib import Path

import pytest

from diagnostic.plan import rules
from diagnostic.plan.facts import (
    ACCESS_KINDS,
    AIDANTS_CONNECT,
    FRANCE_SERVICES,
    IFN_PARTS,
    MEDIATION,
    Access,
    IfnFigure,
    PlanFacts,
)
from diagnostic.plan.reads import DATA_FIELDS
from diagnostic.plan.rules import MET, MISSING, NEED, PARTIAL, UNKNOWN_STATUS
from diagnostic.plan.selectors import questions_read
from diagnostic.plan.steps import MAX_STEPS, MIN_STEPS, STEPS, next_steps
from diagnostic.plan.steps import _render as render
from diagnostic.questionnaire.definition import MULTIPLE, NUMBER, QUESTIONS

RULE = {r.code: r for r in rules.RULES}


def facts(answers=None, ifn=None, access=None, population=800, hub="Hub Imaginaire"):
    return PlanFacts(
        commune_name="Commune Imaginaire",
        population=population,
        answers=answers or {},
        ifn=ifn or {},
        access=access or {},
        hub_name=hub,
    )


def ifn(part, value, median=None, scope="commune"):
    return {part: IfnFigure(part, value, median, scope, "Source : Équipe de test, IFN inventé, 2026")}


def run(code, **kwargs):
    return RULE[code].evaluate(facts(**kwargs))


def test_every_measure_has_rules_with_unique_codes():
    assert {r.measure for r in rules.RULES} == {1, 2, 3, 4, 5}
    assert len({r.code for r in rules.RULES}) == len(rules.RULES)


# --- What the rules and steps read ----------------------------------------------------------------------------


def data_field_exists(name):
    """`population`, `answers`… is a field of PlanFacts; `ifn.total`, `access.mediation` an entry of its mappings."""
    head, _, key = name.partition(".")
    if head not in {f.name for f in fields(PlanFacts)}:
        return False
    return not key or key in {"ifn": (*IFN_PARTS, "total"), "access": ACCESS_KINDS}.get(head, ())


def declared_reads():
    yield from ((rule.code, rule.reads) for rule in rules.RULES)
    yield from ((f"étape {n}.{i}", step.reads) for n, steps in STEPS.items() for i, step in enumerate(steps, 1))


def test_every_declared_question_and_data_field_exists():
    for name, reads in declared_reads():
        assert reads.questions or reads.data or name.startswith("étape"), name
        for question in reads.questions:
            assert question in QUESTIONS, f"{name} reads unknown question {question}"
        for data in reads.data:
            assert data in DATA_FIELDS, f"{name} reads undocumented data field {data}"
            assert data_field_exists(data), f"{name} reads {data}, which PlanFacts does not have"
    for data in DATA_FIELDS:
        assert data_field_exists(data), data


def test_data_field_check_rejects_names_plan_facts_does_not_have():
    assert data_field_exists("ifn.poverty") and data_field_exists("hub_name")
    assert not data_field_exists("ifn.wealth")
    assert not data_field_exists("access.library")
    assert not data_field_exists("mayor_name")


class Recording(dict):
    """A mapping of PlanFacts that notes which keys are read ("answers.sk_referral"), or "answers" when all are."""

    def __init__(self, name, log, data):
        super().__init__(data)
        self.name, self.log = name, log

    def get(self, key, default=None):
        self.log.add(f"{self.name}.{key}")
        return super().get(key, default)

    def __getitem__(self, key):
        self.log.add(f"{self.name}.{key}")
        return super().__getitem__(key)

    def __contains__(self, key):
        self.log.add(f"{self.name}.{key}")
        return super().__contains__(key)

    def items(self):
        self.log.add(self.name)
        return super().items()

    def values(self):
        self.log.add(self.name)
        return super().values()


@dataclass(frozen=True)
class RecordingFacts(PlanFacts):
    log: set = field(default_factory=set)

    def __getattribute__(self, name):
        if name in ("population", "hub_name", "departement_code"):
            object.__getattribute__(self, "log").add(name)
        return object.__getattribute__(self, name)


def recorded_reads(condition, scenarios):
    """(questions, data fields) that `condition(facts)` reads, over all the scenarios."""
    log = set()
    for answers, population in scenarios:
        data = {**ifn("total", 6.0, 5.0), **ifn("poverty", 6.0, 5.0), **access(MEDIATION, 8.0, 0)}
        recording = RecordingFacts(
            population=population,
            answers=Recording("answers", log, answers),
            ifn=Recording("ifn", log, data),
            access=Recording("access", log, {**access(AIDANTS_CONNECT, 12.0, 0), **access(MEDIATION, 8.0, 0)}),
            hub_name="Hub Imaginaire",
            log=log,
        )
        condition(recording)
    questions = {k.removeprefix("answers.") for k in log if k.startswith("answers.")}
    return questions, {k for k in log if not k.startswith("answers.")}


def valid_answer(question, last=False):
    """The first (or last) choice of a question, its minimum for a number, a one-choice list for a multiple."""
    if question.kind == NUMBER:
        return question.max_value if last else (question.min_value or 0)
    value = question.choices[-1 if last else 0].value
    return [value] if question.kind == MULTIPLE else value


SCENARIOS = [
    ({}, 800),
    ({k: valid_answer(q) for k, q in QUESTIONS.items()}, 60000),
    ({k: valid_answer(q, last=True) for k, q in QUESTIONS.items()}, 800),
    (dict.fromkeys(QUESTIONS, "unknown"), 5000),
    ({"sk_drop_in": "none", "sk_conseiller_numerique": "no", "sk_trained_agents": 0}, None),
]


@pytest.mark.parametrize("rule", rules.RULES, ids=lambda r: r.code)
def test_a_rule_declares_exactly_what_its_check_reads(rule):
    questions, data = recorded_reads(rule.check, SCENARIOS)
    assert questions == set(rule.reads.questions)
    assert data == set(rule.reads.data)


def rendering_reads(step):
    """What rendering the step reads (Hub, partner, département code), with every kind of place 2 km away."""
    log = set()
    near = {kind: Access(kind, 2.0, 1, f"Lieu imaginaire {kind}") for kind in ACCESS_KINDS}
    recording = RecordingFacts(
        answers=Recording("answers", log, {}),
        ifn=Recording("ifn", log, {}),
        access=Recording("access", log, near),
        hub_name="Hub Imaginaire",
        departement_code="99",
        log=log,
    )
    render(step, recording)
    return {k for k in log if not k.startswith("answers.")}


def test_a_step_declares_exactly_what_its_condition_and_text_read():
    for number, steps in STEPS.items():
        for step in steps:
            questions, data = recorded_reads(step.when, SCENARIOS)
            data |= rendering_reads(step)
            assert (questions, data) == (set(step.reads.questions), set(step.reads.data)), (number, step.text)


def test_questions_read_is_the_union_of_rules_and_steps_and_names_only_existing_questions():
    read = questions_read()
    assert read and set(read) <= set(QUESTIONS)
    assert len(set(read)) == len(read)
    assert list(read) == [q for q in QUESTIONS if q in read]  # questionnaire order
    expected = {q for _, reads in declared_reads() for q in reads.questions}
    assert set(read) == expected
    assert "sk_referral" in read  # read by a rule (M1_ORIENTATION)
    assert "eq_printer_scanner" in read  # read by a step only (measure 4)


def test_every_question_is_read_by_a_rule_or_a_step():
    """Every answer counts: no question of the questionnaire is left unread by the plan."""
    assert [q for q in QUESTIONS if q not in questions_read()] == []


# --- IFN-based rules --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "median", "status"),
    [
        (7.8, 6.8, NEED),  # ≥ IFN_HIGH
        (7.0, 7.5, NEED),  # the threshold is inclusive, whatever the median
        (6.5, 6.0, PARTIAL),  # above the median
        (6.0, 6.0, MET),  # at the median
        (4.0, 6.0, MET),
        (5.5, None, PARTIAL),  # no median: ≥ IFN_MEDIUM_NO_MEDIAN
        (4.9, None, MET),
    ],
)
def test_territorial_fragility_levels(value, median, status):
    finding = run("M1_FRAGILITE_TERRITOIRE", ifn=ifn("total", value, median))
    assert finding.status == status
    assert rules.fr(value) + "/10" in finding.text
    if median is not None:
        assert f"contre {rules.fr(median)} pour la médiane du département" in finding.text
    else:
        assert "médiane du département indisponible" in finding.text


def test_missing_ifn_is_said_and_not_counted():
    finding = run("M1_FRAGILITE_TERRITOIRE")
    assert finding.status == MISSING
    assert not finding.counted
    assert "absent" in finding.text
    assert "/10" not in finding.text  # no invented figure


def test_skills_rule_quotes_the_example_sentence_of_the_brief():
    finding = run("M2_COMPETENCES_TERRITOIRE", ifn=ifn("older_65", 9.0, 6.0))
    assert finding.status == NEED
    assert "part des 65 ans et plus : 9/10 contre 6 pour la médiane du département" in finding.text


def test_skills_rule_takes_the_more_fragile_part_and_shows_both():
    data = {**ifn("older_65", 5.0, 6.0), **ifn("low_diploma", 6.5, 6.0)}
    finding = run("M2_COMPETENCES_TERRITOIRE", ifn=data)
    assert finding.status == PARTIAL
    assert "part des 65 ans et plus : 5/10" in finding.text
    assert "peu ou pas diplômées : 6,5/10" in finding.text


def test_skills_rule_with_one_part_missing_uses_the_other():
    assert run("M2_COMPETENCES_TERRITOIRE", ifn=ifn("low_diploma", 3.0, 5.0)).status == MET
    assert run("M2_COMPETENCES_TERRITOIRE").status == MISSING


def test_poverty_falls_back_to_the_epci_and_says_so():
    finding = run("M5_EQUIPEMENT_TERRITOIRE", ifn=ifn("poverty", 7.2, 5.0, scope="epci"))
    assert finding.status == NEED
    assert "valeur de l'intercommunalité" in finding.text


def test_poverty_missing():
    finding = run("M5_EQUIPEMENT_TERRITOIRE")
    assert finding.status == MISSING
    assert "Taux de pauvreté absent" in finding.text


@pytest.mark.parametrize(
    ("thd", "gaps", "status"),
    [
        (8.0, None, NEED),
        (3.0, "many", NEED),  # the answer alone says a large part is badly served
        (None, "many", NEED),
        (6.0, "none", PARTIAL),  # median 5
        (4.0, "some", PARTIAL),  # the answer raises a "met" to partial
        (None, "some", PARTIAL),
        (4.0, "none", MET),
        (None, "none", MET),
        (None, None, MISSING),
        (None, "unknown", MISSING),
    ],
)
def test_connectivity(thd, gaps, status):
    data = ifn("no_thd_coverage", thd, 5.0) if thd is not None else {}
    answers = {"co_fixed_gaps": gaps} if gaps else {}
    assert run("M5_CONNEXION", ifn=data, answers=answers).status == status


@pytest.mark.parametrize(
    ("fixed", "mobile", "status"),
    [("none", "many", NEED), ("none", "some", PARTIAL), ("none", "none", MET), ("none", "unknown", MET)],
)
def test_connectivity_reads_the_mobile_gaps_too(fixed, mobile, status):
    finding = run("M5_CONNEXION", answers={"co_fixed_gaps": fixed, "co_mobile_gaps": mobile})
    assert finding.status == status
    assert finding.measure == 5  # connection is access to equipment and a network, not drop-in sessions


def test_connectivity_sentence_says_what_the_indicator_is_and_its_vintage():
    data = {"no_thd_coverage": IfnFigure("no_thd_coverage", 8.0, 5.0, vintage="IFN publié 2023–2024")}
    text = run("M5_CONNEXION", ifn=data, answers={"co_fixed_gaps": "some"}).text
    assert "non-couverture en très haut débit : 8/10 contre 5 pour la médiane du département" in text
    assert "sous-indice de l'indice de fragilité numérique de La Mednum, de 1 à 10" in text
    assert "IFN publié 2023–2024" in text and "la couverture a pu progresser depuis" in text
    assert "secteurs mal desservis en internet fixe signalés par la mairie : oui, quelques habitations" in text
    assert "Beaucoup d'habitants" not in text  # never a claim about people from a 1–10 sub-score


def test_every_ifn_sentence_names_the_index_and_its_vintage():
    data = {
        part: IfnFigure(part, 8.0, 5.0, vintage="IFN publié 2023–2024")
        for part in ("total", "older_65", "low_diploma", "poverty", "no_4g_coverage")
    }
    for code in ("M1_FRAGILITE_TERRITOIRE", "M2_COMPETENCES_TERRITOIRE", "M5_EQUIPEMENT_TERRITOIRE", "M5_CONNEXION"):
        text = run(code, ifn=data).text
        assert "de La Mednum, de 1 à 10, 10 = le plus fragile, IFN publié 2023–2024" in text, code


# --- Distance and offer rules -----------------------------------------------------------------------------------


def access(kind, km, within=1, name="Lieu Imaginaire"):
    return {kind: Access(kind, km, within, name, "Source : inventée")}


@pytest.mark.parametrize(
    ("km", "status"),
    [(18.0, NEED), (15.1, NEED), (15.0, PARTIAL), (5.1, PARTIAL), (5.0, MET), (0.4, MET)],
)
def test_nearest_help_distance(km, status):
    finding = run("M4_AIDE_PROCHE", access=access(MEDIATION, km))
    assert finding.status == status
    assert f"le plus proche à {rules.km(km)}" in finding.text


def test_nearest_help_takes_the_closest_kind():
    data = {**access(MEDIATION, 18.0), **access(FRANCE_SERVICES, 3.0, name="France services Imaginaire")}
    finding = run("M4_AIDE_PROCHE", access=data)
    assert finding.status == MET
    assert "France services le plus proche à 3 km (France services Imaginaire)" in finding.text


def test_nearest_help_example_sentence():
    finding = run("M4_AIDE_PROCHE", access=access(MEDIATION, 18.0, name=""))
    assert "lieu de médiation le plus proche à 18 km" in finding.text


def test_nearest_help_without_data_is_missing_but_an_empty_search_is_a_need():
    assert run("M4_AIDE_PROCHE").status == MISSING
    finding = run("M4_AIDE_PROCHE", access={MEDIATION: Access(MEDIATION, None, 0)})
    assert finding.status == NEED
    assert "Aucun lieu" in finding.text


@pytest.mark.parametrize(
    ("answer", "within", "status"),
    [
        ("yes", 0, MET),
        ("no", 0, NEED),
        ("no", 2, PARTIAL),
        ("unknown", 0, UNKNOWN_STATUS),  # an unknown is never a no
        (None, 0, UNKNOWN_STATUS),
    ],
)
def test_aidants_connect(answer, within, status):
    answers = {"sk_aidants_connect": answer} if answer else {}
    finding = run("M2_AIDANTS_CONNECT", answers=answers, access=access(AIDANTS_CONNECT, 12.0, within))
    assert finding.status == status


def test_aidants_connect_no_with_unknown_surroundings_is_partial():
    finding = run("M2_AIDANTS_CONNECT", answers={"sk_aidants_connect": "no"})
    assert finding.status == PARTIAL
    assert "donnée absente" in finding.text


@pytest.mark.parametrize(
    ("cnum", "within", "status"),
    [
        ("hosted", 0, MET),
        ("visits", 0, PARTIAL),
        ("no", 0, NEED),
        ("no", 1, PARTIAL),
        ("no", 3, MET),
        ("unknown", 0, PARTIAL),  # no place within 10 km, but an unknown answer is never read as "no"
        ("unknown", 3, MET),
        ("unknown", None, MISSING),  # nothing known at all
        ("no", None, NEED),
        ("visits", None, PARTIAL),
    ],
)
def test_mediation_nearby(cnum, within, status):
    data = access(MEDIATION, 4.0, within) if within is not None else {}
    assert run("M5_MEDIATION_PROCHE", answers={"sk_conseiller_numerique": cnum}, access=data).status == status


# --- Answer rules -----------------------------------------------------------------------------------------------

ANSWER_CASES = [
    ("M1_ORIENTATION", "sk_referral", {"no": NEED, "yes": MET}),
    ("M1_PARTENAIRES", "st_partners", {("none",): NEED, ("ccas",): PARTIAL, ("ccas", "library"): MET}),
    ("M2_AIDE_GUICHET", "ac_desk_help", {"no": NEED, "yes": MET}),
    ("M3_FEUILLE_DE_ROUTE", "st_fne_roadmap", {"not_aware": NEED, "aware": PARTIAL, "participates": MET}),
    ("M3_CONTACT_HUB", "st_hub_contact", {"no": NEED, "yes": MET}),
    ("M3_REFERENT", "st_referent", {"no": NEED, "yes": MET}),
    ("M3_BUDGET", "st_budget", {"no": PARTIAL, "yes": MET}),
    ("M4_PERMANENCES", "sk_drop_in", {"none": NEED, "occasional": PARTIAL, "monthly": MET, "weekly": MET}),
    ("M5_RECONDITIONNE", "eq_loan_refurbished", {"none": NEED, "loan": PARTIAL, "refurbished": PARTIAL, "both": MET}),
    ("M5_POSTES_PUBLICS", "eq_public_computers", {0: NEED, 1: PARTIAL, 2: PARTIAL, 3: MET, 12: MET}),
]


@pytest.mark.parametrize(("code", "key", "cases"), ANSWER_CASES, ids=[c[0] for c in ANSWER_CASES])
def test_answer_rules(code, key, cases):
    for value, status in cases.items():
        value = list(value) if isinstance(value, tuple) else value
        assert run(code, answers={key: value}).status == status, (code, value)


@pytest.mark.parametrize(("code", "key", "cases"), ANSWER_CASES, ids=[c[0] for c in ANSWER_CASES])
def test_unknown_and_missing_answers_are_never_a_no(code, key, cases):
    for value in ("unknown", ["unknown"], None):
        answers = {key: value} if value is not None else {}
        finding = run(code, answers=answers)
        assert finding.status == UNKNOWN_STATUS, (code, value)
        assert not finding.counted
        assert "confiance baisse" in finding.text
    assert "Je ne sais pas" in run(code, answers={key: "unknown"}).text
    assert "sans réponse" in run(code, answers={}).text


def test_drop_in_example_sentence():
    assert run("M4_PERMANENCES", answers={"sk_drop_in": "none"}).text == (
        "Aucune permanence numérique aujourd'hui sur la commune."
    )


@pytest.mark.parametrize(
    ("population", "value", "status"),
    [
        (800, 0, NEED),
        (800, 1, MET),  # small commune: target 1
        (5000, 1, PARTIAL),  # medium: target 2
        (5000, 2, MET),
        (50000, 3, PARTIAL),  # large: target 4
        (50000, 4, MET),
        (None, 1, PARTIAL),  # unknown population: target 2
    ],
)
def test_trained_agents_target_depends_on_size(population, value, status):
    finding = run("M2_AGENTS_FORMES", answers={"sk_trained_agents": value}, population=population)
    assert finding.status == status


def test_unknown_share():
    few = dict.fromkeys(list(QUESTIONS)[:4], "unknown")
    assert run("M1_CONNAISSANCE", answers=few).status == UNKNOWN_STATUS  # too few answers to judge
    keys = list(QUESTIONS)[:20]
    answers = dict.fromkeys(keys, "yes")
    assert run("M1_CONNAISSANCE", answers=answers).status == MET
    answers.update(dict.fromkeys(keys[:2], "unknown"))  # 2/20 = 10 %
    assert run("M1_CONNAISSANCE", answers=answers).status == PARTIAL
    answers.update(dict.fromkeys(keys[:5], "unknown"))  # 5/20 = 25 %
    finding = run("M1_CONNAISSANCE", answers=answers)
    assert finding.status == NEED
    assert "5 réponses « Je ne sais pas » sur 20 (25 %)" in finding.text


# --- Combination into a priority ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("points", "possible", "priority"),
    [
        (0, 0, "medium"),
        (6, 8, "high"),
        (5, 8, "high"),
        (4, 8, "medium"),
        (2, 8, "medium"),
        (1, 8, "low"),
        (0, 8, "low"),
    ],
)
def test_priority_from_ratio(points, possible, priority):
    assert rules.priority_from(points, possible) == priority


def test_assessment_counts_only_evaluated_rules_and_lowers_confidence():
    data = facts(answers={"sk_drop_in": "none"})  # other rules of measure 4: no data
    assessment = rules.assess(data)[4]
    assert assessment.priority == "high"  # 2 / 2
    assert (assessment.evaluated, assessment.rules) == (1, 4)
    assert assessment.confidence == "low"
    assert [f.status for f in assessment.reasons][0] == NEED
    assert len(assessment.not_evaluated) == 3


def test_nothing_known_gives_medium_with_low_confidence():
    for assessment in rules.assess(facts()).values():
        assert assessment.priority == "medium"
        assert assessment.confidence == "low"
        assert assessment.evaluated == 0


def test_well_equipped_commune_gets_low_priorities():
    answers = {
        "sk_referral": "yes",
        "st_partners": ["ccas", "library", "association"],
        "sk_trained_agents": 2,
        "sk_aidants_connect": "yes",
        "ac_desk_help": "yes",
        "st_fne_roadmap": "participates",
        "st_hub_contact": "yes",
        "st_referent": "yes",
        "st_budget": "yes",
        "sk_drop_in": "weekly",
        "co_fixed_gaps": "none",
        "eq_loan_refurbished": "both",
        "eq_public_computers": 4,
        "sk_conseiller_numerique": "hosted",
        **dict.fromkeys(("eq_printer_scanner", "eq_wifi_public_buildings", "co_outdoor_wifi"), "yes"),
    }
    data = {
        **ifn("total", 3.0, 5.0),
        **ifn("older_65", 3.0, 5.0),
        **ifn("poverty", 2.0, 4.0),
        **ifn("no_thd_coverage", 2.0, 4.0),
    }
    result = rules.assess(facts(answers=answers, ifn=data, access=access(MEDIATION, 1.0, 4)))
    assert {n: a.priority for n, a in result.items()} == dict.fromkeys(range(1, 6), "low")


# --- Next steps ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("population", [300, 5000, 80000, None])
@pytest.mark.parametrize("answers", [{}, {"sk_drop_in": "weekly", "st_hub_contact": "yes"}])
def test_two_to_six_steps_per_measure(population, answers):
    for number in range(1, 6):
        steps = [s.text for s in next_steps(number, facts(answers=answers, population=population))]
        assert MIN_STEPS <= len(steps) <= MAX_STEPS
        assert len(set(steps)) == len(steps)
        assert all("{" not in s for s in steps)


def texts(number, **kwargs):
    return [s.text for s in next_steps(number, facts(**kwargs))]


def test_steps_adapt_to_size_and_answers():
    small = texts(4, answers={"sk_drop_in": "none"}, population=600)
    large = texts(4, answers={"sk_drop_in": "none"}, population=60000)
    assert any("mensuelle en mairie" in s for s in small)
    assert any("hebdomadaire" in s for s in large)
    with_hub = texts(3, answers={"st_hub_contact": "no"}, hub="Hinaura")
    assert with_hub[0].startswith("Contacter le Hub Hinaura")
    assert not any("Contacter" in s for s in texts(3, answers={"st_hub_contact": "yes"}))


# --- Generated documentation ---------------------------------------------------------------------------------------


def test_committed_rules_doc_equals_the_generated_one():
    path = Path(__file__).resolve().parents[2] / "docs" / "plan-rules.md"
    assert path.read_text(encoding="utf-8") == rules.rules_markdown(), (
        "docs/plan-rules.md is out of date: .venv/bin/python -m diagnostic.plan.rules > docs/plan-rules.md"
    )


def test_rules_doc_lists_every_rule_and_threshold():
    doc = rules.rules_markdown()
    for rule in rules.RULES:
        assert f"`{rule.code}`" in doc
    for name in rules.THRESHOLD_NAMES:
        assert f"`{name}`" in doc


def test_every_measure_has_enough_generic_steps_and_contradicted_steps_are_not_proposed():
    for number, steps in STEPS.items():
        assert sum(s.generic for s in steps) >= MIN_STEPS, number
    done = {
        "sk_drop_in": "monthly",
        "eq_printer_scanner": "yes",
        "st_elections_help": "yes",
        "st_hub_contact": "yes",
        "st_fne_roadmap": "participates",
        "st_referent": "yes",
        "st_budget": "yes",
    }
    steps = texts(4, answers=done, population=900) + texts(3, answers=done)
    assert not any("Ouvrir une permanence" in s for s in steps)
    assert not any("Contacter" in s or "Désigner" in s for s in steps)


# --- Section 4: the commune's own services ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("procedures", "alternative", "status"),
    [
        (["civil_status", "school"], "all", MET),
        (["civil_status"], "most", PARTIAL),
        (["civil_status"], "some", NEED),
        (["payment"], "none", NEED),
        (["none"], "none", MET),  # no online procedure: nothing to double offline
        (["civil_status"], "unknown", UNKNOWN_STATUS),  # never read as "no"
        (None, None, UNKNOWN_STATUS),
    ],
)
def test_offline_alternative(procedures, alternative, status):
    answers = {"ac_online_procedures": procedures, "ac_offline_alternative": alternative}
    finding = run("M4_ALTERNATIVE_HORS_LIGNE", answers={k: v for k, v in answers.items() if v is not None})
    assert finding.status == status
    if status == PARTIAL:
        assert "la plupart (démarches en ligne de la commune : actes d'état civil)" in finding.text


@pytest.mark.parametrize(("hours", "status"), [(0, NEED), (4, PARTIAL), (9, PARTIAL), (10, MET), ("unknown", None)])
def test_phone_hours(hours, status):
    finding = run("M4_ACCUEIL_TELEPHONIQUE", answers={"ac_phone_hours": hours})
    assert finding.status == (status or UNKNOWN_STATUS)
    if hours == 4:
        assert "ouvert seulement 4 heures par semaine" in finding.text
    if hours == 10:
        assert "ouvert 10 heures par semaine" in finding.text


@pytest.mark.parametrize(
    ("code", "key", "no_status"),
    [("M2_DECLARATION_ACCESSIBILITE", "ac_statement", NEED), ("M2_LANGAGE_CLAIR", "ac_plain_language", PARTIAL)],
)
def test_statement_and_plain_language(code, key, no_status):
    assert run(code, answers={key: "yes"}).status == MET
    assert run(code, answers={key: "no"}).status == no_status
    unknown = run(code, answers={key: "unknown"})
    assert unknown.status == UNKNOWN_STATUS and "confiance baisse" in unknown.text


@pytest.mark.parametrize(
    ("indoor", "outdoor", "status"),
    [
        ("yes", "yes", MET),
        ("yes", "no", PARTIAL),
        ("no", "no", NEED),
        ("no", "unknown", PARTIAL),  # the known "no" only; the unknown one is not read as "no"
        ("unknown", "unknown", UNKNOWN_STATUS),
    ],
)
def test_public_wifi(indoor, outdoor, status):
    answers = {"eq_wifi_public_buildings": indoor, "co_outdoor_wifi": outdoor}
    assert run("M5_WIFI_PUBLIC", answers=answers).status == status


def test_public_computers_open_few_hours_are_a_partial_need():
    assert run("M5_POSTES_PUBLICS", answers={"eq_public_computers": 4, "eq_public_computer_hours": 20}).status == MET
    finding = run("M5_POSTES_PUBLICS", answers={"eq_public_computers": 4, "eq_public_computer_hours": 6})
    assert finding.status == PARTIAL
    assert finding.text == "4 ordinateurs en accès libre pour le public, accessibles 6 heures par semaine."
    one = run("M5_POSTES_PUBLICS", answers={"eq_public_computers": 1, "eq_public_computer_hours": "unknown"})
    assert one.text == "1 ordinateur en accès libre pour le public (nombre d'heures d'ouverture par semaine inconnu)."


def test_counts_agree_with_their_noun():
    assert run("M2_AGENTS_FORMES", answers={"sk_trained_agents": 1}).text.startswith("1 agent formé pour")
    assert run("M2_AGENTS_FORMES", answers={"sk_trained_agents": 3}).text.startswith("3 agents formés pour")
    one = run("M1_PARTENAIRES", answers={"st_partners": ["ccas"]}).text
    assert "avec 1 acteur local : CCAS" in one
    assert "2 acteurs locaux" in run("M1_PARTENAIRES", answers={"st_partners": ["ccas", "library"]}).text
    for text in (one, run("M5_MEDIATION_PROCHE", access=access(MEDIATION, 3.0, 1)).text):
        assert "(s)" not in text and "(x)" not in text
    assert (
        "1 lieu de médiation numérique à moins de 10 km"
        in run("M5_MEDIATION_PROCHE", access=access(MEDIATION, 3.0, 1)).text
    )


# --- Steps that fit the answers and the place ---------------------------------------------------------------------


def steps_of(number, **kwargs):
    return next_steps(number, facts(**kwargs))


def test_a_nearby_aidants_connect_structure_is_named_instead_of_proposing_a_habilitation():
    nearby = {
        AIDANTS_CONNECT: Access(
            AIDANTS_CONNECT,
            0.8,
            1,
            "CCAS Imaginaire",
            nearest_address="2 rue Inventée, 99100 Saint-Exemple",
            nearest_phone="01 02 03 04 05",
        )
    }
    steps = steps_of(2, answers={"sk_aidants_connect": "no"}, access=nearby)
    orient = [s for s in steps if s.text.startswith("Orienter vers CCAS Imaginaire (à 0,8 km)")]
    assert orient and orient[0].partner_contact == "2 rue Inventée, 99100 Saint-Exemple · Tél. 01 02 03 04 05"
    assert not any("habiliter" in s.text for s in steps)

    far = {AIDANTS_CONNECT: Access(AIDANTS_CONNECT, 24.0, 0, "CCAS Lointain")}
    steps = steps_of(2, answers={"sk_aidants_connect": "no"}, access=far)
    habilitation = [s for s in steps if s.text.startswith("Faire habiliter un agent")]
    assert habilitation and "https://aidantsconnect.beta.gouv.fr/habilitation/" in [
        x.url for x in habilitation[0].links
    ]
    assert not any("CCAS Lointain" in s.text for s in steps)


def test_nearby_france_services_and_mediation_place_are_named():
    near = {
        FRANCE_SERVICES: Access(FRANCE_SERVICES, 3.24, 1, "France services Imaginaire"),
        MEDIATION: Access(MEDIATION, 1.5, 2, "Espace Imaginaire"),
    }
    steps = [s.text for s in steps_of(4, answers={"sk_drop_in": "none"}, access=near, population=600)]
    assert any(s.startswith("Convenir avec Espace Imaginaire (à 1,5 km) d'une permanence") for s in steps)
    assert any(s.startswith("Orienter vers France services Imaginaire (à 3,2 km)") for s in steps)
    assert not any("Ouvrir une permanence numérique mensuelle" in s for s in steps)


def test_unknown_answers_give_a_step_to_find_out_never_the_step_for_no():
    answers = dict.fromkeys(("sk_aidants_connect", "ac_statement", "ac_plain_language"), "unknown")
    steps = [s.text for s in steps_of(2, answers=answers)]
    assert "Vérifier si un agent de la mairie ou du CCAS est déjà habilité Aidants Connect." in steps
    assert any(s.startswith("Vérifier si le site de la commune publie sa déclaration") for s in steps)
    assert any(s.startswith("Vérifier avec le secrétariat si les formulaires") for s in steps)
    assert not any(s.startswith(("Faire habiliter", "Publier sur le site", "Relire en langage clair")) for s in steps)


def test_section_4_answers_give_their_steps_with_official_links():
    steps = steps_of(2, answers={"ac_statement": "no", "ac_plain_language": "no"})
    urls = {link.url for s in steps for link in s.links}
    assert "https://accessibilite.numerique.gouv.fr/obligations/declaration-accessibilite/" in urls
    assert any("langage-et-les-documents-administratifs" in u for u in urls)
    steps = [
        s.text
        for s in steps_of(
            4, answers={"ac_online_procedures": ["school"], "ac_offline_alternative": "some", "ac_phone_hours": 3}
        )
    ]
    assert any(s.startswith("Garder pour chaque démarche en ligne de la commune une alternative") for s in steps)
    assert any(s.startswith("Élargir l'accueil téléphonique de la mairie à au moins 10 heures") for s in steps)
    none_online = [s.text for s in steps_of(4, answers={"ac_online_procedures": ["none"], "ac_phone_hours": 30})]
    assert not any("alternative" in s or "accueil téléphonique" in s for s in none_online)


def test_connectivity_answers_give_reporting_fibre_and_wifi_steps():
    answers = {
        "co_fixed_gaps": "some",
        "co_mobile_gaps": "many",
        "co_reported_gaps": "no",
        "co_fibre_schedule": "no",
        "co_outdoor_wifi": "no",
        "eq_loan_refurbished": "both",
        "sk_conseiller_numerique": "visits",
    }
    steps = steps_of(5, answers=answers)
    report = next(s for s in steps if s.text.startswith("Signaler les secteurs mal couverts à l'Arcep"))
    assert "New Deal Mobile" in report.text and "https://jalerte.arcep.fr/" in [x.url for x in report.links]
    assert any(s.text.startswith("Proposer un Wi-Fi public gratuit") for s in steps)
    fibre = next(s for s in steps if "calendrier de déploiement de la fibre" in s.text)
    assert any("pilotage-du-plan-france-tres-haut-debit" in x.url for x in fibre.links)
    reported = steps_of(5, answers={**answers, "co_reported_gaps": "yes", "co_fibre_schedule": "yes"})
    assert not any("J'alerte l'Arcep" in s.text or "fibre" in s.text for s in reported)


def test_publics_reported_as_lacking_equipment_get_their_route():
    base = {"eq_loan_refurbished": "both", "sk_conseiller_numerique": "hosted", "eq_public_computers": 5}
    seniors = steps_of(5, answers={**base, "eq_needs_reported": ["seniors"]})
    route = next(s for s in seniors if s.text.startswith("Pour les personnes âgées"))
    assert "conférence des financeurs" in route.text and "CCAS" in route.text
    assert any("cnsa.fr" in x.url for x in route.links)
    young = [s.text for s in steps_of(5, answers={**base, "eq_needs_reported": ["young"]})]
    assert any(s.startswith("Pour les jeunes") for s in young)
    nobody = [s.text for s in steps_of(5, answers={**base, "eq_needs_reported": ["none"]})]
    assert not any(s.startswith("Pour les") for s in nobody)
    unknown = [s.text for s in steps_of(1, answers={"eq_needs_reported": "unknown"})]
    assert any("pour quels publics un manque d'équipement est constaté" in s for s in unknown)


def test_departement_pages_get_the_departement_code():
    data = PlanFacts(answers={"st_fne_roadmap": "aware"}, departement_code="18")
    urls = [x.url for s in next_steps(3, data) for x in s.links]
    assert any(u.endswith("/gouvernances/departement/18") for u in urls)
    without = [x.url for s in next_steps(3, PlanFacts(answers={"st_fne_roadmap": "aware"})) for x in s.links]
    assert not any("{code}" in u or "/departement/" in u for u in without)


def test_profile_row_of_section_4_shows_the_communes_answers_and_distances_have_their_own_row():
    from diagnostic.plan.profile import fragility_profile
    from diagnostic.questionnaire.scoring import score_sections

    answers = {
        "ac_online_procedures": ["civil_status"],
        "ac_statement": "no",
        "ac_plain_language": "unknown",
        "ac_phone_hours": 18,
    }
    rows = {
        f.key: f
        for f in fragility_profile(facts(answers=answers, access=access(MEDIATION, 0.9, 3)), score_sections(answers))
    }
    own = rows["accessibility"]
    assert own.title == "Accessibilité des services de la commune"
    for said in (
        "démarches en ligne : actes d'état civil",
        "déclaration d'accessibilité du site : non",
        "formulaires et courriers en langage clair : je ne sais pas",
        "accueil téléphonique : 18 heures par semaine",
        "aide aux démarches en ligne au guichet : sans réponse",
    ):
        assert said in own.territory_text
    assert "km" not in own.territory_text
    proximity = rows["proximity"]
    assert proximity.title == "Proximité de l'aide"
    assert "lieu de médiation le plus proche à 0,9 km (3 à moins de 10 km)" in proximity.territory_text


def test_villeurbanne_demo_answers_drive_section_4_and_connectivity_steps():
    """The demo draft of seed_demo (answers made up for the demonstration), without the open data."""
    from diagnostic.management.commands.seed_demo import VILLEURBANNE_ANSWERS

    data = facts(answers=VILLEURBANNE_ANSWERS, population=160_000)
    texts_by_measure = {n: [s.text for s in next_steps(n, data)] for n in range(1, 6)}
    assert any(s.startswith("Garder pour chaque démarche en ligne") for s in texts_by_measure[4])
    assert any(s.startswith("Vérifier avec le secrétariat si les formulaires") for s in texts_by_measure[2])
    assert any(s.startswith("Vérifier si la commune a déjà signalé") for s in texts_by_measure[5])
    assert any(s.startswith("Pour les jeunes") for s in texts_by_measure[5])


def test_unknown_offer_answers_are_found_out_not_read_as_absent():
    unknown = dict.fromkeys(
        ("sk_trained_agents", "sk_drop_in", "sk_conseiller_numerique", "eq_public_computers"), "unknown"
    )
    steps = [s.text for n in (2, 4, 5) for s in steps_of(n, answers=unknown, population=600)]
    assert any(s.startswith("Compter les agents d'accueil") for s in steps)
    assert any(s.startswith("Vérifier si des permanences numériques ont déjà lieu") for s in steps)
    assert any(s.startswith("Vérifier auprès de l'intercommunalité") for s in steps)
    assert any(s.startswith("Recenser les ordinateurs en accès libre") for s in steps)
    for step_for_no in (
        "Inscrire un agent",
        "Ouvrir une permanence",
        "Demander l'intervention",
        "Mettre à disposition",
    ):
        assert not any(s.startswith(step_for_no) for s in steps), step_for_no
    answered = {"sk_trained_agents": 0, "sk_drop_in": "none", "sk_conseiller_numerique": "no", "eq_public_computers": 0}
    steps = [s.text for n in (2, 4, 5) for s in steps_of(n, answers=answered, population=600)]
    for step_for_no in (
        "Inscrire un agent",
        "Ouvrir une permanence",
        "Demander l'intervention",
        "Mettre à disposition",
    ):
        assert any(s.startswith(step_for_no) for s in steps), step_for_no
    assert not any(s.startswith("Recenser les ordinateurs") for s in steps)
