"""One commune followed by the Hub: its diagnostics with scores and reviews, a diagnostic read for review, the
progress year on year."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count

from diagnostic import access
from diagnostic.dashboard.selectors.scores import capacity_of, section_scores_for
from diagnostic.measures import MEASURES
from diagnostic.models import Answer, Diagnostic, MeasureAction, ReviewComment
from diagnostic.questionnaire.definition import SECTIONS
from territories.models import Commune, CommuneIfn


def progress(commune: Commune) -> dict:
    """The commune's yearly diagnostics side by side (oldest first), with the change of each section score and
    of each measure's status and priority from one year to the next (3 queries)."""
    diagnostics = list(Diagnostic.objects.filter(commune=commune).order_by("year"))
    scores = section_scores_for(diagnostics)
    measures: dict[int, dict[int, MeasureAction]] = defaultdict(dict)
    for action in MeasureAction.objects.filter(diagnostic__in=diagnostics):
        measures[action.diagnostic_id][action.measure] = action

    section_rows = []
    for section in SECTIONS:
        cells, previous = [], None
        for diagnostic in diagnostics:
            score = scores[diagnostic.pk][section.key].score
            delta = score - previous if score is not None and previous is not None else None
            cells.append({"score": score, "delta": delta})
            previous = score if score is not None else previous
        section_rows.append({"section": section, "cells": cells})

    measure_rows = []
    for measure in MEASURES:
        cells, previous = [], None
        for diagnostic in diagnostics:
            action = measures[diagnostic.pk].get(measure.number)
            changed = bool(action and previous and (action.status != previous.status))
            cells.append({"action": action, "changed": changed, "previous": previous})
            previous = action or previous
        measure_rows.append({"measure": measure, "cells": cells})
    return {"diagnostics": diagnostics, "sections": section_rows, "measures": measure_rows}


def commune_ifn(commune: Commune) -> CommuneIfn | None:
    """The commune's IFN row with its source (None when the commune has none)."""
    return CommuneIfn.objects.filter(commune=commune).select_related("source").first()


def followed_diagnostics(user, commune: Commune) -> list[Diagnostic]:
    """The commune's diagnostics the user may see, newest first, each with its section scores, local capacity and
    number of review comments (3 queries plus the uncached scores)."""
    diagnostics = list(access.diagnostics_of_commune(user, commune).prefetch_related("measures"))
    scores = section_scores_for(diagnostics)
    review_counts = dict(
        ReviewComment.objects.filter(diagnostic__in=[d.pk for d in diagnostics])
        .order_by()
        .values_list("diagnostic")
        .annotate(n=Count("pk"))
        .values_list("diagnostic", "n")
    )
    for diagnostic in diagnostics:
        diagnostic.section_scores = list(scores[diagnostic.pk].values())
        diagnostic.capacity = capacity_of(scores[diagnostic.pk])
        diagnostic.review_count = review_counts.get(diagnostic.pk, 0)
    return diagnostics


def review_sections(diagnostic: Diagnostic) -> list[dict]:
    """The questionnaire read-only for a review: per section, its score and each question with its answer and the
    answer's label in words (2 queries plus the scores when not cached)."""
    answers = {a.question: a for a in Answer.objects.filter(diagnostic=diagnostic)}
    scores = section_scores_for([diagnostic])[diagnostic.pk]
    sections = []
    for section in SECTIONS:
        items = []
        for question in section.questions:
            answer = answers.get(question.key)
            items.append({"question": question, "answer": answer, "label": answer_label(question, answer)})
        sections.append({"section": section, "score": scores[section.key], "items": items})
    return sections


def answer_label(question, answer) -> str:
    if answer is None or answer.value is None:
        return "Sans réponse"
    value = answer.value
    if value == "unknown":
        return "Je ne sais pas"
    if isinstance(value, list):
        return ", ".join(question.choice_label(v) for v in value) or "Aucun"
    if question.choices:
        return question.choice_label(value)
    return question.quantity(value)
