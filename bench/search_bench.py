"""Server time of the commune search (selector alone, and the whole view through the test client).

Needs the communes loaded (`make data`, or `manage.py load_open_data`): all 34 969 for a meaningful figure.
    .venv/bin/python bench/search_bench.py [--repeat 30]   (uses DATABASE_URL / INCLUSION_VAR_DIR like the site)
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusion.settings_test")  # no HTTPS redirect

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from territories.models import Commune  # noqa: E402
from territories.search import SUGGESTION_LIMIT, search_communes  # noqa: E402

QUERIES = ["saint etienne", "Saint-Étienne", "boulleret", "sa", "ville", "st jean", "18240", "18032", "2A004", "69"]


def timed(func, repeat):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    client = Client()
    assert client.get("/recherche/", {"q": "paris"}).status_code == 200
    print(f"{Commune.objects.count()} communes, database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    print(f"{'query':16} {'selector ms (median/max)':>26} {'htmx view ms':>14} {'full page ms':>14}")
    worst = 0.0
    for query in QUERIES:
        search_communes(query, SUGGESTION_LIMIT)  # warm up
        sel = timed(lambda q=query: search_communes(q, SUGGESTION_LIMIT), args.repeat)
        htmx = timed(lambda q=query: client.get("/recherche/", {"q": q}, headers={"HX-Request": "true"}), args.repeat)
        full = timed(lambda q=query: client.get("/recherche/", {"q": q}), args.repeat)
        worst = max(worst, htmx[0], full[0])
        print(f"{query:16} {sel[0]:12.1f} / {sel[1]:6.1f} {htmx[0]:14.1f} {full[0]:14.1f}")
    print(f"worst median view time: {worst:.1f} ms (target <= 30 ms)")


if __name__ == "__main__":
    main()
