"""L1 and L8 (inputs): NUL bytes and other invalid characters answer a French 400, never 500 (PostgreSQL refuses NUL in
text); target dates stay within a sensible range; numbers are read as a person types them in French.

Pages: every URL of tests/permission_table.py that the role may open, on the MADE-UP dataset of
tests/test_url_permissions.py, for a visitor, an agent and a coordinator.
"""

from __future__ import annotations

import datetime

import pytest

from inclusion.inputs import BoundedDateField, invalid_character, parse_decimal, parse_integer
from tests.factories import PASSWORD
from tests.permission_table import PERMISSIONS
from tests.test_url_permissions import build_dataset, client_for, resolve_urls

ROLES = ["anonymous", "agent", "coordinator"]


@pytest.fixture
def dataset(db):
    return build_dataset()


def assert_french_400(response, where: str):
    assert response.status_code == 400, f"{where}: {response.status_code}"
    assert "Demande non valable" in response.text, where
    assert '<html lang="fr">' in response.text, where


@pytest.mark.parametrize("role", ROLES)
def test_a_nul_byte_in_a_query_value_answers_a_french_400_on_every_page(role, dataset):
    client = client_for(role, dataset)
    for name, url in resolve_urls(dataset).items():
        if PERMISSIONS[name][role] != 200:
            continue
        # The parameters the pages read (search, suggestions, dashboard filters, history page) and one they ignore.
        response = client.get(url, {"q": "Bou\x00", "commune": "\x00", "departement": "97\x00", "page": "1\x00"})
        assert_french_400(response, f"GET {name} as {role}")


@pytest.mark.parametrize("role", ROLES)
def test_a_nul_byte_in_a_posted_value_answers_a_french_400(role, dataset):
    client = client_for(role, dataset)
    data = {
        "username": "agent@example.org\x00",
        "email": "x\x00@example.org",
        "password": PASSWORD,
        "body": "Avis\x00",
        "comment": "Commentaire\x00",
        "owner": "Secrétariat\x00",
        "version": "1",
    }
    for name, url in resolve_urls(dataset).items():
        if PERMISSIONS[name][role] != 200:
            continue
        assert_french_400(client.post(url, data), f"POST {name} as {role}")


def test_the_review_comment_with_a_nul_byte_is_refused_not_a_server_error(dataset):
    """The review comment was read from request.POST without a form: PostgreSQL answered 500."""
    from django.urls import reverse

    from diagnostic.models import Diagnostic

    client = client_for("coordinator", dataset)
    diagnostic = dataset["diagnostic_a"]
    Diagnostic.objects.filter(pk=diagnostic.pk).update(status="submitted")
    response = client.post(reverse("diagnostic:dashboard_review", kwargs={"pk": diagnostic.pk}), {"body": "ok\x00"})
    assert_french_400(response, "review")


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x1b", "\x1f"])
def test_control_characters_in_a_path_or_a_field_name_answer_400(character, dataset):
    client = client_for("agent", dataset)
    insee = dataset["commune_a"].insee
    assert_french_400(client.get(f"/communes/{insee}{character}/"), "path")
    assert_french_400(client.post("/connexion/", {f"user{character}name": "x"}), "field name")


def test_tabs_line_breaks_and_accents_are_kept(dataset):
    client = client_for("anonymous", dataset)
    response = client.get("/recherche/", {"q": "Saint-Étienne\tde\r\nl'Île"})
    assert response.status_code == 200


def test_invalid_characters_are_named():
    assert invalid_character("a\x00b") == "\x00"
    assert invalid_character("\ud800 lone surrogate") == "\ud800"
    assert invalid_character("\ufffe") == "\ufffe"
    assert invalid_character("Tab\tand\r\nline breaks, accents éà, emoji 🙂") is None


# -- numbers as a person types them in French -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "value"), [("12", 12), ("1 234", 1234), ("1\u00a0234", 1234), ("1\u202f234 567", 1234567), (" 7 ", 7)]
)
def test_whole_numbers_typed_in_french_are_read(typed, value):
    assert parse_integer(typed) == value


@pytest.mark.parametrize("typed", ["1_0", "١٢", "１２", "1e3", "12 34", "12,5", "douze", "", "0x10", "½"])
def test_underscores_exotic_digits_and_other_forms_are_not_whole_numbers(typed):
    with pytest.raises(ValueError):
        parse_integer(typed)


def test_decimals_take_a_comma_or_a_point():
    from decimal import Decimal

    assert parse_decimal("12,5") == Decimal("12.5")
    assert parse_decimal("1 234,75") == Decimal("1234.75")
    assert parse_decimal("12.5") == Decimal("12.5")
    for typed in ["1_0,5", "١٢,٥", "１２,５", "1,2,3"]:
        with pytest.raises(ValueError):
            parse_decimal(typed)


@pytest.mark.parametrize("typed", ["1_0", "١٢", "１２"])
def test_the_dashboard_filters_ignore_exotic_numbers(typed):
    from diagnostic.dashboard.filters import parse_filters

    filters = parse_filters({"annee": typed, "page": typed, "classe_ifn": typed}, current_year=2026, departements={})
    assert filters.year == 2026 and filters.page == 1 and filters.ifn_class is None
    assert len(filters.errors) == 3


# -- dates -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["1900-01-01", "9999-12-31", "31/12/1999", "01/01/2101"])
def test_target_dates_out_of_range_are_refused_in_french(typed):
    from diagnostic.plan.forms import MeasureActionForm

    form = MeasureActionForm({"target_date": typed, "status": "todo", "version": "1"}, measure=1)
    assert not form.is_valid()
    assert form.errors["target_date"] == ["Indiquez une date entre le 01/01/2000 et le 31/12/2100."]


def test_target_dates_in_range_are_kept_and_the_date_picker_is_bounded():
    from diagnostic.plan.forms import MeasureActionForm

    form = MeasureActionForm({"target_date": "30/06/2027", "status": "todo", "version": "1"}, measure=1)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["target_date"] == datetime.date(2027, 6, 30)
    html = str(form["target_date"])
    assert 'min="2000-01-01"' in html and 'max="2100-12-31"' in html
    assert isinstance(form.fields["target_date"], BoundedDateField)
