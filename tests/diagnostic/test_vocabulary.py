"""The diagnostic's vocabulary (statuses, priorities, rule statuses) has one home, diagnostic/enums.py."""

from pathlib import Path

from diagnostic.dashboard.filters import STATUS_CHOICES
from diagnostic.enums import NO_DIAGNOSTIC_LABEL, ActionStatus, DiagnosticStatus, Priority
from diagnostic.models import Diagnostic, MeasureAction
from diagnostic.plan.rules import Finding, MeasureAssessment

ROOT = Path(__file__).resolve().parents[2]


def test_database_values_are_unchanged():
    assert DiagnosticStatus.values == ["draft", "submitted"]
    assert Priority.values == ["high", "medium", "low"]
    assert ActionStatus.values == ["todo", "in_progress", "done"]
    assert Diagnostic.Status is DiagnosticStatus
    assert MeasureAction.Priority is Priority
    assert MeasureAction.Status is ActionStatus


def test_labels_come_from_the_enums():
    assert MeasureAssessment(1, "high", 4, 4).priority_label == "Haute"
    assert MeasureAssessment(1, Priority.LOW, 0, 4, evaluated=1, rules=4).confidence_label == "faible"
    assert Finding("M1_X", 1, "partial", "").status_label == "besoin partiel"
    assert set(STATUS_CHOICES.values()) == {NO_DIAGNOSTIC_LABEL, *DiagnosticStatus.labels}


def test_the_french_labels_are_written_only_in_enums():
    # (the rule statuses' words, e.g. "donnée absente", also appear in sentences of the plan: not checked here)
    labels = [*DiagnosticStatus.labels, *Priority.labels, *ActionStatus.labels, NO_DIAGNOSTIC_LABEL]
    for package in ("diagnostic", "inclusion", "territories"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts or path == ROOT / "diagnostic" / "enums.py":
                continue
            text = path.read_text(encoding="utf-8")
            for label in labels:
                assert f'"{label}"' not in text, f"{path.relative_to(ROOT)} writes the label {label!r} again"
