"""Staff page "Données ouvertes : mises à jour" (/equipe/donnees/): replacing one source's file, run as a task.

The data folder is the MADE-UP miniature tests/fixtures/opendata (see its README), copied per test.
"""

import functools
import shutil
import threading
from http.server import ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from diagnostic.models import MeasureAction
from territories import opendata
from territories.models import Commune, CommuneIfn, DataSource, ImportRun
from tests.factories import make_diagnostic, make_user
from tests.territories.test_import_download import FlakyHandler

pytestmark = pytest.mark.django_db

URL = reverse("territories:staff_data")
IFN = "indicators/ifn-communes.csv"


@pytest.fixture
def data_dir(fixtures_dir, tmp_path, settings):
    target = tmp_path / "opendata"
    shutil.copytree(fixtures_dir / "opendata", target)
    call_command("load_open_data", "--all", "--data-dir", str(target), "--no-progress", stdout=StringIO())
    settings.INCLUSION_DATA_DIR = str(target)
    settings.INCLUSION_UPLOAD_DIR = tmp_path / "uploads"
    return target


@pytest.fixture
def staff_client(client):
    client.force_login(make_user("equipe@example.org", is_staff=True))
    return client


def ifn_values():
    return sorted(CommuneIfn.objects.values_list("commune_id", "total"))


def upload(client, data_dir, text: str, key="ifn-communes"):
    file = SimpleUploadedFile("ifn-communes.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post(URL, {"source": key, "file": file}, follow=True)


def test_page_lists_every_source_with_its_provenance(staff_client, data_dir):
    page = staff_client.get(URL).content.decode()
    for source in DataSource.objects.all():
        assert source.name in page.replace("&#x27;", "'")
        assert source.sha256 in page
    assert "Importer ce fichier" in page
    assert 'enctype="multipart/form-data"' in page


def test_malformed_file_leaves_data_and_plans_unchanged_and_shows_where(staff_client, data_dir):
    diagnostic = make_diagnostic(Commune.objects.get(insee="99002"), year=2026)
    before = ifn_values()
    source_before = DataSource.objects.values().get(key="ifn-communes")
    text = (data_dir / IFN).read_text(encoding="utf-8") + "Doublon,city,99001,1.0,1.0,1.0,1.0,1.0,1.0\n"

    response = upload(staff_client, data_dir, text)

    page = response.content.decode()
    assert "Fichier refusé (ifn-communes.csv, ligne 10, colonne 3)" in page
    assert "Rien n&#x27;a été modifié" in page
    assert ifn_values() == before
    assert DataSource.objects.values().get(key="ifn-communes") == source_before
    assert not MeasureAction.objects.filter(diagnostic=diagnostic).exists()  # plan priorities not recomputed
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert run.requested_by.email == "equipe@example.org"
    assert run.finished_at is not None


def test_valid_file_updates_the_data_and_the_plans(staff_client, data_dir):
    diagnostic = make_diagnostic(Commune.objects.get(insee="99002"), year=2026)
    assert not MeasureAction.objects.filter(diagnostic=diagnostic).exists()
    text = (data_dir / IFN).read_text(encoding="utf-8")
    text = text.replace(",99002,1.0,1.0,1.0,1.0,1.0,1.0", ",99002,9.0,9.0,9.0,9.0,9.0,9.0")
    assert ",99002,9.0," in text

    response = upload(staff_client, data_dir, text)

    assert "Données mises à jour." in response.content.decode()
    assert CommuneIfn.objects.get(commune_id="99002").total == 9.0
    assert MeasureAction.objects.filter(diagnostic=diagnostic).exists()  # the data-changed hook recomputed the plan
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.SUCCEEDED
    assert (data_dir / IFN).read_text(encoding="utf-8") != text  # the data folder itself is never written


def test_each_import_is_recorded(staff_client, data_dir):
    text = (data_dir / IFN).read_text(encoding="utf-8")
    upload(staff_client, data_dir, text)
    upload(staff_client, data_dir, text + "garbage")
    statuses = list(ImportRun.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["succeeded", "failed"]


def test_too_large_file_is_refused_before_any_import(staff_client, data_dir, settings):
    settings.INCLUSION_UPLOAD_MAX_BYTES = 10
    response = upload(staff_client, data_dir, "x" * 11)
    assert "Ce fichier est trop lourd : 10" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_non_staff_cannot_upload(client, data_dir):
    client.force_login(make_user("agent@example.org"))
    before = ifn_values()
    response = upload(client, data_dir, "commune\n")
    assert response.status_code == 403
    assert ifn_values() == before
    assert not ImportRun.objects.exists()


def test_a_running_import_shows_its_progress_and_the_list_refreshes(staff_client, data_dir):
    ImportRun.objects.create(
        source_key="ifn-communes", file_name=IFN, status=ImportRun.Status.RUNNING, progress="Lecture des fichiers…"
    )
    page = staff_client.get(URL).content.decode()
    assert "En cours : Lecture des fichiers…" in page
    assert 'hx-trigger="every 2s"' in page  # htmx polls the list of imports
    assert ">Actualiser</a>" in page  # and without JavaScript, a link
    assert "http-equiv" not in page  # no page reload under a staff member filling a form
    ImportRun.objects.update(status=ImportRun.Status.SUCCEEDED)
    page = staff_client.get(URL).content.decode()
    assert "hx-trigger" not in page
    assert "Actualiser" not in page
    assert "Aucun processus de traitement actif" not in page  # the immediate backend needs no worker


def test_an_unexpected_error_in_the_import_closes_the_run(staff_client, data_dir, monkeypatch):
    from territories import tasks

    def broken(**kwargs):
        raise KeyError("colonne inattendue")

    monkeypatch.setattr(tasks, "load_open_data", broken)
    before = ifn_values()

    page = upload(staff_client, data_dir, (data_dir / IFN).read_text(encoding="utf-8")).content.decode()

    assert ImportRun.objects.get().status == ImportRun.Status.FAILED
    assert "Import interrompu : le processus de traitement s&#x27;est arrêté. Rien n&#x27;a été modifié" in page
    assert ifn_values() == before


@pytest.fixture
def mirror(data_dir, tmp_path, settings, monkeypatch):
    """A mirror of the data folder on loopback, whose IFN file has a new value for 99002 (MADE UP)."""
    folder = tmp_path / "mirror"
    shutil.copytree(data_dir, folder)
    path = folder / IFN
    path.write_text(
        path.read_text(encoding="utf-8").replace(",99002,1.0,1.0,1.0,1.0,1.0,1.0", ",99002,7.0,7.0,7.0,7.0,7.0,7.0"),
        encoding="utf-8",
    )
    monkeypatch.setattr(opendata, "BACKOFF_SECONDS", 0)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(FlakyHandler, directory=str(folder)))
    httpd.requests, httpd.fail_once, httpd.always_fail = [], set(), False
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    settings.INCLUSION_OPENDATA_MIRROR = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def download(client, key="ifn-communes"):
    return client.post(URL, {"source": key, "action": "download"}, follow=True)


def test_official_download_updates_the_data_and_the_plans(staff_client, mirror):
    diagnostic = make_diagnostic(Commune.objects.get(insee="99002"), year=2026)
    assert "Télécharger le fichier officiel et l'importer" in staff_client.get(URL).content.decode()

    page = download(staff_client).content.decode()

    assert mirror.requests == [f"/{IFN}"]
    assert "Données mises à jour." in page
    assert "téléchargement officiel" in page
    assert CommuneIfn.objects.get(commune_id="99002").total == 7.0
    assert MeasureAction.objects.filter(diagnostic=diagnostic).exists()
    assert ImportRun.objects.get().status == ImportRun.Status.SUCCEEDED


def test_failed_download_leaves_the_data_unchanged(staff_client, mirror):
    mirror.always_fail = True
    before = ifn_values()
    page = download(staff_client).content.decode()
    assert "Le téléchargement a échoué" in page
    assert "Rien n&#x27;a été modifié" in page
    assert ifn_values() == before
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED
