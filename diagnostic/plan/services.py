"""Writes of the action plan."""

from django.db import transaction

from diagnostic.measures import MEASURES
from diagnostic.models import Diagnostic, MeasureAction


@transaction.atomic
def refresh_plan(*, diagnostic: Diagnostic) -> list[MeasureAction]:
    """Make sure the diagnostic has its five measure rows (and, later, their cached priorities).

    Called after every write of answers and on submission.
    """
    existing = {m.measure: m for m in diagnostic.measures.all()}
    missing = [MeasureAction(diagnostic=diagnostic, measure=m.number) for m in MEASURES if m.number not in existing]
    if missing:
        MeasureAction.objects.bulk_create(missing, ignore_conflicts=True)
    return list(diagnostic.measures.order_by("measure"))
