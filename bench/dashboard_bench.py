"""Server time and query count of the Hub dashboard on a made-up région of 5 000 communes and 2 000 diagnostics.

Every commune, figure and answer here is MADE UP (random, seeded) and lives in its own PostgreSQL database
(default inclusion_dashboard_bench, created when missing), never in the demo database.

    .venv/bin/python bench/dashboard_bench.py                        # 5 000 communes, 2 000 diagnostics
    .venv/bin/python bench/dashboard_bench.py --communes 500 --diagnostics 200 --db inclusion_dashboard_bench_small
    .venv/bin/python bench/dashboard_bench.py --rebuild               # drop the made-up data and build it again

Prints, per scenario, the median and worst server time over --runs requests (Django test client: middleware,
view, queries and template rendering; no network) and the number of SQL queries. Targets: ≤ 300 ms and a query
count that does not depend on the number of rows (compare two sizes); the XLSX export of the whole national table
(`--communes 34969 --db inclusion_dashboard_bench_national`) ≤ 1.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REGION = "X1"
HUB_SLUG = "hub-banc-d-essai"
DEPARTEMENTS = 10


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--communes", type=int, default=5000)
    parser.add_argument("--diagnostics", type=int, default=2000)
    parser.add_argument("--db", default="inclusion_dashboard_bench")
    parser.add_argument("--host", default=os.environ.get("BENCH_PG", "postgres@127.0.0.1:5432"))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true")
    return parser.parse_args()


def ensure_database(host: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"postgresql://{host}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(host: str, name: str) -> None:
    os.environ["DATABASE_URL"] = f"postgres://{host}/{name}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "inclusion.settings_test"
    import django

    django.setup()


def square(lat, lon, size):
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return json.dumps({"type": "Polygon", "coordinates": [[[round(x, 4), round(y, 4)] for x, y in ring]]})


def build(n_communes: int, n_diagnostics: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from diagnostic.models import Answer, Diagnostic, MeasureAction
    from diagnostic.questionnaire.definition import MULTIPLE, NUMBER, SECTIONS, VERSION
    from inclusion.accounts.models import Membership, User
    from territories.models import Commune, CommuneIfn, DataSource, Departement, Epci, Hub, Region
    from territories.text import normalize_search

    rng = random.Random(42)
    year = timezone.localdate().year
    per_dep = -(-n_communes // DEPARTEMENTS)
    with transaction.atomic():
        source = DataSource.objects.create(
            key="bench-made-up",
            name="Données inventées pour le banc d'essai",
            producer="Banc d'essai",
            vintage="inventé",
            imported_at=timezone.now(),
        )
        region = Region.objects.create(code=REGION, name="Région inventée du banc d'essai", source=source)
        hub = Hub.objects.create(slug=HUB_SLUG, name="Hub inventé du banc d'essai")
        hub.regions.add(region)
        deps = [
            Departement(code=f"X{d:02d}", name=f"Département inventé {d}", region=region, hub=hub, source=source)
            for d in range(DEPARTEMENTS)
        ]
        Departement.objects.bulk_create(deps)
        epcis = [Epci(siren=f"9{e:08d}", name=f"CC inventée {e}", kind="CC") for e in range(n_communes // 50 + 1)]
        Epci.objects.bulk_create(epcis)
        communes, ifns = [], []
        for index in range(n_communes):
            dep_index, rank = divmod(index, per_dep)
            insee = f"{dep_index}{rank:04d}"
            lat = 44.0 + (rank // 25) * 0.05 + dep_index * 1.1
            lon = 1.0 + (rank % 25) * 0.05
            name = f"Commune inventée {index}"
            communes.append(
                Commune(
                    insee=insee,
                    name=name,
                    search_name=normalize_search(name),
                    departement=deps[dep_index],
                    epci=epcis[index // 50],
                    population=int(rng.lognormvariate(6.5, 1.2)),
                    source=source,
                    geometry=square(lat, lon, 0.05),
                    geometry_source=source,
                    centroid_lat=lat + 0.025,
                    centroid_lon=lon + 0.025,
                )
            )
            parts = [round(rng.uniform(1, 10), 1) for _ in range(5)]
            ifns.append(
                CommuneIfn(
                    commune_id=insee,
                    no_thd_coverage=parts[0],
                    no_4g_coverage=parts[1],
                    poverty=parts[2],
                    older_65=parts[3],
                    low_diploma=parts[4],
                    total=round(sum(parts) / 5, 1),
                    source=source,
                )
            )
        Commune.objects.bulk_create(communes, batch_size=1000)
        CommuneIfn.objects.bulk_create(ifns, batch_size=1000)

        chosen = rng.sample(communes, min(n_diagnostics, len(communes)))
        diagnostics = [
            Diagnostic(
                commune=c,
                year=year,
                status="submitted" if rng.random() < 0.6 else "draft",
                questionnaire_version=VERSION,
            )
            for c in chosen
        ]
        Diagnostic.objects.bulk_create(diagnostics, batch_size=1000)
        answers, actions = [], []
        for diagnostic in diagnostics:
            level = rng.random()
            for section in SECTIONS:
                for question in section.questions:
                    if not question.is_scored or rng.random() < 0.1:
                        continue
                    if question.kind == NUMBER:
                        value = rng.choice([0, *(t for t, _ in question.thresholds)])
                    elif question.kind == MULTIPLE:
                        options = [c.value for c in question.choices if not c.exclusive]
                        value = options[: max(1, int(level * len(options)))]
                    else:
                        value = rng.choice([c.value for c in question.choices])
                    answers.append(Answer(diagnostic=diagnostic, question=question.key, value=value))
            for measure in range(1, 6):
                actions.append(
                    MeasureAction(
                        diagnostic=diagnostic,
                        measure=measure,
                        priority=rng.choice(["high", "medium", "low"]),
                        status=rng.choice(["todo", "in_progress", "done"]),
                    )
                )
        Answer.objects.bulk_create(answers, batch_size=5000)
        MeasureAction.objects.bulk_create(actions, batch_size=5000)

        User.objects.create_user(email="coordination@banc.example.org", password=None, hub=hub)
        agents = [User(email=f"agent{i}@banc.example.org") for i in range(200)]
        User.objects.bulk_create(agents)
        Membership.objects.bulk_create(Membership(user=agent, commune=rng.choice(communes)) for agent in agents)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as autovacuum would gather them on a live database
    print(f"Built {len(communes)} communes, {len(diagnostics)} diagnostics, {len(answers)} answers (made up).")


def drop(n_communes: int) -> None:
    from diagnostic.models import Diagnostic
    from inclusion.accounts.models import User
    from territories.models import Commune, DataSource, Departement, Epci, Hub, Region

    Diagnostic.objects.filter(commune__departement__region_id=REGION).delete()
    User.objects.filter(email__endswith="@banc.example.org").delete()
    Commune.objects.filter(departement__region_id=REGION).delete()
    Epci.objects.filter(siren__startswith="9").delete()
    Departement.objects.filter(region_id=REGION).delete()
    Hub.objects.filter(slug=HUB_SLUG).delete()
    Region.objects.filter(code=REGION).delete()
    DataSource.objects.filter(key="bench-made-up").delete()


SCENARIOS = [
    ("tableau de bord, sans filtre", "diagnostic:dashboard", {}, False),
    ("tableau de bord, département", "diagnostic:dashboard", {"departement": "X03"}, False),
    (
        "tableau de bord, statut + classe IFN + tri IFN",
        "diagnostic:dashboard",
        {"statut": "transmis", "classe_ifn": "4", "tri": "-ifn"},
        False,
    ),
    (
        "tableau de bord, mesure prioritaire + EPCI, page 2",
        "diagnostic:dashboard",
        {"mesure_prioritaire": "3", "departement": "X01", "tri": "population", "page": "2"},
        False,
    ),
    ("tableau (htmx), sans filtre, page 40", "diagnostic:dashboard", {"page": "40"}, True),
    ("tableau (htmx), statut aucun + classe 5", "diagnostic:dashboard", {"statut": "aucun", "classe_ifn": "5"}, True),
    ("export CSV, tout le territoire", "diagnostic:dashboard_export_csv", {}, False),
    ("export XLSX, tout le territoire", "diagnostic:dashboard_export_xlsx", {}, False),
    ("export CSV, filtré", "diagnostic:dashboard_export_csv", {"statut": "transmis", "classe_ifn": "4"}, False),
]


def measure(runs: int) -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from inclusion.accounts.models import User
    from territories.models import Commune

    client = Client()
    client.force_login(User.objects.get(email="coordination@banc.example.org"))
    communes = Commune.objects.filter(departement__region_id=REGION).count()
    print(f"\nRégion inventée : {communes} communes. {runs} requêtes par scénario après une requête de chauffe.\n")
    header = ["meilleur", "médiane", "pire", "CPU py", "SQL", "requêtes SQL", "octets"]
    print(f"{'scénario':52}" + "".join(f" {h:>9}" for h in header[:5]) + f" {header[5]:>13} {header[6]:>8}")
    cache.clear()
    for label, name, params, htmx in SCENARIOS:
        headers = {"HX-Request": "true"} if htmx else {}
        url = reverse(name)
        client.get(url, params, headers=headers)  # warm-up (map layer cache, connection)
        times, cpu, sql = [], [], []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as ctx:
                start, start_cpu = time.perf_counter(), time.process_time()
                response = client.get(url, params, headers=headers)
                # a streamed export (XLSX) is produced while it is read: time it to the last byte
                body = b"".join(response.streaming_content) if response.streaming else response.content
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
            sql.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
            assert response.status_code == 200, (label, response.status_code)
        print(
            f"{label:52} {min(times):7.0f}ms {statistics.median(times):7.0f}ms {max(times):7.0f}ms"
            f" {statistics.median(cpu):7.0f}ms {statistics.median(sql):7.0f}ms"
            f" {len(ctx.captured_queries):>13} {len(body):>8}"
        )
    print("\nTemps serveur (client de test Django) : vue, requêtes et rendu ; sans réseau ni navigateur.")
    print("CPU py : temps processeur du processus Django (médiane) ; SQL : temps des requêtes vu du client (médiane).")
    print("Objectifs : pages ≤ 300 ms ; export XLSX de toute la France (34 969 communes) ≤ 1,5 s.")
    print(f"Charge de la machine (load average 1 min) : {os.getloadavg()[0]:.1f} sur {os.cpu_count()} processeurs.")


def main() -> None:
    args = parse_args()
    ensure_database(args.host, args.db)
    setup_django(args.host, args.db)
    from django.core.management import call_command

    from territories.models import Commune

    call_command("migrate", verbosity=0)
    existing = Commune.objects.filter(departement__region_id=REGION).count()
    if args.rebuild or (existing and existing != args.communes):
        drop(existing)
        existing = 0
    if not existing:
        build(args.communes, args.diagnostics)
    measure(args.runs)


if __name__ == "__main__":
    main()
