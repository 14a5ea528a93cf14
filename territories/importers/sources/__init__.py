"""One module per source file of the open data import, each reading its file into validated records.

- `admin`: régions, départements, EPCI and communes (COG, @etalab/decoupage-administratif);
- `contours`: commune and département contours (GeoJSON);
- `ifn`: the Indice de Fragilité Numérique per commune and per EPCI;
- `hubs`: the territorial Hubs and the départements they cover;
- places of digital help, each a `PlaceMapper` (see `importers/mapping.py`) with its declared mapping to the common
  `PlaceRecord`: `france_services`, `aidants_connect`, `mediation_v0` (Hinaura), `mediation_v1` (national CSV), and the
  raw regional exports `hub_lo` and `region_sud`.

To add a source of places: a module here with a mapper, its file declared in `opendata.MANIFEST`, and the mapper in
`PLACE_SOURCES` (the order is the load order).
"""

from territories.importers.sources import (
    admin,
    aidants_connect,
    contours,
    france_services,
    hub_lo,
    hubs,
    ifn,
    mediation_v0,
    mediation_v1,
    region_sud,
)

PLACE_SOURCES = [
    france_services.MAPPER,
    aidants_connect.MAPPER,
    mediation_v0.MAPPER,
    mediation_v1.MAPPER,
    hub_lo.MAPPER,  # optional raw regional exports (data folder only)
    region_sud.MAPPER,
]
PLACE_MAPPERS = {mapper.key: mapper for mapper in PLACE_SOURCES}

__all__ = ["PLACE_MAPPERS", "PLACE_SOURCES", "admin", "contours", "hubs", "ifn"]
