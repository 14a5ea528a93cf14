"""The action plan: results page, follow-up edits (htmx partial or plain form), PDF and CSV exports.

Thin views: reads in diagnostic.plan.selectors, writes in diagnostic.plan.services, permissions in
diagnostic.access (another commune's diagnostic = 404, coordinators and staff read-only = 403 on POST).

The PDF is rendered in the request (bench/pdf_bench.py: about 1 s of CPU for Boulleret and Lyon, under 100 KB) and
cached until something it shows changes (diagnostic.plan.pdf.cached_plan_pdf); no background task is needed.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_safe

from diagnostic.access import EDIT, VIEW, diagnostic_required, get_diagnostic_for, role_allows
from diagnostic.measures import MEASURE_BY_NUMBER
from diagnostic.plan import services
from diagnostic.plan.deliberation import (
    DOCX_MIMETYPE,
    ODT_MIMETYPE,
    deliberation_docx,
    deliberation_for,
    deliberation_odt,
    deliberation_title,
)
from diagnostic.plan.export import plan_csv
from diagnostic.plan.forms import MeasureActionForm
from diagnostic.plan.pdf import cached_plan_pdf
from diagnostic.plan.selectors import build_plan, describe_measure_changes, published_diagnostic
from territories.models import Place

TEMPLATE = "diagnostic/plan/plan.html"


def _map_context(plan) -> dict:
    """The public pages' interactive map of the département, with the commune outlined (None without contours)."""
    from territories import maps, selectors, vocabulary

    commune_map = maps.build_map(plan.departement.code, highlight_insee=plan.commune.insee)
    return {
        "map": commune_map,
        "departement": plan.departement,
        "map_sources": selectors.map_sources(plan.departement.code) if commune_map else [],
        "classes": vocabulary.legend(),
        "kinds": [{"kind": kind, "label": label} for kind, label in Place.Kind.choices],
    }


def fragments_key(diagnostic) -> str:
    """What the plan's cached fragments (profile, reasons and next steps, contacts and sources) depend on: the
    answers (the diagnostic's version, incremented at every answer written), the open data and the release. Nothing
    in them depends on the user or on the follow-up of the measures."""
    from inclusion.release import code_digest
    from territories.selectors import data_version

    return f"{code_digest()}:{data_version()}:{diagnostic.pk}:{diagnostic.version}:{diagnostic.status}"


def _plan_context(request, diagnostic, *, bound: dict | None = None, full_page: bool = True) -> dict:
    plan = build_plan(diagnostic)
    if plan.needs_refresh:
        services.refresh_plan(diagnostic=diagnostic)
        plan = build_plan(diagnostic)
    can_edit = role_allows(request.user, diagnostic, EDIT)  # loaded by get_diagnostic_for: visible to the user
    for item in plan.measures:
        item.form = MeasureActionForm(initial=MeasureActionForm.initial_for(item.action), measure=item.number)
        item.conflict = None
        item.saved = False
    if bound:
        item = plan.measures[bound["measure"] - 1]
        item.form = bound["form"]
        item.conflict = bound.get("conflict")
    context = {"plan": plan, "diagnostic": diagnostic, "can_edit": can_edit}
    if full_page:  # the map and the cached fragments are only needed by the whole page, not by the htmx partial
        context.update(_map_context(plan))
        context["fragments"] = fragments_key(diagnostic)
    return context


@diagnostic_required(VIEW)
def plan(request, diagnostic):
    return render(request, TEMPLATE, _plan_context(request, diagnostic))


@require_http_methods(["GET", "POST"])
def plan_measure(request, pk, measure):
    """GET: the follow-up block of one measure (read-only for coordinators and staff). POST: save it."""
    if measure not in MEASURE_BY_NUMBER:
        raise Http404("Mesure inconnue.")
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if request.method == "GET":
        diagnostic = get_diagnostic_for(request.user, pk, action=VIEW)
        if not request.htmx:
            return redirect(reverse("diagnostic:plan", args=[diagnostic.pk]) + f"#mesure-{measure}")
        context = _plan_context(request, diagnostic, full_page=False)
        context["item"] = context["plan"].measures[measure - 1]
        return render(request, TEMPLATE + "#measure-followup", context)

    diagnostic = get_diagnostic_for(request.user, pk, action=EDIT)
    form = MeasureActionForm(request.POST, measure=measure)
    result = None
    if form.is_valid():
        data = form.cleaned_data
        result = services.update_measure_action(
            diagnostic=diagnostic,
            measure=measure,
            user=request.user,
            version=data["version"],
            owner=data["owner"],
            target_date=data["target_date"],
            status=data["status"],
            comment=data["comment"],
        )
        if result.saved and not request.htmx:
            messages.success(request, f"Suivi de la mesure {measure} enregistré.")
            return redirect(reverse("diagnostic:plan", args=[diagnostic.pk]) + f"#mesure-{measure}")
        if result.conflict:
            # Keep the user's input; the next submission is made against the version now in the database.
            values = request.POST.copy()
            values["version"] = str(result.action.version)
            form = MeasureActionForm(values, measure=measure)
            form.is_valid()
    conflict = {"changes": describe_measure_changes(result.others_changes)} if result and result.conflict else None
    bound = {"measure": measure, "form": form, "conflict": conflict}
    context = _plan_context(
        request, diagnostic, bound=None if (result and result.saved) else bound, full_page=not request.htmx
    )
    if request.htmx:
        context["item"] = context["plan"].measures[measure - 1]
        context["item"].saved = bool(result and result.saved)
        return render(request, TEMPLATE + "#measure-followup", context)
    return render(request, TEMPLATE, context)


def _filename(diagnostic, extension: str) -> str:
    return f"plan-{slugify(diagnostic.commune.name)}-{diagnostic.year}.{extension}"


@diagnostic_required(VIEW)
def plan_pdf(request, diagnostic):
    pdf = cached_plan_pdf(diagnostic, build_plan)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(diagnostic, "pdf")}"'
    return response


@diagnostic_required(VIEW)
def plan_csv_view(request, diagnostic):
    response = HttpResponse(plan_csv(build_plan(diagnostic)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(diagnostic, "csv")}"'
    return response


DELIBERATION_FORMATS = {"odt": (ODT_MIMETYPE, deliberation_odt), "docx": (DOCX_MIMETYPE, deliberation_docx)}


@diagnostic_required(VIEW)
def plan_deliberation(request, diagnostic, extension):
    """The draft deliberation adopting the plan, as ODT or DOCX for the secretary to complete."""
    content_type, render_file = DELIBERATION_FORMATS[extension]
    plan = build_plan(diagnostic)
    content = render_file(deliberation_for(plan), title=deliberation_title(plan))
    response = HttpResponse(content, content_type=content_type)
    name = f"deliberation-plan-{slugify(diagnostic.commune.name)}-{diagnostic.year}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@diagnostic_required(EDIT)
def plan_publication(request, diagnostic):
    """GET: what publishing shows and hides, and the button. POST action=publish|unpublish (agents only)."""
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "publish":
                services.publish_plan(diagnostic=diagnostic, user=request.user)
                messages.success(request, "Le plan est publié. Son adresse publique peut être partagée.")
            elif action == "unpublish":
                services.unpublish_plan(diagnostic=diagnostic, user=request.user)
                messages.success(request, "Le plan n'est plus publié : son adresse publique ne répond plus.")
            else:
                raise Http404("Action inconnue.")
        except services.PublicationRefused as refused:
            error = str(refused)
        else:
            return redirect("diagnostic:plan_publication", diagnostic.pk)
    diagnostic.refresh_from_db(fields=["published_at"])
    context = {"diagnostic": diagnostic, "commune": diagnostic.commune, "error": error}
    return render(request, "diagnostic/plan/publication.html", context, status=400 if error else 200)


@require_safe
def published_plan(request, insee, year):
    """The public page of a plan its commune published: measures, priorities, steps, status and target dates; no
    names (no owners, no authors), no comments, no answers."""
    diagnostic = published_diagnostic(insee, year)
    return render(request, "diagnostic/plan/published.html", {"plan": build_plan(diagnostic), "diagnostic": diagnostic})
