"""Tests of the dashboard's named classes, and the MADE-UP dashboard territory the dashboard tests share.

The territory is built by tests/factories/worlds.build_dashboard_world (every name, code and figure is invented);
its table is in that module's docstring.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from diagnostic.dashboard import classes
from tests.factories import answers_for

YEAR = timezone.now().year


# --- tests of the named classes --------------------------------------------------------------------------------


def test_ifn_classes_match_the_public_pages_and_cover_1_to_10():
    from territories import vocabulary

    for value in (1.0, 2.79, 2.8, 4.6, 6.39, 6.4, 8.19, 8.2, 10.0):
        band = classes.ifn_class_of(value)
        assert band is not None
        assert band.number == vocabulary.ifn_class(value)
    assert classes.ifn_class_of(None) is None
    assert classes.ifn_class_of(0) is None


@pytest.mark.parametrize(
    ("population", "band"), [(0, 1), (499, 1), (500, 2), (1999, 2), (2000, 3), (4999, 3), (5000, 4), (20000, 5)]
)
def test_population_bands(population, band):
    assert classes.population_band_of(population).number == band


def test_alert_thresholds_are_named_and_documented():
    assert classes.FRAGILE_IFN_THRESHOLD == 7.4
    assert classes.LOW_CAPACITY_SCORE == 40
    assert "FRAGILE_IFN_THRESHOLD" in classes.__doc__
    assert "LOW_CAPACITY_SCORE" in classes.__doc__


def test_made_up_answers_give_low_and_high_scores():
    from diagnostic.questionnaire.scoring import score_sections

    low = score_sections(answers_for("low"))
    high = score_sections(answers_for("high"))
    assert all(s.score < classes.LOW_CAPACITY_SCORE for s in low.values())
    assert all(s.score == 100 for s in high.values())
