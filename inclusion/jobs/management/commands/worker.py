"""`manage.py worker`: run the tasks queued by the database backend (inclusion.jobs.backend.DatabaseBackend).

python manage.py worker               # loop until SIGTERM/SIGINT (finishes the current task first)
python manage.py worker --burst       # run what is due, then exit (tests, CI)
python manage.py worker --health      # exit 0 when this container's worker beat less than 60 s ago, else 1
"""

from __future__ import annotations

import contextlib
import signal
import threading
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, InterfaceError, close_old_connections, connection
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django.utils import timezone

from inclusion.jobs import worker as jobs
from inclusion.jobs.backend import DatabaseBackend


class Command(BaseCommand):
    help = (
        "Traite les tâches en file d'attente (imports de /equipe/donnees/) : une à la fois, par priorité puis par "
        "ancienneté. S'arrête proprement sur SIGTERM ou SIGINT après la tâche en cours."
    )
    requires_system_checks = []  # --health must answer fast; the loop runs the checks itself

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Secondes d'attente quand la file est vide (défaut : 1)."
        )
        parser.add_argument(
            "--burst", action="store_true", help="Traite les tâches dues puis s'arrête quand la file est vide."
        )
        parser.add_argument(
            "--health",
            action="store_true",
            help="Code 0 si le worker de ce conteneur a écrit son battement il y a moins de 60 s, sinon 1.",
        )
        parser.add_argument(
            "--stale-after",
            type=float,
            default=120,
            help="Au démarrage, une tâche restée « en cours » depuis plus de ces minutes est marquée en échec "
            "(défaut : 120).",
        )
        parser.add_argument(
            "--backend", default=DEFAULT_TASK_BACKEND_ALIAS, help="Alias du backend dans settings.TASKS."
        )

    def handle(self, *args, interval, burst, health, stale_after, backend, verbosity, **options):
        if health:
            return self.health()
        self.check()
        tasks_backend = task_backends[backend]
        if not isinstance(tasks_backend, DatabaseBackend):
            raise CommandError(
                f"Le backend de tâches « {backend} » ({type(tasks_backend).__name__}) n'a pas de file en base : "
                "rien à traiter (TASKS_BACKEND) / not the database backend, nothing to run."
            )
        self.stopping = threading.Event()
        previous = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        worker_id = jobs.new_worker_id()
        heartbeat = jobs.Heartbeat(worker_id=worker_id, backend=tasks_backend)
        try:
            heartbeat.start()
            for task_id in jobs.recover_stale(backend=tasks_backend, stale_after=timedelta(minutes=stale_after)):
                self.say(f"task {task_id} left running by a stopped worker: marked FAILED")
            self.say(f"worker {worker_id} started (queues: {', '.join(sorted(tasks_backend.queues))})")
            self.loop(tasks_backend, heartbeat, interval=interval, burst=burst, verbosity=verbosity)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            with contextlib.suppress(DatabaseError):  # the database is gone: the row ages out by itself
                heartbeat.stop()
            self.say(f"worker {worker_id} stopped")

    def loop(self, backend, heartbeat, *, interval, burst, verbosity):
        while not self.stopping.is_set():
            if not connection.in_atomic_block:  # (a test's transaction) otherwise as between two requests:
                close_old_connections()  # honour CONN_MAX_AGE, drop a broken connection
            try:
                heartbeat.beat()
                row = jobs.claim_next(backend=backend, worker_id=heartbeat.worker_id)
                if row is not None:
                    heartbeat.beat(current_task=row.pk, force=True)
                    with heartbeat.during(row.pk):
                        outcome = jobs.execute(row=row, backend=backend)
                    self.say(outcome.line())
                    if outcome.status == "FAILED" and verbosity >= 2:
                        self.stderr.write(outcome.traceback)
                    heartbeat.beat(force=True)
                    continue
            except (DatabaseError, InterfaceError) as exc:  # database restarting, connection lost: try again
                self.stderr.write(f"{timezone.now():%Y-%m-%d %H:%M:%S} database error, retrying: {exc}")
                connection.close()
                if burst:
                    raise
            if burst:
                return
            self.stopping.wait(interval)

    def stop(self, signum, frame):
        if self.stopping.is_set():  # a second signal: stop now, the current task is stored FAILED
            raise KeyboardInterrupt
        self.stopping.set()
        self.say(f"{signal.Signals(signum).name} received: stopping after the current task")

    def say(self, text: str) -> None:
        self.stdout.write(f"{timezone.now():%Y-%m-%d %H:%M:%S} {text}")

    def health(self):
        path = jobs.heartbeat_path()
        age = jobs.heartbeat_age(path)
        if age is None:
            raise CommandError(
                f"Aucun worker actif : pas de fichier de battement ({path}) / no worker heartbeat file.", returncode=1
            )
        if age >= jobs.HEARTBEAT_MAX_AGE_SECONDS:
            raise CommandError(
                f"Worker inactif : dernier battement il y a {age:.0f} s ({path}) / last heartbeat {age:.0f} s ago.",
                returncode=1,
            )
        self.stdout.write(f"Worker actif : dernier battement il y a {age:.0f} s / heartbeat {age:.0f} s ago.")
