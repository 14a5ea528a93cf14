"""Local capacity score per section (0–100) and confidence.

For each section: score = 100 × (points earned on known answers) / (maximum points of the scored questions that
have a known answer). Unknown answers ("Je ne sais pas") and unanswered questions are left out of both sides, and
shown separately as confidence: the share of the section's scored questions with a known answer. A section with no
known scored answer has no score (None), never 0.
"""

from dataclasses import dataclass

from diagnostic.questionnaire.definition import MULTIPLE, NUMBER, SECTIONS, UNKNOWN, Question


@dataclass(frozen=True)
class SectionScore:
    section: str
    title: str
    score: int | None  # 0..100, None when no scored question has a known answer
    earned: int
    possible: int
    known: int  # scored questions with a known answer
    unknown: int  # scored questions answered "Je ne sais pas"
    unanswered: int  # scored questions not answered yet
    scored_questions: int

    @property
    def confidence(self) -> int:
        """Share (0–100) of the section's scored questions that have a known answer."""
        if not self.scored_questions:
            return 100
        return round(100 * self.known / self.scored_questions)


def is_known(value) -> bool:
    if value is None or value == UNKNOWN or value == "":
        return False
    return not (isinstance(value, list) and (not value or UNKNOWN in value))


def points_for(question: Question, value) -> int:
    """Points that a known answer earns (0 for an unknown or invalid one)."""
    if not is_known(value):
        return 0
    if question.kind == NUMBER:
        earned = 0
        for threshold, points in question.thresholds:
            if int(value) >= threshold:
                earned = max(earned, points)
        return earned
    if question.kind == MULTIPLE:
        total = sum(c.points for c in question.choices if c.value in value)
        cap = question.max_points_multiple
        return min(total, cap) if cap is not None else total
    return next((c.points for c in question.choices if c.value == value), 0)


def score_sections(answers: dict) -> dict[str, SectionScore]:
    """Scores of every section from a {question key: value} mapping."""
    result = {}
    for section in SECTIONS:
        earned = possible = known = unknown = unanswered = scored = 0
        for question in section.questions:
            if not question.is_scored:
                continue
            scored += 1
            value = answers.get(question.key)
            if value is None:
                unanswered += 1
            elif not is_known(value):
                unknown += 1
            else:
                known += 1
                earned += points_for(question, value)
                possible += question.max_points
        score = round(100 * earned / possible) if possible else None
        result[section.key] = SectionScore(
            section.key, section.title, score, earned, possible, known, unknown, unanswered, scored
        )
    return result


def contribution_table() -> list[dict]:
    """One row per scored answer: the documented contribution of each answer to its section score."""
    rows = []
    for section in SECTIONS:
        for question in section.questions:
            if not question.is_scored:
                continue
            if question.kind == NUMBER:
                answers = [f"≥ {t} {question.unit}: {p} pt" for t, p in question.thresholds]
            else:
                answers = [f"{c.label}: {c.points} pt" for c in question.choices if not c.exclusive]
                if question.kind == MULTIPLE and question.max_points_multiple is not None:
                    answers.append(f"plafond {question.max_points_multiple} pt")
            rows.append(
                {
                    "section": section.title,
                    "question": question.key,
                    "label": question.label,
                    "answers": answers,
                    "max_points": question.max_points,
                }
            )
    return rows
