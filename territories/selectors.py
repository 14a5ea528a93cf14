"""Read-only queries behind the public pages: commune profile, IFN medians, map data (search: territories.search).

Medians and other département/national aggregates are cached (django cache) under a key that changes whenever a
data source is re-imported (`data_version`), so a new import is picked up without restarting the processes.
"""

from __future__ import annotations

import bisect
import statistics
import threading
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q

from territories.models import (
    Commune,
    CommuneIfn,
    CommunePlaceAccess,
    DataSource,
    Departement,
    ImportRun,
    Place,
    Region,
)
from territories.vocabulary import (
    DEPARTEMENT_RE,
    IFN_CLASSES,
    IFN_HELP,
    IFN_LABELS,
    REGION_RE,
    ifn_class,
    ifn_class_label,
)

CACHE_SECONDS = 24 * 3600

IFN_FIELDS = ["total", *CommuneIfn.PARTS]


# The data version is read once per request (a page asks for it in every cached selector: 5 to 8 times), then kept
# until the request ends or a DataSource is saved or deleted (an import running inside the request, as the tests'
# immediate task backend does). Outside a request (commands, the worker) it is read every time.
_request = threading.local()


def start_request_memo(**_kwargs) -> None:
    """request_started receiver (TerritoriesConfig.ready)."""
    _request.active = True
    _request.data_version = None


def end_request_memo(**_kwargs) -> None:
    """request_finished receiver."""
    _request.active = False
    _request.data_version = None


def forget_data_version(**_kwargs) -> None:
    """DataSource post_save/post_delete receiver: a version read before the write is not reused."""
    _request.data_version = None


def data_version() -> str:
    """Changes whenever a source is (re)imported: part of every cache key below."""
    memo = getattr(_request, "data_version", None)
    if memo is not None:
        return memo
    agg = DataSource.objects.aggregate(latest=Max("imported_at"), count=Count("id"))
    latest = agg["latest"].timestamp() if agg["latest"] else 0
    version = f"{latest:.6f}-{agg['count']}"
    if getattr(_request, "active", False):
        _request.data_version = version
    return version


# --- IFN medians --------------------------------------------------------------------------------------------


@dataclass
class IfnStats:
    medians: dict[str, float | None]
    totals: list[float]  # sorted, for "more fragile than x % of communes"
    count: int


def _stats(rows) -> IfnStats:
    columns: dict[str, list[float]] = {name: [] for name in IFN_FIELDS}
    count = 0
    for row in rows:
        count += 1
        for name, value in zip(IFN_FIELDS, row, strict=True):
            if value is not None and value > 0:
                columns[name].append(value)
    medians = {name: (statistics.median(values) if values else None) for name, values in columns.items()}
    return IfnStats(medians=medians, totals=sorted(columns["total"]), count=count)


def departement_ifn_stats(code: str, version: str | None = None) -> IfnStats:
    """Medians (and sorted totals) of the published values (status "measured") of a département's communes."""
    version = version or data_version()
    key = f"ifn-stats:dep:{code}:{version}"
    stats = cache.get(key)
    if stats is None:
        rows = CommuneIfn.objects.filter(commune__departement_id=code, status=CommuneIfn.Status.MEASURED).values_list(
            *IFN_FIELDS
        )
        stats = _stats(rows.iterator(chunk_size=2000))
        cache.set(key, stats, CACHE_SECONDS)
    return stats


def place_kinds_of_departement(code: str, version: str | None = None) -> frozenset[str]:
    """The kinds of place (Place.Kind) with at least one place in the département: a kind with none means its source
    is not loaded there (missing data, not "no place nearby"). Cached until the next import."""
    key = f"place-kinds:dep:{code}:{version or data_version()}"
    kinds = cache.get(key)
    if kinds is None:
        kinds = frozenset(
            Place.objects.filter(commune__departement_id=code).values_list("kind", flat=True).distinct().order_by()
        )
        cache.set(key, kinds, CACHE_SECONDS)
    return kinds


def national_ifn_medians(version: str | None = None) -> dict[str, float | None]:
    version = version or data_version()
    key = f"ifn-medians:national:{version}"
    medians = cache.get(key)
    if medians is None:
        rows = CommuneIfn.objects.filter(status=CommuneIfn.Status.MEASURED).values_list(*IFN_FIELDS)
        medians = _stats(rows.iterator(chunk_size=5000)).medians
        cache.set(key, medians, CACHE_SECONDS)
    return medians


def compare_words(value: float | None, median: float | None, where: str) -> str:
    """Plain French comparison with a median: 'plus fragile que la moitié des communes du département'."""
    if value is None or median is None:
        return ""
    if value > median:
        return f"plus fragile que la moitié des communes {where}"
    if value < median:
        return f"moins fragile que la moitié des communes {where}"
    return f"au niveau de la médiane des communes {where}"


# --- Commune profile ----------------------------------------------------------------------------------------


@dataclass
class IfnLine:
    key: str
    label: str
    help: str
    value: float | None
    dep_median: float | None
    nat_median: float | None
    dep_words: str
    nat_words: str
    is_total: bool = False

    @property
    def missing(self) -> bool:
        return self.value is None or self.value <= 0

    @property
    def words(self) -> str:
        """Both comparisons in one phrase, skipping a missing median."""
        return ", et ".join(part for part in (self.dep_words, self.nat_words) if part)


@dataclass
class AccessLine:
    kind: str
    label: str
    access: CommunePlaceAccess | None


@dataclass
class CommuneProfile:
    commune: Commune
    ifn: CommuneIfn | None
    ifn_lines: list[IfnLine] = field(default_factory=list)
    ifn_class: int = 0
    dep_rank_percent: int | None = None  # share of the département's communes with a lower total
    dep_count: int = 0
    access: list[AccessLine] = field(default_factory=list)
    local_places: list[Place] = field(default_factory=list)
    hub = None

    @property
    def ifn_class_label(self) -> str:
        return ifn_class_label(self.ifn_class)

    @property
    def ifn_available(self) -> bool:
        return any(not line.missing for line in self.ifn_lines)

    @property
    def ifn_derived(self) -> bool:
        return self.ifn is not None and self.ifn.status == CommuneIfn.Status.DERIVED


def get_commune_profile(insee: str) -> CommuneProfile | None:
    """The public profile of a commune: open data only (every table it reads is written by the importers), so it is
    cached per data version (7 queries and ~20 ms saved on each later visit)."""
    version = data_version()
    key = f"commune-profile:v1:{insee}:{version}"
    profile = cache.get(key)
    if profile is None:
        profile = _build_commune_profile(insee, version) or False
        cache.set(key, profile, CACHE_SECONDS)
    return profile or None


def _build_commune_profile(insee: str, version: str) -> CommuneProfile | None:
    commune = (
        Commune.objects.select_related(
            "departement__region", "departement__hub__source", "epci", "source", "geometry_source"
        )
        .defer("geometry")  # the contour is drawn from the cached map layer, never from here
        .filter(insee=insee)
        .first()
    )
    if commune is None:
        return None
    ifn = CommuneIfn.objects.select_related("source").filter(commune=commune).first()
    profile = CommuneProfile(commune=commune, ifn=ifn)
    profile.hub = commune.departement.hub

    dep_stats = departement_ifn_stats(commune.departement_id, version)
    nat = national_ifn_medians(version)
    profile.dep_count = len(dep_stats.totals)
    if ifn is not None:
        for name in IFN_FIELDS:
            value = getattr(ifn, name)
            value = value if value is not None and value > 0 else None
            profile.ifn_lines.append(
                IfnLine(
                    key=name,
                    label=IFN_LABELS[name],
                    help=IFN_HELP[name],
                    value=value,
                    dep_median=dep_stats.medians[name],
                    nat_median=nat[name],
                    dep_words=compare_words(value, dep_stats.medians[name], "du département"),
                    nat_words=compare_words(value, nat[name], "de France"),
                    is_total=name == "total",
                )
            )
        total = ifn.total if ifn.total and ifn.total > 0 else None
        profile.ifn_class = ifn_class(total)
        if total is not None and dep_stats.totals:
            lower = bisect.bisect_left(dep_stats.totals, total)
            profile.dep_rank_percent = round(100 * lower / len(dep_stats.totals))

    rows = {
        row.kind: row for row in CommunePlaceAccess.objects.filter(commune=commune).select_related("nearest__source")
    }
    profile.access = [AccessLine(kind, label, rows.get(kind)) for kind, label in Place.Kind.choices]
    profile.local_places = list(
        Place.objects.filter(commune=commune, same_site_as__isnull=True)
        .select_related("source")
        .order_by("kind", "name")[:30]
    )
    return profile


# --- Département ---------------------------------------------------------------------------------------------


def get_departement(code: str) -> Departement | None:
    if not DEPARTEMENT_RE.match(code or ""):
        return None
    return Departement.objects.select_related("region", "hub").filter(code=code).first()


def departement_communes(code: str):
    """Communes of a département with their IFN total, for the map's text alternative."""
    return (
        Commune.objects.filter(departement_id=code)
        .select_related("ifn")
        .only("insee", "name", "population", "ifn__total", "ifn__status")
        .order_by("search_name", "insee")  # alphabetical regardless of accents (Arçay before Arpheuilles)
    )


def departement_map_rows(code: str) -> list[tuple[str, str, str, float | None]]:
    """(insee, name, geometry, IFN total) of the département's communes that have a contour."""
    return list(
        Commune.objects.filter(departement_id=code)
        .exclude(geometry="")
        .order_by("insee")
        .values_list("insee", "name", "geometry", "ifn__total")
    )


def departement_places(code: str):
    """Located places of a département (markers of the map)."""
    return (
        Place.objects.filter(
            commune__departement_id=code, latitude__isnull=False, longitude__isnull=False, same_site_as__isnull=True
        )
        .exclude(location=Place.Location.NONE)
        .select_related("commune")
        .order_by("kind", "name")
    )


def cached_per_data_version(prefix: str, compute):
    """`compute()`, cached under `<prefix>:<data version>` (for values that read open data only; never None)."""
    key = f"{prefix}:{data_version()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def map_sources(code: str) -> list[DataSource]:
    """Sources of what the map shows: contours, IFN, places (cached per data version)."""
    return cached_per_data_version(f"map-sources:{code}", lambda: _map_sources(code))


def _map_sources(code: str) -> list[DataSource]:
    ids = set(
        Commune.objects.filter(departement_id=code)
        .exclude(geometry_source=None)
        .values_list("geometry_source_id", flat=True)
        .distinct()
    )
    ids |= set(
        CommuneIfn.objects.filter(commune__departement_id=code)
        .exclude(source=None)
        .values_list("source_id", flat=True)
        .distinct()
    )
    ids |= set(departement_places(code).values_list("source_id", flat=True).distinct())
    return list(DataSource.objects.filter(id__in=ids).order_by("name"))


# --- Région ------------------------------------------------------------------------------------------------------


def get_region(code: str) -> Region | None:
    if not REGION_RE.match(code or ""):
        return None
    return Region.objects.filter(code=code).first()


def regions_with_communes() -> list[Region]:
    """Régions that have communes loaded, with `communes` (count) and `departement_count`, by name."""
    return list(
        Region.objects.annotate(
            communes=Count("departements__communes"),
            departement_count=Count("departements", filter=Q(departements__communes__isnull=False), distinct=True),
        )
        .filter(communes__gt=0)
        .order_by("name")
    )


def region_map_rows(code: str) -> list[tuple[str, str, str, float | None]]:
    """(insee, name, geometry, IFN total) of the région's communes that have a contour."""
    return list(
        Commune.objects.filter(departement__region_id=code)
        .exclude(geometry="")
        .order_by("insee")
        .values_list("insee", "name", "geometry", "ifn__total")
    )


@dataclass
class DepartementSummary:
    departement: Departement
    communes: int
    published: int  # communes with a published IFN
    median: float | None
    fragile: int  # communes of classes 4 and 5 ("fragile", "très fragile")


def region_departements(code: str) -> list[DepartementSummary]:
    """Per département of the région: communes, published IFN, median and fragile communes (text alternative of the
    région map). One query plus the cached medians of each département."""
    version = data_version()
    fragile_from = IFN_CLASSES[3][0]
    summaries = []
    departements = Departement.objects.filter(region_id=code).annotate(commune_count=Count("communes")).order_by("code")
    for departement in departements:
        if not departement.commune_count:
            continue
        stats = departement_ifn_stats(departement.code, version)
        fragile = len(stats.totals) - bisect.bisect_left(stats.totals, fragile_from)
        summaries.append(
            DepartementSummary(
                departement=departement,
                communes=departement.commune_count,
                published=len(stats.totals),
                median=stats.medians["total"],
                fragile=fragile,
            )
        )
    return summaries


def _staff_only(user) -> None:
    if not user.is_staff:
        raise PermissionDenied("Cette page est réservée à l'équipe du site.")


def staff_sources(user) -> list[DataSource]:
    """Every loaded source (staff only). `replaceable`: one file that staff may upload again; `downloadable`: its
    official file (or the mirror's) can be fetched from the page."""
    from territories import downloads, opendata

    _staff_only(user)
    mirror = opendata.mirror_base()
    sources = list(DataSource.objects.order_by("name"))
    for source in sources:
        source.replaceable = bool(source.file_name) and "*" not in source.file_name
        source.downloadable = False
        if source.replaceable:
            try:
                declared = opendata.entry_for_path(source.file_name)
            except opendata.UnknownDataPath:
                continue
            official = bool(declared.download_url) or declared.key in downloads.OFFICIAL
            source.downloadable = declared.downloadable and (official or bool(mirror))
    return sources


def replaceable_sources(user):
    _staff_only(user)
    return DataSource.objects.exclude(file_name="").exclude(file_name__contains="*")


def import_runs(user, *, limit: int = 20):
    _staff_only(user)
    return ImportRun.objects.select_related("source", "requested_by")[:limit]


def imports_wait_for_a_worker(user) -> bool:
    """True when imports are queued for a background worker (the task backend has one) and none is running.

    territories does not know the backend: it asks it through `worker_is_active()` when the backend offers it
    (inclusion.jobs' database backend does; the immediate backend runs the import in the request)."""
    from territories.tasks import run_import

    _staff_only(user)
    worker_is_active = getattr(run_import.get_backend(), "worker_is_active", None)
    return callable(worker_is_active) and not worker_is_active()
