import pytest

from territories.text import normalize_search


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Saint-Étienne", "saint etienne"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("Saint-Léger-aux-Bois", "saint leger aux bois"),
        ("  Œuilly  ", "oeuilly"),
        ("Bourg-en-Bresse (01)", "bourg en bresse 01"),
        ("Villeurbanne", "villeurbanne"),
        ("L’Île-d’Yeu", "l ile d yeu"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_search(raw, expected):
    assert normalize_search(raw) == expected
