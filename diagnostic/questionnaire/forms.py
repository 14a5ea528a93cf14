"""Forms of the questionnaire, built from the definition (diagnostic/questionnaire/definition.py).

One form per section (one page per step). For question `key`:
- `key`: the answer (radio buttons for yes/no and single choice, checkboxes for multiple choice, a number input);
  "Je ne sais pas" is always offered: a choice of the radio/checkbox group, or the `key__unknown` checkbox for
  numbers;
- `key__comment`: an optional comment;
- `key__shown` (multiple choice only): a hidden marker saying the page showed the checkbox group, so that a group
  with no box ticked (nothing sent) clears the answer, while a post that does not carry the question leaves it alone.
The hidden `version` field carries the diagnostic version the page was read at (optimistic lock), `page_id` the
opened page (a tab never conflicts with its own autosaves, but does with another tab). Only the fields a post carries
are saved (a partial autosave changes nothing else).
"""

from __future__ import annotations

from uuid import uuid4

from django import forms

from diagnostic.questionnaire.definition import (
    MULTIPLE,
    NUMBER,
    SINGLE,
    UNKNOWN,
    UNKNOWN_LABEL,
    YES_NO,
    Question,
    Section,
)
from inclusion.accounts.forms import ErrorSummaryMixin
from inclusion.inputs import FrenchIntegerField

COMMENT_SUFFIX = "__comment"
UNKNOWN_SUFFIX = "__unknown"
SHOWN_SUFFIX = "__shown"
COMMENT_MAX_LENGTH = 2000


def comment_field_name(key: str) -> str:
    return f"{key}{COMMENT_SUFFIX}"


def unknown_field_name(key: str) -> str:
    return f"{key}{UNKNOWN_SUFFIX}"


def shown_field_name(key: str) -> str:
    return f"{key}{SHOWN_SUFFIX}"


def _choices(question: Question) -> list[tuple[str, str]]:
    return [(c.value, c.label) for c in question.choices] + [(UNKNOWN, UNKNOWN_LABEL)]


def value_field(question: Question) -> forms.Field:
    common = {"label": question.label, "help_text": question.help, "required": False}
    if question.kind in (YES_NO, SINGLE):
        return forms.ChoiceField(
            choices=_choices(question),
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": "Choisissez une des réponses proposées."},
            **common,
        )
    if question.kind == MULTIPLE:
        return forms.MultipleChoiceField(
            choices=_choices(question),
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": "Choisissez parmi les réponses proposées."},
            **common,
        )
    if question.kind == NUMBER:
        bounds = f"entre {question.min_value} et {question.max_value}"
        return FrenchIntegerField(
            min_value=question.min_value,
            max_value=question.max_value,
            widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input-number"}),
            error_messages={
                "invalid": f"Indiquez un nombre entier {bounds}, en chiffres (par exemple 3).",
                "min_value": f"Indiquez un nombre {bounds}.",
                "max_value": f"Indiquez un nombre {bounds}.",
            },
            **common,
        )
    raise ValueError(f"Unknown question kind {question.kind!r}")


class SectionForm(ErrorSummaryMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    page_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)

    def __init__(self, *args, section: Section, **kwargs):
        self.section = section
        super().__init__(*args, **kwargs)
        for question in section.questions:
            self.fields[question.key] = value_field(question)
            if question.kind == NUMBER:
                self.fields[unknown_field_name(question.key)] = forms.BooleanField(label=UNKNOWN_LABEL, required=False)
            self.fields[comment_field_name(question.key)] = forms.CharField(
                label=f"Commentaire (facultatif) — question {self.number_of(question)}",
                required=False,
                max_length=COMMENT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={
                    "max_length": f"Le commentaire est trop long : {COMMENT_MAX_LENGTH} caractères au plus."
                },
            )

    def number_of(self, question: Question) -> int:
        return self.section.questions.index(question) + 1

    # -- validation -------------------------------------------------------------------------------------------------

    def clean(self):
        cleaned = super().clean()
        for question in self.section.questions:
            key = question.key
            if question.kind == MULTIPLE and key in cleaned:
                self._clean_multiple(question, cleaned[key])
            elif question.kind == NUMBER and cleaned.get(unknown_field_name(key)) and cleaned.get(key) is not None:
                self.add_error(key, "Indiquez un nombre ou cochez « Je ne sais pas », pas les deux.")
        return cleaned

    def _clean_multiple(self, question: Question, values: list[str]):
        if len(values) < 2:
            return
        if len(set(values)) != len(values):
            self.add_error(question.key, "Chaque réponse ne peut être cochée qu'une seule fois.")
            return
        if UNKNOWN in values:
            self.add_error(question.key, f"« {UNKNOWN_LABEL} » ne peut pas être coché avec une autre réponse.")
            return
        for choice in question.choices:
            if choice.exclusive and choice.value in values:
                self.add_error(question.key, f"« {choice.label} » ne peut pas être coché avec une autre réponse.")
                return

    # -- conversions ------------------------------------------------------------------------------------------------

    def _value_of(self, question: Question):
        value = self.cleaned_data.get(question.key)
        if question.kind == NUMBER:
            if self.cleaned_data.get(unknown_field_name(question.key)):
                return UNKNOWN
            return value
        if question.kind == MULTIPLE:
            if not value:
                return None
            if value == [UNKNOWN]:
                return UNKNOWN
            order = [c.value for c in question.choices]
            return sorted(value, key=order.index)
        return value or None

    def carries(self, question: Question) -> bool:
        """Whether the posted data carries this question's answer (a partial autosave may not)."""
        names = [question.key]
        if question.kind == NUMBER:
            names.append(unknown_field_name(question.key))
        elif question.kind == MULTIPLE:
            names.append(shown_field_name(question.key))
        return any(name in self.data for name in names)

    def answers(self) -> dict:
        """{question key: stored value} for every question of the section the post carries, with a valid input."""
        result = {}
        for question in self.section.questions:
            names = [question.key] + ([unknown_field_name(question.key)] if question.kind == NUMBER else [])
            if any(name in self.errors for name in names) or not self.carries(question):
                continue
            result[question.key] = self._value_of(question)
        return result

    def comments(self) -> dict:
        """{question key: comment} for every valid comment of the section the post carries."""
        result = {}
        for question in self.section.questions:
            name = comment_field_name(question.key)
            if name not in self.errors and name in self.data:
                result[question.key] = (self.cleaned_data.get(name) or "").strip()
        return result

    @staticmethod
    def initial_from(section: Section, answers: dict, version: int) -> dict:
        """Initial data from the stored Answer rows ({question key: Answer})."""
        initial = {"version": version, "page_id": uuid4().hex}
        for question in section.questions:
            answer = answers.get(question.key)
            if answer is None:
                continue
            initial.update(SectionForm.data_for(question, answer.value))
            initial[comment_field_name(question.key)] = answer.comment
        return initial

    @staticmethod
    def data_for(question: Question, value) -> dict:
        """Form data (field name → value) representing a stored value."""
        key = question.key
        if question.kind == NUMBER:
            if value == UNKNOWN:
                return {key: None, unknown_field_name(key): True}
            return {key: value, unknown_field_name(key): False}
        if question.kind == MULTIPLE:
            if value is None:
                return {key: []}
            return {key: [UNKNOWN] if value == UNKNOWN else list(value)}
        return {key: value}

    # -- rendering --------------------------------------------------------------------------------------------------

    def question_rows(self) -> list[dict]:
        rows = []
        for index, question in enumerate(self.section.questions, start=1):
            rows.append(
                {
                    "number": index,
                    "question": question,
                    "field": self[question.key],
                    "unknown": self[unknown_field_name(question.key)] if question.kind == NUMBER else None,
                    "comment": self[comment_field_name(question.key)],
                    "is_number": question.kind == NUMBER,
                    "shown_name": shown_field_name(question.key) if question.kind == MULTIPLE else None,
                }
            )
        return rows
