"""One test per source of places: its declared mapping to PlaceRecord, and its malformed records (no database).

Reads the MADE-UP samples of tests/fixtures/mappers (real headers, made-up rows; see its README). The raw Hub-Lo and
Région Sud mappers are tested in test_import_raw_mediation.py.
"""

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from territories import opendata
from territories.importers.base import FileFormatError
from territories.importers.mapping import PlaceRecord
from territories.importers.sources import (
    PLACE_SOURCES,
    aidants_connect,
    france_services,
    mediation_v0,
    mediation_v1,
)


@pytest.fixture
def sample(fixtures_dir, tmp_path):
    """A writable copy of one made-up sample, optionally edited: sample("x.csv", old, new)."""

    def copy(name: str, old: str | None = None, new: str = "") -> Path:
        target = tmp_path / name
        shutil.copy(fixtures_dir / "mappers" / name, target)
        if old is not None:
            text = target.read_text(encoding="utf-8")
            assert old in text, old
            target.write_text(text.replace(old, new, 1), encoding="utf-8")
        return target

    return copy


def by_ref(mapped) -> dict[str, PlaceRecord]:
    return {r.source_ref: r for r in mapped.records}


def test_every_source_declares_a_manifest_file_and_known_fields():
    mapped_elsewhere = {"source_ref", "insee", "lat", "lon"}
    record_fields = {f.name for f in dataclasses.fields(PlaceRecord)} - mapped_elsewhere
    assert len({m.key for m in PLACE_SOURCES}) == len(PLACE_SOURCES) == 6
    for mapper in PLACE_SOURCES:
        assert opendata.entry_for_path(mapper.path).key == mapper.key
        assert mapper.fields and set(mapper.fields) <= record_fields, mapper.key
        assert "name" in mapper.fields, mapper.key


def test_france_services(sample):
    mapped = france_services.MAPPER.parse(sample("france-services.csv"))
    assert mapped.total == 2 and not mapped.rejected
    site = by_ref(mapped)["901"]
    assert (site.name, site.insee, site.lat, site.lon) == (
        "France services fictive de Saint-Fauxville",
        "99001",
        46.05,
        2.05,
    )
    assert site.address == "1 place Imaginaire Bâtiment B"  # street + complement
    assert (site.postcode, site.city, site.phone, site.email) == (
        "99100",
        "Saint-Fauxville",
        "00 00 00 00 01",
        "fs@example.org",
    )
    assert site.hours == "Lundi : 09:00 - 12:00\nMercredi : 14:00 - 17:00"  # only the days with hours
    assert site.details == {
        "format_fs": "Site principal",
        "format_fs_anct": "Lieu fixe",
        "itinerance": "Non",
        "labellisation": "Espace labellisé 01/01/2099",
    }
    bus = by_ref(mapped)["902"]
    assert bus.lat is None and bus.address == "" and bus.hours == ""
    assert bus.postcode == "09920"  # a postcode that lost its leading zero
    assert bus.details == {"format_fs": "Bus", "itinerance": "Oui"}


def test_france_services_duplicate_identifier(sample):
    path = sample("france-services.csv", '"902","99"', '"901","99"')
    with pytest.raises(FileFormatError) as excinfo:
        france_services.MAPPER.parse(path)
    assert str(excinfo.value).endswith(
        "france-services.csv, ligne 3, colonne 1 : colonne « id_fs » : identifiant « 901 » en double "
        "(déjà à la ligne 2)"
    )


def test_aidants_connect(sample):
    mapped = aidants_connect.MAPPER.parse(sample("aidants-connect.csv"))
    active, asleep = by_ref(mapped)["801"], by_ref(mapped)["802"]
    assert (active.name, active.insee, active.postcode, active.city) == (
        "Structure fictive du Faux",
        "99001",
        "99100",
        "Saint-Fauxville",
    )
    assert active.address == "5 rue du Faux, 99100 Saint-Fauxville"
    assert active.lat is None  # the export has no coordinates: placed by its code
    assert active.details == {"aidants": 4, "active": True, "france_services_label": True}
    assert asleep.insee == "" and asleep.details == {"aidants": None, "active": False, "france_services_label": False}


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        (
            ",true,99001,",
            ",peut-être,99001,",
            "ligne 2, colonne 4 : colonne « Is Active » : true ou false attendu, trouvé : « peut-être »",
        ),
        (
            ",Saint-Fauxville,4",
            ",Saint-Fauxville,quatre",
            "ligne 2, colonne 11 : colonne « Nombre d'aidants » : pas un nombre entier : « quatre »",
        ),
        (
            ",true,99001,",
            ",true,2C001,",
            "ligne 2, colonne 5 : colonne « City Insee Code » : code INSEE invalide « 2C001 »",
        ),
    ],
)
def test_aidants_connect_malformed(sample, old, new, where):
    with pytest.raises(FileFormatError, match=where):
        aidants_connect.MAPPER.parse(sample("aidants-connect.csv", old, new))


def test_mediation_v0(sample):
    mapped = mediation_v0.MAPPER.parse(sample("mediation-v0.json"))
    lieu = by_ref(mapped)["v0-901"]
    assert (lieu.insee, lieu.lat, lieu.lon, lieu.postcode) == ("99001", 46.05, 2.05, "99100")
    assert lieu.address == "7 chemin Imaginaire"
    assert lieu.services == "Prendre en main un ordinateur; Réaliser des démarches en ligne"
    assert lieu.website == "https://espace.example.org"  # the first of "|"-separated sites
    assert (lieu.phone, lieu.email, lieu.hours) == ("+33000000009", "espace@example.org", "Mo-Fr 09:00-12:00")
    assert lieu.details == {"publics_accueillis": ["Jeunes", "Seniors"], "conditions_acces": ["Gratuit"]} | {
        "source": "Hub fictif"
    }
    assert lieu.updated_on == dt.date(2099, 1, 31)
    bare = by_ref(mapped)["v0-902"]
    assert bare.lat is None and bare.services == "" and bare.details == {}
    assert bare.website == ""  # no scheme: not a link
    assert bare.updated_on == dt.date(2099, 1, 31)  # dd/mm/yyyy is read too


def test_mediation_v0_malformed_records(sample):
    path = sample("mediation-v0.json")
    records = json.loads(path.read_text(encoding="utf-8"))
    records[1]["id"] = "v0-901"
    path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    with pytest.raises(
        FileFormatError,
        match=r'enregistrement 2, champ "id" : identifiant « v0-901 » en double \(déjà à l\'enregistrement 1\)',
    ):
        mediation_v0.MAPPER.parse(path)
    records[1]["id"], records[1]["nom"] = "v0-902", ["Lieu", "fictif"]
    path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    wrong_type = r'enregistrement 2, champ "nom" : texte attendu, trouvé : une liste'
    with pytest.raises(FileFormatError, match=wrong_type) as excinfo:
        mediation_v0.MAPPER.parse(path)
    text = path.read_text(encoding="utf-8")
    offset = text.index('"nom"', text.index('"v0-902"'))
    assert excinfo.value.line == text.count("\n", 0, offset) + 1  # the line of record 2's "nom"


def test_mediation_v1(sample):
    mapped = mediation_v1.MAPPER.parse(sample("mediation-v1.csv"))
    lieu = by_ref(mapped)["v1-901"]
    assert lieu.address == "8 allée Imaginaire Porte 2"
    assert lieu.email == "a@example.org"  # the first of the "|"-separated e-mails
    assert lieu.services == "Aide aux démarches administratives; Maîtrise des outils numériques du quotidien"
    assert lieu.details == {
        "publics_specifiquement_adresses": ["Jeunes"],
        "frais_a_charge": ["Gratuit"],
        "modalites_accompagnement": ["Accompagnement individuel", "Dans un atelier collectif"],
        "dispositif_programmes_nationaux": ["Conseillers numériques"],
        "typologie": ["TIERS_LIEUX", "ASSO"],
        "pivot": "00000000000000",
        "source": "Hub fictif",
    }
    assert (lieu.hours, lieu.updated_on) == ("Mo-Fr 09:00-12:00", dt.date(2099, 2, 3))
    bare = by_ref(mapped)["v1-902"]
    assert (bare.insee, bare.lat, bare.email, bare.details, bare.updated_on) == ("", None, "", {}, None)


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("Atelier fictif sans code", " ", "ligne 3, colonne 3 : colonne « nom » : nom vide"),
        (
            ",99001,46.05,",
            ",9A001,46.05,",
            "ligne 2, colonne 10 : colonne « code_insee » : code INSEE invalide « 9A001 »",
        ),
        (
            ",46.05,2.05,",
            ",46.05,,",
            "ligne 2, colonne 11 : colonne « latitude » : latitude et longitude doivent être toutes deux renseignées",
        ),
    ],
)
def test_mediation_v1_malformed(sample, old, new, where):
    with pytest.raises(FileFormatError, match=where):
        mediation_v1.MAPPER.parse(sample("mediation-v1.csv", old, new))
