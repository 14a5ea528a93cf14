"""A Django Tasks backend that stores tasks in the database; `manage.py worker` runs them.

settings.TASKS = {"default": {"BACKEND": "inclusion.jobs.backend.DatabaseBackend"}}

`enqueue` inserts one QueuedTask row in the current transaction: the worker sees it at commit, and a rolled-back
transaction leaves nothing queued. Results (status, return value, errors) are read back with `get_result`.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.tasks.backends.base import BaseTaskBackend
from django.tasks.base import Task, TaskError, TaskResult, TaskResultStatus
from django.tasks.exceptions import InvalidTask, TaskResultDoesNotExist
from django.tasks.signals import task_enqueued
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string

# A worker that has not written its heartbeat for this long is considered gone.
WORKER_ALIVE_SECONDS = 60


class DatabaseBackend(BaseTaskBackend):
    supports_defer = True
    supports_priority = True
    supports_get_result = True
    supports_async_task = True  # the worker runs a coroutine task with async_to_sync (Task.call)

    def enqueue(self, task, args, kwargs):
        from inclusion.jobs.models import QueuedTask

        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_string(32),
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,  # TaskResult normalises args and kwargs to JSON (TypeError when they cannot be)
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        QueuedTask.objects.create(
            id=result.id,
            task_path=task.module_path,
            args=result.args,
            kwargs=result.kwargs,
            backend_name=self.alias,
            queue_name=task.queue_name,
            priority=task.priority,
            run_after=task.run_after,
            status=result.status,
            enqueued_at=result.enqueued_at,
        )
        task_enqueued.send(type(self), task_result=result)
        return result

    def get_result(self, result_id):
        from inclusion.jobs.models import QueuedTask

        try:
            row = QueuedTask.objects.get(pk=result_id, backend_name=self.alias)
        except QueuedTask.DoesNotExist:
            raise TaskResultDoesNotExist(result_id) from None
        return result_from_row(row)

    def worker_is_active(self) -> bool:
        """True when a `manage.py worker` of this backend wrote its heartbeat in the last minute.

        Apps that must not import inclusion.jobs (territories) call it through the backend, when it has it."""
        from inclusion.jobs.models import QueuedTask, Worker

        workers = Worker.objects.filter(backend_name=self.alias)
        if workers.filter(last_seen_at__gte=timezone.now() - timedelta(seconds=WORKER_ALIVE_SECONDS)).exists():
            return True
        if connection.vendor != "sqlite":
            return False
        # SQLite: a task's long write transaction (an import) keeps the heartbeat row from being written; a worker
        # busy with a running task counts as active (at its next start, a worker fails the task of a dead one).
        busy = workers.exclude(current_task="").values("current_task")
        return QueuedTask.objects.filter(pk__in=busy, status=TaskResultStatus.RUNNING).exists()


def task_from_path(path: str, *, priority: int, queue_name: str, run_after, backend: str) -> Task:
    try:
        task = import_string(path)
    except ImportError as exc:
        raise InvalidTask(f"{path!r} cannot be imported: {exc}") from exc
    if not isinstance(task, Task):
        raise InvalidTask(f"{path!r} is not a Task (decorate the function with @task).")
    return task.using(priority=priority, queue_name=queue_name, run_after=run_after, backend=backend)


def result_from_row(row) -> TaskResult:
    """The TaskResult stored in a QueuedTask row. InvalidTask when its task can no longer be imported."""
    task = task_from_path(
        row.task_path,
        priority=row.priority,
        queue_name=row.queue_name,
        run_after=row.run_after,
        backend=row.backend_name,
    )
    result = TaskResult(
        task=task,
        id=row.id,
        status=TaskResultStatus(row.status),
        enqueued_at=row.enqueued_at,
        started_at=row.started_at,
        last_attempted_at=row.last_attempted_at,
        finished_at=row.finished_at,
        args=row.args,
        kwargs=row.kwargs,
        backend=row.backend_name,
        errors=[TaskError(**error) for error in row.errors],
        worker_ids=list(row.worker_ids),
    )
    object.__setattr__(result, "_return_value", row.return_value)
    return result
