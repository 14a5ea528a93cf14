"""Raw regional lieux de médiation (Hub-Lo, Région Sud): mappers, placement, idempotence, malformed records.

The first tests use the MADE-UP files of tests/fixtures/opendata/mediation/raw-made-up (see its README), copied into a
temporary copy of the made-up data folder; the last ones read the real files (INCLUSION_DATA_DIR).
"""

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from territories import opendata
from territories.importers.base import FileFormatError
from territories.importers.sources import hub_lo, region_sud
from territories.models import CommunePlaceAccess, DataSource, ImportState, Place

RAW = "mediation/raw-made-up"
HUB_LO = hub_lo.MAPPER.path
REGION_SUD = region_sud.MAPPER.path


def run(data_dir, *args) -> str:
    out = StringIO()
    call_command("load_open_data", *(args or ["--all"]), "--data-dir", str(data_dir), "--no-progress", stdout=out)
    return out.getvalue()


@pytest.fixture
def data_dir(fixtures_dir, tmp_path) -> Path:
    """A writable copy of the made-up data folder, with the made-up raw files where the importer looks for them."""
    target = tmp_path / "opendata"
    shutil.copytree(fixtures_dir / "opendata", target)
    for rel in (HUB_LO, REGION_SUD):
        shutil.copy(target / RAW / Path(rel).name, target / rel)
    return target


def snapshot() -> dict:
    return {
        model.__name__: sorted(map(repr, model.objects.values_list()))
        for model in (DataSource, Place, CommunePlaceAccess)
    }


def places(key: str) -> dict[str, Place]:
    return {p.source_ref: p for p in Place.objects.filter(source__key=key)}


# ---- mappers (no database) -------------------------------------------------------------------------------------------


def test_hub_lo_mapper(fixtures_dir):
    raw = hub_lo.MAPPER.parse(fixtures_dir / "opendata" / RAW / Path(HUB_LO).name)
    assert raw.total == 9
    assert [r.source_ref for r in raw.records] == ["1", "3", "5", "6", "7", "8", "9"]
    # no name; same name (case/accents aside) and same coordinates as record 1: set aside at parse time
    assert sorted(reason for reason, _ in raw.rejected) == [
        "doublon d'une fiche précédente du fichier (même nom, mêmes coordonnées)",
        "sans nom",
    ]
    epn = raw.records[0]
    assert epn.name == "ESPACE NUMERIQUE FICTIF DE SAINT-FAUXVILLE"
    assert (epn.lat, epn.lon, epn.postcode, epn.city) == (46.05, 2.05, "99100", "SAINT-FAUXVILLE")
    assert epn.address == "1 rue Imaginaire"
    assert epn.phone == "02 00 00 00 01 / 06 00 00 00 01"
    assert epn.email == "epn@saint-fauxville.example"
    assert epn.website == "https://www.saint-fauxville.example"
    assert epn.services == (
        "Accès internet et matériel informatique; Formations et ateliers au numérique; Accompagnement individuel"
    )
    assert epn.hours == "Jours : Lundi, Mardi\nDu lundi au vendredi de 9h à 12h\net de 14h à 17h"
    assert epn.details["categories"] == ["EPN", "Promeneur du net"] and epn.details["acces_pmr"] is True
    assert str(epn.updated_on) == "2098-06-30"
    assert raw.records[1].website == ""  # "facebook : …" is not a URL
    assert raw.records[2].postcode == "99200"
    assert raw.records[3].lat is None  # null coordinates
    # vintage: span of the kept records' c__edit_datemaj (the duplicate's 2099 is not counted)
    assert raw.vintage == "2097–2098 (dates de mise à jour des fiches)"


def test_region_sud_mapper(fixtures_dir):
    raw = region_sud.MAPPER.parse(fixtures_dir / "opendata" / RAW / Path(REGION_SUD).name)
    assert raw.total == 7 and len(raw.records) == 5
    assert sorted(reason for reason, _ in raw.rejected) == [
        "doublon d'une fiche précédente du fichier (même nom, mêmes coordonnées)",
        "sans nom",
    ]
    media = raw.records[0]
    assert media.address == "3 rue Imaginaire" and media.postcode == "99200"
    assert media.phone == "04 00 00 00 01"  # the same number in contact_telephone_details is not repeated
    assert media.website == "http://mediatheque.fauxbourg.example"
    # free-text services split on commas outside parentheses; equipment on offer adds the access service
    assert media.services == (
        "Accès libre; Ateliers initiation (tablettes, smartphones); Gamelab; Accès internet et matériel informatique"
    )
    assert media.hours == "Lundi au vendredi 9h-12h\nSamedi 10h-12h"  # brut = osm, kept once
    assert media.details["labels"] == ["FRANCE SERVICES", "SUD LABS"]
    assert media.updated_on is None  # 01/01/1970 is a placeholder
    point = raw.records[1]
    assert point.insee == "99401" and point.lat is None
    assert raw.records[4].postcode == "01000"  # int 1000: leading zero restored
    assert raw.vintage == "inventaire 2022 (fiches non datées)"
    assert "01/01/1970" in raw.notes[0]
    # no identifier in the source: a digest of name + coordinates, stable from one run to the next
    again = region_sud.MAPPER.parse(fixtures_dir / "opendata" / RAW / Path(REGION_SUD).name)
    assert [r.source_ref for r in again.records] == [r.source_ref for r in raw.records]
    assert len({r.source_ref for r in raw.records}) == 5


# ---- import into the database ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_raw_files_are_loaded_and_placed(data_dir):
    output = run(data_dir)
    hub = places("mediation-hub-lo")
    assert sorted(hub) == ["1", "3", "5", "6", "9"]
    assert {p.kind for p in hub.values()} == {"mediation"}
    # coordinates: point-in-polygon
    assert hub["1"].commune_id == "99001" and hub["1"].location == "exact"
    assert hub["9"].commune_id == "99003"
    # coordinates far outside the département of the address: dropped, placed at the commune's centroid
    wrong = hub["5"]
    assert wrong.commune_id == "99002" and wrong.location == "approximate"
    assert (wrong.latitude, wrong.longitude) == (46.05, 2.15)
    # CEDEX-like postcode carried by no commune: the city name inside the postcode's département
    assert hub["6"].commune_id == "99003" and hub["6"].location == "approximate"
    # outside France and no commune found; wrong coordinates + address contradicting the operator's SIREN: rejected
    assert "7" not in hub and "8" not in hub
    assert (
        "Lieux hub-lo-lieux-centre-val-de-loire-dep18.json : 5 créations, 0 mise à jour, 0 sans changement, 4 rejets"
        in output
    )
    for reason in (
        "    1 rejet : sans nom",
        "    1 rejet : doublon d'une fiche précédente du fichier (même nom, mêmes coordonnées)",
        "    1 rejet : coordonnées hors de France, et le code postal et la commune ne désignent pas une seule "
        "commune chargée",
        "    1 rejet : coordonnées hors du département de l'adresse, et le code postal et la commune désignent une "
        "autre commune que le SIREN de la structure porteuse",
    ):
        assert reason in output

    sud = {p.name: p for p in places("mediation-region-sud").values()}
    assert sud["Médiathèque fictive de Fauxbourg"].commune_id == "99002"
    assert sud["Point numérique fictif"].commune_id == "99004"  # arrondissement code -> its commune
    assert sud["Commune fictive mal géocodée"].location == "approximate"
    assert sud["Espace fictif de l'Île"].commune_id == "2A004"  # postcode 20xxx: Corse-du-Sud or Haute-Corse
    assert sud["Lieu fictif de l'Ain"].commune_id is None  # --all: kept with its coordinates, no contour there
    assert "Lieux regionsud-lieux-inclusion-numerique-2022-dep13-84.json : 5 créations" in output

    hub_source = DataSource.objects.get(key="mediation-hub-lo")
    assert hub_source.licence == "non précisée (données du hub, réservées aux essais)"
    assert hub_source.producer.startswith("Hub-Lo")
    assert hub_source.vintage == "2097–2098 (dates de mise à jour des fiches)"
    assert hub_source.row_count == 9 and len(hub_source.sha256) == 64
    sud_source = DataSource.objects.get(key="mediation-region-sud")
    assert sud_source.producer.startswith("Région Sud") and sud_source.vintage.startswith("inventaire 2022")
    # the raw lieux count for the access figures
    assert CommunePlaceAccess.objects.get(commune_id="99001", kind="mediation").nearest_km < 1


@pytest.mark.django_db
def test_second_run_changes_nothing(data_dir):
    run(data_dir)
    before = snapshot()
    ImportState.objects.all().delete()  # read and compare every file again (not the same-files shortcut)
    output = run(data_dir)
    assert snapshot() == before
    assert "Aucun changement" in output
    assert "Lieux hub-lo-lieux-centre-val-de-loire-dep18.json : 0 création, 0 mise à jour, 5 sans changement" in output


@pytest.mark.django_db
def test_selected_departements_only(data_dir):
    run(data_dir, "--departements", "2A")
    everything = set(Place.objects.values_list("source_ref", flat=True))
    Place.objects.all().delete()
    run(data_dir)
    # places are reference data: a contour selection loads the same places as a national import
    assert set(Place.objects.values_list("source_ref", flat=True)) == everything


@pytest.mark.django_db
def test_files_are_optional(fixtures_dir, tmp_path):
    target = tmp_path / "opendata"
    shutil.copytree(fixtures_dir / "opendata", target)
    run(target)
    assert not DataSource.objects.filter(key__in=["mediation-hub-lo", "mediation-region-sud"]).exists()
    assert Place.objects.filter(kind="mediation").exists()  # the schema files are still loaded


def test_data_folder_only_entries_are_documented():
    for entry in opendata.DATA_FOLDER_ONLY.values():
        assert entry.producer and entry.licence and entry.vintage and entry.url and entry.note, entry.key
        assert entry.download_url is None
        assert opendata.entry_for_path(entry.path) is entry
    conseillers = "mediation/conseillers-numeriques-structures.json"
    assert {e.path for e in opendata.DATA_FOLDER_ONLY.values()} == {HUB_LO, REGION_SUD, conseillers}


# ---- malformed records: file, line, column; nothing written ---------------------------------------------------------


def _edit(path: Path, change):
    records = json.loads(path.read_text(encoding="utf-8"))
    change(records)
    path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")


def _position(path: Path, record: int, key: str) -> tuple[int, int]:
    """(line, column) of `"key"` inside the record-th object (1-based) of the file as written by `_edit`."""
    text = path.read_text(encoding="utf-8")
    start = -1
    for _ in range(record):
        start = text.index("\n {", start + 1)
    offset = text.index(f'"{key}"', start)
    line = text.count("\n", 0, offset) + 1
    return line, offset - text.rfind("\n", 0, offset)


def _hub_lo_bad_latitude(d):
    _edit(d / HUB_LO, lambda r: r[2].update(c_lat_coor1="quarante-six"))
    return HUB_LO, 3, "c_lat_coor1", "pas un nombre : « quarante-six »"


def _hub_lo_duplicate_gid(d):
    _edit(d / HUB_LO, lambda r: r[4].update(gid=1))
    return HUB_LO, 5, "gid", "identifiant « 1 » en double (déjà à l'enregistrement 1)"


def _hub_lo_name_is_a_list(d):
    _edit(d / HUB_LO, lambda r: r[0].update(c_nom=["EPN", "MSAP"]))
    return HUB_LO, 1, "c_nom", "texte attendu, trouvé : une liste"


def _region_sud_missing_field(d):
    _edit(d / REGION_SUD, lambda r: r[1].pop("adresse_code_postal"))
    return REGION_SUD, 2, None, 'champ "adresse_code_postal" absent'


def _region_sud_not_an_object(d):
    _edit(d / REGION_SUD, lambda r: r.__setitem__(3, ["nom", "Bibliothèque"]))
    return REGION_SUD, 4, None, "objet attendu, trouvé : une liste"


def _region_sud_bad_insee(d):
    _edit(d / REGION_SUD, lambda r: r[2].update(adresse_code_insee="994010"))
    return REGION_SUD, 3, "adresse_code_insee", "code INSEE invalide « 994010 »"


def _region_sud_truncated(d):
    text = (d / REGION_SUD).read_text(encoding="utf-8")
    (d / REGION_SUD).write_text(text[: len(text) // 2], encoding="utf-8")
    return REGION_SUD, None, None, "JSON invalide ou tronqué"


BREAKERS = [
    _hub_lo_bad_latitude,
    _hub_lo_duplicate_gid,
    _hub_lo_name_is_a_list,
    _region_sud_missing_field,
    _region_sud_not_an_object,
    _region_sud_bad_insee,
    _region_sud_truncated,
]


@pytest.mark.django_db
@pytest.mark.parametrize("breaker", BREAKERS, ids=lambda b: b.__name__)
def test_malformed_record_stops_and_changes_nothing(data_dir, breaker):
    run(data_dir)
    before = snapshot()
    rel, record, key, words = breaker(data_dir)
    with pytest.raises(CommandError) as excinfo:
        run(data_dir)
    message = str(excinfo.value)
    assert Path(rel).name in message and words in message
    if record is not None:
        assert f"enregistrement {record}" + (f', champ "{key}"' if key else "") in message
        if key:
            line, column = _position(data_dir / rel, record, key)
            assert f"ligne {line}, colonne {column} :" in message
    assert "la base de données est inchangée" in message
    assert snapshot() == before


def test_malformed_record_position_without_database(data_dir):
    _hub_lo_bad_latitude(data_dir)
    with pytest.raises(FileFormatError) as excinfo:
        hub_lo.MAPPER.parse(data_dir / HUB_LO)
    line, column = _position(data_dir / HUB_LO, 3, "c_lat_coor1")
    assert (excinfo.value.line, excinfo.value.column) == (line, column)


# ---- real files ------------------------------------------------------------------------------------------------------


@pytest.mark.realdata
def test_real_files_parse(real_data_dir):
    hub = hub_lo.MAPPER.parse(real_data_dir / HUB_LO)
    assert hub.total == 76 and len(hub.records) == 76 and not hub.rejected  # no name-less or duplicate record
    assert hub.vintage == "2020–2023 (dates de mise à jour des fiches)"
    assert all(r.postcode.startswith("18") for r in hub.records)
    sud = region_sud.MAPPER.parse(real_data_dir / REGION_SUD)
    assert sud.total == 508 and len(sud.records) == 508
    assert sum(r.postcode.startswith("84") for r in sud.records) == 185
    assert all(r.updated_on is None for r in sud.records)  # every record is dated 01/01/1970


@pytest.mark.realdata
@pytest.mark.django_db
def test_real_cher_and_vaucluse_lieux(real_data_dir):
    out = StringIO()
    call_command(
        "load_open_data", "--departements", "18", "84", "--data-dir", str(real_data_dir), "--no-progress", stdout=out
    )
    output = out.getvalue()
    mediation = Place.objects.filter(kind="mediation")
    assert mediation.filter(commune__departement="18", source__key="mediation-hub-lo").count() == 75
    assert mediation.filter(commune__departement="84", source__key="mediation-region-sud").count() == 185
    # places are national whatever the contour selection: the Bouches-du-Rhône lieux of Région Sud's file too
    assert mediation.filter(commune__departement="13", source__key="mediation-region-sud").exists()
    # 6 Hub-Lo records are geocoded in other départements (Vienne, Nord, Loire, Aude, Côtes-d'Armor, Eure): 5 go to
    # their commune's centroid; the 6th names Boulleret in its address but Aubigny-sur-Nère in its name and SIREN
    assert mediation.filter(commune__departement="18", location="approximate").count() == 5
    assert (
        "1 rejet : coordonnées hors du département de l'adresse, et le code postal et la commune désignent une autre"
        in output
    )
    assert not mediation.filter(name="MSAP-CCAS AUBIGNY-SUR-NERE").exists()
    # Puget (84) and Mormoiron's France Services were geocoded in the Var and the Bouches-du-Rhône
    assert set(
        mediation.filter(commune__departement="84", location="approximate").values_list("commune_id", flat=True)
    ) == {"84093", "84082"}
    boulleret = CommunePlaceAccess.objects.select_related("nearest").get(commune_id="18032", kind="mediation")
    # Hub-Lo's "MSAP BOULLERET" is the site of the France services, which holds the médiation kind (dedupe.py)
    assert boulleret.nearest.name == "France services Boulleret"
    assert mediation.get(name="MSAP BOULLERET").same_site_as == boulleret.nearest
    assert boulleret.nearest_km == pytest.approx(0.9, abs=0.05)
    assert CommunePlaceAccess.objects.filter(kind="mediation").count() == 286 + 151
