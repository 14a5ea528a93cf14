"""The dashboard map of one département."""

from __future__ import annotations

from django.db.models import QuerySet

from diagnostic import access
from diagnostic.dashboard.classes import ifn_class_of
from diagnostic.dashboard.selectors.scope import communes_in_scope, open_data_territory
from diagnostic.dashboard.selectors.table import STATUS_LABELS
from territories.formatting import decimal
from territories.models import Commune
from territories.vocabulary import CLASS_COLOURS

# Fill colours of IFN classes 0 (no value) to 5, as on the public maps.
MAP_CLASS_COLOURS = CLASS_COLOURS


def map_data(user, departement: str | None, year: int, matching: QuerySet[Commune] | None = None) -> dict | None:
    """The map of one département of the user's territory: the cached simplified, encoded contours of the public
    pages (territories.maps.departement_layer) and, per commune, its name, IFN, class, diagnostic status, the
    position of its status mark (None when it has none) and whether it matches the table's filters (`matching`,
    None = no filter: all match).
    One query on the diagnostics (two with `matching`) plus the cached rows and layer (built once per data version)."""
    from territories import maps

    if not departement:
        return None
    matched = None
    if matching is not None:
        matched = set(matching.filter(departement_id=departement).order_by().values_list("insee", flat=True))
    statuses = dict(
        access.diagnostics_visible_to(user)
        .filter(year=year, commune__departement_id=departement)
        .order_by()
        .values_list("commune_id", "status")
    )
    communes = []
    for insee, name, ifn_text, band, lat, lon in _departement_rows(user, departement):
        status = statuses.get(insee, "")
        matches = matched is None or insee in matched
        # The position is for the status mark only: a commune with a diagnostic that matches the filters (the
        # others' positions would be ~5 KB more per 900 communes on the wire for nothing).
        marked = bool(status) and matches
        communes.append(
            [insee, name, ifn_text, band, status, lat if marked else None, lon if marked else None, int(matches)]
        )
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


def _departement_rows(user, departement: str) -> list[tuple]:
    """(insee, name, IFN text, class number, latitude, longitude) of the département's communes in the user's
    territory, by INSEE code: open data only, cached per data version and territory."""
    from django.core.cache import cache

    from territories.selectors import CACHE_SECONDS, data_version

    territory = open_data_territory(user)  # None: not a dashboard role, never shared
    key = f"dashboard-map-rows:v1:{territory}:{departement}:{data_version()}"
    rows = cache.get(key) if territory else None
    if rows is None:
        rows = []
        for insee, name, ifn_total, lat, lon in (
            communes_in_scope(user)
            .filter(departement_id=departement)
            .order_by("insee")
            .values_list("insee", "name", "ifn__total", "centroid_lat", "centroid_lon")
        ):
            band = ifn_class_of(ifn_total)
            rows.append(
                (insee, name, decimal(ifn_total) if band else "donnée absente", band.number if band else 0, lat, lon)
            )
        if territory:
            cache.set(key, rows, CACHE_SECONDS)
    return rows
