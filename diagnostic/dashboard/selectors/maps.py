"""The dashboard map of one département."""

from __future__ import annotations

from django.db.models import QuerySet

from diagnostic.dashboard.classes import ifn_class_of
from diagnostic.dashboard.selectors.scope import communes_in_scope
from diagnostic.dashboard.selectors.table import STATUS_LABELS, with_year
from territories.formatting import decimal
from territories.models import Commune
from territories.vocabulary import CLASS_COLOURS

# Fill colours of IFN classes 0 (no value) to 5, as on the public maps.
MAP_CLASS_COLOURS = CLASS_COLOURS


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
        ifn_text = decimal(ifn_total) if band else "donnée absente"
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
