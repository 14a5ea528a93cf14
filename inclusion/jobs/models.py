"""Queued tasks of the database backend (inclusion.jobs.backend) and the workers that run them (manage.py worker)."""

from __future__ import annotations

from django.db import models
from django.tasks import DEFAULT_TASK_QUEUE_NAME
from django.tasks.base import DEFAULT_TASK_PRIORITY, TaskResultStatus


class QueuedTask(models.Model):
    """One enqueued task and its outcome: the stored form of a django.tasks TaskResult."""

    id = models.CharField(primary_key=True, max_length=32, editable=False)  # random, as ImmediateBackend's
    task_path = models.CharField(max_length=300)  # module path of the Task object, e.g. territories.tasks.run_import
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    backend_name = models.CharField(max_length=100)  # alias in settings.TASKS
    queue_name = models.CharField(max_length=100, default=DEFAULT_TASK_QUEUE_NAME)
    priority = models.SmallIntegerField(default=DEFAULT_TASK_PRIORITY)
    run_after = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=TaskResultStatus.choices, default=TaskResultStatus.READY)
    enqueued_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    last_attempted_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    return_value = models.JSONField(null=True, blank=True)
    errors = models.JSONField(default=list)  # [{"exception_class_path": …, "traceback": …}]
    worker_ids = models.JSONField(default=list)

    class Meta:
        verbose_name = "tâche en file"
        verbose_name_plural = "tâches en file"
        indexes = [
            # The worker's claim: the next READY task of a backend's queues, priority desc then oldest first.
            models.Index(
                fields=["backend_name", "queue_name", "-priority", "enqueued_at"],
                condition=models.Q(status=TaskResultStatus.READY),
                name="jobs_task_ready_idx",
            ),
            models.Index(fields=["status", "started_at"], name="jobs_task_status_idx"),
        ]

    def __str__(self):
        return f"{self.task_path} {self.id} ({self.status})"


class Worker(models.Model):
    """A running `manage.py worker` process: its heartbeat tells the staff page whether queued tasks will run."""

    id = models.CharField(primary_key=True, max_length=64)  # host-pid-random, as stored in QueuedTask.worker_ids
    backend_name = models.CharField(max_length=100)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField(db_index=True)
    current_task = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = "processus de traitement"
        verbose_name_plural = "processus de traitement"

    def __str__(self):
        return self.id
