"""Open data import: parse and validate every file first, then write everything in one transaction.

Entry point: `load_open_data(data_dir=..., departements={"18", "69"} or None, dry_run=False)` (orchestrator.py); see the
`load_open_data` command. Layout: `opendata.MANIFEST` declares every file; `sources/` holds one module per source
(places map to the common `PlaceRecord` through `mapping.PlaceMapper`); `placement.py` puts places in communes,
`coordinates.py` checks hand-geocoded coordinates, `access.py` computes the nearest-help figures.
"""

from territories.importers.orchestrator import SelectionError, load_open_data

__all__ = ["SelectionError", "load_open_data"]
