"""The form of one application question: it draws the question and reads what was typed.

It turns the text of the request into the answer as JSON (a number, yes or no, a list of
options, a date as "YYYY-MM-DD") and checks nothing itself: every check is the JSON
Schema's, made by the applications service, whose messages go back into this form's
error summary. So a value the page could not read ("twelve" for a number, 31 February)
is passed on as typed and refused there with the schema's message, never guessed at.
"""

import re
from typing import Any

from django import forms

from agora.applications import questions as q
from agora.core.exceptions import AgoraError
from agora.portal.forms import GovukDateInput, add_agora_error

_INTEGER = re.compile(r"[-+]?\d+")
_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)")


class _Loose:
    """A choice field that leaves the checking of its options to the schema."""

    def validate(self, value):
        pass


class LooseChoiceField(_Loose, forms.ChoiceField):
    pass


class LooseMultipleChoiceField(_Loose, forms.MultipleChoiceField):
    pass


class AnswerDateInput(GovukDateInput):
    """The GOV.UK date input, showing a saved answer ("YYYY-MM-DD") in its three boxes."""

    def decompress(self, value):
        if isinstance(value, str) and value.count("-") == 2:
            year, month, day = value.split("-")
            return [day.lstrip("0"), month.lstrip("0"), year]
        return super().decompress(value)


class AnswerDateField(forms.MultiValueField):
    """Day, month and year, read as an ISO date string for the schema to check."""

    widget = AnswerDateInput

    def __init__(self, **kwargs):
        super().__init__(fields=[forms.CharField(required=False) for _ in range(3)],
                         require_all_fields=False, **kwargs)

    def compress(self, data_list):
        parts = [str(p or "").strip() for p in (data_list or [])]
        if not any(parts):
            return None
        day, month, year = parts
        if all(p.isdigit() for p in parts):
            return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
        return f"{year}-{month}-{day}"  # not a date: the schema says so


def _field(question: q.Question) -> forms.Field:
    common = {"label": question.title, "help_text": question.hint, "required": False}
    kind = question.kind
    if kind == q.EMAIL:
        return forms.CharField(widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                               **common)
    if kind == q.TEXTAREA:
        counted = {"class": "govuk-js-character-count"} if question.max_length else {}
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 5, **counted}), **common)
    if kind in (q.INTEGER, q.NUMBER):
        mode = "numeric" if kind == q.INTEGER else "decimal"
        return forms.CharField(widget=forms.TextInput(attrs={
            "inputmode": mode, "class": "govuk-input--width-10", "spellcheck": "false"}),
            **common)
    if kind == q.DATE:
        return AnswerDateField(**common)
    if kind in (q.RADIOS, q.YES_NO):
        return LooseChoiceField(choices=question.options, widget=forms.RadioSelect, **common)
    if kind == q.CHECKBOXES:
        return LooseMultipleChoiceField(choices=question.options,
                                        widget=forms.CheckboxSelectMultiple, **common)
    return forms.CharField(**common)


def _initial(question: q.Question, value: Any) -> Any:
    if value is None:
        return None
    if question.kind == q.YES_NO:
        return "yes" if value is True else "no" if value is False else str(value)
    if question.kind == q.CHECKBOXES:
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if question.kind == q.DATE else str(value)


class AnswerForm(forms.Form):
    """One question, drawn as a GOV.UK question page; `answer()` is what was given."""

    def __init__(self, *args, question: q.Question, value: Any = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        self.fields[question.name] = _field(question)
        self.initial[question.name] = _initial(question, value)

    @property
    def bound(self) -> forms.BoundField:
        return self[self.question.name]

    def answer(self) -> Any:
        """Return the answer as JSON: None when nothing was given."""
        raw = self.cleaned_data.get(self.question.name)
        kind = self.question.kind
        if raw in (None, "", []):
            return None
        if kind == q.YES_NO:
            return {"yes": True, "no": False}.get(raw, raw)
        if kind in (q.INTEGER, q.NUMBER):
            text = raw.replace(",", "").strip()
            if _INTEGER.fullmatch(text):
                return int(text)
            if _NUMBER.fullmatch(text):
                return float(text)
            return raw  # not a number: the schema says so
        if kind == q.CHECKBOXES:
            return list(raw)
        return raw

    def add_problems(self, error: AgoraError) -> None:
        """Put the service's refusal in the error summary, and mark the date boxes."""
        add_agora_error(self, error)
        if self.question.kind == q.DATE and self.errors.get(self.question.name):
            for widget in self.fields[self.question.name].widget.widgets:
                widget.attrs["class"] = widget.attrs.get("class", "") + " govuk-input--error"
