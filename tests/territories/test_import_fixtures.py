"""Open data importers on the MADE-UP miniature data folder tests/fixtures/opendata (see its README)."""

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
import shapely
from django.core.management import CommandError, call_command
from pyproj import Transformer

from territories.models import (
    Commune,
    CommuneIfn,
    CommunePlaceAccess,
    DataSource,
    Departement,
    Epci,
    EpciIfn,
    Hub,
    ImportState,
    Place,
    Region,
)

pytestmark = pytest.mark.django_db

MODELS = [DataSource, Region, Hub, Departement, Epci, Commune, CommuneIfn, EpciIfn, Place, CommunePlaceAccess]


def run(data_dir, *args) -> str:
    out = StringIO()
    call_command("load_open_data", *(args or ["--all"]), "--data-dir", str(data_dir), "--no-progress", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    state = {model.__name__: sorted(map(repr, model.objects.values_list())) for model in MODELS}
    state["hub_regions"] = sorted(Hub.regions.through.objects.values_list("hub_id", "region_id"))
    return state


@pytest.fixture
def data_dir(fixtures_dir, tmp_path) -> Path:
    """A writable copy of the made-up data folder."""
    target = tmp_path / "opendata"
    shutil.copytree(fixtures_dir / "opendata", target)
    return target


@pytest.fixture
def loaded(data_dir) -> Path:
    run(data_dir)
    return data_dir


def test_loads_everything(loaded):
    assert Region.objects.count() == 2
    assert Commune.objects.count() == 7
    fauxbourg = Commune.objects.get(insee="99002")
    assert fauxbourg.search_name == "fauxbourg l eglise"
    assert fauxbourg.epci_id == "200000001"
    assert fauxbourg.population == 3000
    assert Commune.objects.get(insee="99004").postcode_list == ["99400", "99410"]
    # "2A004" is a valid code; its contour came from a geo.api.gouv.fr-style file (properties.code)
    ile = Commune.objects.get(insee="2A004")
    assert ile.epci is None and ile.centroid_lat is not None
    assert Departement.objects.get(code="99").hub.name == "Hub Imaginaire"
    assert set(Hub.objects.get(slug="hub-imaginaire").regions.values_list("code", flat=True)) == {"98"}
    assert json.loads(Departement.objects.get(code="99").geometry)["type"] == "Polygon"


def test_every_row_points_at_its_source(loaded):
    communes = DataSource.objects.get(key="cog-communes")
    assert communes.row_count == 11  # records of communes.json (current, delegated, arrondissements)
    assert communes.vintage.startswith("COG 2026")
    assert len(communes.sha256) == 64 and communes.imported_at is not None
    assert communes.file_name == "admin/decoupage-administratif-6.0.0/communes.json"
    assert set(Commune.objects.values_list("source__key", flat=True)) == {"cog-communes"}
    assert Commune.objects.get(insee="99001").geometry_source.key == "contours-communes-99"
    assert set(CommuneIfn.objects.values_list("source__key", flat=True)) == {"ifn-communes"}
    assert set(Place.objects.values_list("source__key", flat=True)) == {
        "france-services",
        "aidants-connect",
        "mediation-hinaura",
        "mediation-national",
    }


def test_contours_are_rounded_and_centroids_set(loaded):
    commune = Commune.objects.get(insee="99001")
    geometry = shapely.from_geojson(commune.geometry)
    assert geometry.equals(shapely.box(2.0, 46.0, 2.1, 46.1))
    assert (commune.centroid_lat, commune.centroid_lon) == (46.05, 2.05)
    # communes without a contour keep no geometry and no centroid (never guessed)
    for insee in ("99005", "99006"):
        commune = Commune.objects.get(insee=insee)
        assert commune.geometry == "" and commune.centroid_lat is None


def test_ifn_measured_missing_and_derived(loaded):
    ifn = CommuneIfn.objects.get(commune_id="99001")
    assert (ifn.status, ifn.no_thd_coverage, ifn.low_diploma, ifn.total) == ("measured", 2.0, 10.0, 6.0)
    # a blank cell is missing, never 0
    ile = CommuneIfn.objects.get(commune_id="2A004")
    assert ile.status == "measured" and ile.poverty is None and ile.total == 5.0
    assert "poverty" in ile.note
    # arrondissements with populations: population-weighted (4000 × 1 + 6000 × 6) / 10000 = 4.0
    grande = CommuneIfn.objects.get(commune_id="99004")
    assert grande.status == "derived"
    assert grande.total == pytest.approx(4.0) and grande.poverty == pytest.approx(4.0)
    assert "pondérée par la population" in grande.note and "99401, 99402" in grande.note
    # commune nouvelle whose former communes have no population: equal weights, and the note says so
    villefictive = CommuneIfn.objects.get(commune_id="99003")
    assert villefictive.status == "derived"
    assert villefictive.total == pytest.approx(3.0)
    assert villefictive.poverty == pytest.approx(2.0)  # only 99901 publishes it
    assert "poids égaux" in villefictive.note
    # no row and no part: missing with a reason; all-0 row: missing (0 is outside the 1–10 scale)
    absent = CommuneIfn.objects.get(commune_id="99005")
    assert absent.status == "missing" and absent.total is None and "aucune ligne" in absent.note
    zero = CommuneIfn.objects.get(commune_id="99006")
    assert zero.status == "missing" and zero.no_thd_coverage is None and "0" in zero.note
    assert EpciIfn.objects.get(epci_id="200000001").total == 3.0
    assert EpciIfn.objects.get(epci_id="200000002").status == "missing"


def test_summary_counts_derived_and_missing(data_dir):
    output = run(data_dir)
    assert "3 n'en ont aucune ; 2 valeurs déduites, 2 valeurs absentes" in output
    assert "    1 commune sans valeur : toutes les valeurs à 0 dans le fichier" in output


def test_place_placement(loaded):
    by_ref = {p.source_ref: p for p in Place.objects.select_related("commune")}
    # code + coordinates
    assert by_ref["1"].commune_id == "99001" and by_ref["1"].location == "exact"
    # code, no coordinates: at the commune's centroid, approximate
    fs2 = by_ref["2"]
    assert fs2.location == "approximate"
    assert (fs2.latitude, fs2.longitude) == (fs2.commune.centroid_lat, fs2.commune.centroid_lon)
    # an arrondissement code is the current commune
    assert by_ref["10"].commune_id == "99004" and by_ref["10"].details["aidants"] == 3
    # no code, no coordinates: postcode + city name
    assert by_ref["11"].commune_id == "99001" and by_ref["11"].location == "approximate"
    # unknown code: rejected
    assert "12" not in by_ref
    # coordinates only: point-in-polygon on stored contours
    assert by_ref["v0-1"].commune_id == "99003" and by_ref["v0-1"].kind == "mediation"
    assert by_ref["v1-2"].commune_id == "99002"
    # schema v1 CSV: multi-values split on "|"
    v1 = by_ref["v1-1"]
    assert v1.services == "Aide aux démarches administratives; Maîtrise des outils numériques du quotidien"
    assert v1.details["modalites_accompagnement"] == ["Accompagnement individuel", "Dans un atelier collectif"]
    assert v1.email == "a@example.org" and v1.website == "https://mediatheque.example.org"
    assert str(v1.updated_on) == "2099-02-03"


def test_selection_picks_contours_reference_data_stays_national(data_dir):
    run(data_dir, "--departements", "2A")
    # communes, IFN and places of every département (national medians, help across borders) ...
    assert Commune.objects.count() == 7 and Departement.objects.count() == 2
    assert CommuneIfn.objects.filter(commune__departement="99").exists()
    assert Place.objects.filter(commune__departement="99").exists()
    # ... contours only for the selection; the other communes' pages say why they have none
    assert set(Commune.objects.exclude(geometry="").values_list("insee", flat=True)) == {"2A004"}
    fauxbourg = Commune.objects.get(insee="99002")
    assert (
        fauxbourg.centroid_lat is None and "n'a retenu les contours que d'autres départements" in fauxbourg.contour_note
    )
    assert not CommunePlaceAccess.objects.filter(commune__departement="99").exists()


def test_place_access_distances(loaded):
    to_l93 = Transformer.from_crs(4326, 2154, always_xy=True)

    def km(lon1, lat1, lon2, lat2):
        x1, y1 = to_l93.transform(lon1, lat1)
        x2, y2 = to_l93.transform(lon2, lat2)
        return ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 / 1000

    fs = list(Place.objects.filter(kind="france_services"))
    for commune in Commune.objects.filter(departement="99", centroid_lat__isnull=False):
        access = CommunePlaceAccess.objects.get(commune=commune, kind="france_services")
        distances = {p.pk: km(commune.centroid_lon, commune.centroid_lat, p.longitude, p.latitude) for p in fs}
        nearest = min(distances, key=distances.get)
        assert access.nearest_id == nearest
        assert access.nearest_km == pytest.approx(distances[nearest], abs=0.001)
        assert access.within_10km == sum(d <= 10 for d in distances.values())
    # Villefictive (2.25, 46.05): nearest France services is Fauxbourg's centroid, 0.1° of longitude ≈ 7.7 km
    far = CommunePlaceAccess.objects.get(commune_id="99003", kind="france_services")
    assert 7 < far.nearest_km < 8.5 and far.within_10km == 1
    # no France services in the Île Fictive's région: outside the data's coverage, so no figure at all
    assert not CommunePlaceAccess.objects.filter(commune_id="2A004").exists()
    # communes without a centroid get no access row
    assert not CommunePlaceAccess.objects.filter(commune_id="99005").exists()


def test_second_run_changes_nothing(loaded):
    before = snapshot()
    output = run(loaded)  # same files, same selection: stops after the files' SHA-256, before parsing
    assert snapshot() == before
    assert "Aucun changement" in output and "Chaque fichier est celui du dernier import" in output
    ImportState.objects.all().delete()  # without the fingerprint: every file is read and compared, nothing written
    output = run(loaded)
    assert snapshot() == before
    assert "Aucun changement" in output and "du dernier import" not in output
    assert " 0 création, 0 mise à jour" in output and ", 1 mise à jour" not in output


def test_a_changed_file_or_selection_is_read_again(loaded):
    assert "du dernier import" not in run(loaded, "--departements", "99")
    assert "du dernier import" in run(loaded, "--departements", "99")
    assert "du dernier import" not in run(loaded)  # selection changed back to all
    _replace(loaded / "indicators/ifn-communes.csv", "Saint-Fauxville", "Saint-Fauxville-le-Neuf")
    assert "du dernier import" not in run(loaded)  # a new SHA-256: the files are read and compared again


def test_changed_value_is_updated(loaded):
    path = loaded / "indicators/ifn-communes.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(",99002,1.0,1.0,1.0,1.0,1.0,1.0", ",99002,1.0,1.0,1.0,1.0,1.0,1.5"),
        encoding="utf-8",
    )
    output = run(loaded)
    assert CommuneIfn.objects.get(commune_id="99002").total == 1.5
    assert "IFN communes : 0 création, 1 mise à jour, 6 sans changement" in output


# ---------------------------------------------------------------------------------------------------------------
# Malformed files: stop with file, line and column; nothing written.


def _replace(path: Path, old: str, new: str, encoding="utf-8"):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_bytes(text.replace(old, new, 1).encode(encoding))


def _missing_column(d):
    path = d / "indicators/ifn-communes.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n", encoding="utf-8")


def _semicolons(d):
    path = d / "indicators/ifn-communes.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")


def _latin1(d):
    path = d / "admin/decoupage-administratif-6.0.0/communes.json"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))


def _duplicate_code(d):
    path = d / "indicators/ifn-communes.csv"
    path.write_text(path.read_text(encoding="utf-8") + "Doublon,city,99001,1.0,1.0,1.0,1.0,1.0,1.0\n", encoding="utf-8")


def _bad_code_csv(d):
    _replace(d / "mediation/aidants-connect-structures.csv", ",99401,", ",2C401,")


def _bad_code_json(d):
    _replace(d / "admin/decoupage-administratif-6.0.0/communes.json", '"code": "99002"', '"code": "9A002"')


def _duplicate_code_geojson(d):
    _replace(d / "geo/cog2025-mathieulebasic/communes-dep99.geojson", '"com99003"', '"com99002"')


def _bowtie(d):
    _replace(
        d / "geo/cog2025-mathieulebasic/communes-dep99.geojson",
        "[[[2.1, 46.0], [2.2, 46.0], [2.2, 46.1], [2.1, 46.1], [2.1, 46.0]]]",
        "[[[2.1, 46.0], [2.2, 46.1], [2.2, 46.0], [2.1, 46.1], [2.1, 46.0]]]",
    )


def _flat_polygon(d):  # a ring with no area: make_valid can only give a line, so nothing to keep
    _replace(
        d / "geo/cog2025-mathieulebasic/communes-dep99.geojson",
        "[[[2.1, 46.0], [2.2, 46.0], [2.2, 46.1], [2.1, 46.1], [2.1, 46.0]]]",
        "[[[2.1, 46.0], [2.2, 46.0], [2.15, 46.0], [2.1, 46.0]]]",
    )


def _two_point_ring(d):
    _replace(
        d / "geo/cog2025-mathieulebasic/communes-dep99.geojson",
        "[[[2.1, 46.0], [2.2, 46.0], [2.2, 46.1], [2.1, 46.1], [2.1, 46.0]]]",
        "[[[2.1, 46.0], [2.2, 46.0]]]",
    )


def _truncated(d):
    path = d / "mediation/hinaura-lieux-mediation-numerique-aura.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")


def _bad_coordinate(d):
    _replace(d / "mediation/lieux-mediation-numerique.csv", ",46.02,", ",quarante-six,")


def _unbalanced_row(d):
    path = d / "mediation/france-services-liste-2023.csv"
    path.write_text(path.read_text(encoding="utf-8") + "3,99,Trop court\n", encoding="utf-8")


BAD_FILES = [
    # (breaker, file name, line, column, words of the message)
    (_missing_column, "ifn-communes.csv", 1, 9, "colonne « total » absente"),
    (_semicolons, "ifn-communes.csv", 1, 5, "mauvais séparateur : l'en-tête est séparé par « ; », « , » attendu"),
    (_latin1, "communes.json", 3, 39, "le fichier n'est pas en UTF-8"),
    (_duplicate_code, "ifn-communes.csv", 10, 3, "« code » : code INSEE « 99001 » en double (déjà à la ligne 2)"),
    (_bad_code_csv, "aidants-connect-structures.csv", 2, 5, "code INSEE invalide « 2C401 »"),
    (_bad_code_json, "communes.json", 3, 2, 'enregistrement 2, champ "code" : code INSEE invalide « 9A002 »'),
    (_duplicate_code_geojson, "communes-dep99.geojson", 4, 168, "code INSEE « 99002 » en double"),
    (_flat_polygon, "communes-dep99.geojson", 3, 21, "plus aucune surface une fois réparée"),
    (_two_point_ring, "communes-dep99.geojson", 3, 21, "géométrie inutilisable"),
    (_truncated, "hinaura-lieux-mediation-numerique-aura.json", None, None, "JSON invalide ou tronqué"),
    (_bad_coordinate, "lieux-mediation-numerique.csv", 3, 11, "pas un nombre : « quarante-six »"),
    (_unbalanced_row, "france-services-liste-2023.csv", 4, 4, "3 champs alors que l'en-tête a 24 colonnes"),
]


@pytest.mark.parametrize(
    ("breaker", "file_name", "line", "column", "words"), BAD_FILES, ids=lambda v: getattr(v, "__name__", None)
)
def test_malformed_file_stops_and_changes_nothing(loaded, breaker, file_name, line, column, words):
    before = snapshot()
    breaker(loaded)
    with pytest.raises(CommandError) as excinfo:
        run(loaded)
    message = str(excinfo.value)
    assert file_name in message
    assert words in message
    if line is not None:
        assert f"ligne {line}, colonne {column} :" in message
    else:
        assert "ligne " in message and "colonne " in message
    assert "Rien n'a été enregistré : la base de données est inchangée." in message
    assert snapshot() == before


def test_malformed_file_on_first_run_writes_nothing(data_dir):
    _flat_polygon(data_dir)
    with pytest.raises(CommandError, match="communes-dep99.geojson, ligne 3"):
        run(data_dir)
    assert all(not model.objects.exists() for model in MODELS)


def test_repairable_polygon_is_repaired_and_named(data_dir):
    _bowtie(data_dir)  # Fauxbourg's square drawn as a self-intersecting bow tie
    output = run(data_dir)
    assert (
        "1 polygone invalide réparé (make_valid, parties surfaciques conservées) : "
        "99002 (auto-intersection au point (2,15 ; 46,05))" in output
    )
    geometry = shapely.from_geojson(Commune.objects.get(insee="99002").geometry)
    assert geometry.geom_type == "MultiPolygon" and geometry.is_valid and len(geometry.geoms) == 2
    assert geometry.area == pytest.approx(0.005, rel=0.01)  # the two triangles of the bow tie
    assert CommunePlaceAccess.objects.filter(commune_id="99002").exists()


def _split_villefictive(d):
    """Villefictive (99003) drawn as its two former communes 99901 and 99902, as in a contour file older than it."""
    path = d / "geo/cog2025-mathieulebasic/communes-dep99.geojson"
    doc = json.loads(path.read_text())
    features = [f for f in doc["features"] if f["properties"]["code_territoire"] != "com99003"]
    for code, (west, east) in {"99901": (2.2, 2.25), "99902": (2.25, 2.3)}.items():
        ring = [[west, 46.0], [east, 46.0], [east, 46.1], [west, 46.1], [west, 46.0]]
        features.append(
            {
                "type": "Feature",
                "properties": {"code_territoire": f"com{code}"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    doc["features"] = features
    path.write_text(json.dumps(doc))


def test_commune_nouvelle_gets_the_union_of_its_former_communes(data_dir):
    _split_villefictive(data_dir)
    output = run(data_dir)
    commune = Commune.objects.get(insee="99003")
    assert shapely.from_geojson(commune.geometry).equals(shapely.box(2.2, 46.0, 2.3, 46.1))
    assert commune.contour_derived and "anciennes communes (99901, 99902)" in commune.contour_note
    assert (
        "1 commune nouvelle reçoit la réunion des contours de ses anciennes communes (contour calculé) : 99003"
        in output
    )
    assert CommunePlaceAccess.objects.filter(commune_id="99003", kind="france_services").exists()
    assert "Aucun changement" in run(data_dir)  # the union is stable: a second run writes nothing


def test_commune_without_contour_is_listed_and_says_why(loaded):
    output = run(loaded, "--departements", "99")
    assert "2 communes actuelles de la sélection n'ont pas de contour dans la source" in output
    assert "99005 Sans-Données" in output
    assert "ne figure pas dans le fichier de contours (communes-dep99.geojson" in (
        Commune.objects.get(insee="99005").contour_note
    )


def test_unknown_departement(data_dir):
    with pytest.raises(CommandError, match="département inconnu : 98"):
        run(data_dir, "--departements", "98")


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("2A004", True),
        ("2B033", True),
        ("18032", True),
        ("97411", True),
        ("2C004", False),
        ("1803", False),
        ("18O32", False),
    ],
)
def test_insee_code_pattern(code, valid):
    from territories.importers.base import INSEE_RE

    assert bool(INSEE_RE.match(code)) is valid


def test_neighbours_keep_a_shared_border(loaded):
    a = shapely.from_geojson(Commune.objects.get(insee="99001").geometry)
    b = shapely.from_geojson(Commune.objects.get(insee="99002").geometry)
    border = a.intersection(b)
    assert border.geom_type in ("LineString", "MultiLineString")
    assert border.length == pytest.approx(0.1)
    assert a.intersection(b).area == 0


def test_france_geojson_2018_contours_are_a_fallback(data_dir):
    source = data_dir / "geo/cog2025-mathieulebasic/communes-dep2A.geojson"
    target = data_dir / "geo/france-geojson-2018/communes-2A-ile-fictive.geojson"
    target.parent.mkdir(parents=True)
    source.rename(target)
    run(data_dir)
    commune = Commune.objects.get(insee="2A004")
    assert commune.centroid_lat is not None
    assert commune.geometry_source.key == "contours-communes-2018-2a"
    assert commune.geometry_source.vintage == "COG 2018"


def test_changed_data_recomputes_the_cached_plan_priorities(loaded):
    from diagnostic.models import MeasureAction
    from tests.factories import make_diagnostic

    diagnostic = make_diagnostic(Commune.objects.get(insee="99002"), year=2026)
    assert not MeasureAction.objects.filter(diagnostic=diagnostic).exists()
    path = loaded / "indicators/ifn-communes.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(",99002,1.0,1.0,1.0,1.0,1.0,1.0", ",99002,9.0,9.0,9.0,9.0,9.0,9.0"),
        encoding="utf-8",
    )
    output = run(loaded)
    assert "Priorités recalculées pour 1 plan d'action existant." in output
    priorities = set(MeasureAction.objects.filter(diagnostic=diagnostic).values_list("priority", flat=True))
    assert priorities and priorities <= {"high", "medium", "low"}
    assert "Priorités recalculées" not in run(loaded)  # nothing changed: plans left alone
