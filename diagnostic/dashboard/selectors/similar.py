"""Similar communes (same IFN class and population band) and their shared, aggregated plans."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Case, F, Subquery, Value, When
from django.db.models.functions import Abs

from diagnostic.dashboard.classes import SIMILAR_MAX, SIMILAR_MIN, ifn_class_of, population_band_of
from diagnostic.measures import MEASURES
from diagnostic.models import Diagnostic, MeasureAction
from territories import selectors
from territories.models import Commune, Departement


@dataclass
class SimilarCommune:
    commune: Commune
    ifn_total: float | None
    same_departement: bool
    diagnostic_year: int | None = None  # latest submitted diagnostic
    high_measures: list[int] = field(default_factory=list)
    status_counts: dict[str, int] = field(default_factory=dict)  # MeasureAction.Status → count
    published_year: int | None = None  # latest plan the commune published (public page), as an example to read


def _similar_territories(commune: Commune, limit: int) -> tuple[float | None, list[Commune]]:
    """The commune's IFN total and the communes of the same classes (IFN total annotated, département loaded): open
    data only, so cached per data version (two queries, ~6 ms, saved on every plan page)."""
    key = f"similar:v1:{commune.pk}:{commune.population}:{limit}:{selectors.data_version()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    ifn_total = getattr(commune, "ifn_total", None)
    if ifn_total is None:
        ifn_total = Commune.objects.filter(pk=commune.pk).values_list("ifn__total", flat=True).first()
    ifn_band = ifn_class_of(ifn_total)
    pop_band = population_band_of(commune.population)
    found = []
    if ifn_band is not None and pop_band is not None:
        region = Departement.objects.filter(pk=commune.departement_id).values("region_id")
        same_departement = Case(When(departement_id=commune.departement_id, then=Value(0)), default=Value(1))
        # One query: the région's matches, same département first, closest population first. When the département
        # alone has SIMILAR_MIN of them, the région's are dropped (the région only completes a short list).
        found = list(
            Commune.objects.exclude(pk=commune.pk)
            .filter(ifn_band.q("ifn__total"), pop_band.q("population"), departement__region_id=Subquery(region[:1]))
            .annotate(
                ifn_total=F("ifn__total"),
                distance=Abs(F("population") - Value(commune.population)),
                other_departement=same_departement,
            )
            .select_related("departement")
            .order_by("other_departement", "distance", "insee")[:limit]
        )
        in_departement = [c for c in found if c.departement_id == commune.departement_id]
        if len(in_departement) >= SIMILAR_MIN:
            found = in_departement
    cache.set(key, (ifn_total, found), selectors.CACHE_SECONDS)
    return ifn_total, found


def similar_communes(commune: Commune, *, limit: int = SIMILAR_MAX) -> dict:
    """Communes of the same IFN class and population band: same département first, then the same région.

    Only aggregated figures of their latest submitted diagnostic are given (priorities and measure statuses),
    never their answers, owners or comments, plus a link to the plan a commune chose to publish. 2 queries (2 more
    when the open-data part is not cached yet).
    """
    ifn_total, found = _similar_territories(commune, limit)
    ifn_band = ifn_class_of(ifn_total)
    pop_band = population_band_of(commune.population)
    result = {"ifn_class": ifn_band, "population_band": pop_band, "communes": [], "measures": []}
    if ifn_band is None or pop_band is None:
        return result

    similar = [SimilarCommune(c, c.ifn_total, c.departement_id == commune.departement_id) for c in found]

    latest: dict[str, Diagnostic] = {}
    published: dict[str, int] = {}
    for diagnostic in (
        Diagnostic.objects.filter(commune__in=[s.commune.pk for s in similar], status=Diagnostic.Status.SUBMITTED)
        .order_by("commune_id", "-year")
        .only("pk", "commune_id", "year", "published_at")
    ):
        latest.setdefault(diagnostic.commune_id, diagnostic)
        if diagnostic.published_at:
            published.setdefault(diagnostic.commune_id, diagnostic.year)
    by_diag = {d.pk: d.commune_id for d in latest.values()}
    measure_high: Counter = Counter()
    measure_done: Counter = Counter()
    per_commune: dict[str, dict] = defaultdict(lambda: {"high": [], "status": Counter()})
    for diagnostic_id, measure, priority, status in MeasureAction.objects.filter(
        diagnostic_id__in=list(by_diag)
    ).values_list("diagnostic_id", "measure", "priority", "status"):
        entry = per_commune[by_diag[diagnostic_id]]
        entry["status"][status] += 1
        if priority == MeasureAction.Priority.HIGH:
            entry["high"].append(measure)
            measure_high[measure] += 1
        if status == MeasureAction.Status.DONE:
            measure_done[measure] += 1
    for item in similar:
        item.published_year = published.get(item.commune.pk)
        diagnostic = latest.get(item.commune.pk)
        if diagnostic:
            item.diagnostic_year = diagnostic.year
            entry = per_commune[item.commune.pk]
            item.high_measures = sorted(entry["high"])
            item.status_counts = dict(entry["status"])
    result["communes"] = similar
    result["shared"] = len(latest)
    result["published"] = len(published)
    result["measures"] = [
        {"measure": m, "high": measure_high[m.number], "done": measure_done[m.number]} for m in MEASURES
    ]
    return result
