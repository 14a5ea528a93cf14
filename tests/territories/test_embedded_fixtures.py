"""The embedded fixtures/ folder (committed, gzip-compressed) loads without any external data folder.

These tests always run: they read the real open data embedded at the root of the project (see fixtures/PROVENANCE.md),
never INCLUSION_DATA_DIR.
"""

import gzip
import hashlib
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from territories import datafiles
from territories.models import Commune, DataSource, Departement, Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def cher_from_fixtures(settings):
    settings.INCLUSION_DATA_DIR = ""  # no external folder: the command falls back to fixtures/
    settings.INCLUSION_OPENDATA_MIRROR = ""
    out = StringIO()
    call_command("load_open_data", "--departements", "18", "--no-progress", stdout=out)
    return out.getvalue()


def test_loading_fixtures_gives_boulleret_its_ifn(cher_from_fixtures, client):
    assert "lecture de la copie embarquée" in cher_from_fixtures
    assert str(datafiles.embedded_dir()) in cher_from_fixtures
    boulleret = Commune.objects.get(insee="18032")
    assert boulleret.name == "Boulleret"
    assert boulleret.ifn.total == pytest.approx(7.8)
    assert boulleret.geometry and boulleret.centroid_lat
    assert Commune.objects.filter(departement_id="18").count() == 286
    assert Departement.objects.get(code="18").geometry
    assert Departement.objects.get(code="18").hub.name == "Hub-Lo"
    assert Place.objects.filter(commune__departement_id="18", kind="france_services").count() == 22
    # the sources record the checksum of the decompressed content, like a plain data folder would
    source = DataSource.objects.get(file_name="indicators/ifn-communes.csv")
    stored = datafiles.embedded_dir() / "indicators/ifn-communes.csv.gz"
    assert source.sha256 == datafiles.sha256_of(stored)
    assert source.sha256 != hashlib.sha256(stored.read_bytes()).hexdigest()

    response = client.get("/communes/18032/")
    assert response.status_code == 200
    assert "Boulleret" in response.text
    assert "7,8" in response.text


def test_same_data_stored_plain_or_compressed_changes_nothing(cher_from_fixtures, tmp_path):
    """Loading the decompressed copy after the compressed one: same contents, same checksums, nothing written."""
    plain = tmp_path / "plain"
    for stored in datafiles.embedded_dir().rglob("*.gz"):
        target = plain / stored.relative_to(datafiles.embedded_dir()).with_suffix("")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(gzip.decompress(stored.read_bytes()))
    out = StringIO()
    call_command("load_open_data", "--departements", "18", "--data-dir", str(plain), "--no-progress", stdout=out)
    assert "Aucun changement" in out.getvalue()


def test_a_damaged_compressed_file_stops_the_import_with_its_name(tmp_path, settings):

    data = tmp_path / "fixtures"
    shutil.copytree(datafiles.embedded_dir(), data)
    path = data / "indicators/ifn-communes.csv.gz"
    path.write_bytes(path.read_bytes()[:5000])  # truncated
    with pytest.raises(CommandError, match=r"ifn-communes\.csv\.gz : fichier compressé abîmé ou tronqué"):
        call_command("load_open_data", "--departements", "18", "--data-dir", str(data), "--no-progress")
    assert not Commune.objects.exists()


def test_download_is_explicit(tmp_path, settings, monkeypatch):
    """--download still fetches the official files (here from a mirror nobody answers): no silent fixtures."""
    import socket

    from territories import opendata

    monkeypatch.setattr(opendata, "BACKOFF_SECONDS", 0)
    settings.INCLUSION_DATA_DIR = ""
    settings.INCLUSION_DOWNLOAD_DIR = tmp_path / "var-opendata"
    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        settings.INCLUSION_OPENDATA_MIRROR = f"http://127.0.0.1:{sock.getsockname()[1]}"
    out = StringIO()
    with pytest.raises(CommandError, match="le téléchargement a échoué"):
        call_command("load_open_data", "--departements", "18", "--download", "--no-progress", stdout=out)
    assert "téléchargement des fichiers officiels" in out.getvalue()
    assert not Commune.objects.exists()
