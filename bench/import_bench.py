"""Time `load_open_data --all` (all communes with contours, IFN, every place file) and print seconds per stage.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/inclusion_import \\
        .venv/bin/python bench/import_bench.py --all [--data-dir ../shared/data] [--fresh] [--departements 18 69 84]

Runs `migrate`, then a first load (with --fresh: the territories tables are emptied first, so it is a true first
load; only use it on a database of your own), then a second load that must change nothing ("Aucun changement").
Targets on a 2-core machine: first load <= 60 s, peak memory (max RSS of this process) <= 1 GB, second load <= 15 s.
The load average is printed with each figure: on a shared machine, figures measured under load are pessimistic.
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusion.settings")
os.environ.setdefault("DEBUG", "1")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=os.environ.get("INCLUSION_DATA_DIR") or str(ROOT.parent / "shared/data"))
    parser.add_argument("--departements", nargs="+", help="contours of these départements only (default: --all)")
    parser.add_argument("--all", action="store_true", help="all of France (the default)")
    parser.add_argument("--fresh", action="store_true", help="empty the territories tables first (destructive)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from territories.importers import load_open_data
    from territories.models import (
        Commune,
        CommuneIfn,
        CommunePlaceAccess,
        DataSource,
        Departement,
        Epci,
        EpciIfn,
        Hub,
        Place,
        Region,
    )

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; data: {args.data_dir}")
    call_command("migrate", verbosity=0, skip_checks=True)
    call_command("createcachetable")
    if args.fresh:
        models = (CommunePlaceAccess, Place, CommuneIfn, EpciIfn, Commune, Epci, Hub, Departement, Region, DataSource)
        if connection.vendor == "postgresql":  # CASCADE also empties rows that point at communes: own DB only
            tables = ", ".join([m._meta.db_table for m in models] + [Hub.regions.through._meta.db_table])
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {tables} CASCADE")
        else:
            with transaction.atomic():
                Departement.objects.update(hub=None)
                for model in models:
                    model.objects.all().delete()
    departements = set(args.departements) if args.departements else None
    runs = {}
    for label in ("first load", "second load (idempotent)"):
        start = time.perf_counter()
        result = load_open_data(data_dir=Path(args.data_dir), departements=departements, echo=lambda _line: None)
        runs[label] = (time.perf_counter() - start, result, os.getloadavg(), _max_rss_mb())
    for label, (seconds, result, load, rss) in runs.items():
        print(
            f"\n{label}: {seconds:.1f} s total, changed={result['changed']}, max RSS so far {rss:.0f} MB, "
            f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (2 cores)"
        )
        for stage, stage_seconds in result["timings"].items():
            print(f"  {stage_seconds:6.2f} s  {stage}")
    counts = {
        model.__name__: model.objects.count()
        for model in (Commune, Epci, CommuneIfn, EpciIfn, Place, CommunePlaceAccess, Hub)
    }
    print("\nrows:", ", ".join(f"{name} {n}" for name, n in counts.items()))
    first, second = runs["first load"][0], runs["second load (idempotent)"][0]
    unchanged = not runs["second load (idempotent)"][1]["changed"]
    rss = _max_rss_mb()
    print(f"\ntarget: first load <= 60 s -> {'OK' if first <= 60 else 'TOO SLOW'} ({first:.1f} s)")
    print(f"target: peak memory <= 1024 MB -> {'OK' if rss <= 1024 else 'TOO MUCH'} ({rss:.0f} MB max RSS)")
    print(
        f"target: second load 'Aucun changement' <= 15 s -> "
        f"{'OK' if second <= 15 and unchanged else 'NO'} ({second:.1f} s, changed={not unchanged})"
    )
    return 0 if first <= 60 and second <= 15 and unchanged and rss <= 1024 else 1


def _max_rss_mb() -> float:
    """Peak resident memory of this process (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    sys.exit(main())
