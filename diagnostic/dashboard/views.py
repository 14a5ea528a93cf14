"""Hub coordinators' dashboard, commune follow-up page, review comments, exports and yearly progress.

Access: coordinators (their Hub's départements) and staff (everything); agents and pending agents get 403,
anonymous users the sign-in page. A commune or diagnostic outside the user's territory is a 404. The progress
page is also open to the commune's approved agents (anyone else signed in: 404, as for the diagnostics).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from diagnostic import access
from diagnostic.dashboard import classes, exports, services
from diagnostic.dashboard.filters import SORTS, STATUS_CHOICES, parse_filters
from diagnostic.dashboard.selectors import alerts, figures, follow, maps, scope, similar, table
from diagnostic.measures import MEASURE_BY_NUMBER, MEASURES
from inclusion.accounts import roles

DASHBOARD_ROLES = (roles.COORDINATOR, roles.STAFF)


def _filters(request, user):
    departements = scope.scope_departements(user)
    raw_dep = request.GET.get("departement", "").strip()
    epcis = scope.scope_epcis(user, raw_dep if raw_dep in departements else None)
    filters = parse_filters(request.GET, current_year=timezone.localdate().year, departements=departements, epcis=epcis)
    return filters, departements, epcis


@roles.role_required(*DASHBOARD_ROLES)
def dashboard(request):
    user = request.user
    filters, departements, epcis = _filters(request, user)
    communes = table.filtered_communes(user, filters)
    paginator = Paginator(communes, classes.PAGE_SIZE)
    page = paginator.get_page(filters.page)
    rows = table.rows_for(page.object_list)
    sources = table.sources_of([row.commune for row in rows])
    context = {
        "filters": filters,
        "departements": departements,
        "epcis": epcis,
        "statuses": STATUS_CHOICES,
        "ifn_classes": classes.IFN_CLASSES,
        "measures": MEASURES,
        "sorts": SORTS,
        "page": page,
        "rows": rows,
        "sources": sources,
        "links": {
            "sort": {key: filters.sort_querystring(key) for key in SORTS},
            "previous": filters.querystring(page=page.previous_page_number() if page.has_previous() else None),
            "next": filters.querystring(page=page.next_page_number() if page.has_next() else None),
            "export": filters.querystring(page=None),
        },
        "map": maps.map_data(
            user,
            filters.departement or next(iter(departements), None),
            filters.year,
            matching=communes if filters.is_filtered_beyond_departement else None,
        ),
    }
    if request.htmx:
        return render(request, "diagnostic/dashboard/dashboard.html#results", context)
    pending, pending_count = scope.pending_memberships(user)
    context.update(
        {
            "years": figures.available_years(user, timezone.localdate().year),
            "figures": figures.headline(user, filters.year),
            "alerts": alerts.alerts(user, filters.year),
            "priorities": figures.high_priority_counts(user, filters.year),
            "pending": pending,
            "pending_count": pending_count,
            "memberships_url": reverse("accounts:memberships"),
            "thresholds": {
                "fragile": classes.FRAGILE_IFN_THRESHOLD,
                "low_capacity": classes.LOW_CAPACITY_SCORE,
                "min_sections": classes.MIN_SCORED_SECTIONS,
            },
            "hub": user.hub if roles.is_coordinator(user) and not roles.is_staff(user) else None,
        }
    )
    return render(request, "diagnostic/dashboard/dashboard.html", context)


@roles.role_required(*DASHBOARD_ROLES)
def export(request, fmt: str):
    user = request.user
    filters, departements, epcis = _filters(request, user)
    communes = table.filtered_communes(user, filters)
    rows = table.export_rows(communes, filters.year)  # a generator: the XLSX is written while rows are read
    stamp = f"communes-{filters.year}-{timezone.localdate():%Y%m%d}"
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(rows, filters.year), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stamp}.csv"'
        return response
    content = exports.stream_xlsx(
        rows, filters.year, sources=table.sources_of, filters=exports.filter_description(filters, departements, epcis)
    )
    response = StreamingHttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{stamp}.xlsx"'
    return response


@roles.role_required(*DASHBOARD_ROLES)
def commune_page(request, insee: str):
    user = request.user
    commune = scope.get_commune_in_scope(user, insee)
    diagnostics = follow.followed_diagnostics(user, commune)
    return render(
        request,
        "diagnostic/dashboard/commune.html",
        {
            "commune": commune,
            "ifn": follow.commune_ifn(commune),
            "ifn_class": classes.ifn_class_of(commune.ifn_total),
            "population_band": classes.population_band_of(commune.population),
            "diagnostics": diagnostics,
            "similar": similar.similar_communes(commune),
            "measures": MEASURE_BY_NUMBER,
        },
    )


@require_http_methods(["GET", "POST"])
@roles.role_required(*DASHBOARD_ROLES)
def review(request, pk: int):
    """A diagnostic read-only (scores, answers, plan follow-up) with the Hub's review comments and a form."""
    user = request.user
    diagnostic = access.get_diagnostic_for(user, pk, action=access.REVIEW)
    error = ""
    body = ""
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            services.add_review(
                user=user, diagnostic_id=diagnostic.pk, body=body, base_url=request.build_absolute_uri("/")[:-1]
            )
        except services.ReviewError as exc:
            error = str(exc)
        else:
            messages.success(request, "Commentaire enregistré ; les agents de la commune ont été prévenus par e-mail.")
            return redirect("diagnostic:dashboard_review", pk=diagnostic.pk)
    sections = follow.review_sections(diagnostic)
    return render(
        request,
        "diagnostic/dashboard/review.html",
        {
            "diagnostic": diagnostic,
            "commune": diagnostic.commune,
            "sections": sections,
            "actions": list(diagnostic.measures.order_by("measure")),
            "measures": MEASURE_BY_NUMBER,
            "plan_url": reverse("diagnostic:plan", args=[diagnostic.pk]),
            "error": error,
            "body": body,
            "max_length": services.MAX_REVIEW_LENGTH,
        },
        status=400 if error else 200,
    )


@roles.role_required()  # any signed-in user; the scope decides (no approved membership = 404, like diagnostics)
def commune_progress(request, insee: str):
    user = request.user
    commune = scope.get_commune_in_scope(user, insee)
    data = follow.progress(commune)
    return render(
        request,
        "diagnostic/dashboard/progress.html",
        {
            "commune": commune,
            "progress": data,
            "is_coordinator": roles.role_of(user) in DASHBOARD_ROLES,
            "plan_urls": {d.pk: reverse("diagnostic:plan", args=[d.pk]) for d in data["diagnostics"]},
        },
    )
