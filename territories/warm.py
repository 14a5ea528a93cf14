"""Fill the shared cache right after an import or at startup, so that no visitor pays for a cold cache.

Every entry is keyed by the data version (territories.selectors.data_version), exactly as the pages read them: the
maps (encoded layer and rendered page) and the IFN medians of every département that has communes, the map of every
région that has communes, the national medians, the sources of each map.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from territories import maps, selectors
from territories.models import Commune, Departement


@dataclass
class WarmSummary:
    departements: int
    regions: int
    maps: int
    seconds: float


def warm_caches(departements: list[str] | None = None) -> WarmSummary:
    """Compute and cache the per-département and national aggregates and maps; returns what was done."""
    started = time.monotonic()
    codes = departements or sorted(set(Commune.objects.values_list("departement_id", flat=True)))
    version = selectors.data_version()
    selectors.national_ifn_medians(version)
    drawn = 0
    for code in codes:
        selectors.departement_ifn_stats(code, version)
        selectors.map_sources(code)
        if maps.build_map(code) is not None:
            drawn += 1
    regions = sorted(set(Departement.objects.filter(code__in=codes).values_list("region_id", flat=True)))
    for code in regions:
        selectors.region_departements(code)
        if maps.build_region_map(code) is not None:
            drawn += 1
    return WarmSummary(departements=len(codes), regions=len(regions), maps=drawn, seconds=time.monotonic() - started)
