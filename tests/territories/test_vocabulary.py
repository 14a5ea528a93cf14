"""One home per vocabulary: the IFN classes, labels, colours and code patterns (territories.vocabulary) and the French
formatting (territories.formatting) are defined once; a grep fails when a duplicate reappears."""

import re
from pathlib import Path

import pytest

from diagnostic.dashboard import classes
from diagnostic.dashboard.selectors.maps import MAP_CLASS_COLOURS
from diagnostic.plan.svgmap import _legend_classes
from territories import vocabulary
from territories.maps import CLASS_COLOURS as MAP_COLOURS

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("diagnostic", "inclusion", "territories", "bench")


def _python_files():
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


@pytest.mark.parametrize(
    ("value", "number"),
    [(None, 0), (0, 0), (0.0, 0), (1.0, 1), (2.79, 1), (2.8, 2), (4.6, 3), (6.4, 4), (8.19, 4), (8.2, 5), (10, 5)],
)
def test_ifn_class_bounds(value, number):
    assert vocabulary.ifn_class(value) == number
    band = classes.ifn_class_of(value)
    assert (band.number if band else 0) == number  # the dashboard's class is the public pages' class


def test_class_labels_and_ranges():
    assert [c.range_text for c in vocabulary.IFN_CLASSES] == [
        "1,0 à moins de 2,8",
        "2,8 à moins de 4,6",
        "4,6 à moins de 6,4",
        "6,4 à moins de 8,2",
        "8,2 à 10",
    ]
    assert vocabulary.ifn_class_label(0) == "donnée absente"
    assert vocabulary.ifn_class_label(5) == "très fragile"
    assert classes.IFN_CLASSES[1].label == "peu fragile (2,8 à moins de 4,6)"
    assert _legend_classes()[0] == ("1,0 à moins de 2,8 : très peu fragile", "#ffffb2")


def test_every_map_uses_the_same_colours():
    assert MAP_COLOURS is vocabulary.CLASS_COLOURS
    assert MAP_CLASS_COLOURS is vocabulary.CLASS_COLOURS
    assert [fill for _label, fill in _legend_classes()] == [*vocabulary.CLASS_COLOURS[1:], vocabulary.CLASS_COLOURS[0]]


def test_css_class_colours_match_the_vocabulary():
    # the legends' swatches are CSS classes (no inline style under the CSP): their colours are a copy, kept in sync here
    css = (ROOT / "static" / "css" / "territories.css").read_text(encoding="utf-8")
    found = dict(re.findall(r"\.ifn-class-(\d)\s*\{\s*background:\s*(#[0-9a-fA-F]{6})\s*;", css))
    assert {int(k): v.lower() for k, v in found.items()} == dict(enumerate(vocabulary.CLASS_COLOURS))


@pytest.mark.parametrize(
    ("code", "valid"), [("01001", True), ("2A004", True), ("2B033", True), ("2C004", False), ("1001", False)]
)
def test_insee_pattern(code, valid):
    assert bool(vocabulary.INSEE_RE.match(code)) is valid


def test_no_hand_made_decimal_comma_or_code_pattern_outside_their_module():
    decimal_comma = re.compile(r"""\.replace\(\s*["']\.["']\s*,\s*["'],["']\s*\)""")
    thousands = re.compile(r"""\.replace\(\s*["'],["']\s*,\s*["'](?:\\u202f|\\xa0|\\u00a0| )["']\s*\)""")
    formula_start = re.compile(r"""\(\s*["']=["']\s*,\s*["']\+["']\s*,\s*["']-["']""")
    offenders = []
    for path in _python_files():
        relative = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        if relative != "territories/formatting.py":
            for pattern, what in ((decimal_comma, "decimal comma"), (thousands, "thousands"), (formula_start, "CSV")):
                if pattern.search(text):
                    offenders.append(f"{relative}: hand-made {what}")
        if relative != "territories/vocabulary.py" and "2[AB]" in text:
            offenders.append(f"{relative}: hand-made INSEE/département pattern")
        if relative != "territories/vocabulary.py" and re.search(r"#d9d9d9|#a50026", text, re.IGNORECASE):
            offenders.append(f"{relative}: IFN class colours written again")
    assert offenders == []


def test_templates_agree_their_plurals_and_write_french_dates():
    # Django's |pluralize makes "0 lieux" (plural from 0, English rule); "(s)" is how a form writes, not a mairie
    offenders = []
    for path in (ROOT / "templates").rglob("*"):
        if path.suffix not in {".html", ".txt"}:
            continue
        text = path.read_text(encoding="utf-8")
        # and a day-month date goes through |date_fr ("1er décembre", where date:"j F" writes "1 décembre")
        for bad in ("|pluralize", "(s)", "(x)", "(aux)", "(es)", 'date:"j F', "date:'j F"):
            if bad in text:
                offenders.append(f"{path.relative_to(ROOT).as_posix()}: {bad}")
    assert offenders == []


def test_the_plan_agrees_its_plurals():
    # the plan's sentences are read by the council: "agent(s) formé(s)" is written through formatting.plural instead
    offenders = []
    for path in (ROOT / "diagnostic" / "plan").rglob("*.py"):
        for match in re.finditer(r"\w\((?:s|aux|es)\)|[aeo]u\(x\)", path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(ROOT).as_posix()}: {match.group(0)}")
    assert offenders == []
