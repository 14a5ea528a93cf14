"""The staff page /equipe/donnees/ with production's database backend: the import waits for `manage.py worker`.

Same MADE-UP data folder as tests/territories/test_staff_data.py (tests/fixtures/opendata, copied per test).
"""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.tasks.base import TaskResultStatus
from django.utils import timezone

from diagnostic.models import MeasureAction
from inclusion.jobs.models import QueuedTask, Worker
from territories import tasks as territories_tasks
from territories.models import Commune, CommuneIfn, DataSource, ImportRun
from tests.factories import make_diagnostic
from tests.territories.test_staff_data import IFN, URL, data_dir, ifn_values, staff_client, upload  # noqa: F401

pytestmark = pytest.mark.django_db

NO_WORKER = "Aucun processus de traitement actif : l'import démarrera quand le worker sera lancé (manage.py worker)."
POLLING = 'hx-get="/equipe/donnees/" hx-trigger="every 2s" hx-target="this" hx-swap="outerHTML"'


def work() -> str:
    out = StringIO()
    call_command("worker", "--burst", stdout=out, stderr=StringIO())
    return out.getvalue()


def imports_block(client) -> str:
    """What htmx fetches every 2 s: the list of imports only."""
    response = client.get(URL, headers={"HX-Request": "true", "HX-Target": "imports"})
    assert response.status_code == 200
    return response.content.decode()


def test_an_uploaded_file_waits_for_the_worker_then_updates_the_data(staff_client, data_dir):  # noqa: F811
    diagnostic = make_diagnostic(Commune.objects.get(insee="99002"), year=2026)
    text = (data_dir / IFN).read_text(encoding="utf-8")
    text = text.replace(",99002,1.0,1.0,1.0,1.0,1.0,1.0", ",99002,9.0,9.0,9.0,9.0,9.0,9.0")

    page = upload(staff_client, data_dir, text).content.decode()

    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.QUEUED
    assert "En attente du traitement" in page
    assert NO_WORKER in page  # no worker has beaten: staff are told why nothing happens
    assert POLLING in page
    assert '<a href="/equipe/donnees/#imports" id="imports-refresh">Actualiser</a>' in page  # without JavaScript
    assert CommuneIfn.objects.get(commune_id="99002").total == 1.0  # nothing imported in the request
    block = imports_block(staff_client)
    assert "En attente du traitement" in block and POLLING in block
    assert "Sources chargées" not in block

    out = work()

    assert "territories.tasks.run_import SUCCESSFUL" in out
    assert CommuneIfn.objects.get(commune_id="99002").total == 9.0
    assert MeasureAction.objects.filter(diagnostic=diagnostic).exists()  # the data-changed hook ran in the worker
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED
    block = imports_block(staff_client)
    assert "Données mises à jour." in block
    assert "hx-trigger" not in block  # finished: the polling stops
    assert "Actualiser" not in staff_client.get(URL).content.decode()


def test_a_malformed_file_fails_in_the_worker_with_its_line_and_column(staff_client, data_dir):  # noqa: F811
    before = ifn_values()
    source_before = DataSource.objects.values().get(key="ifn-communes")
    text = (data_dir / IFN).read_text(encoding="utf-8") + "Doublon,city,99001,1.0,1.0,1.0,1.0,1.0,1.0\n"

    upload(staff_client, data_dir, text)
    assert ImportRun.objects.get().status == ImportRun.Status.QUEUED
    work()

    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    page = staff_client.get(URL).content.decode()
    assert "Fichier refusé (ifn-communes.csv, ligne 10, colonne 3)" in page
    assert "Rien n&#x27;a été modifié" in page
    assert ifn_values() == before
    assert DataSource.objects.values().get(key="ifn-communes") == source_before


def test_a_running_import_shows_its_progress(staff_client, data_dir):  # noqa: F811
    ImportRun.objects.create(
        source_key="ifn-communes", file_name=IFN, status=ImportRun.Status.RUNNING, progress="Lecture des fichiers…"
    )
    block = imports_block(staff_client)
    assert "En cours : Lecture des fichiers…" in block
    assert POLLING in block


def test_staff_are_told_only_when_no_worker_beats(staff_client, data_dir):  # noqa: F811
    now = timezone.now()
    worker = Worker.objects.create(
        id="w", backend_name="default", hostname="h", pid=1, started_at=now, last_seen_at=now
    )
    assert NO_WORKER not in staff_client.get(URL).content.decode()
    worker.last_seen_at = now - timedelta(minutes=2)
    worker.save()
    assert NO_WORKER in staff_client.get(URL).content.decode()


def queued_then_left_running(staff_client, data_dir):  # noqa: F811
    """An import whose worker was killed while the run was "en cours" (no heartbeat since: no Worker row)."""
    upload(staff_client, data_dir, (data_dir / IFN).read_text(encoding="utf-8"))
    run = ImportRun.objects.get()
    started = timezone.now() - timedelta(minutes=5)
    DataSource.objects.update(imported_at=started - timedelta(days=1))  # loaded before this import
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING, started_at=started)
    QueuedTask.objects.update(
        status=TaskResultStatus.RUNNING, started_at=started, last_attempted_at=started, worker_ids=["tué"]
    )
    return run


def test_an_import_whose_worker_died_is_closed_at_the_next_start(staff_client, data_dir):  # noqa: F811
    before = ifn_values()
    run = queued_then_left_running(staff_client, data_dir)

    work()

    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert run.finished_at is not None
    page = staff_client.get(URL).content.decode()
    assert (
        "Import interrompu : le processus de traitement s&#x27;est arrêté. Rien n&#x27;a été modifié : les données "
        "et les plans d&#x27;action restent tels qu&#x27;avant." in page
    )
    assert "hx-trigger" not in page
    assert ifn_values() == before


def test_an_import_killed_after_writing_says_so(staff_client, data_dir):  # noqa: F811
    run = queued_then_left_running(staff_client, data_dir)
    DataSource.objects.filter(key="ifn-communes").update(imported_at=timezone.now())  # its transaction had committed

    work()

    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert "Les données avaient déjà été enregistrées : vérifiez la date du dernier import" in run.message
    assert "Rien n'a été modifié" not in run.message


def test_an_unexpected_error_in_the_import_closes_the_run(staff_client, data_dir, monkeypatch):  # noqa: F811
    def broken(**kwargs):
        raise KeyError("colonne inattendue")

    monkeypatch.setattr(territories_tasks, "load_open_data", broken)
    upload(staff_client, data_dir, (data_dir / IFN).read_text(encoding="utf-8"))

    out = work()

    assert "territories.tasks.run_import FAILED" in out
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert run.message.startswith("Import interrompu : le processus de traitement s'est arrêté. Rien n'a été modifié")
