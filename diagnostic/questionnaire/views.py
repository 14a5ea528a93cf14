"""Questionnaire pages: start a diagnostic, one page per section (with htmx autosave), review, submit, history.

Thin views: reads go through diagnostic.access (404 for another commune's diagnostic, 403 for a wrong role),
writes through diagnostic.questionnaire.services.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from diagnostic.access import (
    EDIT,
    VIEW,
    answers_by_question,
    can,
    diagnostic_required,
    diagnostics_of_commune,
)
from diagnostic.enums import DiagnosticStatus
from diagnostic.models import AuditEvent
from diagnostic.questionnaire import definition
from diagnostic.questionnaire.display import display_field_value, display_value, field_label
from diagnostic.questionnaire.forms import SectionForm
from diagnostic.questionnaire.scoring import score_sections
from diagnostic.questionnaire.services import (
    DiagnosticIncomplete,
    DiagnosticLocked,
    create_diagnostic,
    missing_questions,
    save_answers,
    submit_diagnostic,
)
from inclusion.accounts import roles
from inclusion.accounts.roles import role_required
from territories.formatting import plural
from territories.models import Commune

STEP_TEMPLATE = "diagnostic/questionnaire/step.html"


def _base_context(request, diagnostic) -> dict:
    return {
        "diagnostic": diagnostic,
        "commune": diagnostic.commune,
        "sections": definition.SECTIONS,
        "step_count": len(definition.SECTIONS),
        "can_edit": can(request.user, diagnostic, EDIT) and not diagnostic.is_submitted,
        "plan_url": reverse("diagnostic:plan", args=[diagnostic.pk]),
    }


# -- start ------------------------------------------------------------------------------------------------------------


@role_required()
def create(request, insee):
    """GET: what starting a diagnostic means; POST: start (or resume) the commune's diagnostic of the year."""
    commune = get_object_or_404(Commune.objects.select_related("departement"), insee=insee)
    if not roles.is_agent_of(request.user, commune.insee):
        raise PermissionDenied("Seuls les agents de la commune peuvent commencer son diagnostic.")
    year = timezone.localdate().year
    existing = list(diagnostics_of_commune(request.user, commune))
    current = next((d for d in existing if d.year == year), None)
    if request.method == "POST":
        diagnostic = create_diagnostic(commune=commune, user=request.user, year=year)
        if current is None:
            messages.success(
                request,
                f"Le diagnostic {year} de {commune.name} est créé. Vos réponses sont enregistrées à chaque étape.",
            )
        return redirect("diagnostic:step", diagnostic.pk, 1)
    return render(
        request,
        "diagnostic/questionnaire/create.html",
        {"commune": commune, "year": year, "current": current, "history": [d for d in existing if d.year != year]},
    )


# -- one page per section ---------------------------------------------------------------------------------------------


def _patch(data, question, value):
    """Put a stored value into (mutable) form data."""
    for name, field_value in SectionForm.data_for(question, value).items():
        if isinstance(field_value, list):
            data.setlist(name, [str(v) for v in field_value])
        elif isinstance(field_value, bool):
            if field_value:
                data[name] = "on"
            else:
                data.pop(name, None)
        else:
            data[name] = "" if field_value is None else str(field_value)


def _change_rows(changes, user) -> list[dict]:
    rows = []
    for change in changes:
        question = definition.QUESTIONS[change.question]
        rows.append(
            {
                "anchor": f"question-{change.question}",
                "label": field_label(change.key),
                "theirs": display_field_value(change.key, change.theirs),
                "yours": display_field_value(change.key, change.yours),
                "by": change.by.get_full_name() or change.by.email if change.by else "une personne",
                "by_you": change.by is not None and change.by.pk == user.pk,  # in another tab
                "at": change.at,
                "is_comment": change.is_comment,
                "question": question,
            }
        )
    return rows


@diagnostic_required(EDIT)
def step(request, diagnostic, step):
    try:
        section = definition.section(step)
    except KeyError:
        raise Http404("Étape introuvable.") from None
    context = _base_context(request, diagnostic) | {"section": section, "step": step}

    if diagnostic.is_submitted:
        if request.method == "POST":
            return render(request, "diagnostic/questionnaire/locked.html", context, status=403)
        messages.info(request, "Ce diagnostic a été transmis : ses réponses ne peuvent plus être modifiées.")
        return redirect("diagnostic:summary", diagnostic.pk)

    if request.method != "POST":
        form = SectionForm(
            initial=SectionForm.initial_from(section, answers_by_question(diagnostic), diagnostic.version),
            section=section,
        )
        return render(request, STEP_TEMPLATE, context | {"form": form})

    form = SectionForm(request.POST, section=section)
    form.is_valid()
    base_version = form.cleaned_data.get("version")
    if base_version is None:
        return HttpResponseBadRequest("Version du formulaire manquante : rechargez la page.")
    try:
        result = save_answers(
            diagnostic=diagnostic,
            user=request.user,
            answers=form.answers(),
            comments=form.comments(),
            base_version=base_version,
            page_id=form.cleaned_data.get("page_id") or "",
        )
    except DiagnosticLocked:
        return render(request, "diagnostic/questionnaire/locked.html", context, status=403)

    conflicts = _change_rows(result.conflicts, request.user)
    context |= {
        "result": result,
        "conflicts": conflicts,
        "conflicts_all_yours": bool(conflicts) and all(row["by_you"] for row in conflicts),
        "kept_theirs": _change_rows(result.kept_theirs, request.user),
        "summary": form.error_summary(),
    }
    if request.htmx:
        # Autosave: only the status message. The page keeps the version it was read at (see services.py).
        return render(request, f"{STEP_TEMPLATE}#autosave_status", context | {"form": form})

    if form.errors or result.conflicts or result.kept_theirs:
        # Show the page again: the user's input is kept, the other users' untouched changes are shown, and the
        # version moves to the current one so that sending the page again confirms the user's answers.
        data = request.POST.copy()
        answers = answers_by_question(diagnostic)
        for question in section.questions:  # fields the post did not carry show what is stored
            stored = answers.get(question.key)
            if not form.carries(question):
                _patch(data, question, stored.value if stored else None)
            if f"{question.key}__comment" not in data:
                data[f"{question.key}__comment"] = stored.comment if stored else ""
        for change in result.kept_theirs:
            question = definition.QUESTIONS[change.question]
            if change.is_comment:
                data[f"{change.question}__comment"] = change.theirs or ""
            else:
                _patch(data, question, answers[change.question].value if change.question in answers else None)
        data["version"] = str(result.version)
        shown = SectionForm(data, section=section)
        shown.is_valid()
        if not form.errors and not result.conflicts:
            # Only untouched fields changed by others: saved, tell the user and go on.
            _message_kept(request, context["kept_theirs"])
            return _after_save(request, diagnostic, step)
        # The status line under the form is for autosave only; the page shows the summary and changes at the top.
        return render(request, STEP_TEMPLATE, context | {"form": shown, "result": None})

    if result.saved:
        messages.success(request, f"Étape {step} enregistrée.")
    return _after_save(request, diagnostic, step)


def _message_kept(request, kept):
    for row in kept:
        messages.info(
            request,
            f"{row['by']} a modifié « {row['label']} » pendant que vous remplissiez la page : "
            f"sa réponse « {row['theirs']} » est conservée.",
        )


def _after_save(request, diagnostic, step):
    go = request.POST.get("go", "next")
    if go == "stay":
        return redirect("diagnostic:step", diagnostic.pk, step)
    if go == "later":
        return redirect("accounts:home")
    if go == "previous" and step > 1:
        return redirect("diagnostic:step", diagnostic.pk, step - 1)
    if step < len(definition.SECTIONS):
        return redirect("diagnostic:step", diagnostic.pk, step + 1)
    return redirect("diagnostic:summary", diagnostic.pk)


# -- review, submit, history -------------------------------------------------------------------------------------------


def _summary_sections(diagnostic, answers):
    values = {key: a.value for key, a in answers.items()}
    scores = score_sections(values)
    sections = []
    for section in definition.SECTIONS:
        rows = []
        for index, question in enumerate(section.questions, start=1):
            answer = answers.get(question.key)
            value = answer.value if answer else None
            rows.append(
                {
                    "number": index,
                    "question": question,
                    "value": display_value(question, value),
                    "answered": value is not None,
                    "unknown": value == definition.UNKNOWN,
                    "comment": answer.comment if answer else "",
                    "updated_by": answer.updated_by if answer else None,
                    "updated_at": answer.updated_at if answer else None,
                }
            )
        sections.append({"section": section, "rows": rows, "score": scores[section.key]})
    return sections


@require_safe
@diagnostic_required(VIEW)
def summary(request, diagnostic):
    answers = answers_by_question(diagnostic)
    missing = missing_questions(diagnostic)
    context = _base_context(request, diagnostic) | {
        "summary_sections": _summary_sections(diagnostic, answers),
        "missing": [(key, definition.SECTION_OF[key], definition.QUESTIONS[key]) for key in missing],
        "answered_count": len(definition.QUESTIONS) - len(missing),
        "question_count": len(definition.QUESTIONS),
        "history": [d for d in diagnostics_of_commune(request.user, diagnostic.commune) if d.pk != diagnostic.pk],
    }
    return render(request, "diagnostic/questionnaire/summary.html", context)


@diagnostic_required(EDIT)
def submit(request, diagnostic):
    missing = missing_questions(diagnostic)
    context = _base_context(request, diagnostic) | {
        "missing": [(key, definition.SECTION_OF[key], definition.QUESTIONS[key]) for key in missing],
    }
    if request.method == "POST":
        try:
            if diagnostic.is_submitted:
                raise DiagnosticLocked()
            submit_diagnostic(diagnostic=diagnostic, user=request.user)
        except DiagnosticLocked:
            # Already submitted: a double click on "Transmettre", or another tab. Nothing typed here is lost.
            messages.info(
                request,
                f"Le diagnostic {diagnostic.year} de {diagnostic.commune.name} est transmis : "
                "ses réponses ne sont plus modifiables.",
            )
            return redirect("diagnostic:summary", diagnostic.pk)
        except DiagnosticIncomplete as error:
            messages.error(
                request,
                "Le diagnostic ne peut pas encore être transmis : "
                f"{plural(len(error.missing), 'question', 'questions')} sans réponse. "
                "« Je ne sais pas » est une réponse possible.",
            )
            return redirect("diagnostic:summary", diagnostic.pk)
        messages.success(
            request,
            f"Le diagnostic {diagnostic.year} de {diagnostic.commune.name} est transmis. Merci ! "
            "Ses réponses ne sont plus modifiables.",
        )
        return redirect("diagnostic:summary", diagnostic.pk)
    return render(request, "diagnostic/questionnaire/submit.html", context)


@require_safe
@diagnostic_required(VIEW)
def history(request, diagnostic):
    events = AuditEvent.objects.filter(diagnostic=diagnostic).select_related("user").order_by("-at", "-id")
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    rows = []
    for event in page:
        if event.target == AuditEvent.Target.ANSWER:
            what = field_label(event.key)
            old, new = display_field_value(event.key, event.old_value), display_field_value(event.key, event.new_value)
        elif event.target == AuditEvent.Target.STATUS:
            what = {"created": "Création du diagnostic", "submitted": "Transmission du diagnostic"}.get(
                event.key, f"Statut : {event.key}"
            )
            old = _status_label(event.old_value)
            new = _status_label(event.new_value)
        elif event.target == AuditEvent.Target.PUBLICATION:
            published = event.key == "plan.published"
            what = "Publication du plan" if published else "Retrait du plan publié"
            old, new = ("non publié", "publié") if published else ("publié", "non publié")
        else:
            what = _measure_label(event.key)
            old = "—" if event.old_value in (None, "") else str(event.old_value)
            new = "—" if event.new_value in (None, "") else str(event.new_value)
        rows.append({"event": event, "what": what, "old": old, "new": new})
    return render(
        request,
        "diagnostic/questionnaire/history.html",
        _base_context(request, diagnostic) | {"page": page, "rows": rows},
    )


def _status_label(value):
    if value in (None, ""):
        return "—"
    return dict(DiagnosticStatus.choices).get(value, str(value))


def _measure_label(key: str) -> str:
    """ "measure-3.status" → "Mesure 3 — état"."""
    from diagnostic.measures import MEASURE_BY_NUMBER

    head, _, attribute = key.partition(".")
    number = head.removeprefix("measure-")
    label = f"Mesure {number}"
    if number.isdigit() and int(number) in MEASURE_BY_NUMBER:
        label = f"Mesure {number} — {MEASURE_BY_NUMBER[int(number)].short_title}"
    names = {"status": "état", "owner": "responsable", "target_date": "échéance", "comment": "commentaire"}
    return f"{label} ({names.get(attribute, attribute)})" if attribute else label
