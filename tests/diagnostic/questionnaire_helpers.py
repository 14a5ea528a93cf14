"""Helpers for the questionnaire tests: build the POST data of a step from {question key: value}."""

from django.urls import reverse

from diagnostic.questionnaire.definition import MULTIPLE, QUESTIONS, section
from diagnostic.questionnaire.forms import SectionForm, comment_field_name, shown_field_name


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
