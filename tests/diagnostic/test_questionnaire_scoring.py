"""Scoring: the documented table (docs/scoring.md) is generated from the code, unknown ≠ no."""

from diagnostic.questionnaire import definition, scoring, scoring_doc


def test_committed_scoring_doc_equals_the_generated_one():
    assert scoring_doc.DOC_PATH.read_text(encoding="utf-8") == scoring_doc.render_markdown(), (
        "docs/scoring.md is stale: run `.venv/bin/python -m diagnostic.questionnaire.scoring_doc`"
    )


def test_contribution_table_lists_every_scored_question():
    rows = scoring.contribution_table()
    scored = [q.key for q in definition.QUESTIONS.values() if q.is_scored]
    assert [r["question"] for r in rows] == scored
    for row in rows:
        assert row["question"] in scoring_doc.render_markdown()


def test_unknown_is_not_no():
    unknown = scoring.score_sections({"eq_printer_scanner": "unknown", "eq_wifi_public_buildings": "yes"})["equipement"]
    no = scoring.score_sections({"eq_printer_scanner": "no", "eq_wifi_public_buildings": "yes"})["equipement"]
    assert unknown.score == 100 and no.score == 50
    assert unknown.unknown == 1 and unknown.known == 1
    assert unknown.confidence == 20  # 1 known of 5 scored questions


def test_no_known_answer_means_no_score():
    assert scoring.score_sections({"eq_printer_scanner": "unknown"})["equipement"].score is None


def test_keys_are_stable():
    assert len(definition.QUESTIONS) == 30
    assert [len(s.questions) for s in definition.SECTIONS] == [6, 6, 6, 6, 6]
