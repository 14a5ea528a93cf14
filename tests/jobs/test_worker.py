"""The database task backend (inclusion.jobs.backend) and `manage.py worker` (inclusion/jobs).

Every test runs with TASKS = the database backend (tests/jobs/conftest.py), as in production; the rest of the suite
keeps the immediate backend (inclusion/settings_test.py). Run on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.tasks import task_backends
from django.tasks.base import TaskResultStatus
from django.tasks.exceptions import InvalidTask, TaskResultDoesNotExist
from django.tasks.signals import task_enqueued, task_finished, task_started
from django.test import override_settings
from django.utils import timezone

from inclusion.jobs import worker as jobs
from inclusion.jobs.backend import DatabaseBackend
from inclusion.jobs.models import QueuedTask, Worker
from tests.jobs import tasks

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def work(*args: str) -> str:
    out = StringIO()
    call_command("worker", "--burst", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def backend() -> DatabaseBackend:
    return task_backends["default"]


def test_enqueued_task_waits_for_the_worker_which_stores_its_return_value():
    result = tasks.add.enqueue(2, 3)

    assert result.status == TaskResultStatus.READY
    assert tasks.add.get_result(result.id).status == TaskResultStatus.READY  # nothing ran in the request
    out = work()

    done = tasks.add.get_result(result.id)
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.return_value == 5
    assert done.args == [2, 3]
    assert done.enqueued_at <= done.started_at <= done.finished_at
    assert len(done.worker_ids) == 1 and done.attempts == 1
    assert f"task {result.id} tests.jobs.tasks.add SUCCESSFUL" in out
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == 5


def test_a_failing_task_is_stored_failed_and_the_worker_goes_on():
    failing = tasks.boom.enqueue("fichier introuvable")
    following = tasks.add.enqueue(1, 1)

    out = work()

    failed = tasks.boom.get_result(failing.id)
    assert failed.status == TaskResultStatus.FAILED
    assert failed.errors[0].exception_class is ValueError
    assert "fichier introuvable" in failed.errors[0].traceback
    with pytest.raises(ValueError, match="Task failed"):
        failed.return_value  # noqa: B018
    assert f"task {failing.id} tests.jobs.tasks.boom FAILED in" in out
    assert "ValueError: fichier introuvable" in out
    assert tasks.add.get_result(following.id).return_value == 2


def test_priority_then_age_decide_the_order_and_run_after_defers():
    now = timezone.now()
    tasks.record.using(priority=-5).enqueue("basse")
    tasks.record.enqueue("normale 1")
    later = tasks.record.using(run_after=now + timedelta(hours=1)).enqueue("plus tard")
    tasks.record.enqueue("normale 2")
    tasks.record.using(priority=10).enqueue("haute")

    work()

    assert tasks.CALLS == ["haute", "normale 1", "normale 2", "basse"]
    assert tasks.record.get_result(later.id).status == TaskResultStatus.READY  # not due: --burst leaves it
    QueuedTask.objects.filter(pk=later.id).update(run_after=now - timedelta(seconds=1))
    work()
    assert tasks.CALLS[-1] == "plus tard"


def test_a_rolled_back_transaction_queues_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        result = tasks.record.enqueue("annulée")
        assert QueuedTask.objects.filter(pk=result.id).exists()
        raise RuntimeError("the view failed after enqueueing")

    assert not QueuedTask.objects.exists()
    work()
    assert tasks.CALLS == []
    with pytest.raises(TaskResultDoesNotExist):
        tasks.record.get_result(result.id)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="another connection reading the test database: PG")
def test_the_worker_sees_a_task_only_once_its_transaction_commits():
    def claim_elsewhere(found):
        try:
            found.append(jobs.claim_next(backend=backend(), worker_id="autre"))
        finally:
            connection.close()

    with transaction.atomic():
        result = tasks.record.enqueue("après le commit")
        before: list = []
        thread = threading.Thread(target=claim_elsewhere, args=(before,))
        thread.start()
        thread.join(10)
        assert before == [None]
    after: list = []
    thread = threading.Thread(target=claim_elsewhere, args=(after,))
    thread.start()
    thread.join(10)
    assert after[0].pk == result.id


def test_two_claims_never_take_the_same_task():
    first, second = tasks.add.enqueue(1, 2), tasks.add.enqueue(3, 4)
    now = timezone.now()

    assert jobs.take(pk=first.id, worker_id="a", now=now) is not None
    assert jobs.take(pk=first.id, worker_id="b", now=now) is None  # the conditional UPDATE matched no READY row
    claimed = jobs.claim_next(backend=backend(), worker_id="b")
    assert claimed.pk == second.id
    assert jobs.claim_next(backend=backend(), worker_id="c") is None
    assert QueuedTask.objects.get(pk=first.id).worker_ids == ["a"]
    assert QueuedTask.objects.get(pk=second.id).worker_ids == ["b"]


def test_a_task_taken_between_the_read_and_the_claim_is_not_taken_twice(monkeypatch):
    stolen, other = tasks.add.enqueue(1, 2), tasks.add.enqueue(3, 4)
    real_take = jobs.take

    def take_after_another_worker(*, pk, worker_id, now):
        if pk == stolen.id:  # another worker claims it right after our SELECT
            assert real_take(pk=pk, worker_id="voleur", now=now) is not None
        return real_take(pk=pk, worker_id=worker_id, now=now)

    monkeypatch.setattr(jobs, "take", take_after_another_worker)
    claimed = jobs.claim_next(backend=backend(), worker_id="nous")

    assert claimed is None or claimed.pk == other.id  # SQLite tries the next candidate; PG the next turn
    assert QueuedTask.objects.get(pk=stolen.id).worker_ids == ["voleur"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks (SELECT … FOR UPDATE SKIP LOCKED): PG")
def test_a_second_worker_skips_the_task_a_first_worker_holds():
    first, second = tasks.add.enqueue(1, 2), tasks.add.enqueue(3, 4)
    found: list = []

    def claim_elsewhere():
        try:
            found.append(jobs.claim_next(backend=backend(), worker_id="b"))
        finally:
            connection.close()

    with transaction.atomic():  # worker a holds the lock on its row until this transaction ends
        assert jobs.claim_next(backend=backend(), worker_id="a").pk == first.id
        thread = threading.Thread(target=claim_elsewhere)
        thread.start()
        thread.join(10)
        assert not thread.is_alive(), "the second worker waited on the first one's lock"
    assert found[0].pk == second.id


def stale_row(*, worker: str, started_minutes_ago: float, path="tests.jobs.tasks.add", kwargs=None) -> QueuedTask:
    started = timezone.now() - timedelta(minutes=started_minutes_ago)
    return QueuedTask.objects.create(
        id=f"t{QueuedTask.objects.count()}",
        task_path=path,
        args=[1, 2] if kwargs is None else [],
        kwargs=kwargs or {},
        backend_name="default",
        status=TaskResultStatus.RUNNING,
        enqueued_at=started,
        started_at=started,
        last_attempted_at=started,
        worker_ids=[worker],
    )


def worker_row(worker_id: str, *, seen_minutes_ago: float, hostname="ailleurs", pid=1, task="") -> Worker:
    seen = timezone.now() - timedelta(minutes=seen_minutes_ago)
    return Worker.objects.create(
        id=worker_id,
        backend_name="default",
        hostname=hostname,
        pid=pid,
        started_at=seen,
        last_seen_at=seen,
        current_task=task,
    )


def a_finished_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_tasks_left_running_by_a_dead_worker_are_marked_failed_at_start():
    worker_row("vivant", seen_minutes_ago=0)
    worker_row("silencieux", seen_minutes_ago=10)
    worker_row("processus-fini", seen_minutes_ago=0, hostname=socket.gethostname(), pid=a_finished_pid())
    too_old = stale_row(worker="vivant", started_minutes_ago=180)
    no_row = stale_row(worker="inconnu", started_minutes_ago=5)  # a clean stop deletes the row after its last task
    dead_process = stale_row(worker="processus-fini", started_minutes_ago=5)
    silent = stale_row(worker="silencieux", started_minutes_ago=5)
    alive = stale_row(worker="vivant", started_minutes_ago=5)
    finished = []

    def receiver(sender, task_result, **kwargs):
        finished.append(task_result.id)

    task_finished.connect(receiver)
    try:
        out = work()
    finally:
        task_finished.disconnect(receiver)

    statuses = dict(QueuedTask.objects.values_list("pk", "status"))
    failed_ids = [too_old.pk, no_row.pk, dead_process.pk]
    assert [statuses[pk] for pk in failed_ids] == ["FAILED"] * 3
    assert statuses[alive.pk] == "RUNNING"  # its worker beats and it started 5 minutes ago
    # A heartbeat silent for 10 minutes: a dead worker on PostgreSQL; on SQLite the task's own write transaction
    # (a long import) blocks the heartbeat row, so only the age or the process decide.
    if connection.vendor == "sqlite":
        assert statuses[silent.pk] == "RUNNING"
    else:
        assert statuses[silent.pk] == "FAILED"
        failed_ids.append(silent.pk)
    failed = tasks.add.get_result(dead_process.pk)
    assert failed.errors[0].exception_class is jobs.WorkerLost
    assert "worker processus-fini stopped while running this task" in failed.errors[0].traceback
    assert failed.finished_at is not None
    assert sorted(finished) == sorted(failed_ids)
    assert f"task {no_row.pk} left running by a stopped worker: marked FAILED" in out

    work("--stale-after", "1")
    assert QueuedTask.objects.get(pk=alive.pk).status == "FAILED"


def test_on_sqlite_a_worker_busy_with_a_long_write_still_counts_as_active():
    task = stale_row(worker="occupé", started_minutes_ago=5)
    worker_row("occupé", seen_minutes_ago=3, task=task.pk)  # no heartbeat row written during the import
    assert backend().worker_is_active() is (connection.vendor == "sqlite")
    QueuedTask.objects.filter(pk=task.pk).update(status="FAILED")
    assert backend().worker_is_active() is False


def test_a_task_whose_code_is_gone_fails_and_the_worker_goes_on():
    QueuedTask.objects.create(
        id="gone", task_path="tests.jobs.tasks.renamed", backend_name="default", enqueued_at=timezone.now()
    )
    following = tasks.add.enqueue(2, 2)

    out = work()

    row = QueuedTask.objects.get(pk="gone")
    assert row.status == "FAILED"
    assert row.errors[0]["exception_class_path"] == "django.tasks.exceptions.InvalidTask"
    assert "task gone tests.jobs.tasks.renamed FAILED" in out
    assert tasks.add.get_result(following.id).return_value == 4


def test_a_return_value_that_is_not_json_fails_the_task():
    result = tasks.not_json.enqueue()
    work()
    failed = tasks.not_json.get_result(result.id)
    assert failed.status == TaskResultStatus.FAILED
    assert failed.errors[0].exception_class is TypeError


def test_a_coroutine_task_runs_too():
    result = tasks.coroutine.enqueue()
    work()
    assert tasks.coroutine.get_result(result.id).return_value == 1


def test_a_task_that_takes_context_receives_its_result():
    result = tasks.with_context.enqueue("contexte")
    work()
    assert tasks.with_context.get_result(result.id).return_value == {
        "label": "contexte",
        "attempt": 1,
        "id": result.id,
    }


def test_signals_are_sent_as_by_the_immediate_backend():
    seen = []

    def receiver(signal):
        def record(sender, task_result, **kwargs):
            seen.append((signal, sender, task_result.status))

        return record

    receivers = {name: receiver(name) for name in ("enqueued", "started", "finished")}
    task_enqueued.connect(receivers["enqueued"])
    task_started.connect(receivers["started"])
    task_finished.connect(receivers["finished"])
    try:
        tasks.add.enqueue(1, 1)
        work()
    finally:
        task_enqueued.disconnect(receivers["enqueued"])
        task_started.disconnect(receivers["started"])
        task_finished.disconnect(receivers["finished"])

    assert seen == [
        ("enqueued", DatabaseBackend, TaskResultStatus.READY),
        ("started", DatabaseBackend, TaskResultStatus.RUNNING),
        ("finished", DatabaseBackend, TaskResultStatus.SUCCESSFUL),
    ]


def test_enqueue_refuses_what_the_worker_could_not_run():
    with pytest.raises(InvalidTask, match="aware"):
        tasks.add.using(run_after=timezone.now().replace(tzinfo=None))
    with pytest.raises(InvalidTask, match="Queue"):
        tasks.add.using(queue_name="ailleurs")
    with pytest.raises(TypeError):
        tasks.add.enqueue(object(), 1)
    assert not QueuedTask.objects.exists()
    with pytest.raises(TaskResultDoesNotExist):
        backend().get_result("inconnu")


def test_while_a_task_runs_the_heartbeat_is_fresh_and_a_clean_stop_removes_it(database_backend):
    result = tasks.heartbeat_seen_by_the_site.enqueue()
    work()
    seen = tasks.heartbeat_seen_by_the_site.get_result(result.id).return_value
    assert seen["active"] is True
    assert seen["file_age"] is not None and seen["file_age"] < 5
    assert not database_backend.exists()  # a clean stop: --health fails at once
    assert not Worker.objects.exists()
    assert backend().worker_is_active() is False


def test_sigterm_during_a_task_finishes_it_then_stops():
    first = tasks.send_sigterm_to_self.enqueue()
    second = tasks.record.enqueue("jamais")
    before = signal.getsignal(signal.SIGTERM)
    out = StringIO()

    call_command("worker", "--interval", "0.01", stdout=out)  # not --burst: only the signal stops it

    assert tasks.send_sigterm_to_self.get_result(first.id).status == TaskResultStatus.SUCCESSFUL
    assert tasks.CALLS == ["after SIGTERM"]
    assert tasks.record.get_result(second.id).status == TaskResultStatus.READY
    assert "SIGTERM received: stopping after the current task" in out.getvalue()
    assert signal.getsignal(signal.SIGTERM) == before


def test_sigint_while_idle_stops_the_loop(database_backend):
    sent_at = []

    def interrupt_once_idle():  # the heartbeat file appears after the worker's signal handlers are installed
        deadline = time.monotonic() + 30
        while not database_backend.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        if database_backend.exists():
            time.sleep(0.2)
            sent_at.append(time.monotonic())
            os.kill(os.getpid(), signal.SIGINT)

    thread = threading.Thread(target=interrupt_once_idle)
    thread.start()
    out = StringIO()
    call_command("worker", "--interval", "5", stdout=out)
    stopped_at = time.monotonic()
    thread.join()
    assert "SIGINT received" in out.getvalue()
    assert out.getvalue().rstrip().endswith("stopped")
    assert stopped_at - sent_at[0] < 2  # woken from its 5 s sleep
    assert "SIGINT received" in out.getvalue()
    assert "stopped" in out.getvalue()


def test_the_worker_refuses_a_backend_without_a_queue():
    with (
        override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}),
        pytest.raises(CommandError, match="n'a pas de file en base"),
    ):
        work()


@pytest.mark.django_db(databases=[])
class TestHealth:
    def health(self) -> str:
        out = StringIO()
        call_command("worker", "--health", stdout=out)
        return out.getvalue()

    def test_fresh_heartbeat_is_healthy(self, database_backend):
        database_backend.touch()
        assert "Worker actif : dernier battement il y a 0 s" in self.health()

    def test_old_heartbeat_is_unhealthy(self, database_backend):
        database_backend.touch()
        old = time.time() - 90
        os.utime(database_backend, (old, old))
        with pytest.raises(CommandError, match="Worker inactif : dernier battement il y a 90 s") as error:
            self.health()
        assert error.value.returncode == 1

    def test_missing_heartbeat_is_unhealthy(self):
        with pytest.raises(CommandError, match="Aucun worker actif : pas de fichier de battement") as error:
            self.health()
        assert error.value.returncode == 1

    def test_docker_healthcheck_exit_codes(self, database_backend):
        """What docker-compose runs: `python manage.py worker --health`, exit 0 or 1 with one line."""

        def run():
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "inclusion.settings_test",
                "INCLUSION_WORKER_HEARTBEAT": str(database_backend),
            }
            return subprocess.run(
                [sys.executable, "manage.py", "worker", "--health"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )

        missing = run()
        assert missing.returncode == 1
        assert len(missing.stderr.strip().splitlines()) == 1
        assert "no worker heartbeat file" in missing.stderr
        database_backend.touch()
        fresh = run()
        assert fresh.returncode == 0, fresh.stderr
