"""Alerts: fragile communes with a low local capacity, fragile communes with no diagnostic."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F

from diagnostic import access
from diagnostic.dashboard.classes import ALERT_LIST_LIMIT, FRAGILE_IFN_THRESHOLD, LOW_CAPACITY_SCORE
from diagnostic.dashboard.selectors.scope import communes_in_scope, open_data_territory
from diagnostic.dashboard.selectors.scores import capacity_of, section_scores_for
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
    """Fragile communes with a low local capacity, and fragile communes with no diagnostic of the year (3 queries,
    one more when the territory's fragile communes are not cached yet)."""
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

    # The fragile communes of the territory are open data (cached per data version); those with a diagnostic of the
    # year are one small query on the diagnostics.
    with_diagnostic = set(access.diagnostics_visible_to(user).filter(year=year).values_list("commune_id", flat=True))
    no_diagnostic = [row for row in fragile_communes(user) if row[0] not in with_diagnostic]
    return {
        "low_capacity": low[:ALERT_LIST_LIMIT],
        "low_capacity_count": len(low),
        "no_diagnostic": [
            Alert(Commune(insee=insee, name=name, population=population, departement_id=dep), ifn_total)
            for insee, name, population, dep, ifn_total in no_diagnostic[:ALERT_LIST_LIMIT]
        ],
        "no_diagnostic_count": len(no_diagnostic),
    }


def fragile_communes(user) -> list[tuple]:
    """(insee, name, population, département, IFN total) of the communes of the user's territory whose IFN total
    reaches the fragility threshold, most fragile first, then the most populated. Open data only: cached per data
    version and territory (the whole country for staff, a Hub's départements for its coordinators)."""
    from django.core.cache import cache

    from territories.selectors import CACHE_SECONDS, data_version

    # Not a dashboard role: whatever their scope is, never shared.
    territory = open_data_territory(user) or f"user-{user.pk}"
    # "v2": rows as tuples (a shared cache outlives a release: a new format needs a new key)
    key = f"fragile-communes:v2:{territory}:{FRAGILE_IFN_THRESHOLD}:{data_version()}"
    communes = cache.get(key)
    if communes is None:
        communes = list(
            communes_in_scope(user)
            .select_related(None)
            .filter(ifn__total__gte=FRAGILE_IFN_THRESHOLD)
            .order_by(F("ifn__total").desc(), F("population").desc(nulls_last=True), "insee")
            .values_list("insee", "name", "population", "departement_id", "ifn__total")
        )
        cache.set(key, communes, CACHE_SECONDS)
    return communes
