"""Distance from each commune (centroid) to the nearest place of each kind, and places within 10 km.

Points are projected to a metric CRS (Lambert-93, EPSG:2154, for metropolitan France; the local UTM/RGAF CRS for each
overseas département) and searched with shapely's STRtree (query_nearest, dwithin): no commune × place loop.
A commune and a place are only compared inside the same CRS group (a place in Martinique is never "nearest" to Lyon).
"""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import Transformer

from territories.formatting import plural
from territories.importers.base import Summary
from territories.models import Commune, CommunePlaceAccess, Place

RADIUS_M = 10_000
CRS_BY_DEP = {"971": 5490, "972": 5490, "973": 2972, "974": 2975, "976": 4471}
METRO_CRS = 2154
_transformers: dict[int, Transformer] = {}


def _crs_for(insee_or_dep: str) -> int:
    return CRS_BY_DEP.get(insee_or_dep[:3], METRO_CRS)


def _project(crs: int, lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
    if crs not in _transformers:
        _transformers[crs] = Transformer.from_crs(4326, crs, always_xy=True)
    x, y = _transformers[crs].transform(lons, lats)
    return shapely.points(x, y)


def compute_access(*, departements: set[str] | None, notes: list[str] | None = None) -> dict[tuple[str, str], dict]:
    """(commune insee, kind) -> {nearest_id, nearest_km, within_10km} for communes with a centroid.

    Only inside the data's coverage: a kind gets figures in the régions where at least one place of that kind is
    loaded. A regional file (e.g. Hinaura's lieux for Auvergne-Rhône-Alpes) thus gives no "nearest lieu at 90 km" to a
    commune of the Cher, whose lieux are simply not in the data: no row there, and `notes` says so.
    """
    communes = Commune.objects.filter(centroid_lat__isnull=False)
    if departements is not None:
        communes = communes.filter(departement_id__in=departements)
    c_rows = list(communes.values_list("insee", "centroid_lat", "centroid_lon", "departement__region_id"))
    # one point per real site (dedupe.py), under every kind it holds; places flagged by the address check left out
    places = Place.objects.filter(latitude__isnull=False, longitude__isnull=False, same_site_as__isnull=True).exclude(
        address_check=Place.AddressCheck.FLAGGED
    )
    p_rows = [
        (pk, k, lat, lon, dep, postcode)
        for pk, kind, kinds, lat, lon, dep, postcode in places.values_list(
            "pk", "kind", "kinds", "latitude", "longitude", "commune__departement_id", "postcode"
        )
        for k in (kinds.split("|") if kinds else [kind])
    ]
    covered = {kind: set() for kind in Place.Kind.values}
    for kind, region in (
        Place.objects.filter(commune__isnull=False).values_list("kind", "commune__departement__region_id").distinct()
    ):
        covered[kind].add(region)
    result: dict[tuple[str, str], dict] = {}
    if not c_rows:
        return result
    c_codes = np.array([r[0] for r in c_rows], dtype=object)
    c_lat = np.array([r[1] for r in c_rows], dtype=float)
    c_lon = np.array([r[2] for r in c_rows], dtype=float)
    c_region = np.array([r[3] for r in c_rows], dtype=object)
    c_group = np.array([_crs_for(code) for code in c_codes])
    p_pk = np.array([r[0] for r in p_rows], dtype=np.int64)
    p_kind = np.array([r[1] for r in p_rows], dtype=object)
    p_lat = np.array([r[2] for r in p_rows], dtype=float)
    p_lon = np.array([r[3] for r in p_rows], dtype=float)
    p_group = np.array([_crs_for(r[4] or r[5] or "") for r in p_rows], dtype=np.int64)
    for crs in np.unique(c_group):
        for kind in Place.Kind.values:
            c_mask = (c_group == crs) & np.isin(c_region, list(covered[kind]))
            p_mask = (p_kind == kind) & (p_group == crs) if len(p_rows) else np.array([], dtype=bool)
            if not c_mask.any() or not p_mask.any():
                continue
            c_points = _project(int(crs), c_lon[c_mask], c_lat[c_mask])
            codes = c_codes[c_mask]
            tree = shapely.STRtree(_project(int(crs), p_lon[p_mask], p_lat[p_mask]))
            pks = p_pk[p_mask]
            (c_idx, p_idx), dist = tree.query_nearest(c_points, return_distance=True, all_matches=False)
            nearest_pk = np.full(len(codes), -1, dtype=np.int64)
            nearest_d = np.full(len(codes), np.nan)
            nearest_pk[c_idx] = pks[p_idx]
            nearest_d[c_idx] = dist
            near_c, _ = tree.query(c_points, predicate="dwithin", distance=RADIUS_M)
            within = np.bincount(near_c, minlength=len(codes))
            for j, code in enumerate(codes):
                result[(code, kind)] = {
                    "nearest_id": int(nearest_pk[j]),
                    "nearest_km": round(float(nearest_d[j]) / 1000, 3),
                    "within_10km": int(within[j]),
                }
    if notes is not None:
        for kind in Place.Kind.values:
            outside = sum(1 for code in c_codes if (code, kind) not in result)
            if outside:
                where = plural(outside, "commune située dans une région", "communes situées dans des régions")
                notes.append(
                    f"{Place.Kind(kind).label} : pas de chiffres pour {where} où aucun lieu de ce type n'est chargé "
                    "(hors de la couverture des données, et non « aucun lieu »)"
                )
    return result


def write_access(*, wanted: dict, departements: set[str] | None, notes: list[str] | None = None) -> Summary:
    summary = Summary("Accès aux lieux (commune × type)", notes=list(notes or []))
    existing = CommunePlaceAccess.objects.all()
    if departements is not None:
        existing = existing.filter(commune__departement_id__in=departements)
    current = {
        (c, k): (pk, n, km, w)
        for pk, c, k, n, km, w in existing.values_list(
            "pk", "commune_id", "kind", "nearest_id", "nearest_km", "within_10km"
        )
    }
    create, update = [], []
    for (code, kind), values in wanted.items():
        have = current.get((code, kind))
        if have is None:
            create.append(CommunePlaceAccess(commune_id=code, kind=kind, **values))
        elif have[1:] != (values["nearest_id"], values["nearest_km"], values["within_10km"]):
            update.append(CommunePlaceAccess(pk=have[0], commune_id=code, kind=kind, **values))
    gone = [have[0] for key, have in current.items() if key not in wanted]
    if gone:
        CommunePlaceAccess.objects.filter(pk__in=gone).delete()
    CommunePlaceAccess.objects.bulk_create(create, batch_size=1000)
    CommunePlaceAccess.objects.bulk_update(update, ["nearest_id", "nearest_km", "within_10km"], batch_size=1000)
    summary.add({"created": len(create), "updated": len(update), "deleted": len(gone)})
    summary.unchanged = len(wanted) - len(create) - len(update)
    with_centroid = len({code for code, _ in wanted})
    summary.notes.append(
        f"calculé pour {plural(with_centroid, 'commune ayant', 'communes ayant')} un centroïde ; les communes sans "
        "contour n'ont pas de centroïde, donc pas de chiffres d'accès"
    )
    return summary
