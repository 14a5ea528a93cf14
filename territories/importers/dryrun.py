"""`load_open_data --dry-run`: the writes run in a transaction that is rolled back; these compare the tables."""

from __future__ import annotations


def written_models() -> list:
    """The tables the import writes."""
    from territories import models as m

    return [
        m.DataSource,
        m.Region,
        m.Departement,
        m.Epci,
        m.Commune,
        m.CommuneIfn,
        m.EpciIfn,
        m.Hub,
        m.Hub.regions.through,
        m.Place,
        m.CommunePlaceAccess,
    ]


def table_state() -> dict[str, dict]:
    """{table: {pk: digest of the row}}, to compare before and after the writes (dry run)."""
    state = {}
    for model in written_models():
        fields = [f.attname for f in model._meta.concrete_fields]
        rows = model.objects.order_by().values_list("pk", *fields).iterator(chunk_size=2000)
        state[model.__name__] = {row[0]: hash(repr(row[1:])) for row in rows}
    return state


def compare(before: dict[str, dict], after: dict[str, dict]) -> dict[str, dict[str, int]]:
    """{table: {"added", "changed", "removed"}} for the tables whose rows differ."""
    changes = {}
    for table, old in before.items():
        new = after[table]
        counts = {
            "added": sum(1 for pk in new if pk not in old),
            "changed": sum(1 for pk, digest in new.items() if pk in old and old[pk] != digest),
            "removed": sum(1 for pk in old if pk not in new),
        }
        if any(counts.values()):
            changes[table] = counts
    return changes
