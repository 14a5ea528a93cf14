"""gunicorn settings: the production image (Dockerfile CMD) and the benches' and e2e tests' site (bench/_server.py,
which overrides the address, the log and the worker counts it is given) run the same server.

Environment: WEB_CONCURRENCY (processes, default 4) and GUNICORN_THREADS (threads per process, default 2): the
load bench (bench/load_bench.py) measured its figures with 4 × 2 on 2 cores, where a request spends about a third of
its time waiting for PostgreSQL, so threads keep the cores busy.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# Imports and templates loaded once in the master (inclusion/wsgi.py), inherited by every forked worker.
preload_app = True
# Idle connections kept open longer than the reverse proxy's idle timeout (nginx: 60 s) and a client's pause, or a
# reused connection can be reset as the server closes it.
keepalive = 75
timeout = 120
accesslog = "-"
