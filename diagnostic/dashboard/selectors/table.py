"""The dashboard's table of communes: filtered, sorted, annotated with the year's diagnostic; export rows
and the sources they cite."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Exists, F, FilteredRelation, IntegerField, OuterRef, Q, QuerySet, Value, When

from diagnostic.dashboard.classes import IFN_CLASS_BY_NUMBER, ifn_class_of
from diagnostic.dashboard.filters import STATUS_TO_MODEL, DashboardFilters
from diagnostic.dashboard.selectors.scope import communes_in_scope
from diagnostic.enums import NO_DIAGNOSTIC_LABEL, DiagnosticStatus
from diagnostic.models import MeasureAction
from territories.models import Commune, DataSource

STATUS_LABELS = {None: NO_DIAGNOSTIC_LABEL, **dict(DiagnosticStatus.choices)}


def with_year(qs: QuerySet[Commune], year: int) -> QuerySet[Commune]:
    """Annotate each commune with its diagnostic of `year` (id and status, None when absent) and its IFN total."""
    # A LEFT JOIN on the diagnostics of that year (at most one per commune and year: unique constraint), so that
    # counting, filtering and sorting on the status stay one hash join over the territory.
    return qs.annotate(
        year_diagnostic=FilteredRelation("diagnostics", condition=Q(diagnostics__year=year)),
        diag_id=F("year_diagnostic__id"),
        diag_status=F("year_diagnostic__status"),
        diag_published_at=F("year_diagnostic__published_at"),
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
    published_at: object = None  # when the commune published that diagnostic's plan (None: not published)

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
    return [
        CommuneRow(
            c, c.diag_id, c.diag_status, c.ifn_total, high.get(c.diag_id, []), getattr(c, "diag_published_at", None)
        )
        for c in communes
    ]


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


def sources_of(communes) -> list[str]:
    """Citations of the population and IFN sources of the given (annotated, evaluated) communes: one small query
    on the sources they reference (imports use one source per file, so a page of rows names them all)."""
    ids = {c.source_id for c in communes} | {getattr(c, "ifn_source_id", None) for c in communes}
    ids.discard(None)
    if not ids:
        return []
    return [s.citation for s in DataSource.objects.filter(pk__in=ids).order_by("name")]
