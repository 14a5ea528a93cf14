"""Data-folder files stored as-is, .gz or .xz are read the same way (territories.datafiles).

The file contents here are made up (a two-line CSV written by the test).
"""

import gzip
import hashlib
import lzma

import pytest

from territories import datafiles

MADE_UP = b"code,nom\n99001,Saint-Fauxville (made up)\n"


def write(path, data: bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("x.csv", MADE_UP),
        ("x.csv.gz", gzip.compress(MADE_UP)),
        ("x.csv.xz", lzma.compress(MADE_UP)),
    ],
)
def test_each_storage_reads_the_same_content(tmp_path, name, data):
    write(tmp_path / "indicators" / name, data)
    assert datafiles.resolve(tmp_path, "indicators/x.csv") == tmp_path / "indicators" / name
    assert datafiles.exists(tmp_path, "indicators/x.csv")
    with datafiles.open_data_file(tmp_path, "indicators/x.csv") as handle:
        assert handle.read() == MADE_UP
    stored = datafiles.resolve(tmp_path, "indicators/x.csv")
    assert datafiles.read_bytes(stored) == MADE_UP
    # the checksum is the content's, whatever the storage: an import records the same sha256 either way
    assert datafiles.sha256_of(stored) == hashlib.sha256(MADE_UP).hexdigest()


def test_plain_file_wins_then_gz_then_xz(tmp_path):
    write(tmp_path / "a.json.xz", lzma.compress(b"[3]"))
    assert datafiles.resolve(tmp_path, "a.json").name == "a.json.xz"
    write(tmp_path / "a.json.gz", gzip.compress(b"[2]"))
    assert datafiles.resolve(tmp_path, "a.json").name == "a.json.gz"
    write(tmp_path / "a.json", b"[1]")
    with datafiles.open_data_file(tmp_path, "a.json") as handle:
        assert handle.read() == b"[1]"


def test_missing_file_names_what_was_looked_for(tmp_path):
    assert datafiles.resolve(tmp_path, "mediation/none.csv") is None
    assert not datafiles.exists(tmp_path, "mediation/none.csv")
    looked_for = r"none\.csv : fichier introuvable \(cherché : none\.csv, none\.csv\.gz"
    with pytest.raises(FileNotFoundError, match=looked_for):
        datafiles.open_data_file(tmp_path, "mediation/none.csv")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("x.csv.gz", gzip.compress(MADE_UP * 50)[:40]),  # truncated
        ("x.csv.gz", b"not gzip at all"),
        ("x.csv.xz", lzma.compress(MADE_UP)[:20]),
    ],
)
def test_damaged_archive_is_a_clear_error(tmp_path, name, data):
    path = write(tmp_path / name, data)
    with pytest.raises(datafiles.DamagedFile, match=r"x\.csv\.(gz|xz) : fichier compressé abîmé ou tronqué"):
        datafiles.read_bytes(path)
    with pytest.raises(datafiles.DamagedFile):
        datafiles.sha256_of(path)


def test_gzip_bytes_is_deterministic_and_carries_no_name_or_date():
    first, second = datafiles.gzip_bytes(MADE_UP), datafiles.gzip_bytes(MADE_UP)
    assert first == second
    assert gzip.decompress(first) == MADE_UP
    assert first[3] & 0x08 == 0  # FLG.FNAME unset: no file name in the header
    assert first[4:8] == b"\0\0\0\0"  # MTIME 0


def test_find_lists_logical_paths_whatever_the_storage(tmp_path):
    write(tmp_path / "geo/2018/communes-18-cher.geojson.gz", gzip.compress(b"{}"))
    write(tmp_path / "geo/2018/communes-18-autre.geojson", b"{}")
    write(tmp_path / "geo/2018/communes-69-rhone.geojson.xz", lzma.compress(b"{}"))
    assert datafiles.find(tmp_path, "geo/2018/communes-18-*.geojson") == [
        "geo/2018/communes-18-autre.geojson",
        "geo/2018/communes-18-cher.geojson",
    ]
    assert datafiles.find(tmp_path, "geo/none/*.geojson") == []
