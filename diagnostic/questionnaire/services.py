"""Writes of the questionnaire: create a diagnostic, save answers (optimistic lock, no lost update), submit.

Each write runs in a transaction, locks the diagnostic row (select_for_update), bumps `Diagnostic.version`, writes
one AuditEvent per changed field and calls `refresh_plan(diagnostic=...)`. Permissions are checked by the callers
(views use diagnostic.access); the services enforce the states (a submitted diagnostic is read-only).

Concurrent edits. A form posts the version it was read at (`base_version`) and the id of the opened page
(`page_id`). Fields changed since then (AuditEvent rows with version > base_version) by anyone, the same user in
another tab included, are compared with the posted value; only the page's own earlier saves (same user, same
page_id: its autosaves) are left out:
- posted value equal to the current value: nothing to do;
- posted value equal to the value at base_version (the user did not touch it): the other user's value is kept
  (reported in `kept_theirs`);
- otherwise, both changed it: the posted value is NOT saved and is reported in `conflicts` with the other user's
  value, name and time, so that the page can ask the user to confirm.
Every other field is saved. Values are checked against the questionnaire definition (ValueError otherwise): a
multiple choice is a list of known values, each once, an exclusive choice ("Aucun") alone, or "unknown".
An audited field key is the question key for the answer, "<question>.comment" for its comment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from diagnostic.models import Answer, AuditEvent, Diagnostic
from diagnostic.plan.services import refresh_plan
from diagnostic.questionnaire.definition import MULTIPLE, NUMBER, QUESTIONS, UNKNOWN, VERSION
from territories.formatting import plural

COMMENT = ".comment"


class DiagnosticLocked(Exception):
    """The diagnostic has been submitted: its answers are read-only."""

    def __init__(self, message="Ce diagnostic a été transmis : ses réponses ne peuvent plus être modifiées."):
        super().__init__(message)


class DiagnosticIncomplete(Exception):
    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__(f"{plural(len(missing), 'question', 'questions')} sans réponse.")


@dataclass(frozen=True)
class FieldChange:
    """A field (answer or comment of a question) changed by another user since the form was read."""

    key: str  # "eq_printer_scanner" or "eq_printer_scanner.comment"
    question: str
    is_comment: bool
    theirs: object  # current value
    yours: object  # posted value
    by: object  # User or None
    at: datetime


@dataclass
class SaveResult:
    version: int
    saved: list[str] = field(default_factory=list)  # audited keys written
    conflicts: list[FieldChange] = field(default_factory=list)
    kept_theirs: list[FieldChange] = field(default_factory=list)
    saved_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return not self.conflicts


def _lock(diagnostic: Diagnostic) -> Diagnostic:
    return Diagnostic.objects.select_for_update().get(pk=diagnostic.pk)


def _copy_state(target: Diagnostic, source: Diagnostic) -> None:
    for name in ("status", "version", "submitted_at", "submitted_by_id", "updated_at"):
        setattr(target, name, getattr(source, name))


@transaction.atomic
def create_diagnostic(*, commune, user, year: int | None = None, is_demo: bool = False) -> Diagnostic:
    """The commune's diagnostic for `year` (default: the current year), created if it does not exist yet."""
    year = year or timezone.localdate().year
    diagnostic, created = Diagnostic.objects.get_or_create(
        commune=commune,
        year=year,
        defaults={"questionnaire_version": VERSION, "created_by": user, "is_demo": is_demo},
    )
    if created:
        AuditEvent.objects.create(
            diagnostic=diagnostic,
            user=user,
            target=AuditEvent.Target.STATUS,
            key="created",
            new_value=Diagnostic.Status.DRAFT,
            version=diagnostic.version,
        )
    refresh_plan(diagnostic=diagnostic)
    return diagnostic


@transaction.atomic
def save_answers(
    *,
    diagnostic: Diagnostic,
    user,
    answers: dict,
    comments: dict | None = None,
    base_version: int | None = None,
    page_id: str = "",
) -> SaveResult:
    """Save answers ({question key: value}) and comments ({question key: text}) of one page.

    `base_version` is the version the page was read at (None: the current one, i.e. no conflict check); `page_id`
    the page's id (its own earlier saves are not conflicts).
    Raises DiagnosticLocked when the diagnostic has been submitted, KeyError for an unknown question key,
    ValueError for a value the question does not accept.
    """
    comments = comments or {}
    for key in [*answers, *comments]:
        if key not in QUESTIONS:
            raise KeyError(f"Unknown question {key!r}")
    for key, value in answers.items():
        _check_value(key, value)
    locked = _lock(diagnostic)
    if locked.is_submitted:
        raise DiagnosticLocked()
    if base_version is None or base_version > locked.version:
        base_version = locked.version

    current = {a.question: a for a in locked.answers.filter(question__in=[*answers, *comments])}
    posted: dict[str, object] = dict(answers)
    posted.update({k + COMMENT: (v or "") for k, v in comments.items()})

    def current_value(key):
        question, _, part = key.partition(".")
        answer = current.get(question)
        if part:
            return answer.comment if answer else ""
        return answer.value if answer else None

    # Changes by other users since the page was read: value at base_version and latest change per field.
    others: dict[str, dict] = {}
    if base_version < locked.version:
        events = AuditEvent.objects.filter(
            diagnostic=locked, target=AuditEvent.Target.ANSWER, version__gt=base_version, key__in=list(posted)
        )
        if page_id:
            events = events.exclude(user=user, page_id=page_id)
        for event in events.select_related("user").order_by("version", "id"):
            entry = others.setdefault(event.key, {"base": event.old_value})
            entry["last"] = event

    now = timezone.now()
    result = SaveResult(version=locked.version)
    to_write: dict[str, object] = {}
    for key, new in posted.items():
        old = current_value(key)
        if _same(old, new):
            continue
        if key in others:
            last = others[key]["last"]
            change = FieldChange(
                key=key,
                question=key.partition(".")[0],
                is_comment=key.endswith(COMMENT),
                theirs=old,
                yours=new,
                by=last.user,
                at=last.at,
            )
            if _same(new, others[key]["base"]):
                result.kept_theirs.append(change)
            else:
                result.conflicts.append(change)
            continue
        to_write[key] = new

    if to_write:
        locked.version += 1
        events = []
        for key, new in to_write.items():
            question, _, part = key.partition(".")
            answer = current.get(question)
            if answer is None:
                answer = current[question] = Answer(diagnostic=locked, question=question)
            old = answer.comment if part else answer.value
            if part:
                answer.comment = new
            else:
                answer.value = new
            answer.updated_by = user
            answer.save()
            events.append(
                AuditEvent(
                    diagnostic=locked,
                    user=user,
                    at=now,
                    target=AuditEvent.Target.ANSWER,
                    key=key,
                    old_value=None if old == "" else old,
                    new_value=None if new == "" else new,
                    version=locked.version,
                    page_id=page_id,
                )
            )
        AuditEvent.objects.bulk_create(events)
        locked.save(update_fields=["version", "updated_at"])
        result.saved = list(to_write)
        result.saved_at = now
        refresh_plan(diagnostic=locked)
    result.version = locked.version
    _copy_state(diagnostic, locked)
    return result


def _check_value(key: str, value) -> None:
    question = QUESTIONS[key]
    if value is None or value == UNKNOWN:
        return
    known = {choice.value for choice in question.choices}
    if question.kind == MULTIPLE:
        if not isinstance(value, list) or not value or not set(value) <= known:
            raise ValueError(f"{key}: {value!r} is not a list of known choices")
        if len(set(value)) != len(value):
            raise ValueError(f"{key}: {value!r} repeats a choice")
        exclusive = {choice.value for choice in question.choices if choice.exclusive}
        if len(value) > 1 and exclusive & set(value):
            raise ValueError(f"{key}: {value!r} combines an exclusive choice with another")
    elif question.kind == NUMBER:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{key}: {value!r} is not a whole number")
        if not question.min_value <= value <= question.max_value:
            raise ValueError(f"{key}: {value!r} is out of range")
    elif value not in known:
        raise ValueError(f"{key}: {value!r} is not a known choice")


def _same(a, b) -> bool:
    if a in (None, "", []) and b in (None, "", []):
        return True
    return a == b


def missing_questions(diagnostic: Diagnostic) -> list[str]:
    """Keys of the questions without an answer ("Je ne sais pas" counts as an answer)."""
    answered = set(diagnostic.answers.filter(value__isnull=False).values_list("question", flat=True))
    return [key for key in QUESTIONS if key not in answered]


@transaction.atomic
def submit_diagnostic(*, diagnostic: Diagnostic, user) -> Diagnostic:
    """Submit (transmettre) the diagnostic: every question must be answered; the answers become read-only."""
    locked = _lock(diagnostic)
    if locked.is_submitted:
        raise DiagnosticLocked("Ce diagnostic a déjà été transmis.")
    missing = missing_questions(locked)
    if missing:
        raise DiagnosticIncomplete(missing)
    locked.status = Diagnostic.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.submitted_by = user
    locked.version += 1
    locked.save(update_fields=["status", "submitted_at", "submitted_by", "version", "updated_at"])
    AuditEvent.objects.create(
        diagnostic=locked,
        user=user,
        at=locked.submitted_at,
        target=AuditEvent.Target.STATUS,
        key="submitted",
        old_value=Diagnostic.Status.DRAFT,
        new_value=Diagnostic.Status.SUBMITTED,
        version=locked.version,
    )
    refresh_plan(diagnostic=locked)
    _copy_state(diagnostic, locked)
    return diagnostic
