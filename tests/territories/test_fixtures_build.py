"""`build_fixtures`: deterministic compressed copy of a data folder, and the committed fixtures/ folder.

The builds here run on the MADE-UP miniature data folder tests/fixtures/opendata (see its README); the last tests
check the real fixtures/ folder committed at the root of the project.
"""

import gzip
import json
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from territories import datafiles, fixtures_build

MADE_UP_DEPS = ("2A", "99")
COMMITTED = Path(settings.BASE_DIR) / "fixtures"


def build(source: Path, out: Path, **kwargs):
    return fixtures_build.build(
        data_dir=source, out_dir=out, departements=MADE_UP_DEPS, command="build_fixtures (test)", **kwargs
    )


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_input_gives_byte_identical_files(fixtures_dir, tmp_path):
    build(fixtures_dir / "opendata", tmp_path / "one")
    build(fixtures_dir / "opendata", tmp_path / "two")
    one, two = files_of(tmp_path / "one"), files_of(tmp_path / "two")
    assert one == two
    assert "PROVENANCE.md" in one
    assert "indicators/ifn-communes.csv.gz" in one
    for name, data in one.items():
        if name.endswith(".gz"):
            assert data[4:8] == b"\0\0\0\0", f"{name}: gzip header carries a date"
            assert data[3] & 0x08 == 0, f"{name}: gzip header carries a file name"
    # rebuilding over an existing folder changes nothing either
    build(fixtures_dir / "opendata", tmp_path / "one")
    assert files_of(tmp_path / "one") == two


def test_copies_are_verbatim_and_contours_keep_only_the_selected_departements(fixtures_dir, tmp_path):
    source = fixtures_dir / "opendata"
    result = build(source, tmp_path)
    rel = "mediation/france-services-liste-2023.csv"
    assert gzip.decompress((tmp_path / (rel + ".gz")).read_bytes()) == (source / rel).read_bytes()
    assert (tmp_path / "geo/cog2025-mathieulebasic/communes-dep99.geojson.gz").is_file()
    assert (tmp_path / "geo/cog2025-mathieulebasic/communes-dep2A.geojson.gz").is_file()
    assert {b.path for b in result.files} >= {
        rel,
        "indicators/ifn-communes.csv",
        "mediation/hubs-numerique-inclusif-regions.json",
    }

    only_99 = fixtures_build.build(data_dir=source, out_dir=tmp_path / "only99", departements=("99",), command="test")
    contours = json.loads(datafiles.read_bytes(tmp_path / "only99/geo/departements-fne/departements.geojson.gz"))
    assert [f["properties"]["DDEP_C_COD"] for f in contours["features"]] == ["99"]
    original = json.loads((source / "geo/departements-fne/departements.geojson").read_text(encoding="utf-8"))
    assert contours["features"][0] == next(f for f in original["features"] if f["properties"]["DDEP_C_COD"] == "99")
    assert not (tmp_path / "only99/geo/cog2025-mathieulebasic/communes-dep2A.geojson.gz").exists()
    assert {b.path for b in only_99.files} >= {"geo/cog2025-mathieulebasic/communes-dep99.geojson"}


def test_a_rebuild_removes_files_of_the_previous_build(fixtures_dir, tmp_path):
    build(fixtures_dir / "opendata", tmp_path)
    stale = tmp_path / "geo/cog2025-mathieulebasic/communes-dep2A.geojson.gz"
    assert stale.is_file()
    fixtures_build.build(data_dir=fixtures_dir / "opendata", out_dir=tmp_path, departements=("99",), command="t")
    assert not stale.exists()
    assert (tmp_path / "geo/cog2025-mathieulebasic/communes-dep99.geojson.gz").is_file()


def test_provenance_names_producer_licence_vintage_source_checksum_and_command(fixtures_dir, tmp_path):
    source = fixtures_dir / "opendata"
    build(source, tmp_path)
    text = (tmp_path / "PROVENANCE.md").read_text(encoding="utf-8")
    assert "Rebuilt by `build_fixtures (test)`" in text
    section = text.split("## `indicators/ifn-communes.csv.gz`")[1].split("\n## ")[0]
    assert "- producer: La Mednum" in section
    assert "- licence: not stated by the producer" in section
    assert "- vintage: IFN as published 2023–2024" in section
    assert "fragilite-numerique.fr" in section.split("production deployment should use:")[1]
    sha = datafiles.sha256_of(source / "indicators/ifn-communes.csv")
    assert f"sha256 `{sha}`" in section
    # the made-up folder has no Hub-Lo raw file: said, not silently dropped
    assert "mediation/hub-lo-lieux-centre-val-de-loire-dep18.json: not in the data folder" in text


def test_missing_reference_file_stops_the_build(fixtures_dir, tmp_path):
    source = tmp_path / "src"
    shutil.copytree(fixtures_dir / "opendata", source)
    (source / "admin/decoupage-administratif-6.0.0/communes.json").unlink()
    with pytest.raises(fixtures_build.BuildError, match=r"communes\.json : fichier introuvable"):
        build(source, tmp_path / "out")


def test_command_writes_the_folder_and_reports_its_size(fixtures_dir, tmp_path):
    out = StringIO()
    call_command(
        "build_fixtures",
        "--data-dir",
        str(fixtures_dir / "opendata"),
        "--out",
        str(tmp_path),
        "--departements",
        "99",
        "2A",
        "--without",
        "mediation/lieux-mediation-numerique.csv",
        stdout=out,
    )
    assert re.search(r"\d+ fichiers écrits dans .* : 0,\d\d Mo en tout", out.getvalue())
    assert "non embarqué : mediation/lieux-mediation-numerique.csv : laissé de côté (--without)" in out.getvalue()
    assert not (tmp_path / "mediation/lieux-mediation-numerique.csv.gz").exists()
    provenance = (tmp_path / "PROVENANCE.md").read_text(encoding="utf-8")
    assert "--departements 2A 99 --without mediation/lieux-mediation-numerique.csv`" in provenance
    assert "- mediation/lieux-mediation-numerique.csv: left out (--without)" in provenance  # the docs stay English
    with pytest.raises(CommandError, match="dossier de données introuvable"):
        call_command("build_fixtures", "--data-dir", str(tmp_path / "nowhere"), "--out", str(tmp_path / "x"))


# ---- the committed fixtures/ folder ---------------------------------------------------------------------------


def test_committed_fixtures_fit_in_5_mb():
    assert COMMITTED.is_dir(), "fixtures/ must be committed (python manage.py build_fixtures --data-dir ../shared/data)"
    size = fixtures_build.folder_size(COMMITTED)
    assert 1_000_000 < size <= 5 * 1024 * 1024


def test_committed_fixtures_match_their_provenance():
    """Every stored file is named in PROVENANCE.md with the checksum of its decompressed content."""
    text = (COMMITTED / "PROVENANCE.md").read_text(encoding="utf-8")
    stored = sorted(p.relative_to(COMMITTED).as_posix() for p in COMMITTED.rglob("*.gz"))
    named = sorted(re.findall(r"^## `(.+\.gz)`$", text, flags=re.M))
    assert stored == named
    for name in stored:
        section = text.split(f"## `{name}`")[1].split("\n## ")[0]
        for line in ("- producer: ", "- licence: ", "- vintage: ", "- a production deployment should use: "):
            assert line in section, f"{name}: no {line.strip(' -:')}"
        content_sha = re.search(r"- content: .* sha256 `([0-9a-f]{64})`", section).group(1)
        assert datafiles.sha256_of(COMMITTED / name) == content_sha, f"{name} differs from PROVENANCE.md"
    # the demo départements' commune contours, and nothing else of the national contour files
    contours = [n for n in stored if "communes-dep" in n]
    assert contours == [f"geo/cog2025-mathieulebasic/communes-dep{d}.geojson.gz" for d in ("18", "69", "84")]


@pytest.mark.realdata
def test_committed_fixtures_are_the_build_of_the_real_data_folder(real_data_dir, tmp_path):
    """Rebuilding from ../shared/data gives the committed folder byte for byte (else: rerun build_fixtures)."""
    fixtures_build.build(
        data_dir=real_data_dir,
        out_dir=tmp_path,
        command="python manage.py build_fixtures --data-dir ../shared/data",
    )
    assert files_of(tmp_path) == files_of(COMMITTED)
