"""`load_open_data --download` from the official formats (territories.downloads), served on loopback.

The samples in tests/fixtures/official are MADE UP, in the official formats. No test reaches the internet.
"""

import csv
import shutil
import threading
from http.server import ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from territories import downloads, opendata
from territories.importers.base import FileFormatError
from territories.models import Commune, Place
from tests.territories.test_import_download import FlakyHandler

FS_RESOURCE = f"/fr/datasets/r/{downloads.FRANCE_SERVICES_RESOURCE}"
AC_PAGE_1 = "/api/organisations/?format=json"
AC_PAGE_2 = "/api/organisations/?format=json&page=2"
LIEUX_99 = "/api/region-imaginaire/departement-imaginaire/lieux/exporter"
LIEUX_2A = "/api/corse/ile-fictive/lieux/exporter"
FS_PATH = opendata.path("france-services")
MED_PATH = opendata.path("mediation-national")
COG_PATH = opendata.path("cog-departements")
AC_PATH = opendata.path("aidants-connect")


class RoutesHandler(FlakyHandler):
    """FlakyHandler (injected 503s) answering fixed routes, query string included; anything else is a 404."""

    def do_GET(self):
        self.server.requests.append(self.path)
        if self.path in self.server.fail_once:
            self.server.fail_once.discard(self.path)
            self.send_error(503, "Service Unavailable (injected)")
            return
        body = self.server.routes.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def official(fixtures_dir, monkeypatch):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), RoutesHandler)
    httpd.requests, httpd.fail_once, httpd.always_fail = [], set(), False
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    samples = fixtures_dir / "official"

    def sample(name):
        return (samples / name).read_bytes().replace(b"{base}", base.encode())

    httpd.routes = {
        FS_RESOURCE: sample("france-services-officiel.csv"),
        AC_PAGE_1: sample("aidants-connect-page1.json"),
        AC_PAGE_2: sample("aidants-connect-page2.json"),
        LIEUX_99: sample("lieux-export-dep99.csv"),
    }
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(opendata, "BACKOFF_SECONDS", 0)
    monkeypatch.setattr(downloads, "DATAGOUV", base)
    monkeypatch.setattr(downloads, "AIDANTS_CONNECT_API", base + AC_PAGE_1)
    monkeypatch.setattr(downloads, "CARTOGRAPHIE", base)
    # the made-up département 99 lies in the made-up région 98; 2A keeps its real région (Corse)
    monkeypatch.setitem(downloads.REGION_SLUGS, "98", "region-imaginaire")
    httpd.url = base
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def read_rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_france_services_official_file_is_written_in_the_importer_format(official, tmp_path):
    official.fail_once.add(FS_RESOURCE)
    done, skipped = opendata.download([FS_PATH], tmp_path, mirror="")
    assert done == [FS_PATH] and skipped == []
    assert official.requests == [FS_RESOURCE, FS_RESOURCE]  # a 503, then the retry
    rows = read_rows(tmp_path / FS_PATH)
    assert [r["lib_fs"] for r in rows] == [
        "France services de Saint-Fauxville (fictive, format officiel)",
        "France services de Fauxbourg (fictive, format officiel)",
    ]
    first = rows[0]
    assert first["id_fs"] == "1" and first["insee_com"] == "99001" and first["complement_adresse"] == "Rez-de-chaussée"
    assert (first["latitude"], first["longitude"]) == ("46.05", "2.05")  # decimal commas of the official file
    assert first["labellisation"] == "Espace labellisé 01/01/2099"  # labellisation_fs, renamed
    assert first["prise_rdv"] == "https://rdv.example.org"  # extra official column kept


def test_france_services_falls_back_to_the_dataset_api(official, tmp_path):
    moved = "/static/france-services-2099.csv"
    official.routes[moved] = official.routes.pop(FS_RESOURCE)
    api = f"/api/1/datasets/{downloads.FRANCE_SERVICES_DATASET}/"
    official.routes[api] = (
        f'{{"resources": [{{"format": "pdf", "url": "{official.url}/doc.pdf"}}, '
        f'{{"format": "csv", "url": "{official.url}{moved}"}}]}}'
    ).encode()
    opendata.download([FS_PATH], tmp_path, mirror="")
    assert official.requests == [FS_RESOURCE, api, moved]
    assert len(read_rows(tmp_path / FS_PATH)) == 2


def test_aidants_connect_pages_are_followed(official, tmp_path):
    official.fail_once.add(AC_PAGE_2)
    done, _ = opendata.download([AC_PATH], tmp_path, mirror="")
    assert done == [AC_PATH]
    assert official.requests == [AC_PAGE_1, AC_PAGE_2, AC_PAGE_2]
    rows = read_rows(tmp_path / AC_PATH)
    assert [(r["Name"], r["City Insee Code"], r["Is Active"]) for r in rows] == [
        ("Structure fictive page 1", "99001", "true"),
        ("Structure fictive page 1 bis", "99401", "true"),
        ("Structure fictive page 2", "99002", "true"),
    ]
    assert rows[0]["ID"] == "00000000-0000-0000-0000-0000000000a1" and rows[2]["Siret"] == ""


def test_a_changed_official_column_is_named_and_nothing_is_written(official, tmp_path):
    official.routes[FS_RESOURCE] = official.routes[FS_RESOURCE].replace(b";insee_com;", b";code_insee;")
    with pytest.raises(FileFormatError, match=r"31576dff-.*ligne 1 : colonne « insee_com » absente"):
        opendata.download([FS_PATH], tmp_path, mirror="")
    assert not (tmp_path / FS_PATH).exists()
    official.routes[AC_PAGE_2] = official.routes[AC_PAGE_2].replace(b'"code_insee"', b'"insee"')
    with pytest.raises(FileFormatError, match=r'page=2, colonne code_insee : résultat 1 : champ "code_insee" absent'):
        opendata.download([AC_PATH], tmp_path, mirror="")
    assert not (tmp_path / AC_PATH).exists()


def test_departement_slugs_follow_the_cartography():
    assert downloads.departement_slug("Côte-d'Or") == "cote-d-or"
    assert downloads.departement_slug("La Réunion") == "la-reunion"
    assert downloads.departement_slug("Territoire de Belfort") == "territoire-de-belfort"


def test_lieux_de_mediation_are_exported_per_departement(official, fixtures_dir, tmp_path):
    (tmp_path / COG_PATH).parent.mkdir(parents=True)
    shutil.copy(fixtures_dir / "opendata" / COG_PATH, tmp_path / COG_PATH)
    official.fail_once.add(LIEUX_99)
    done, skipped = opendata.download([MED_PATH], tmp_path, mirror="", departements=["99", "2A", "988"])
    assert done == [MED_PATH]
    assert official.requests == [LIEUX_99, LIEUX_99, LIEUX_2A]  # 503 then retry; 2A: 404
    assert skipped == [
        f"lieux de médiation 2A : introuvables ({official.url}{LIEUX_2A})",
        "lieux de médiation 988 : département absent de la cartographie nationale",
    ]
    rows = read_rows(tmp_path / MED_PATH)
    assert [(r["id"], r["nom"], r["code_insee"]) for r in rows] == [
        ("export-1", "Médiathèque fictive de l'export", "99004"),
        ("export-2", "Tiers-lieu fictif de l'export", "99002"),
    ]
    assert rows[0]["services"] == "Aide aux démarches administratives|Maîtrise des outils numériques du quotidien"


def test_a_changed_export_column_is_named(official, fixtures_dir, tmp_path):
    (tmp_path / COG_PATH).parent.mkdir(parents=True)
    shutil.copy(fixtures_dir / "opendata" / COG_PATH, tmp_path / COG_PATH)
    official.routes[LIEUX_99] = official.routes[LIEUX_99].replace(b",services,", b",services_proposes,", 1)
    with pytest.raises(
        FileFormatError, match=r"departement-imaginaire/lieux/exporter, ligne 1 : colonne « services » absente"
    ):
        opendata.download([MED_PATH], tmp_path, mirror="", departements=["99"])
    assert not (tmp_path / MED_PATH).exists()


def _download_dir(fixtures_dir, tmp_path, settings):
    """var/opendata/ already holding every other file (made up): only the official sources are fetched."""
    target = tmp_path / "var-opendata"
    shutil.copytree(fixtures_dir / "opendata", target)
    (target / FS_PATH).unlink()
    (target / AC_PATH).unlink()
    (target / MED_PATH).unlink()
    settings.INCLUSION_DATA_DIR = ""
    settings.INCLUSION_OPENDATA_MIRROR = ""
    settings.INCLUSION_DOWNLOAD_DIR = target
    return target


@pytest.mark.django_db
def test_command_download_loads_the_official_sources(official, fixtures_dir, tmp_path, settings, monkeypatch):
    monkeypatch.delenv("INCLUSION_OPENDATA_MIRROR", raising=False)
    _download_dir(fixtures_dir, tmp_path, settings)
    call_command("load_open_data", "--departements", "99", "--download", "--no-progress", stdout=StringIO())
    assert sorted(Place.objects.filter(kind=Place.Kind.FRANCE_SERVICES).values_list("name", flat=True)) == [
        "France services de Fauxbourg (fictive, format officiel)",
        "France services de Saint-Fauxville (fictive, format officiel)",
    ]
    assert Place.objects.filter(kind=Place.Kind.AIDANTS_CONNECT).count() == 3
    assert Place.objects.filter(name__endswith="de l'export").count() == 2  # lieux de médiation of 99


@pytest.mark.django_db
def test_command_stops_on_a_changed_column_with_the_database_unchanged(
    official, fixtures_dir, tmp_path, settings, monkeypatch
):
    monkeypatch.delenv("INCLUSION_OPENDATA_MIRROR", raising=False)
    _download_dir(fixtures_dir, tmp_path, settings)
    official.routes[FS_RESOURCE] = official.routes[FS_RESOURCE].replace(b";lib_fs;", b";libelle;")
    unchanged = "colonne « lib_fs » absente.*\nRien n'a été enregistré : la base de données est inchangée."
    with pytest.raises(CommandError, match=unchanged):
        call_command("load_open_data", "--departements", "99", "--download", "--no-progress", stdout=StringIO())
    assert not Place.objects.exists()


@pytest.mark.django_db
def test_command_places_the_ifn_file_and_lists_what_it_could_not_obtain(
    official, fixtures_dir, tmp_path, settings, monkeypatch
):
    monkeypatch.delenv("INCLUSION_OPENDATA_MIRROR", raising=False)
    target = _download_dir(fixtures_dir, tmp_path, settings)
    ifn_rel = opendata.path("ifn-communes")
    exported = tmp_path / "ifn-export.csv"
    shutil.move(target / ifn_rel, exported)
    (target / opendata.path("ifn-epci")).unlink()
    out = StringIO()
    call_command(
        "load_open_data", "--departements", "99", "--download", "--ifn", str(exported), "--no-progress", stdout=out
    )
    output = out.getvalue()
    assert f"IFN : {exported} placé sous {ifn_rel}" in output
    assert (target / ifn_rel).read_bytes() == exported.read_bytes()
    assert (
        "Non obtenus (l'import se poursuit sans eux) :\n  indicators/ifn-epci.csv : pas de téléchargement officiel "
        "dans un format lisible (l'IFN n'a pas de fichier ouvert à télécharger" in output
    )
    assert f"  {ifn_rel} :" not in output  # the file given with --ifn is not listed as missing
    assert Commune.objects.filter(departement="99", ifn__total__isnull=False).exists()


def test_ifn_file_with_another_header_is_refused(tmp_path):
    bad = tmp_path / "ifn.csv"
    bad.write_text("nom,code,score\nFauxville,99001,5\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match=r"ifn.csv, ligne 1, colonne 1 : colonne « name » absente"):
        downloads.place_ifn(bad, tmp_path / "data")
    assert not (tmp_path / "data").exists()


def test_ifn_needs_download(settings, tmp_path):
    settings.INCLUSION_DATA_DIR = ""
    with pytest.raises(CommandError, match="--ifn va avec --download"):
        call_command("load_open_data", "--departements", "99", "--ifn", str(tmp_path / "x.csv"), stdout=StringIO())
