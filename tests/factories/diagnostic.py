"""Builders of MADE-UP diagnostics: the diagnostic itself, answers, measure actions, plan data, questionnaire POSTs.

Every answer, name and figure is invented for tests.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from diagnostic.models import Answer, Diagnostic, MeasureAction
from diagnostic.plan.services import refresh_plan
from diagnostic.questionnaire.definition import MULTIPLE, NUMBER, QUESTIONS, SECTIONS, VERSION, section
from diagnostic.questionnaire.forms import SectionForm, comment_field_name, shown_field_name
from territories.models import Place
from tests.factories.territories import make_access, make_commune, make_ifn, make_place


def make_diagnostic(
    commune,
    *,
    year: int | None = None,
    user=None,
    level: str | None = None,
    high=None,
    statuses: dict | None = None,
    **fields,
) -> Diagnostic:
    """A made-up diagnostic of `commune` (this year, current questionnaire version).

    `status="submitted"` also sets `submitted_at`; `level="low"|"high"` answers every scored question with its lowest
    or highest points (see `answers_for`); `high=(1, 4)` and/or `statuses={1: "done"}` create the five measure
    actions, the listed measures at high priority (the others low), each "todo" unless `statuses` says otherwise.
    """
    if fields.get("status") == Diagnostic.Status.SUBMITTED:
        fields.setdefault("submitted_at", timezone.now())
    diagnostic = Diagnostic.objects.create(
        commune=commune,
        year=year or timezone.localdate().year,
        questionnaire_version=fields.pop("questionnaire_version", VERSION),
        created_by=user,
        **fields,
    )
    if level:
        Answer.objects.bulk_create(
            Answer(diagnostic=diagnostic, question=key, value=value) for key, value in answers_for(level).items()
        )
    if high is not None or statuses is not None:
        high, statuses = high or (), statuses or {}
        MeasureAction.objects.bulk_create(
            MeasureAction(
                diagnostic=diagnostic,
                measure=n,
                priority="high" if n in high else "low",
                status=statuses.get(n, "todo"),
            )
            for n in range(1, 6)
        )
    return diagnostic


def answers_for(level: str) -> dict:
    """Answers to every scored question giving the lowest ("low") or highest ("high") points."""
    values = {}
    for sec in SECTIONS:
        for question in sec.questions:
            if not question.is_scored:
                continue
            if question.kind == NUMBER:
                values[question.key] = 0 if level == "low" else max(t for t, _ in question.thresholds)
            elif question.kind == MULTIPLE:
                choices = [c for c in question.choices if not c.exclusive]
                if level == "low":
                    values[question.key] = [min(choices, key=lambda c: c.points).value]
                else:
                    values[question.key] = [c.value for c in choices]
            else:
                pick = min if level == "low" else max
                values[question.key] = pick(question.choices, key=lambda c: c.points).value
    return values


# --- questionnaire -----------------------------------------------------------------------------------------------

# A complete, plausible set of MADE-UP answers (every question answered).
FULL_ANSWERS = {
    "eq_public_computers": 2,
    "eq_public_computer_hours": "unknown",
    "eq_printer_scanner": "yes",
    "eq_wifi_public_buildings": "no",
    "eq_loan_refurbished": "none",
    "eq_needs_reported": ["seniors", "jobseekers"],
    "co_fixed_gaps": "some",
    "co_mobile_gaps": "none",
    "co_complaints": "sometimes",
    "co_reported_gaps": "unknown",
    "co_outdoor_wifi": "no",
    "co_fibre_schedule": "yes",
    "sk_trained_agents": 1,
    "sk_aidants_connect": "no",
    "sk_conseiller_numerique": "visits",
    "sk_drop_in": "monthly",
    "sk_workshops": ["seniors"],
    "sk_referral": "yes",
    "ac_online_procedures": ["civil_status", "school"],
    "ac_offline_alternative": "all",
    "ac_statement": "unknown",
    "ac_plain_language": "no",
    "ac_desk_help": "yes",
    "ac_phone_hours": 20,
    "st_hub_contact": "no",
    "st_fne_roadmap": "aware",
    "st_partners": ["ccas", "library"],
    "st_budget": "no",
    "st_referent": "yes",
    "st_elections_help": "unknown",
}
assert set(FULL_ANSWERS) == set(QUESTIONS)


def answers_of_step(step: int, answers: dict = FULL_ANSWERS) -> dict:
    keys = {q.key for q in section(step).questions}
    return {k: v for k, v in answers.items() if k in keys}


def step_data(
    step: int,
    answers: dict,
    version: int,
    comments: dict | None = None,
    go: str | None = "next",
    page_id: str | None = None,
) -> dict:
    """Like the page's form, for the questions in `answers` only (the page's hidden marker included for a multiple
    choice, so that an empty list clears it); `page_id` is the opened page's id (None: like a post without one)."""
    data = {"version": str(version)}
    if page_id:
        data["page_id"] = page_id
    if go:
        data["go"] = go
    for question in section(step).questions:
        if question.key not in answers:
            continue
        if question.kind == MULTIPLE:
            data[shown_field_name(question.key)] = "1"
        for name, value in SectionForm.data_for(question, answers[question.key]).items():
            if isinstance(value, bool):
                if value:
                    data[name] = "on"
            elif value is None:
                data[name] = ""
            else:
                data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    for key, text in (comments or {}).items():
        data[comment_field_name(key)] = text
    return data


def post_step(client, diagnostic, step, answers, version=None, htmx=False, **kwargs):
    version = diagnostic.version if version is None else version
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        reverse("diagnostic:step", args=[diagnostic.pk, step]),
        step_data(step, answers, version, go=None if htmx else kwargs.pop("go", "next"), **kwargs),
        headers=headers,
    )


# --- plan --------------------------------------------------------------------------------------------------------

# MADE-UP answers of the plan tests (see `enrich`).
PLAN_ANSWERS = {
    "eq_public_computers": 0,
    "eq_loan_refurbished": "none",
    "co_fixed_gaps": "some",
    "sk_trained_agents": 0,
    "sk_aidants_connect": "unknown",
    "sk_conseiller_numerique": "no",
    "sk_drop_in": "none",
    "sk_referral": "yes",
    "ac_desk_help": "yes",
    "st_hub_contact": "no",
    "st_fne_roadmap": "aware",
    "st_partners": ["library", "ccas"],
    "st_budget": "yes",
    "st_referent": "yes",
}


def enrich(world, answers: dict | None = None):
    """Add MADE-UP plan data to the commune of `tests.factories.worlds.World` (99001 "Saint-Exemple"); refresh the plan.

    The département's other communes give the IFN medians (6 for every part), the commune is fragile for the 65+
    share (9/10), its nearest lieu de médiation is 18 km away; answers default to PLAN_ANSWERS.
    """
    commune = world.commune
    commune.population = 1200
    commune.save(update_fields=["population"])
    make_ifn(
        commune,
        {
            "no_thd_coverage": 7.0,
            "no_4g_coverage": 5.0,
            "poverty": None,
            "older_65": 9.0,
            "low_diploma": 6.0,
            "total": 7.4,
        },
    )
    neighbours = [  # medians 6 for every part
        make_commune(f"99{index:03d}", f"Voisine {index}", dep=commune.departement, population=500, ifn=6.0)
        for index in range(2, 5)
    ]
    mediation = make_place(
        "Espace numérique Imaginaire",
        Place.Kind.MEDIATION,
        commune=neighbours[0],
        lat=47.182,
        lon=2.56,
        phone="01 02 03 04 05",
        email="contact@espace.example.org",
        website="https://espace.example.org/",
        address="1 place de l'Exemple",
        postcode="99100",
    )
    france_services = make_place(
        "France services Imaginaire", Place.Kind.FRANCE_SERVICES, commune=neighbours[1], lat=47.222, lon=2.56
    )
    make_access(commune, mediation, km=18.0, within_10km=0)
    make_access(commune, france_services, km=22.5, within_10km=0)
    make_access(commune, None, km=None, within_10km=0, kind=Place.Kind.AIDANTS_CONNECT)
    for key, value in (PLAN_ANSWERS if answers is None else answers).items():
        Answer.objects.create(diagnostic=world.diagnostic, question=key, value=value)
    refresh_plan(diagnostic=world.diagnostic)
    return world
