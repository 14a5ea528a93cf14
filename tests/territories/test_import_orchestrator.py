"""The import's structure: the manifest as the one registry of paths, the dry run, the "data changed" hooks.

Uses the MADE-UP miniature data folder tests/fixtures/opendata (see its README).
"""

import ast
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from territories import hooks, opendata
from territories.importers import base
from territories.models import (
    Commune,
    CommuneIfn,
    CommunePlaceAccess,
    DataSource,
    Departement,
    Epci,
    EpciIfn,
    Hub,
    Place,
    Region,
)

MODELS = [DataSource, Region, Hub, Departement, Epci, Commune, CommuneIfn, EpciIfn, Place, CommunePlaceAccess]
RAW = {
    "mediation/raw-made-up/hub-lo-lieux-centre-val-de-loire-dep18.json": opendata.path("mediation-hub-lo"),
    "mediation/raw-made-up/regionsud-lieux-inclusion-numerique-2022-dep13-84.json": opendata.path(
        "mediation-region-sud"
    ),
}
ROOT = Path(__file__).resolve().parents[2]


def run(data_dir, *args) -> str:
    out = StringIO()
    call_command("load_open_data", "--all", *args, "--data-dir", str(data_dir), "--no-progress", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    state = {model.__name__: sorted(map(repr, model.objects.values_list())) for model in MODELS}
    state["hub_regions"] = sorted(Hub.regions.through.objects.values_list("hub_id", "region_id"))
    return state


@pytest.fixture
def data_dir(fixtures_dir, tmp_path) -> Path:
    """A writable copy of the made-up data folder, the made-up raw regional files where the importer looks."""
    target = tmp_path / "opendata"
    shutil.copytree(fixtures_dir / "opendata", target)
    for sample, rel in RAW.items():
        shutil.copy(target / sample, target / rel)
    return target


# ---- manifest ----------------------------------------------------------------------------------------------------


def test_unknown_keys_and_paths_raise():
    with pytest.raises(opendata.UnknownDataPath, match="mediation/inconnu.csv"):
        opendata.entry_for_path("mediation/inconnu.csv")
    with pytest.raises(opendata.UnknownDataPath):
        opendata.path("lieux-inconnus")
    with pytest.raises(opendata.UnknownDataPath, match="dep="):
        opendata.path("contours-communes-{dep}")
    with pytest.raises(opendata.UnknownDataPath):  # not a département code
        opendata.entry_for_path("geo/cog2025-mathieulebasic/communes-depXY.geojson")


def test_per_departement_files_resolve_to_their_own_entry():
    rhone = opendata.entry_for_path("geo/cog2025-mathieulebasic/communes-dep69.geojson")
    assert rhone.key == "contours-communes-69" and rhone.name == "Contours des communes (69)"
    assert rhone.download_url == "https://geo.api.gouv.fr/departements/69/communes?format=geojson&geometry=contour"
    assert opendata.entry_for_path("geo/cog2025-mathieulebasic/communes-dep2A.geojson").key == "contours-communes-2a"
    vaucluse_2018 = opendata.entry_for_path("geo/france-geojson-2018/communes-84-vaucluse.geojson")
    assert vaucluse_2018.key == "contours-communes-2018-84" and vaucluse_2018.vintage == "COG 2018"
    assert vaucluse_2018.path == "geo/france-geojson-2018/communes-84-vaucluse.geojson"


def test_download_list_leaves_out_data_folder_only_files_and_fallbacks():
    paths = opendata.files_to_download(["18"])
    assert opendata.path("mediation-hub-lo") not in paths
    assert not any("france-geojson-2018" in p for p in paths)
    assert opendata.path("contours-departements") in paths and opendata.path("cog-communes") in paths
    assert all(opendata.entry_for_path(p) for p in paths)


@pytest.mark.django_db
def test_every_file_the_import_reads_is_declared_in_the_manifest(data_dir, monkeypatch):
    read = []
    original = base.read_text

    def recording(path):
        read.append(Path(path))
        return original(path)

    monkeypatch.setattr(base, "read_text", recording)
    run(data_dir)
    # and the COG 2018 fallbacks, read when the preferred files are absent
    fallback = data_dir / "geo/france-geojson-2018"
    fallback.mkdir(parents=True)
    (data_dir / "geo/cog2025-mathieulebasic/communes-dep2A.geojson").rename(
        fallback / "communes-2A-ile-fictive.geojson"
    )
    (data_dir / opendata.path("contours-departements")).rename(fallback / "departements-version-simplifiee.geojson")
    run(data_dir)

    relative = {str(p.relative_to(data_dir)) for p in read}
    for rel in relative:
        opendata.entry_for_path(rel)  # raises for an undeclared path
    assert "geo/france-geojson-2018/communes-2A-ile-fictive.geojson" in relative
    assert opendata.path("contours-departements-2018") in relative
    every_file = {
        str(p.relative_to(data_dir))
        for p in data_dir.rglob("*")
        if p.is_file() and p.name != "README.md" and "raw-made-up" not in p.parts
    }
    assert every_file <= relative  # every data file of the folder was read
    assert DataSource.objects.get(key="contours-departements-2018").producer.startswith("IGN ADMIN EXPRESS COG 2018")


# ---- dry run -----------------------------------------------------------------------------------------------------


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.django_db
def test_dry_run_on_an_empty_database_writes_nothing(data_dir):
    output = run(data_dir, "--dry-run")
    assert all(not model.objects.exists() for model in MODELS)
    assert "rien n'a été enregistré" in output
    assert "  Commune : 7 ajouts, 0 modification, 0 suppression" in output
    assert "  DataSource : 16 ajouts, 0 modification, 0 suppression" in output
    assert "Données ouvertes chargées" not in output


@pytest.mark.django_db
def test_dry_run_names_the_changes_and_leaves_the_database_as_it_was(data_dir):
    run(data_dir)
    before = snapshot()
    _edit(data_dir / "indicators/ifn-communes.csv", ",99002,1.0,1.0,1.0,1.0,1.0,1.0", ",99002,1.0,1.0,1.0,1.0,1.0,1.5")
    services = data_dir / opendata.path("france-services")
    lines = services.read_text(encoding="utf-8").splitlines(keepends=True)
    services.write_text("".join(lines[:2]), encoding="utf-8")  # the second France services site is gone

    output = run(data_dir, "--dry-run")
    assert snapshot() == before
    assert "Ce que cet import changerait, par table :" in output
    assert "  CommuneIfn : 0 ajout, 1 modification, 0 suppression" in output
    assert "  Place : 0 ajout, 0 modification, 1 suppression" in output
    assert "  DataSource : 0 ajout, 2 modifications, 0 suppression" in output  # the two files' checksums
    assert "Commune :" not in output.split("Détail :")[0]  # tables that would not change are not listed
    assert "rien n'a été enregistré" in output

    # the real run does what the dry run announced
    output = run(data_dir)
    assert CommuneIfn.objects.get(commune_id="99002").total == 1.5
    assert not Place.objects.filter(kind="france_services", source_ref="2").exists()
    assert "IFN communes : 0 création, 1 mise à jour" in output


@pytest.mark.django_db
def test_dry_run_with_nothing_to_change(data_dir):
    run(data_dir)
    output = run(data_dir, "--dry-run")
    assert "Cet import ne changerait rien." in output and "par table" not in output


@pytest.mark.django_db
def test_dry_run_stops_on_a_malformed_file(data_dir):
    _edit(data_dir / "indicators/ifn-communes.csv", "name,division,code", "name;division;code")
    with pytest.raises(CommandError, match="ifn-communes.csv, ligne 1, colonne 1 : colonne « name » absente"):
        run(data_dir, "--dry-run")


# ---- "data changed" hooks ----------------------------------------------------------------------------------------


@pytest.fixture
def calls():
    """A receiver registered for the test only; the list of the lines it was given an `echo` for."""
    seen: list[str] = []

    def receiver(*, echo):
        seen.append("called")
        echo("made-up receiver called")

    hooks.on_data_changed(receiver)
    hooks.on_data_changed(receiver)  # registered once however often
    yield seen
    hooks.disconnect(receiver)


@pytest.mark.django_db
def test_hooks_fire_only_when_data_changed(data_dir, calls):
    output = run(data_dir)
    assert calls == ["called"] and "made-up receiver called" in output
    output = run(data_dir)  # same files: nothing changed
    assert calls == ["called"] and "made-up receiver called" not in output
    _edit(data_dir / "indicators/ifn-communes.csv", ",99002,1.0,1.0,1.0,1.0,1.0,1.0", ",99002,1.0,1.0,1.0,1.0,1.0,1.5")
    run(data_dir, "--dry-run")  # a dry run changes nothing
    assert calls == ["called"]
    run(data_dir)
    assert calls == ["called", "called"]


@pytest.mark.django_db
def test_hooks_do_not_fire_when_a_file_is_malformed(data_dir, calls):
    _edit(data_dir / "indicators/ifn-communes.csv", "name,division,code", "name;division;code")
    with pytest.raises(CommandError):
        run(data_dir)
    assert calls == []


def test_the_diagnostic_app_registers_the_plans_refresh():
    from diagnostic.apps import refresh_plans_after_import

    assert refresh_plans_after_import in hooks.receivers()


def test_territories_imports_nothing_from_the_apps_above_it():
    """territories ← inclusion ← diagnostic: the open data layer reacts to nothing above it except through hooks."""
    upward = []
    for path in (ROOT / "territories").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            upward += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] == "diagnostic"]
    assert upward == []
