"""Who may open the dashboard pages, and the scope: a coordinator never sees anything outside their Hub."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import client_as as login  # noqa: F401
from tests.factories import dashboard_world_fixture as world  # noqa: F401  (fixture)

ROLES = ["anonymous", "pending_agent", "agent", "other_agent", "coordinator", "other_coordinator", "staff"]

# commune Alpha (91001, Hub A), its agent is "agent"; "other_agent" belongs to Zulu (Hub B).
EXPECTED = {
    "dashboard": dict(zip(ROLES, [302, 403, 403, 403, 200, 200, 200], strict=True)),
    "export_csv": dict(zip(ROLES, [302, 403, 403, 403, 200, 200, 200], strict=True)),
    "export_xlsx": dict(zip(ROLES, [302, 403, 403, 403, 200, 200, 200], strict=True)),
    "commune": dict(zip(ROLES, [302, 403, 403, 403, 200, 404, 200], strict=True)),
    "review": dict(zip(ROLES, [302, 403, 403, 403, 200, 404, 200], strict=True)),
    "progress": dict(zip(ROLES, [302, 404, 200, 404, 200, 404, 200], strict=True)),
}


def urls(world):  # noqa: F811
    alpha = world["communes"]["alpha"]
    return {
        "dashboard": reverse("diagnostic:dashboard"),
        "export_csv": reverse("diagnostic:dashboard_export_csv"),
        "export_xlsx": reverse("diagnostic:dashboard_export_xlsx"),
        "commune": reverse("diagnostic:dashboard_commune", args=[alpha.insee]),
        "review": reverse("diagnostic:dashboard_review", args=[world["diagnostics"]["alpha"].pk]),
        "progress": reverse("diagnostic:commune_progress", args=[alpha.insee]),
    }


@pytest.mark.parametrize("role", ROLES)
def test_status_per_role(client, world, role):  # noqa: F811
    login(client, world, role)
    for name, url in urls(world).items():
        response = client.get(url)
        assert response.status_code == EXPECTED[name][role], (name, role)
        if response.status_code == 302:
            assert reverse("accounts:login") in response["Location"]


def test_unknown_commune_and_diagnostic_are_404(client, world):  # noqa: F811
    login(client, world, "staff")
    assert client.get(reverse("diagnostic:dashboard_commune", args=["00000"])).status_code == 404
    assert client.get(reverse("diagnostic:dashboard_review", args=[999999])).status_code == 404
    assert client.get(reverse("diagnostic:commune_progress", args=["00000"])).status_code == 404


def test_coordinator_sees_only_their_hub(client, world):  # noqa: F811
    login(client, world, "coordinator")
    html = client.get(reverse("diagnostic:dashboard")).text
    for name in ("Alpha", "Bravo", "Charlie", "Delta", "Echo"):
        assert name in html
    assert "Zulu" not in html
    assert "pending-zulu@example.org" not in html  # membership requests of the other Hub
    assert "pending@example.org" in html
    # out-of-scope pages
    zulu = world["communes"]["zulu"]
    assert client.get(reverse("diagnostic:dashboard_commune", args=[zulu.insee])).status_code == 404
    assert client.get(reverse("diagnostic:commune_progress", args=[zulu.insee])).status_code == 404
    zulu_diag = world["diagnostics"]["zulu"]
    assert client.get(reverse("diagnostic:dashboard_review", args=[zulu_diag.pk])).status_code == 404
    assert client.post(reverse("diagnostic:dashboard_review", args=[zulu_diag.pk]), {"body": "x"}).status_code == 404


def test_filter_on_another_hubs_departement_is_ignored(client, world):  # noqa: F811
    login(client, world, "coordinator")
    response = client.get(reverse("diagnostic:dashboard"), {"departement": "93"})
    assert response.status_code == 200
    assert "ne fait pas partie de votre territoire" in response.text
    assert "Zulu" not in response.text
    csv_text = client.get(reverse("diagnostic:dashboard_export_csv"), {"departement": "93"}).content.decode()
    assert "93001" not in csv_text
    assert "91001" in csv_text  # the bad filter is ignored, the scope stays


def test_staff_see_every_hub(client, world):  # noqa: F811
    login(client, world, "staff")
    html = client.get(reverse("diagnostic:dashboard")).text
    assert "Alpha" in html and "Zulu" in html


def test_headline_figures_are_scoped(client, world):  # noqa: F811
    login(client, world, "coordinator")
    figures = client.get(reverse("diagnostic:dashboard")).context["figures"]
    assert figures["communes"] == 5
    assert figures["started"] == 2  # Alpha (submitted) and Bravo (draft) this year
    assert figures["submitted"] == 1
    assert figures["population"] == 1200 + 1500 + 300 + 1100 + 1300
    assert figures["population_started"] == 2700
    assert figures["population_started_share"] == round(100 * 2700 / 5400, 1)


def test_previous_year_figures(client, world):  # noqa: F811
    login(client, world, "coordinator")
    response = client.get(reverse("diagnostic:dashboard"), {"annee": world["year"] - 1})
    figures = response.context["figures"]
    assert figures["started"] == 2 and figures["submitted"] == 2  # Alpha and Echo last year


def test_alerts(client, world):  # noqa: F811
    login(client, world, "coordinator")
    alerts = client.get(reverse("diagnostic:dashboard")).context["alerts"]
    low = [a.commune.insee for a in alerts["low_capacity"]]
    assert low == ["91001"]  # Alpha: fragile, low scores; Bravo: fragile but high scores; Zulu: other Hub
    assert alerts["low_capacity"][0].capacity < 40
    no_diag = [a.commune.insee for a in alerts["no_diagnostic"]]
    assert no_diag == ["92001", "91004"]  # fragile (≥ 7.4) with no diagnostic this year, most fragile first
    assert alerts["no_diagnostic_count"] == 2


def test_measure_priorities_are_scoped(client, world):  # noqa: F811
    login(client, world, "coordinator")
    priorities = client.get(reverse("diagnostic:dashboard")).context["priorities"]
    counts = {r["measure"].number: r["count"] for r in priorities["rows"]}
    assert counts == {1: 1, 2: 1, 3: 0, 4: 1, 5: 0}  # Zulu's measure 1 is not counted
    assert priorities["diagnostics"] == 2


def test_pending_memberships_link_to_the_decision_page(client, world):  # noqa: F811
    login(client, world, "coordinator")
    response = client.get(reverse("diagnostic:dashboard"))
    assert response.context["pending_count"] == 1
    assert reverse("accounts:memberships") in response.text
    pending = response.context["pending"][0]
    assert pending.user.email == "pending@example.org"
    assert reverse("accounts:membership_decide", args=[pending.pk]) in response.text


def test_dashboard_is_csp_safe(client, world):  # noqa: F811
    login(client, world, "coordinator")
    html = client.get(reverse("diagnostic:dashboard")).text
    assert ' style="' not in html
    assert "onclick" not in html
    assert "https://" not in html.split("<footer")[0].replace("https://hub.example.org/", "")
    for chunk in html.split("<script")[1:]:
        head = chunk.split(">", 1)[0]
        assert "src=" in head or "nonce=" in head or 'type="application/json"' in head, head
