"""Module-level tasks for the worker's tests (a task must be defined at module level)."""

from __future__ import annotations

import os
import signal

from django.tasks import task, task_backends

CALLS: list[str] = []


@task
def add(a, b):
    return a + b


@task
def record(label):
    CALLS.append(label)
    return label


@task
def boom(message):
    raise ValueError(message)


@task(takes_context=True)
def with_context(context, label):
    return {"label": label, "attempt": context.attempt, "id": context.task_result.id}


@task
def not_json():
    return object()


@task
def send_sigterm_to_self():
    """What `docker stop` does while a task runs: the worker must finish this task, then stop."""
    os.kill(os.getpid(), signal.SIGTERM)
    CALLS.append("after SIGTERM")
    return "finished"


@task
def heartbeat_seen_by_the_site():
    from inclusion.jobs.worker import heartbeat_age

    return {"active": task_backends["default"].worker_is_active(), "file_age": heartbeat_age()}


@task
async def coroutine():
    return 1
