"""Cold start: what the first requests of a brand-new process (a fresh gunicorn worker) cost, per cache backend.

    DATABASE_URL=sqlite:///var/db.sqlite3 .venv/bin/python manage.py warm_cache      # once, after the import
    DATABASE_URL=sqlite:///var/db.sqlite3 .venv/bin/python bench/coldstart_bench.py   # default pages
    DATABASE_URL=… .venv/bin/python bench/coldstart_bench.py /regions/84/carte/ /departements/38/carte/

For each backend (the per-process memory cache of the old settings, then the shared database cache, then Redis when
CACHE_URL is set) a new Python process boots like inclusion/wsgi.py (settings, URLconf and view imports) and GETs each
page once with Django's test client. Printed: boot CPU time, then CPU and wall time of each first request. CPU time
is what matters on a busy machine (wall time grows with the load average, printed too). Not run in CI.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/", "/communes/69266/", "/departements/69/carte/", "/departements/38/carte/", "/regions/84/carte/"]


def child(urls: list[str]) -> None:
    started = time.process_time()
    import django

    django.setup()
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - as inclusion/wsgi.py does while the worker boots
    boot = time.process_time() - started
    from django.conf import settings
    from django.test import Client

    client = Client()
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"{backend}: boot (imports) {boot:.2f} s CPU, before the worker accepts requests")
    for url in urls:
        cpu, wall = time.process_time(), time.perf_counter()
        status = client.get(url).status_code
        cpu_ms, wall_ms = 1000 * (time.process_time() - cpu), 1000 * (time.perf_counter() - wall)
        print(f"  first {url:30} {status}  {cpu_ms:6.0f} ms CPU  {wall_ms:7.0f} ms wall")


def main() -> None:
    urls = sys.argv[1:] or PAGES
    backends = ["locmem://", ""] + ([os.environ["CACHE_URL"]] if os.environ.get("CACHE_URL") else [])
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="inclusion.settings", DEBUG="1", ALLOWED_HOSTS="testserver")
    for cache_url in backends:
        subprocess.run(
            [sys.executable, __file__, "--child", *urls], cwd=ROOT, env=dict(env, CACHE_URL=cache_url), check=True
        )
    load = os.getloadavg()
    print(f"machine load average (1, 5, 15 min): {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}, {os.cpu_count()} CPUs")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        sys.path.insert(0, str(ROOT))
        child(sys.argv[2:])
    else:
        main()
