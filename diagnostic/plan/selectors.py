"""Reads of the action plan: everything the plan page, the PDF and the CSV show, computed once."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from diagnostic.measures import MEASURES, Measure
from diagnostic.models import Diagnostic, MeasureAction
from diagnostic.plan.contacts import ContactGroup, cached_nearest_places
from diagnostic.plan.facts import SIZE_LABELS, PlanFacts, facts_for
from diagnostic.plan.profile import Factor, fragility_profile, profile_chart_svg
from diagnostic.plan.rules import HIGH_RATIO, MEDIUM_RATIO, RULES, MeasureAssessment, assess
from diagnostic.plan.steps import STEPS, PlanStep, next_steps
from diagnostic.questionnaire.definition import QUESTIONS
from diagnostic.questionnaire.scoring import SectionScore, is_known, score_sections
from territories.models import CommuneIfn, CommunePlaceAccess, DataSource, EpciIfn


@dataclass
class MeasurePlan:
    measure: Measure
    action: MeasureAction
    assessment: MeasureAssessment
    steps: list[PlanStep]

    @property
    def number(self) -> int:
        return self.measure.number

    @property
    def priority(self) -> str:
        return self.assessment.priority


@dataclass
class Plan:
    diagnostic: Diagnostic
    facts: PlanFacts
    scores: dict[str, SectionScore]
    profile: list[Factor]
    measures: list[MeasurePlan]
    contacts: list[ContactGroup]
    sources: list[DataSource]
    generated_at: object = field(default_factory=timezone.now)
    needs_refresh: bool = False  # measure rows missing or cached priorities out of date

    @property
    def commune(self):
        return self.diagnostic.commune

    @property
    def departement(self):
        return self.diagnostic.commune.departement

    @property
    def hub(self):
        return self.diagnostic.commune.departement.hub

    @property
    def is_draft(self) -> bool:
        return not self.diagnostic.is_submitted

    @property
    def size_label(self) -> str:
        return SIZE_LABELS[self.facts.size]

    @property
    def answered(self) -> int:
        return sum(1 for k, v in self.facts.answers.items() if k in QUESTIONS and v is not None)

    @property
    def known_answers(self) -> int:
        return sum(1 for k, v in self.facts.answers.items() if k in QUESTIONS and is_known(v))

    @property
    def question_count(self) -> int:
        return len(QUESTIONS)

    @property
    def author(self) -> str:
        user = self.diagnostic.submitted_by or self.diagnostic.created_by
        return (user.get_full_name() or user.email) if user else ""

    @property
    def high_percent(self) -> int:
        return round(100 * HIGH_RATIO)

    @property
    def medium_percent(self) -> int:
        return round(100 * MEDIUM_RATIO)

    @property
    def profile_chart(self) -> str:
        return profile_chart_svg(self.profile)


def plan_sources(diagnostic: Diagnostic, contacts: list[ContactGroup]) -> list[DataSource]:
    """The DataSource rows whose figures the plan shows (with their vintages). Open data only (the contacts are the
    cached nearest places of the commune), so cached per data version."""
    from territories.selectors import cached_per_data_version

    key = f"plan-sources:v1:{diagnostic.commune_id}"
    return cached_per_data_version(key, lambda: _plan_sources(diagnostic, contacts))


def _plan_sources(diagnostic: Diagnostic, contacts: list[ContactGroup]) -> list[DataSource]:
    from territories.selectors import map_sources

    commune = diagnostic.commune
    departement = commune.departement
    ids = {commune.source_id, commune.geometry_source_id, departement.source_id}
    if departement.hub_id:
        ids.add(departement.hub.source_id)
    ids.update(CommuneIfn.objects.filter(commune=commune).values_list("source_id", flat=True))
    if commune.epci_id:
        ids.update(EpciIfn.objects.filter(epci_id=commune.epci_id).values_list("source_id", flat=True))
    ids.update(
        CommunePlaceAccess.objects.filter(commune=commune)
        .exclude(nearest=None)
        .values_list("nearest__source_id", flat=True)
    )
    ids.update(c.place.source_id for group in contacts for c in group.contacts)
    ids.update(s.pk for s in map_sources(departement.code))
    ids.discard(None)
    return list(DataSource.objects.filter(pk__in=ids).order_by("name"))


def build_plan(diagnostic: Diagnostic) -> Plan:
    facts = facts_for(diagnostic)
    assessments = assess(facts)
    scores = score_sections(facts.answers)
    actions = {a.measure: a for a in diagnostic.measures.select_related("updated_by")}
    needs_refresh = len(actions) < len(MEASURES) or any(
        a.priority != assessments[n].priority for n, a in actions.items()
    )
    measures = [
        MeasurePlan(
            m,
            actions.get(m.number) or MeasureAction(diagnostic=diagnostic, measure=m.number),
            assessments[m.number],
            next_steps(m.number, facts),
        )
        for m in MEASURES
    ]
    contacts = cached_nearest_places(diagnostic.commune)
    return Plan(
        diagnostic=diagnostic,
        facts=facts,
        scores=scores,
        profile=fragility_profile(facts, scores),
        measures=measures,
        contacts=contacts,
        sources=plan_sources(diagnostic, contacts),
        needs_refresh=needs_refresh,
    )


FIELD_LABELS = {"owner": "responsable", "target_date": "échéance", "status": "état", "comment": "commentaire"}


def _display(field_name: str, value) -> str:
    if value in (None, ""):
        return "(vide)"
    if field_name == "status":
        return dict(MeasureAction.Status.choices).get(value, str(value))
    if field_name == "target_date":
        try:
            year, month, day = str(value).split("-")
            return f"{day}/{month}/{year}"
        except ValueError:
            return str(value)
    return str(value)


def describe_measure_changes(events) -> list[dict]:
    """Readable lines for AuditEvent rows of a measure ("measure-3.status"): who, when, what, from, to."""
    lines = []
    for event in events:
        field_name = event.key.split(".", 1)[-1]
        who = (event.user.get_full_name() or event.user.email) if event.user else "Un autre utilisateur"
        lines.append(
            {
                "who": who,
                "at": event.at,
                "field": FIELD_LABELS.get(field_name, field_name),
                "old": _display(field_name, event.old_value),
                "new": _display(field_name, event.new_value),
            }
        )
    return lines


def questions_read() -> tuple[str, ...]:
    """The question ids read by at least one plan rule or next step (their declared `reads`), in the
    questionnaire's order; a question id declared but absent from the questionnaire is kept, at the end."""
    declared = [q for rule in RULES for q in rule.reads.questions]
    declared += [q for steps in STEPS.values() for step in steps for q in step.reads.questions]
    declared = list(dict.fromkeys(declared))
    return tuple([q for q in QUESTIONS if q in declared] + [q for q in declared if q not in QUESTIONS])


def published_diagnostic(insee: str, year: int) -> Diagnostic:
    """The transmitted diagnostic of a commune and year whose plan its agents published; Http404 otherwise (never
    published, withdrawn, or not transmitted): the public page shows nothing else."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Diagnostic.objects.select_related("commune", "commune__departement", "commune__departement__hub"),
        commune_id=insee,
        year=year,
        status=Diagnostic.Status.SUBMITTED,
        published_at__isnull=False,
    )
