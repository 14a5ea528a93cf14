"""Reads of the Hub coordinators' dashboard, always scoped to the user.

Scope: a coordinator sees the communes of their Hub's départements, staff see every commune (see
inclusion.accounts.roles.communes_in_scope_q and diagnostic.access). Every function here starts from that
scope, so a filter value can only narrow it.

Query budget: each function runs a fixed number of queries whatever the number of communes or diagnostics
(annotations and one grouped query per list, never one query per row); bench/dashboard_bench.py checks it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Abs

from diagnostic import access as diagnostic_selectors
from diagnostic.dashboard.classes import (
    ALERT_LIST_LIMIT,
    FRAGILE_IFN_THRESHOLD,
    IFN_CLASS_BY_NUMBER,
    LOW_CAPACITY_SCORE,
    MIN_SCORED_SECTIONS,
    SIMILAR_MAX,
    SIMILAR_MIN,
    ifn_class_of,
    population_band_of,
)
from diagnostic.dashboard.filters import STATUS_TO_MODEL, DashboardFilters
from diagnostic.enums import NO_DIAGNOSTIC_LABEL, DiagnosticStatus
from diagnostic.measures import MEASURES
from diagnostic.models import Answer, Diagnostic, MeasureAction
from diagnostic.questionnaire.definition import SECTIONS
from diagnostic.questionnaire.definition import VERSION as QUESTIONNAIRE_VERSION
from diagnostic.questionnaire.scoring import SectionScore, score_sections
from inclusion.accounts import roles
from inclusion.accounts.models import Membership
from territories.models import Commune, DataSource, Departement, Epci

STATUS_LABELS = {None: NO_DIAGNOSTIC_LABEL, **dict(DiagnosticStatus.choices)}


# --- scope -----------------------------------------------------------------------------------------------------


def communes_in_scope(user) -> QuerySet[Commune]:
    return diagnostic_selectors.communes_visible_to(user)


def scope_departements(user) -> dict[str, str]:
    """{code: "Name (code)"} of the départements of the user's territory."""
    qs = Departement.objects.all()
    if not roles.is_staff(user):
        qs = qs.filter(hub_id=user.hub_id) if roles.is_coordinator(user) else qs.none()
    return {code: f"{name} ({code})" for code, name in qs.order_by("code").values_list("code", "name")}


def scope_epcis(user, departement: str | None = None) -> dict[str, str]:
    """{siren: name} of the EPCIs with at least one commune in the user's territory (and the département)."""
    q = roles.communes_in_scope_q(user, prefix="communes__")
    if departement:
        q &= Q(communes__departement_id=departement)
    rows = Epci.objects.filter(q).distinct().order_by("name").values_list("siren", "name")
    return dict(rows)


def get_commune_in_scope(user, insee: str) -> Commune:
    """The commune if it is in the user's scope, else Http404."""
    from django.http import Http404

    commune = (
        communes_in_scope(user)
        .select_related("departement__region", "epci")
        .defer("geometry", "departement__geometry")
        .annotate(ifn_total=F("ifn__total"))
        .filter(insee=insee)
        .first()
    )
    if commune is None:
        raise Http404("Commune introuvable.")
    return commune


# --- the table -------------------------------------------------------------------------------------------------


def with_year(qs: QuerySet[Commune], year: int) -> QuerySet[Commune]:
    """Annotate each commune with its diagnostic of `year` (id and status, None when absent) and its IFN total."""
    # A LEFT JOIN on the diagnostics of that year (at most one per commune and year: unique constraint), so that
    # counting, filtering and sorting on the status stay one hash join over the territory.
    return qs.annotate(
        year_diagnostic=FilteredRelation("diagnostics", condition=Q(diagnostics__year=year)),
        diag_id=F("year_diagnostic__id"),
        diag_status=F("year_diagnostic__status"),
        ifn_total=F("ifn__total"),
        ifn_source_id=F("ifn__source_id"),
    )


def filtered_communes(user, filters: DashboardFilters) -> QuerySet[Commune]:
    """The communes of the user's territory matching the filters, sorted, annotated as in `with_year`."""
    # The contours (large texts) are never needed by the table: leave them in the database.
    qs = with_year(
        communes_in_scope(user).select_related("epci").defer("geometry", "departement__geometry"), filters.year
    )
    if filters.departement:
        qs = qs.filter(departement_id=filters.departement)
    if filters.epci:
        qs = qs.filter(epci_id=filters.epci)
    if filters.status:
        status = STATUS_TO_MODEL[filters.status]
        qs = qs.filter(diag_status__isnull=True) if status is None else qs.filter(diag_status=status)
    if filters.ifn_class:
        qs = qs.filter(IFN_CLASS_BY_NUMBER[filters.ifn_class].q("ifn__total"))
    if filters.high_measure:
        qs = qs.filter(
            Exists(
                MeasureAction.objects.filter(
                    diagnostic_id=OuterRef("diag_id"),
                    measure=filters.high_measure,
                    priority=MeasureAction.Priority.HIGH,
                )
            )
        )
    return qs.order_by(*_ordering(filters))


def _ordering(filters: DashboardFilters) -> list:
    desc = filters.sort_descending
    key = filters.sort_key
    if key == "population":
        first = F("population").desc(nulls_last=True) if desc else F("population").asc(nulls_last=True)
    elif key == "ifn":
        first = F("ifn__total").desc(nulls_last=True) if desc else F("ifn__total").asc(nulls_last=True)
    elif key == "statut":
        rank = Case(
            When(diag_status="submitted", then=Value(2)),
            When(diag_status="draft", then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        first = rank.desc() if desc else rank.asc()
    else:
        return ["-search_name", "-insee"] if desc else ["search_name", "insee"]
    return [first, "search_name", "insee"]


@dataclass
class CommuneRow:
    commune: Commune
    diag_id: int | None
    diag_status: str | None
    ifn_total: float | None
    high_measures: list[int] = field(default_factory=list)

    @property
    def ifn_class(self):
        return ifn_class_of(self.ifn_total)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.diag_status, self.diag_status)


def high_measures_by_diagnostic(diagnostic_ids) -> dict[int, list[int]]:
    """{diagnostic id: [measure numbers with a high priority]} in one query."""
    result: dict[int, list[int]] = defaultdict(list)
    rows = (
        MeasureAction.objects.filter(diagnostic_id__in=diagnostic_ids, priority=MeasureAction.Priority.HIGH)
        .order_by("diagnostic_id", "measure")
        .values_list("diagnostic_id", "measure")
    )
    for diagnostic_id, measure in rows:
        result[diagnostic_id].append(measure)
    return result


def rows_for(communes) -> list[CommuneRow]:
    """Table rows for an evaluated page of `filtered_communes` (one more query for the measures)."""
    communes = list(communes)
    high = high_measures_by_diagnostic([c.diag_id for c in communes if c.diag_id])
    return [CommuneRow(c, c.diag_id, c.diag_status, c.ifn_total, high.get(c.diag_id, [])) for c in communes]


def export_rows(qs: QuerySet[Commune], year: int):
    """All rows of the filtered table for an export: two queries whatever the number of rows."""
    high: dict[str, list[int]] = defaultdict(list)
    measure_rows = (
        MeasureAction.objects.filter(
            diagnostic__year=year,
            diagnostic__commune__in=qs.values("pk"),
            priority=MeasureAction.Priority.HIGH,
        )
        .order_by("diagnostic__commune_id", "measure")
        .values_list("diagnostic__commune_id", "measure")
    )
    for insee, measure in measure_rows:
        high[insee].append(measure)
    fields = ("insee", "name", "departement_id", "population", "source_id", "ifn_source_id", "epci__name")
    values = qs.values_list(*fields, "diag_id", "diag_status", "ifn_total")
    for *commune_fields, diag_id, diag_status, ifn_total in values.iterator(chunk_size=2000):
        # A light stand-in for the Commune (no model instantiation for thousands of rows).
        commune = ExportCommune(*commune_fields)
        yield CommuneRow(commune, diag_id, diag_status, ifn_total, high.get(commune.insee, []))


@dataclass(frozen=True)
class ExportCommune:
    insee: str
    name: str
    departement_id: str
    population: int | None
    source_id: int | None
    ifn_source_id: int | None
    epci_name: str | None


# --- headline figures ------------------------------------------------------------------------------------------


def headline(user, year: int) -> dict:
    """Communes, diagnostics started and submitted in `year`, population covered: two queries."""
    figures = communes_in_scope(user).aggregate(communes=Count("pk"), population_total=Sum("population"))
    submitted = Q(status=Diagnostic.Status.SUBMITTED)
    figures |= (
        diagnostic_selectors.diagnostics_visible_to(user)
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
    years = set(diagnostic_selectors.diagnostics_visible_to(user).order_by().values_list("year", flat=True).distinct())
    years.add(current_year)
    return sorted(years, reverse=True)


# --- alerts ----------------------------------------------------------------------------------------------------


SCORES_CACHE_SECONDS = 7 * 24 * 3600


def _scores_key(diagnostic: Diagnostic) -> str:
    # Diagnostic.version is bumped at every write of an answer; updated_at and the questionnaire version are
    # there in case a write forgets it or the scoring changes.
    stamp = diagnostic.updated_at.timestamp() if diagnostic.updated_at else 0
    return f"dashboard-scores:{QUESTIONNAIRE_VERSION}:{diagnostic.pk}:{diagnostic.version}:{stamp:.6f}"


def section_scores_for(diagnostics) -> dict[int, dict[str, SectionScore]]:
    """{diagnostic id: section scores} for Diagnostic objects (pk, version and updated_at loaded).

    Scores are cached per diagnostic version; the answers of the diagnostics missing from the cache are read in
    one query (none when all are cached), so the cost does not grow with the number of rows shown.
    """
    keys = {d.pk: _scores_key(d) for d in diagnostics}
    cached = cache.get_many(list(keys.values())) if keys else {}
    result = {pk: cached[key] for pk, key in keys.items() if key in cached}
    missing = [pk for pk in keys if pk not in result]
    if missing:
        answers: dict[int, dict] = defaultdict(dict)
        rows = Answer.objects.filter(diagnostic_id__in=missing).values_list("diagnostic_id", "question", "value")
        for diagnostic_id, question, value in rows:
            answers[diagnostic_id][question] = value
        computed = {pk: score_sections(answers.get(pk, {})) for pk in missing}
        cache.set_many({keys[pk]: scores for pk, scores in computed.items()}, SCORES_CACHE_SECONDS)
        result.update(computed)
    return result


def capacity_of(scores: dict[str, SectionScore]) -> int | None:
    """Mean of the known section scores, None when fewer than MIN_SCORED_SECTIONS sections are scored."""
    known = [s.score for s in scores.values() if s.score is not None]
    if len(known) < MIN_SCORED_SECTIONS:
        return None
    return round(sum(known) / len(known))


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
        diagnostic_selectors.diagnostics_visible_to(user)
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


# --- measures --------------------------------------------------------------------------------------------------


def high_priority_counts(user, year: int) -> dict:
    """How many diagnostics of the year give each measure a high priority (one query)."""
    diagnostics = diagnostic_selectors.diagnostics_visible_to(user).filter(year=year)
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


# --- map -------------------------------------------------------------------------------------------------------


# Fill colours of IFN classes 0 (no value) to 5, as on the public maps (static/css/territories.css .ifn-class-N).
MAP_CLASS_COLOURS = ["#d9d9d9", "#ffffb2", "#fecc5c", "#fd8d3c", "#e8502d", "#a50026"]


def map_data(user, departement: str | None, year: int, matching: QuerySet[Commune] | None = None) -> dict | None:
    """The map of one département of the user's territory: the cached simplified, encoded contours of the public
    pages (territories.maps.departement_layer) and, per commune, its name, IFN, class, diagnostic status and
    whether it matches the table's filters (`matching`, None = no filter: all match).
    One query (two with `matching`) plus the cached layer (built once per data version)."""
    from territories import maps

    if not departement:
        return None
    rows = with_year(communes_in_scope(user).filter(departement_id=departement), year).order_by("insee")
    matched = None
    if matching is not None:
        matched = set(matching.filter(departement_id=departement).order_by().values_list("insee", flat=True))
    communes = []
    for insee, name, ifn_total, status, lat, lon in rows.values_list(
        "insee", "name", "ifn_total", "diag_status", "centroid_lat", "centroid_lon"
    ):
        band = ifn_class_of(ifn_total)
        ifn_text = f"{ifn_total:.1f}".replace(".", ",") if band else "donnée absente"
        is_match = 1 if matched is None or insee in matched else 0
        communes.append([insee, name, ifn_text, band.number if band else 0, status or "", lat, lon, is_match])
    if not communes:
        return None
    layer = maps.departement_layer(departement)
    return {
        "departement": departement,
        "communes": communes,
        "shapes": {c[0]: layer.shapes[c[0]] for c in communes if c[0] in layer.shapes},
        "bounds": layer.bounds,
        "precision": maps.PRECISION,
        "colours": MAP_CLASS_COLOURS,
        "statuses": {"draft": STATUS_LABELS["draft"], "submitted": STATUS_LABELS["submitted"], "": STATUS_LABELS[None]},
        "filtered": matched is not None,
        "matching": len(matched) if matched is not None else len(communes),
    }


# --- memberships -----------------------------------------------------------------------------------------------


def pending_memberships(user, limit: int = 10) -> tuple[list[Membership], int]:
    """The oldest pending membership requests of the user's territory and their number (2 queries).

    Scoping is the accounts team's (inclusion.accounts.views.pending_requests_for), so that the dashboard lists
    exactly the requests their approve/refuse page shows.
    """
    from inclusion.accounts.views import pending_requests_for

    qs = pending_requests_for(user).defer("commune__geometry", "commune__departement__geometry")
    return list(qs[:limit]), qs.count()


# --- sources ---------------------------------------------------------------------------------------------------


def sources_of(communes) -> list[str]:
    """Citations of the population and IFN sources of the given (annotated, evaluated) communes: one small query
    on the sources they reference (imports use one source per file, so a page of rows names them all)."""
    ids = {c.source_id for c in communes} | {getattr(c, "ifn_source_id", None) for c in communes}
    ids.discard(None)
    if not ids:
        return []
    return [s.citation for s in DataSource.objects.filter(pk__in=ids).order_by("name")]


# --- similar communes ------------------------------------------------------------------------------------------


@dataclass
class SimilarCommune:
    commune: Commune
    ifn_total: float | None
    same_departement: bool
    diagnostic_year: int | None = None  # latest submitted diagnostic
    high_measures: list[int] = field(default_factory=list)
    status_counts: dict[str, int] = field(default_factory=dict)  # MeasureAction.Status → count


def similar_communes(commune: Commune, *, limit: int = SIMILAR_MAX) -> dict:
    """Communes of the same IFN class and population band: same département first, then the same région.

    Only aggregated figures of their latest submitted diagnostic are given (priorities and measure statuses),
    never their answers, owners or comments. 3 queries (one more when the commune's IFN is not annotated).
    """
    ifn_total = getattr(commune, "ifn_total", None)
    if ifn_total is None:
        ifn_total = Commune.objects.filter(pk=commune.pk).values_list("ifn__total", flat=True).first()
    ifn_band = ifn_class_of(ifn_total)
    pop_band = population_band_of(commune.population)
    result = {"ifn_class": ifn_band, "population_band": pop_band, "communes": [], "measures": []}
    if ifn_band is None or pop_band is None:
        return result

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
    similar = [SimilarCommune(c, c.ifn_total, c.departement_id == commune.departement_id) for c in found]

    latest: dict[str, Diagnostic] = {}
    for diagnostic in (
        Diagnostic.objects.filter(commune__in=[s.commune.pk for s in similar], status=Diagnostic.Status.SUBMITTED)
        .order_by("commune_id", "-year")
        .only("pk", "commune_id", "year")
    ):
        latest.setdefault(diagnostic.commune_id, diagnostic)
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
        diagnostic = latest.get(item.commune.pk)
        if diagnostic:
            item.diagnostic_year = diagnostic.year
            entry = per_commune[item.commune.pk]
            item.high_measures = sorted(entry["high"])
            item.status_counts = dict(entry["status"])
    result["communes"] = similar
    result["shared"] = len(latest)
    result["measures"] = [
        {"measure": m, "high": measure_high[m.number], "done": measure_done[m.number]} for m in MEASURES
    ]
    return result


# --- progress --------------------------------------------------------------------------------------------------


def progress(commune: Commune) -> dict:
    """The commune's yearly diagnostics side by side (oldest first), with the change of each section score and
    of each measure's status and priority from one year to the next (3 queries)."""
    diagnostics = list(Diagnostic.objects.filter(commune=commune).order_by("year"))
    scores = section_scores_for(diagnostics)
    measures: dict[int, dict[int, MeasureAction]] = defaultdict(dict)
    for action in MeasureAction.objects.filter(diagnostic__in=diagnostics):
        measures[action.diagnostic_id][action.measure] = action

    section_rows = []
    for section in SECTIONS:
        cells, previous = [], None
        for diagnostic in diagnostics:
            score = scores[diagnostic.pk][section.key].score
            delta = score - previous if score is not None and previous is not None else None
            cells.append({"score": score, "delta": delta})
            previous = score if score is not None else previous
        section_rows.append({"section": section, "cells": cells})

    measure_rows = []
    for measure in MEASURES:
        cells, previous = [], None
        for diagnostic in diagnostics:
            action = measures[diagnostic.pk].get(measure.number)
            changed = bool(action and previous and (action.status != previous.status))
            cells.append({"action": action, "changed": changed, "previous": previous})
            previous = action or previous
        measure_rows.append({"measure": measure, "cells": cells})
    return {"diagnostics": diagnostics, "sections": section_rows, "measures": measure_rows}
