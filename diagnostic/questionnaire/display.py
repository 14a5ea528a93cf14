"""Human-readable (French) renderings of stored answer values."""

from __future__ import annotations

from diagnostic.questionnaire.definition import MULTIPLE, NUMBER, QUESTIONS, UNKNOWN, UNKNOWN_LABEL, Question

EMPTY = "Sans réponse"


def display_value(question: Question | None, value) -> str:
    """'Oui', 'Je ne sais pas', '3 ordinateurs', 'Personnes âgées, Jeunes', 'Sans réponse'..."""
    if value is None or value == "" or value == []:
        return EMPTY
    if value == UNKNOWN or value == [UNKNOWN]:
        return UNKNOWN_LABEL
    if question is None:
        return str(value)
    if question.kind == NUMBER:
        return question.quantity(value)
    if question.kind == MULTIPLE and isinstance(value, list):
        return ", ".join(question.choice_label(v) for v in value)
    return question.choice_label(value)


def display_field_value(key: str, value) -> str:
    """Rendering of an audited answer field: "<question>" (value) or "<question>.comment" (free text)."""
    question_key, _, part = key.partition(".")
    if part == "comment":
        return value if value else "(pas de commentaire)"
    return display_value(QUESTIONS.get(question_key), value)


def field_label(key: str) -> str:
    question_key, _, part = key.partition(".")
    question = QUESTIONS.get(question_key)
    label = question.label if question else question_key
    return f"Commentaire — {label}" if part == "comment" else label
