"""Alerts: fragile communes with a low local capacity, fragile communes with no diagnostic."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef

from diagnostic import access
from diagnostic.dashboard.classes import ALERT_LIST_LIMIT, FRAGILE_IFN_THRESHOLD, LOW_CAPACITY_SCORE
from diagnostic.dashboard.selectors.scope import communes_in_scope
from diagnostic.dashboard.selectors.scores import capacity_of, section_scores_for
from diagnostic.models import Diagnostic
from territories.models import Commune


@dataclass
class Alert:
    commune: Commune
    ifn_total: float
    diag_id: int | None = None
    diag_status: str | None = None
    capacity: int | None = None
    low_sections: list[str] = field(default_factory=list)


def alerts(user, year: int) -> dict:
    """Fragile communes with a low local capacity, and fragile communes with no diagnostic (4 queries).

    The "no diagnostic" side is a NOT EXISTS (an anti-join the planner estimates well) rather than a LEFT JOIN
    filtered on NULL, which it under-estimates into nested loops.
    """
    order = (F("ifn__total").desc(), F("population").desc(nulls_last=True), "insee")
    diagnostics = (
        access.diagnostics_visible_to(user)
        .filter(year=year, commune__ifn__total__gte=FRAGILE_IFN_THRESHOLD)
        .annotate(ifn_total=F("commune__ifn__total"))
        .select_related(None)
        .select_related("commune")
        .only(
            "pk",
            "status",
            "version",
            "updated_at",
            "commune__insee",
            "commune__name",
            "commune__population",
            "commune__departement_id",
        )
    )
    candidates = list(diagnostics)
    scores = section_scores_for(candidates)
    low = []
    for diagnostic in candidates:
        capacity = capacity_of(scores[diagnostic.pk])
        if capacity is not None and capacity < LOW_CAPACITY_SCORE:
            low_sections = [
                s.title for s in scores[diagnostic.pk].values() if s.score is not None and s.score < LOW_CAPACITY_SCORE
            ]
            low.append(
                Alert(
                    diagnostic.commune, diagnostic.ifn_total, diagnostic.pk, diagnostic.status, capacity, low_sections
                )
            )
    low.sort(key=lambda a: (-a.ifn_total, a.capacity, a.commune.insee))

    no_diagnostic = (
        communes_in_scope(user)
        .select_related(None)
        .filter(ifn__total__gte=FRAGILE_IFN_THRESHOLD)
        .exclude(Exists(Diagnostic.objects.filter(commune=OuterRef("pk"), year=year)))
        .annotate(ifn_total=F("ifn__total"))
        .only("insee", "name", "population", "departement_id")
        .order_by(*order)
    )
    no_diagnostic_count = no_diagnostic.count()
    no_diagnostic_list = [Alert(c, c.ifn_total) for c in no_diagnostic[:ALERT_LIST_LIMIT]]
    return {
        "low_capacity": low[:ALERT_LIST_LIMIT],
        "low_capacity_count": len(low),
        "no_diagnostic": no_diagnostic_list,
        "no_diagnostic_count": no_diagnostic_count,
    }
