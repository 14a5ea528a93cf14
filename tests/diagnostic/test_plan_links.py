"""The official links of the plan's steps (diagnostic/plan/links.py): well formed, each once, used by a step, and
each one present in the team's checked list LINKS.md (beside the real open data folder)."""

import re
from urllib.parse import urlsplit

import pytest

from diagnostic.plan.links import ALL_LINKS, LINKS, Link
from diagnostic.plan.steps import STEPS

URL_IN_CELL = re.compile(r"https://[^\s;|)<>]+")


def link_problems(links) -> list[str]:
    """Duplicate keys or URLs, malformed URLs, empty fields, a check date that is not "YYYY-MM"."""
    problems = []
    keys = [link.key for link in links]
    urls = [link.url for link in links]
    problems += [f"duplicate key {k}" for k in sorted({k for k in keys if keys.count(k) > 1})]
    problems += [f"duplicate URL {u}" for u in sorted({u for u in urls if urls.count(u) > 1})]
    for link in links:
        url = link.url.replace("{code}", "18")
        parts = urlsplit(url)
        if parts.scheme != "https" or "." not in parts.netloc or re.search(r"[\s{}<>\"']", url):
            problems.append(f"malformed URL {link.key}: {link.url}")
        if "{" in link.url.replace("{code}", ""):
            problems.append(f"unknown placeholder {link.key}: {link.url}")
        if not (link.label and link.owner and link.brings):
            problems.append(f"empty field {link.key}")
        if not re.fullmatch(r"20\d\d-(0[1-9]|1[0-2])", link.checked):
            problems.append(f"check date {link.key}: {link.checked}")
    return problems


def test_links_are_well_formed_and_each_listed_once():
    assert link_problems(ALL_LINKS) == []
    assert len(LINKS) == len(ALL_LINKS)


def test_the_link_check_catches_duplicates_and_malformed_links():
    good = Link("a", "A", "https://exemple.invalid/", "Équipe de test", "Lien inventé pour le test.")
    bad = [
        good,
        Link("a", "A bis", "https://exemple.invalid/", "Équipe de test", "Doublon inventé."),
        Link("b", "B", "http://exemple.invalid/", "Équipe de test", "Pas en https."),
        Link("c", "C", "https://exemple invalid/page", "Équipe de test", "Espace."),
        Link("d", "D", "https://exemple.invalid/{commune}", "Équipe de test", "Variable inconnue."),
        Link("e", "E", "https://e.exemple.invalid/", "Équipe de test", "Date.", checked="décembre"),
    ]
    problems = link_problems(bad)
    assert "duplicate key a" in problems and "duplicate URL https://exemple.invalid/" in problems
    for key in "bcde":
        assert any(f" {key}" in p for p in problems), key


def test_every_link_is_used_by_a_step_and_every_step_link_exists():
    used = {key for steps in STEPS.values() for step in steps for key in step.links}
    assert used <= set(LINKS)
    assert set(LINKS) - used == set()


def test_check_date_and_departement_pages():
    link = LINKS["fne_gouvernance"]
    assert link.checked_label == "décembre 2026"
    assert link.for_departement("18").url.endswith("/gouvernances/departement/18")
    assert link.for_departement("") is None
    assert LINKS["pix"].for_departement("") is LINKS["pix"]


def checked_urls(text: str) -> set[str]:
    """The URLs of the URL column (3rd) of LINKS.md's table; "introuvable" rows hold none."""
    urls = set()
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 4 and cells[1].isdigit():
            urls.update(u.rstrip(".,") for u in URL_IN_CELL.findall(cells[3]))
    return urls


def test_every_link_is_in_the_checked_list(real_data_dir):
    path = real_data_dir.parent / "LINKS.md"
    if not path.exists():
        pytest.skip(f"{path} absent: the checked list of links lies beside the open data folder.")
    listed = checked_urls(path.read_text(encoding="utf-8"))
    assert len(listed) > 30
    assert "https://jalerte.arcep.fr/" in listed
    missing = [link.url for link in ALL_LINKS if link.url not in listed]
    assert missing == []
