"""The French formatting module (territories.formatting) and its template filters (`{% load fr %}`)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template, TemplateSyntaxError

from territories import formatting as f

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (1, "1"),
        (7.8, "7,8"),
        (9.0, "9"),
        (7.84, "7,8"),
        (7.96, "8"),
        (1397, f"1{NBSP}397"),
        (1397.0, f"1{NBSP}397"),
        (12345678, f"12{NBSP}345{NBSP}678"),
        (-1234.5, f"-1{NBSP}234,5"),
        (-3, "-3"),
        (Decimal("2.5"), "2,5"),
        ("4.25", "4,2"),
        (None, "—"),
        ("", "—"),
        ("n/a", "—"),
    ],
)
def test_number(value, expected):
    assert f.number(value) == expected


def test_number_digits_and_missing_text():
    assert f.number(7.845, 2) == "7,84" or f.number(7.845, 2) == "7,85"  # binary rounding of 7.845
    assert f.number(1234.567, 2) == f"1{NBSP}234,57"
    assert f.number(None, missing="donnée absente") == "donnée absente"


def test_decimal_keeps_its_decimals():
    assert f.decimal(9) == "9,0"
    assert f.decimal(7.84) == "7,8"
    assert f.decimal(2.8) == "2,8"
    assert f.decimal(12345.678, 2) == f"12{NBSP}345,68"
    assert f.decimal(None) == "—"


def test_spreadsheet_number_has_no_thousands_separator():
    assert f.spreadsheet_number(7.83) == "7,83"
    assert f.spreadsheet_number(12345.5) == "12345,5"
    assert f.spreadsheet_number(12) == "12"
    assert f.spreadsheet_number(None) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.94, "0,9 km"), (12.0, "12 km"), (12.04, "12 km"), (0, "0 km"), (1523.26, f"1{NBSP}523,3 km"), (None, "—")],
)
def test_km(value, expected):
    assert f.km(value) == expected


def test_percent():
    assert f.percent(12.54) == "12,5 %"
    assert f.percent(50) == "50 %"
    assert f.percent(None) == "—"


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 lieu"),
        (1, "1 lieu"),
        (1.5, "1,5 lieu"),
        (2, "2 lieux"),
        (3, "3 lieux"),
        (1397, f"1{NBSP}397 lieux"),
        (-1, "-1 lieu"),
        (-2, "-2 lieux"),
        (None, "—"),
    ],
)
def test_plural_nouns(count, expected):
    assert f.plural(count, "lieu", "lieux") == expected


def test_plural_agrees_adjectives_too():
    assert f.plural(0, "agent formé", "agents formés") == "0 agent formé"
    assert f.plural(1, "agent formé", "agents formés") == "1 agent formé"
    assert f.plural(2, "agent formé", "agents formés") == "2 agents formés"
    assert f.plural(1, "acteur local", "acteurs locaux") == "1 acteur local"
    assert f.plural(4, "acteur local", "acteurs locaux") == "4 acteurs locaux"
    assert f.agree(1, "réponse connue", "réponses connues") == "réponse connue"
    assert f.agree(2, "réponse connue", "réponses connues") == "réponses connues"
    assert f.plural(None, "lieu", "lieux", missing="donnée absente") == "donnée absente"


def test_french_dates():
    assert f.date(dt.date(2026, 12, 1)) == "1er décembre 2026"
    assert f.date(dt.date(2026, 3, 3)) == "3 mars 2026"
    assert f.date(dt.date(2026, 8, 15)) == "15 août 2026"
    assert f.date(dt.datetime(2026, 2, 11, 9, 30)) == "11 février 2026"
    # an aware datetime is read in the site's time zone (Europe/Paris): 23:30 UTC on 30 November is 1 December
    assert f.date(dt.datetime(2026, 11, 30, 23, 30, tzinfo=ZoneInfo("UTC"))) == "1er décembre 2026"
    assert f.date(None) == "—"


def test_french_date_and_time():
    at = dt.datetime(2026, 12, 1, 8, 5, tzinfo=ZoneInfo("UTC"))  # 09:05 in Paris
    assert f.date_time(at) == "1er décembre 2026 à 09 h 05"
    assert f.date_time(dt.datetime(2026, 3, 3, 14, 30)) == "3 mars 2026 à 14 h 30"
    assert f.date_time(None) == "—"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+33 1 23", "'+33 1 23"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\n=1", "'\n=1"),
        ("  =1+1", "'  =1+1"),  # after spaces: the old rule of the plan export let it through
        ("\uff1d1+1", "'\uff1d1+1"),  # full-width "="
        ("Saint-Denis", "Saint-Denis"),
        ("Mairie = accueil", "Mairie = accueil"),
        ("", ""),
        (None, ""),
    ],
)
def test_safe_cell(value, expected):
    assert f.safe_cell(value) == expected


def _render(source: str, **context) -> str:
    return Template("{% load fr %}" + source).render(Context(context))


def test_template_filters():
    assert _render('{{ n|plural:"lieu,lieux" }}', n=0) == "0 lieu"
    assert _render('{{ n|plural:"lieu,lieux" }}', n=3) == "3 lieux"
    assert _render('{{ n|plural:"agent formé,agents formés" }}', n=1) == "1 agent formé"
    assert _render('{{ n|plural:"lieu,lieux,aucune donnée" }}', n=None) == "aucune donnée"
    assert _render('{{ n|agree:"diagnostic commencé,diagnostics commencés" }}', n=1) == "diagnostic commencé"
    assert _render("{{ n|number }}", n=1397) == f"1{NBSP}397"
    assert _render("{{ n|decimal }}", n=9) == "9,0"
    assert _render("{{ n|decimal:2 }}", n=7.844) == "7,84"
    assert _render("{{ n|km }}", n=0.94) == "0,9 km"
    assert _render("{{ n|percent }}", n=12.54) == "12,5 %"
    assert _render("{{ d|date_fr }}", d=dt.date(2026, 12, 1)) == "1er décembre 2026"
    assert _render("{{ d|date_time_fr }}", d=dt.datetime(2026, 12, 1, 9, 5)) == "1er décembre 2026 à 09 h 05"


def test_plural_filter_needs_both_forms():
    with pytest.raises(TemplateSyntaxError):
        _render('{{ n|plural:"lieu" }}', n=2)
