"""Download path: the data folder served over HTTP on loopback (MADE-UP files), with injected failures."""

import functools
import os
import socket
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from territories import opendata
from territories.models import Commune, Place

ROOT = Path(__file__).resolve().parents[2]


class FlakyHandler(SimpleHTTPRequestHandler):
    """Serves a folder; answers 503 to the first request of each path listed in `server.fail_once`."""

    def do_GET(self):
        self.server.requests.append(self.path)
        path = self.path.lstrip("/")
        if path in self.server.fail_once or "*" in self.server.fail_once:
            self.server.fail_once.discard(path)
            self.send_error(503, "Service Unavailable (injected)")
            return
        if self.server.always_fail:
            self.send_error(503, "Service Unavailable (injected)")
            return
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture
def server(fixtures_dir):
    handler = functools.partial(FlakyHandler, directory=str(fixtures_dir / "opendata"))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.requests, httpd.fail_once, httpd.always_fail = [], set(), False
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch):
    monkeypatch.setattr(opendata, "BACKOFF_SECONDS", 0)


def test_download_file_retries_after_a_503(server, tmp_path):
    rel = "indicators/ifn-communes.csv"
    server.fail_once.add(rel)
    target = opendata.download_file(f"{server.url}/{rel}", tmp_path / rel)
    assert target.read_text(encoding="utf-8").startswith("name,division,code,")
    assert server.requests == [f"/{rel}", f"/{rel}"]
    assert not list(target.parent.glob("*.part"))  # temp file renamed away


def test_download_file_gives_up_after_three_attempts(server, tmp_path):
    server.always_fail = True
    with pytest.raises(opendata.DownloadError, match="échec après 3 tentatives"):
        opendata.download_file(f"{server.url}/indicators/ifn-communes.csv", tmp_path / "x.csv")
    assert len(server.requests) == 3
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.django_db
def test_command_downloads_then_loads(server, tmp_path, settings):
    settings.INCLUSION_DATA_DIR = ""
    settings.INCLUSION_DOWNLOAD_DIR = tmp_path / "var-opendata"
    server.fail_once.add("admin/decoupage-administratif-6.0.0/communes.json")
    out = StringIO()
    call_command("load_open_data", "--departements", "99", "--mirror", server.url, "--no-progress", stdout=out)
    downloaded = tmp_path / "var-opendata"
    assert (downloaded / "admin/decoupage-administratif-6.0.0/communes.json").is_file()
    assert (downloaded / "geo/cog2025-mathieulebasic/communes-dep99.geojson").is_file()
    assert server.requests.count("/admin/decoupage-administratif-6.0.0/communes.json") == 2
    assert Commune.objects.filter(departement="99").count() == 6
    assert Place.objects.filter(kind="france_services").count() == 2
    # files already present are not fetched again
    server.requests.clear()
    out = StringIO()
    call_command("load_open_data", "--departements", "99", "--mirror", server.url, "--no-progress", stdout=out)
    assert server.requests == []
    assert "Aucun changement" in out.getvalue()


@pytest.mark.django_db
def test_command_offline_without_folder(tmp_path, settings):
    settings.INCLUSION_DATA_DIR = ""
    settings.INCLUSION_DOWNLOAD_DIR = tmp_path / "var-opendata"
    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(CommandError, match="Pas de connexion"):
        call_command(
            "load_open_data", "--departements", "99", "--mirror", f"http://127.0.0.1:{port}", stdout=StringIO()
        )


def test_exit_code_is_1_on_a_malformed_file(fixtures_dir, tmp_path):
    """Through manage.py: a malformed file prints file/line/column on stderr and exits with 1."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(fixtures_dir / "opendata", data)
    path = data / "indicators/ifn-communes.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DEBUG": "1",
        "INCLUSION_DATA_DIR": "",
        "DJANGO_SETTINGS_MODULE": "inclusion.settings",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "load_open_data", "--skip-checks", "--all", "--data-dir", str(data)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "ifn-communes.csv, ligne 1, colonne 5 : mauvais séparateur" in done.stderr


def test_manifest_is_documented():
    for entry in opendata.MANIFEST.values():
        assert entry.producer and entry.licence and entry.vintage and entry.url, entry.key
        if entry.download_url is None:
            assert entry.note, entry.key
    paths = opendata.files_to_download(["18"])
    assert "geo/cog2025-mathieulebasic/communes-dep18.geojson" in paths
    assert opendata.entry_for_path(paths[-1]).download_url.startswith("https://geo.api.gouv.fr/departements/18/")
