"""Writes of the action plan: the cached priorities of the five measures, and the agents' follow-up edits."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from diagnostic.measures import MEASURES
from diagnostic.models import AuditEvent, Diagnostic, MeasureAction
from diagnostic.plan.facts import facts_for
from diagnostic.plan.rules import assess

EDITABLE_FIELDS = ("owner", "target_date", "status", "comment")


@transaction.atomic
def refresh_plan(*, diagnostic: Diagnostic) -> list[MeasureAction]:
    """Make sure the diagnostic has its five measure rows and recompute their cached priorities from the rules.

    Called after every write of answers and on submission (and by the data importers' callers when data change).
    """
    existing = {m.measure: m for m in diagnostic.measures.all()}
    missing = [MeasureAction(diagnostic=diagnostic, measure=m.number) for m in MEASURES if m.number not in existing]
    if missing:
        MeasureAction.objects.bulk_create(missing, ignore_conflicts=True)
    actions = list(diagnostic.measures.order_by("measure"))
    assessments = assess(facts_for(diagnostic))
    changed = []
    for action in actions:
        priority = assessments[action.measure].priority
        if action.priority != priority:
            action.priority = priority
            changed.append(action)
    if changed:
        # The priority is derived data: no version bump, so an agent's edit in flight is not seen as a conflict.
        MeasureAction.objects.bulk_update(changed, ["priority"])
    return actions


def refresh_all_plans() -> int:
    """Recompute the cached priorities of every diagnostic (after the open data changed). Returns how many."""
    count = 0
    for diagnostic in Diagnostic.objects.select_related("commune").iterator(chunk_size=200):
        refresh_plan(diagnostic=diagnostic)
        count += 1
    return count


def _json(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@dataclass
class MeasureUpdate:
    action: MeasureAction
    saved: bool
    conflict: bool = False
    # On conflict: what others changed since the version the form was read at (AuditEvent rows, oldest first).
    others_changes: list[AuditEvent] = field(default_factory=list)
    changed_fields: list[str] = field(default_factory=list)


@transaction.atomic
def update_measure_action(
    *,
    diagnostic: Diagnostic,
    measure: int,
    user,
    version: int,
    owner: str,
    target_date: datetime.date | None,
    status: str,
    comment: str,
) -> MeasureUpdate:
    """Save an agent's follow-up of one measure, with the questionnaire's optimistic-locking rule.

    The form posts the MeasureAction.version it was read at. If the row moved since, nothing is overwritten: the
    result carries the changes made by others (to show them) and the caller keeps the user's input in the form.
    Every changed field writes an AuditEvent (target=measure, key "measure-<n>.<field>").
    """
    refresh_plan(diagnostic=diagnostic)  # the five rows exist
    action = MeasureAction.objects.select_for_update().get(diagnostic=diagnostic, measure=measure)
    if action.version != version:
        changes = list(
            AuditEvent.objects.filter(
                diagnostic=diagnostic,
                target=AuditEvent.Target.MEASURE,
                key__startswith=f"measure-{measure}.",
                version__gt=version,
            )
            .select_related("user")
            .order_by("at", "id")
        )
        return MeasureUpdate(action, saved=False, conflict=True, others_changes=changes)

    new_values = {"owner": owner.strip(), "target_date": target_date, "status": status, "comment": comment.strip()}
    changed = [name for name in EDITABLE_FIELDS if getattr(action, name) != new_values[name]]
    if not changed:
        return MeasureUpdate(action, saved=True)
    old_values = {name: getattr(action, name) for name in changed}
    for name in changed:
        setattr(action, name, new_values[name])
    action.version += 1
    action.updated_by = user
    action.save(update_fields=[*changed, "version", "updated_by", "updated_at"])
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                diagnostic=diagnostic,
                user=user,
                target=AuditEvent.Target.MEASURE,
                key=f"measure-{measure}.{name}",
                old_value=_json(old_values[name]),
                new_value=_json(new_values[name]),
                version=action.version,
            )
            for name in changed
        ]
    )
    return MeasureUpdate(action, saved=True, changed_fields=changed)


class PublicationRefused(Exception):
    """The plan cannot be published (the diagnostic is not transmitted yet)."""


@transaction.atomic
def publish_plan(*, diagnostic: Diagnostic, user) -> bool:
    """Publish the plan at its public URL. Only a transmitted diagnostic's plan is published. Returns whether
    something changed (publishing a published plan keeps its first date). Writes an AuditEvent."""
    diagnostic = Diagnostic.objects.select_for_update().get(pk=diagnostic.pk)
    if not diagnostic.is_submitted:
        raise PublicationRefused("Le plan pourra être publié une fois le diagnostic transmis.")
    if diagnostic.published_at:
        return False
    diagnostic.published_at = timezone.now()
    diagnostic.save(update_fields=["published_at", "updated_at"])
    AuditEvent.objects.create(
        diagnostic=diagnostic,
        user=user,
        target=AuditEvent.Target.PUBLICATION,
        key="plan.published",
        new_value=diagnostic.published_at.isoformat(),
        version=diagnostic.version,
    )
    return True


@transaction.atomic
def unpublish_plan(*, diagnostic: Diagnostic, user) -> bool:
    """Withdraw the plan from its public URL. Returns whether something changed. Writes an AuditEvent."""
    diagnostic = Diagnostic.objects.select_for_update().get(pk=diagnostic.pk)
    if not diagnostic.published_at:
        return False
    old = diagnostic.published_at
    diagnostic.published_at = None
    diagnostic.save(update_fields=["published_at", "updated_at"])
    AuditEvent.objects.create(
        diagnostic=diagnostic,
        user=user,
        target=AuditEvent.Target.PUBLICATION,
        key="plan.unpublished",
        old_value=old.isoformat(),
        version=diagnostic.version,
    )
    return True
