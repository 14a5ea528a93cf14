"""Section scores and local capacity of diagnostics, cached per diagnostic version."""

from __future__ import annotations

from collections import defaultdict

from django.core.cache import cache

from diagnostic.dashboard.classes import MIN_SCORED_SECTIONS
from diagnostic.models import Answer, Diagnostic
from diagnostic.questionnaire.definition import VERSION as QUESTIONNAIRE_VERSION
from diagnostic.questionnaire.scoring import SectionScore, score_sections

SCORES_CACHE_SECONDS = 7 * 24 * 3600


def _scores_key(diagnostic: Diagnostic) -> str:
    # Diagnostic.version is bumped at every write of an answer; updated_at and the questionnaire version are
    # there in case a write forgets it or the scoring changes.
    stamp = diagnostic.updated_at.timestamp() if diagnostic.updated_at else 0
    return f"dashboard-scores:{QUESTIONNAIRE_VERSION}:{diagnostic.pk}:{diagnostic.version}:{stamp:.6f}"


def section_scores_for(diagnostics) -> dict[int, dict[str, SectionScore]]:
    """{diagnostic id: section scores} for Diagnostic objects (pk, version and updated_at loaded).

    Scores are cached per diagnostic version; the answers of the diagnostics missing from the cache are read in
    one query (none when all are cached), so the cost does not grow with the number of rows shown.
    """
    keys = {d.pk: _scores_key(d) for d in diagnostics}
    cached = cache.get_many(list(keys.values())) if keys else {}
    result = {pk: cached[key] for pk, key in keys.items() if key in cached}
    missing = [pk for pk in keys if pk not in result]
    if missing:
        answers: dict[int, dict] = defaultdict(dict)
        rows = Answer.objects.filter(diagnostic_id__in=missing).values_list("diagnostic_id", "question", "value")
        for diagnostic_id, question, value in rows:
            answers[diagnostic_id][question] = value
        computed = {pk: score_sections(answers.get(pk, {})) for pk in missing}
        cache.set_many({keys[pk]: scores for pk, scores in computed.items()}, SCORES_CACHE_SECONDS)
        result.update(computed)
    return result


def capacity_of(scores: dict[str, SectionScore]) -> int | None:
    """Mean of the known section scores, None when fewer than MIN_SCORED_SECTIONS sections are scored."""
    known = [s.score for s in scores.values() if s.score is not None]
    if len(known) < MIN_SCORED_SECTIONS:
        return None
    return round(sum(known) / len(known))
