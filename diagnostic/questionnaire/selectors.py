"""Reads of the questionnaire for the agent's home page, scoped to the user."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from diagnostic.access import diagnostics_visible_to, resume_step
from diagnostic.questionnaire.definition import QUESTIONS
from inclusion.accounts import roles
from inclusion.accounts.models import Membership


def agent_home(*, user, role: str, memberships: list[Membership]) -> dict:
    """For an agent's "Mon espace": per approved commune, this year's diagnostic (with its number of answers and
    the step to resume) and the previous years'. Registered in inclusion.accounts.home_panels; {} for other roles."""
    if role not in (roles.AGENT, roles.PENDING_AGENT):
        return {}
    year = timezone.localdate().year
    approved = [m.commune for m in memberships if m.status == Membership.Status.APPROVED]
    diagnostics = diagnostics_visible_to(user).annotate(
        answered=Count("answers", filter=Q(answers__value__isnull=False))
    )
    by_commune: dict[str, list] = {}
    for diagnostic in diagnostics:
        if diagnostic.year == year and not diagnostic.is_submitted:
            diagnostic.resume_step = resume_step(diagnostic)
        by_commune.setdefault(diagnostic.commune_id, []).append(diagnostic)
    return {
        "communes": [
            {
                "commune": commune,
                "current": next((d for d in by_commune.get(commune.insee, []) if d.year == year), None),
                "history": [d for d in by_commune.get(commune.insee, []) if d.year != year],
            }
            for commune in approved
        ],
        "year": year,
        "question_count": len(QUESTIONS),
    }
