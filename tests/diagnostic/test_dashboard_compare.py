"""Similar communes (choice and what is shown), the progress page, the commune page and review comments."""

from __future__ import annotations

from django.core import mail
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from diagnostic.dashboard import classes
from diagnostic.dashboard.selectors.similar import similar_communes
from diagnostic.models import ReviewComment
from tests.factories import client_as as login  # noqa: F401
from tests.factories import dashboard_world_fixture as world  # noqa: F401  (fixture)
from tests.factories import make_commune, make_departement

YEAR = timezone.now().year


def test_similar_same_departement_first_then_region(world, monkeypatch):  # noqa: F811
    alpha = world["communes"]["alpha"]
    result = similar_communes(alpha)
    assert result["ifn_class"].number == 5
    assert result["population_band"].number == 2  # 500–1 999
    codes = [s.commune.insee for s in result["communes"]]
    # Same département (91) first, closest population first; then région A (92); never Hub B's Zulu (région B);
    # never Charlie (class 2, band 1); never itself.
    assert codes == ["91004", "91002", "92001"]
    assert [s.same_departement for s in result["communes"]] == [True, True, False]


def test_similar_does_not_go_to_the_region_when_enough_in_the_departement(world, monkeypatch):  # noqa: F811
    monkeypatch.setattr("diagnostic.dashboard.selectors.similar.SIMILAR_MIN", 2)
    codes = [s.commune.insee for s in similar_communes(world["communes"]["alpha"])["communes"]]
    assert codes == ["91004", "91002"]


def test_similar_respects_the_bands(world):  # noqa: F811
    dep = make_departement("91")
    make_commune("91010", "Grande", dep=dep, population=2500, ifn=8.5)  # other population band
    make_commune("91011", "Moins fragile", dep=dep, population=1200, ifn=7.0)  # other IFN class
    codes = [s.commune.insee for s in similar_communes(world["communes"]["alpha"])["communes"]]
    assert "91010" not in codes and "91011" not in codes


def test_similar_shows_only_aggregates_of_submitted_diagnostics(world):  # noqa: F811
    # Bravo's diagnostic is a draft: not shared. Echo's submitted diagnostic of last year is its latest.
    echo = world["diagnostics"]["echo_last"]
    echo.measures.filter(measure=3).update(status="done", comment="SECRET comment of Echo", owner="Mme Secret")
    result = similar_communes(world["communes"]["alpha"])
    by_code = {s.commune.insee: s for s in result["communes"]}
    assert by_code["91002"].diagnostic_year is None and by_code["91002"].high_measures == []
    assert by_code["92001"].diagnostic_year == YEAR - 1
    assert by_code["92001"].high_measures == [3]
    assert by_code["92001"].status_counts == {"done": 1, "todo": 4}
    assert result["shared"] == 1
    assert {m["measure"].number: (m["high"], m["done"]) for m in result["measures"]}[3] == (1, 1)


def test_similar_without_ifn(world):  # noqa: F811
    commune = make_commune("91020", "Sans indice", dep="91", population=800, ifn=None)
    assert similar_communes(commune)["communes"] == []


def render_partial(name, diagnostic, user):
    request = RequestFactory().get("/")
    request.user = user
    return Template('{% include "diagnostic/dashboard/' + name + '" %}').render(
        Context({"diagnostic": diagnostic, "request": request})
    )


def test_similar_partial_for_a_plan_page_hides_comments(world):  # noqa: F811
    echo = world["diagnostics"]["echo_last"]
    echo.measures.filter(measure=3).update(comment="SECRET comment of Echo", owner="Mme Secret")
    ReviewComment.objects.create(diagnostic=echo, author=world["users"]["coordinator"], body="SECRET review")
    html = render_partial("_similar.html", world["diagnostics"]["alpha"], world["users"]["agent"])
    assert "Echo" in html and "Delta" in html
    assert "SECRET" not in html and "Mme Secret" not in html
    assert "Zulu" not in html


def test_commune_page(client, world):  # noqa: F811
    login(client, world, "coordinator")
    response = client.get(reverse("diagnostic:dashboard_commune", args=["91001"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Diagnostic {YEAR}" in html and f"Diagnostic {YEAR - 1}" in html
    assert reverse("diagnostic:plan", args=[world["diagnostics"]["alpha"].pk]) in html
    assert reverse("diagnostic:commune_progress", args=["91001"]) in html
    assert "Communes similaires" in html and "Delta" in html
    assert '<td class="num">1\u00a0100</td>' in html  # Delta's population, with the French thousands separator
    assert ' style="' not in html


def test_progress_view(client, world):  # noqa: F811
    login(client, world, "agent")
    response = client.get(reverse("diagnostic:commune_progress", args=["91001"]))
    assert response.status_code == 200
    progress = response.context["progress"]
    assert [d.year for d in progress["diagnostics"]] == [YEAR - 1, YEAR]
    # last year all scores were 100, this year low: every section fell
    for row in progress["sections"]:
        first, second = row["cells"]
        assert first["score"] == 100 and first["delta"] is None
        assert second["score"] < classes.LOW_CAPACITY_SCORE and second["delta"] == second["score"] - 100
    measure_1 = progress["measures"][0]["cells"]
    assert measure_1[0]["action"].status == "in_progress"
    assert measure_1[1]["action"].status == "done" and measure_1[1]["changed"]
    assert not progress["measures"][1]["cells"][1]["changed"]  # todo → todo
    html = response.content.decode()
    assert "en baisse" in html and "changé" in html


def test_progress_with_one_diagnostic(client, world):  # noqa: F811
    login(client, world, "staff")
    response = client.get(reverse("diagnostic:commune_progress", args=["91002"]))
    assert "Un seul diagnostic pour l" in response.content.decode()


def test_review_comment_is_saved_mailed_and_shown_on_the_plan(client, world):  # noqa: F811
    login(client, world, "coordinator")
    diagnostic = world["diagnostics"]["alpha"]
    url = reverse("diagnostic:dashboard_review", args=[diagnostic.pk])
    response = client.post(url, {"body": "Pensez à contacter le conseiller numérique."})
    assert response.status_code == 302
    review = ReviewComment.objects.get(diagnostic=diagnostic)
    assert review.author == world["users"]["coordinator"]
    # one e-mail per approved agent of the commune; never the pending agent or another commune's agent
    assert sorted(m.to[0] for m in mail.outbox) == ["agent2@example.org", "agent@example.org"]
    assert "Pensez à contacter" in mail.outbox[0].body
    assert reverse("diagnostic:plan", args=[diagnostic.pk]) in mail.outbox[0].body
    # the agents see it on their plan (partial included in the plan template)
    html = render_partial("_reviews.html", diagnostic, world["users"]["agent"])
    assert "Pensez à contacter le conseiller numérique." in html
    assert "Laisser un commentaire" not in html  # agents cannot review
    html = render_partial("_reviews.html", diagnostic, world["users"]["coordinator"])
    assert "Laisser un commentaire" in html


def test_review_comment_appears_on_the_plan_page(client, world):  # noqa: F811
    diagnostic = world["diagnostics"]["alpha"]
    ReviewComment.objects.create(diagnostic=diagnostic, author=world["users"]["coordinator"], body="Bravo pour le plan")
    login(client, world, "agent")
    response = client.get(reverse("diagnostic:plan", args=[diagnostic.pk]))
    assert response.status_code == 200
    assert "Bravo pour le plan" in response.content.decode()


def test_empty_review_is_refused(client, world):  # noqa: F811
    login(client, world, "coordinator")
    diagnostic = world["diagnostics"]["alpha"]
    response = client.post(reverse("diagnostic:dashboard_review", args=[diagnostic.pk]), {"body": "   "})
    assert response.status_code == 400
    assert "Écrivez votre commentaire" in response.content.decode()
    assert not ReviewComment.objects.exists()
    assert not mail.outbox


def test_agents_cannot_post_reviews(client, world):  # noqa: F811
    login(client, world, "agent")
    diagnostic = world["diagnostics"]["alpha"]
    response = client.post(reverse("diagnostic:dashboard_review", args=[diagnostic.pk]), {"body": "moi"})
    assert response.status_code == 403
    assert not ReviewComment.objects.exists()


def test_review_page_shows_answers_read_only(client, world):  # noqa: F811
    login(client, world, "staff")
    response = client.get(reverse("diagnostic:dashboard_review", args=[world["diagnostics"]["alpha"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "lecture seule" in html and "Réponses" in html and "Équipement" in html
