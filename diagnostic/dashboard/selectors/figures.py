"""Headline figures of the dashboard: communes and population covered, years, high-priority measures."""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from diagnostic import access
from diagnostic.dashboard.selectors.scope import communes_in_scope
from diagnostic.measures import MEASURES
from diagnostic.models import Diagnostic, MeasureAction


def headline(user, year: int) -> dict:
    """Communes, diagnostics started and submitted in `year`, population covered: two queries."""
    figures = communes_in_scope(user).aggregate(communes=Count("pk"), population_total=Sum("population"))
    submitted = Q(status=Diagnostic.Status.SUBMITTED)
    figures |= (
        access.diagnostics_visible_to(user)
        .filter(year=year)
        .aggregate(
            started=Count("pk"),
            submitted=Count("pk", filter=submitted),
            population_started=Sum("commune__population"),
            population_submitted=Sum("commune__population", filter=submitted),
        )
    )
    population = figures.pop("population_total") or 0
    for key in ("population_started", "population_submitted"):
        figures[key] = figures[key] or 0
        share = 100 * figures[key] / population if population else 0
        figures[f"{key}_share"] = round(share, 1)
    figures["population"] = population
    return figures


def available_years(user, current_year: int) -> list[int]:
    years = set(access.diagnostics_visible_to(user).order_by().values_list("year", flat=True).distinct())
    years.add(current_year)
    return sorted(years, reverse=True)


def high_priority_counts(user, year: int) -> dict:
    """How many diagnostics of the year give each measure a high priority (one query)."""
    diagnostics = access.diagnostics_visible_to(user).filter(year=year)
    counts = dict(
        MeasureAction.objects.filter(diagnostic__in=diagnostics.values("pk"), priority=MeasureAction.Priority.HIGH)
        .order_by()
        .values_list("measure")
        .annotate(n=Count("pk"))
        .values_list("measure", "n")
    )
    total = diagnostics.count()
    top = max(counts.values(), default=0)
    rows = []
    for measure in MEASURES:
        n = counts.get(measure.number, 0)
        rows.append(
            {
                "measure": measure,
                "count": n,
                "share": round(100 * n / total) if total else 0,
                "bar": round(100 * n / top) if top else 0,  # bar length relative to the most frequent measure
            }
        )
    return {"rows": rows, "diagnostics": total}
