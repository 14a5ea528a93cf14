"""The commune table: every filter, sorts, pagination, htmx partial and validation of bad parameters."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from diagnostic.dashboard import classes
from diagnostic.dashboard.filters import parse_filters
from tests.factories import client_as as login  # noqa: F401
from tests.factories import dashboard_world_fixture as world  # noqa: F401  (fixture)


def table(client, **params) -> list[str]:
    response = client.get(reverse("diagnostic:dashboard"), params)
    assert response.status_code == 200
    return [row.commune.insee for row in response.context["rows"]]


@pytest.fixture
def coord(client, world):  # noqa: F811
    return login(client, world, "coordinator")


def test_default_table_sorted_by_name(coord):
    assert table(coord) == ["91001", "91002", "91003", "91004", "92001"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"departement": "92"}, ["92001"]),
        ({"epci": "900000001"}, ["91001", "91002"]),
        ({"epci": "900000002"}, ["91003"]),
        ({"statut": "aucun"}, ["91003", "91004", "92001"]),
        ({"statut": "brouillon"}, ["91002"]),
        ({"statut": "transmis"}, ["91001"]),
        ({"classe_ifn": "5"}, ["91001", "91002", "91004", "92001"]),  # IFN ≥ 8.2
        ({"classe_ifn": "2"}, ["91003"]),  # 2.8 ≤ IFN < 4.6
        ({"classe_ifn": "1"}, []),
        ({"mesure_prioritaire": "1"}, ["91001"]),
        ({"mesure_prioritaire": "2"}, ["91002"]),
        ({"mesure_prioritaire": "3"}, []),  # Echo's measure 3 is from last year
        ({"mesure_prioritaire": "3", "annee": "LAST"}, ["92001"]),
        ({"departement": "91", "statut": "aucun"}, ["91003", "91004"]),
        ({"departement": "91", "classe_ifn": "5", "statut": "aucun"}, ["91004"]),
    ],
)
def test_filters(coord, world, params, expected):  # noqa: F811
    if params.get("annee") == "LAST":
        params = {**params, "annee": str(world["year"] - 1)}
    assert table(coord, **params) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("nom", ["91001", "91002", "91003", "91004", "92001"]),
        ("-nom", ["92001", "91004", "91003", "91002", "91001"]),
        ("population", ["91003", "91004", "91001", "92001", "91002"]),
        ("-population", ["91002", "92001", "91001", "91004", "91003"]),
        ("ifn", ["91003", "91004", "92001", "91001", "91002"]),
        ("-ifn", ["91002", "91001", "92001", "91004", "91003"]),
        ("statut", ["91003", "91004", "92001", "91002", "91001"]),  # none, draft, submitted
        ("-statut", ["91001", "91002", "91003", "91004", "92001"]),
    ],
)
def test_sorts(coord, sort, expected):
    assert table(coord, tri=sort) == expected


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"annee": "abc"}, "Année « abc » non valable"),
        ({"annee": "1900"}, "Année « 1900 » non valable"),
        ({"departement": "<script>"}, "ne fait pas partie de votre territoire"),
        ({"epci": "123"}, "L'EPCI « 123 » ne fait pas partie"),
        ({"statut": "perdu"}, "Statut « perdu » inconnu"),
        ({"classe_ifn": "9"}, "Classe IFN « 9 » inconnue"),
        ({"classe_ifn": "x"}, "Classe IFN « x » inconnue"),
        ({"mesure_prioritaire": "0"}, "Mesure « 0 » inconnue"),
        ({"tri": "--nom"}, "Tri « --nom » inconnu"),
        ({"tri": "password"}, "Tri « password » inconnu"),
        ({"page": "-3"}, "Page « -3 » non valable"),
    ],
)
def test_bad_parameters_are_ignored_with_a_french_message(coord, params, message):
    response = coord.get(reverse("diagnostic:dashboard"), params)
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert [row.commune.insee for row in response.context["rows"]] == ["91001", "91002", "91003", "91004", "92001"]
    assert "<script>" not in response.content.decode().split("dashboard-results", 1)[1].split("</ul>")[0]


def test_bad_export_parameters_do_not_fail(coord):
    response = coord.get(reverse("diagnostic:dashboard_export_csv"), {"classe_ifn": "x", "annee": "zz"})
    assert response.status_code == 200


def test_epci_of_another_departement_is_refused(coord):
    # EPCI 1 only has communes in 91: with département 92 selected it is not a valid choice.
    response = coord.get(reverse("diagnostic:dashboard"), {"departement": "92", "epci": "900000001"})
    assert "L'EPCI « 900000001 » ne fait pas partie" in html.unescape(response.content.decode())
    assert [row.commune.insee for row in response.context["rows"]] == ["92001"]


def test_pagination(coord, world, monkeypatch):  # noqa: F811
    monkeypatch.setattr(classes, "PAGE_SIZE", 2)
    first = coord.get(reverse("diagnostic:dashboard"), {"tri": "-ifn"})
    assert [r.commune.insee for r in first.context["rows"]] == ["91002", "91001"]
    assert "page=2" in first.context["links"]["next"] and "tri=-ifn" in first.context["links"]["next"]
    third = coord.get(reverse("diagnostic:dashboard"), {"tri": "-ifn", "page": "3"})
    assert [r.commune.insee for r in third.context["rows"]] == ["91003"]
    beyond = coord.get(reverse("diagnostic:dashboard"), {"tri": "-ifn", "page": "99"})
    assert beyond.status_code == 200
    assert [r.commune.insee for r in beyond.context["rows"]] == ["91003"]  # last page


def test_htmx_request_renders_only_the_results_partial(coord):
    response = coord.get(reverse("diagnostic:dashboard"), {"statut": "aucun"}, headers={"HX-Request": "true"})
    text = response.content.decode()
    assert response.status_code == 200
    assert text.lstrip().startswith('<div id="dashboard-results">')
    assert "<html" not in text and "Chiffres clés" not in text
    assert "Charlie" in text and "Alpha" not in text.split("<tbody>")[1].split("</tbody>")[0]


def test_table_populations_have_thousands_separators(coord, world):  # noqa: F811
    bravo, charlie = world["communes"]["bravo"], world["communes"]["charlie"]
    bravo.population, charlie.population = 12345, None
    bravo.save(update_fields=["population"])
    charlie.save(update_fields=["population"])
    page = coord.get(reverse("diagnostic:dashboard")).content.decode()
    body = page.split("Communes du territoire")[1].split("<tbody>")[1].split("</tbody>")[0]
    assert '<td class="num">12\u00a0345</td>' in body and "12345" not in body
    assert '<td class="num">—</td>' in body  # Charlie: population unknown


def test_plain_page_keeps_filters_in_links(coord):
    text = coord.get(reverse("diagnostic:dashboard"), {"statut": "aucun", "classe_ifn": "5"}).content.decode()
    assert 'value="aucun" selected' in text
    # sort links and export links carry the filter state
    assert "export.csv?annee=" in text and "statut=aucun" in text and "classe_ifn=5" in text
    assert 'hx-get="?annee=' in text


def test_parse_filters_keeps_valid_values():
    filters = parse_filters(
        {"annee": "2025", "departement": "91", "statut": "transmis", "classe_ifn": "4", "tri": "-ifn"},
        current_year=2026,
        departements={"91": "Dép"},
        epcis={},
    )
    assert (filters.year, filters.departement, filters.status, filters.ifn_class, filters.sort) == (
        2025,
        "91",
        "transmis",
        4,
        "-ifn",
    )
    assert not filters.errors
    assert filters.sort_querystring("ifn").endswith("classe_ifn=4&tri=ifn")  # toggles -ifn to ifn
    assert filters.sort_querystring("nom").endswith("classe_ifn=4")  # the default sort is left out


def test_map_data_covers_one_departement_and_marks_the_filtered_communes(coord):
    response = coord.get(reverse("diagnostic:dashboard"), {"departement": "91", "statut": "aucun"})
    data = response.context["map"]
    assert data["departement"] == "91"
    rows = {row[0]: row for row in data["communes"]}
    assert set(rows) == {"91001", "91002", "91003", "91004"}  # one département, the Hub's only
    assert rows["91001"][4] == "submitted" and rows["91002"][4] == "draft" and rows["91003"][4] == ""
    assert {insee for insee, row in rows.items() if row[7]} == {"91003", "91004"}  # match "no diagnostic"
    assert rows["91001"][3] == 5 and rows["91003"][3] == 2  # IFN classes
    assert set(data["shapes"]) == set(rows)  # contours from territories.maps, encoded
    # A position only for a status mark: a diagnostic that matches the filters (none here: "no diagnostic").
    assert all(row[5] is None and row[6] is None for row in rows.values())
    html = response.content.decode()
    assert 'id="dashboard-map-data"' in html
    data_json = html.split('id="dashboard-map-data" type="application/json">')[1].split("</script>")[0]
    assert '"departement":"91"' in data_json and ", " not in data_json  # compact


def test_map_data_gives_a_position_to_the_status_marks_only(coord, world):  # noqa: F811
    alpha = world["communes"]["alpha"]
    alpha.centroid_lat, alpha.centroid_lon = 48.5, 2.25
    alpha.save(update_fields=["centroid_lat", "centroid_lon"])
    rows = {row[0]: row for row in coord.get(reverse("diagnostic:dashboard")).context["map"]["communes"]}
    assert rows["91001"][4] == "submitted" and rows["91001"][5:7] == [48.5, 2.25]
    assert rows["91003"][4] == "" and rows["91003"][5:7] == [None, None]


def test_map_defaults_to_the_first_departement_without_fading(coord):
    data = coord.get(reverse("diagnostic:dashboard")).context["map"]
    assert data["departement"] == "91" and not data["filtered"]
    assert all(row[7] for row in data["communes"])
