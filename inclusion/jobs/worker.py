"""What `manage.py worker` does: claim the next due task, run it, store its outcome; heartbeat; stale recovery.

Claim: the next READY task of the backend's queues whose `run_after` is due, highest priority first, then the oldest.
On PostgreSQL the candidate row is locked with `SELECT … FOR UPDATE SKIP LOCKED` (two workers never wait on each
other); on every database the claim itself is a conditional `UPDATE … WHERE status = 'READY'`, and the task is ours
only when that updated one row. So two claims never take the same task, on SQLite as on PostgreSQL.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import Q
from django.tasks.base import TaskContext, TaskResultStatus
from django.tasks.signals import task_finished, task_started
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.json import normalize_json

from inclusion.jobs.backend import DatabaseBackend, result_from_row
from inclusion.jobs.models import QueuedTask, Worker

logger = logging.getLogger("inclusion.jobs")

HEARTBEAT_MAX_AGE_SECONDS = 60  # `worker --health` fails past this age of the heartbeat file
HEARTBEAT_DB_EVERY_SECONDS = 10  # the heartbeat row is written at most this often
HEARTBEAT_THREAD_EVERY_SECONDS = 5  # while a task runs, a thread keeps the heartbeat fresh
LOST_WORKER_SECONDS = 120  # a RUNNING task whose worker has not beaten for this long is left by a dead worker


class WorkerLost(Exception):
    """Recorded as the error of a task left RUNNING by a worker that stopped (killed, crashed, restarted)."""


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"


def ready_tasks(*, backend: DatabaseBackend, now):
    return (
        QueuedTask.objects.filter(
            status=TaskResultStatus.READY, backend_name=backend.alias, queue_name__in=sorted(backend.queues)
        )
        .filter(Q(run_after__isnull=True) | Q(run_after__lte=now))
        .order_by("-priority", "enqueued_at", "id")
    )


def take(*, pk: str, worker_id: str, now) -> QueuedTask | None:
    """The conditional claim: the task is ours only when this UPDATE changed its status from READY."""
    claimed = QueuedTask.objects.filter(pk=pk, status=TaskResultStatus.READY).update(
        status=TaskResultStatus.RUNNING, started_at=now, last_attempted_at=now
    )
    if claimed != 1:
        return None
    row = QueuedTask.objects.get(pk=pk)
    row.worker_ids = [*row.worker_ids, worker_id]
    row.save(update_fields=["worker_ids"])
    return row


def claim_next(*, backend: DatabaseBackend, worker_id: str) -> QueuedTask | None:
    """Mark the next due task RUNNING for `worker_id` and return it; None when nothing is due."""
    now = timezone.now()
    with transaction.atomic():
        ready = ready_tasks(backend=backend, now=now)
        if connection.features.has_select_for_update_skip_locked:
            candidates = list(ready.select_for_update(skip_locked=True).values_list("pk", flat=True)[:1])
        else:
            candidates = list(ready.values_list("pk", flat=True)[:10])
        for pk in candidates:
            row = take(pk=pk, worker_id=worker_id, now=now)
            if row is not None:
                return row
    return None


def _send(signal, sender, task_result) -> None:
    """A receiver's exception is logged, never allowed to stop the worker."""
    for receiver, response in signal.send_robust(sender, task_result=task_result):
        if isinstance(response, Exception):
            logger.error("receiver %r of %s failed", receiver, task_result.id, exc_info=response)


def _error(exc: BaseException) -> dict:
    kind = type(exc)
    return {
        "exception_class_path": f"{kind.__module__}.{kind.__qualname__}",
        "traceback": "".join(traceback.format_exception(exc)),
    }


@dataclass
class Outcome:
    task_id: str
    task_path: str
    status: str
    seconds: float
    error: str = ""  # "ExceptionClass: message" of a failed task
    traceback: str = ""

    def line(self) -> str:
        text = f"task {self.task_id} {self.task_path} {self.status} in {self.seconds:.1f} s"
        return f"{text}: {self.error}" if self.error else text


def execute(*, row: QueuedTask, backend: DatabaseBackend) -> Outcome:
    """Run a claimed task and store SUCCESSFUL and its return value, or FAILED and its error. Never raises for the
    task's own exception (KeyboardInterrupt aside: the task is stored FAILED, then it propagates)."""
    started = time.monotonic()
    try:
        result = result_from_row(row)
    except Exception as exc:  # the task's module or function is gone: nothing to run
        row.status, row.finished_at = TaskResultStatus.FAILED, timezone.now()
        row.errors = [*row.errors, _error(exc)]
        row.save(update_fields=["status", "finished_at", "errors"])
        return Outcome(row.id, row.task_path, row.status, time.monotonic() - started, f"{type(exc).__name__}: {exc}")

    _send(task_started, type(backend), result)
    task = result.task
    error = None
    interrupted = None
    try:
        if task.takes_context:
            raw = task.call(TaskContext(task_result=result), *result.args, **result.kwargs)
        else:
            raw = task.call(*result.args, **result.kwargs)
        value = normalize_json(raw)
    except KeyboardInterrupt as exc:
        error, interrupted = exc, exc
    except BaseException as exc:  # noqa: BLE001 - any failure of the task is its outcome, as in ImmediateBackend
        error = exc
    finished_at = timezone.now()
    if error is None:
        row.status, row.return_value = TaskResultStatus.SUCCESSFUL, value
    else:
        row.status, row.return_value = TaskResultStatus.FAILED, None
        row.errors = [*row.errors, _error(error)]
    row.finished_at = finished_at
    row.save(update_fields=["status", "return_value", "errors", "finished_at"])
    _send(task_finished, type(backend), result_from_row(row))
    if interrupted is not None:
        raise interrupted
    if error is None:
        return Outcome(row.id, row.task_path, row.status, time.monotonic() - started)
    message = f"{type(error).__name__}: {error}"
    return Outcome(row.id, row.task_path, row.status, time.monotonic() - started, message, row.errors[-1]["traceback"])


def heartbeat_blocked_by_writes() -> bool:
    """SQLite has one writer: while a task holds a write transaction (an import), no heartbeat row can be written."""
    return connection.vendor == "sqlite"


def process_is_gone(pid: int) -> bool:
    if pid == os.getpid():  # the same host and pid as this new worker: its predecessor (a container restarted)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # another user's process
        return False
    return False


def worker_is_gone(worker: Worker | None, *, now) -> bool:
    """A worker that cannot be running its task any more: no row (a clean stop deletes it after its last task), a
    process that no longer exists on this host, or (except on SQLite, see above) a heartbeat lost for
    LOST_WORKER_SECONDS, when a live worker beats every few seconds, from a thread during a task."""
    if worker is None:
        return True
    if worker.hostname == socket.gethostname()[:255] and process_is_gone(worker.pid):
        return True
    lost = worker.last_seen_at < now - timedelta(seconds=LOST_WORKER_SECONDS)
    return lost and not heartbeat_blocked_by_writes()


def recover_stale(*, backend: DatabaseBackend, stale_after: timedelta) -> list[str]:
    """Mark FAILED the tasks left RUNNING by a dead worker: started more than `stale_after` ago, or taken by a worker
    that is gone (`worker_is_gone`). Sends task_finished for each, so the apps can close what waited on them (an
    ImportRun "en cours"). Returns their ids."""
    now = timezone.now()
    workers = {worker.pk: worker for worker in Worker.objects.all()}
    recovered = []
    for row in QueuedTask.objects.filter(status=TaskResultStatus.RUNNING, backend_name=backend.alias):
        owner = row.worker_ids[-1] if row.worker_ids else ""
        too_old = row.started_at is None or row.started_at < now - stale_after
        if not too_old and not worker_is_gone(workers.get(owner), now=now):
            continue
        reason = (
            f"WorkerLost: worker {owner or '?'} stopped while running this task "
            f"(started {row.started_at.isoformat() if row.started_at else '?'}); marked failed at {now.isoformat()}."
        )
        updated = QueuedTask.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            errors=[*row.errors, {"exception_class_path": f"{__name__}.WorkerLost", "traceback": reason}],
        )
        if updated != 1:
            continue
        recovered.append(row.pk)
        logger.warning("task %s %s: %s", row.pk, row.task_path, reason)
        try:
            result = result_from_row(QueuedTask.objects.get(pk=row.pk))
        except Exception:  # noqa: BLE001 - the task's code is gone: nobody to tell
            continue
        _send(task_finished, type(backend), result)
    return recovered


def heartbeat_path() -> Path:
    return Path(settings.INCLUSION_WORKER_HEARTBEAT)


def heartbeat_age(path: Path | None = None) -> float | None:
    """Seconds since the heartbeat file was written; None when there is none."""
    path = path or heartbeat_path()
    try:
        return max(0.0, time.time() - path.stat().st_mtime)
    except FileNotFoundError:
        return None


class Heartbeat:
    """The file `--health` reads (this container's worker) and the Worker row the staff page reads (any worker)."""

    def __init__(self, *, worker_id: str, backend: DatabaseBackend, path: Path | None = None):
        self.worker_id = worker_id
        self.backend = backend
        self.path = path or heartbeat_path()
        self._last_db = 0.0
        self._lock = threading.Lock()

    def start(self) -> None:
        now = timezone.now()
        Worker.objects.update_or_create(
            pk=self.worker_id,
            defaults={
                "backend_name": self.backend.alias,
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": now,
                "last_seen_at": now,
            },
        )
        # Rows of workers gone for a day are history nobody reads.
        Worker.objects.filter(last_seen_at__lt=now - timedelta(days=1)).delete()
        self._last_db = time.monotonic()
        self.touch()

    def touch(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.touch()

    def beat(self, *, current_task: str = "", force: bool = False) -> None:
        self.touch()
        with self._lock:
            if not force and time.monotonic() - self._last_db < HEARTBEAT_DB_EVERY_SECONDS:
                return
            self._last_db = time.monotonic()
        Worker.objects.filter(pk=self.worker_id).update(last_seen_at=timezone.now(), current_task=current_task)

    @contextmanager
    def during(self, task_id: str):
        """Keep beating from a thread while a (possibly long) task runs in the main thread."""
        done = threading.Event()

        def run():
            try:
                while not done.wait(HEARTBEAT_THREAD_EVERY_SECONDS):
                    try:
                        self.beat(current_task=task_id)
                    except (OSError, DatabaseError) as exc:  # SQLite locked by the task's write: next time
                        logger.debug("heartbeat of %s skipped: %s", self.worker_id, exc)
            finally:
                connections.close_all()  # this thread's connections only

        thread = threading.Thread(target=run, name=f"heartbeat-{self.worker_id}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join(timeout=HEARTBEAT_THREAD_EVERY_SECONDS * 2)

    def stop(self) -> None:
        """A clean stop: the staff page and `--health` no longer count this worker."""
        Worker.objects.filter(pk=self.worker_id).delete()
        self.path.unlink(missing_ok=True)
