"""The form a provider fills in to add or change a service. It parses input (JSON for the
rule and the form); the catalogue's services check the rule, the form and the topics."""

import json

from django import forms

from agora.catalog.models import Service
from agora.topics.selectors import topic_tree

TEXT_ERRORS = {"max_length": "Keep this to %(limit_value)d characters or fewer"}


def _topic_choices() -> list[tuple[str, str]]:
    choices = []
    for node in topic_tree():
        choices.append((node.topic.slug, node.topic.name))
        choices.extend((child.topic.slug, f"{node.topic.name}: {child.topic.name}")
                       for child in node.children)
    return choices


class JSONField(forms.CharField):
    """A textarea holding JSON; empty means none."""

    widget = forms.Textarea

    def __init__(self, *, what: str, **kwargs):
        self.what = what
        super().__init__(required=False, max_length=50_000, **kwargs)
        self.widget.attrs.update({"rows": 8, "spellcheck": "false",
                                  "class": "govuk-!-font-family-monospace"})

    def prepare_value(self, value):
        if isinstance(value, (dict, list)):
            return json.dumps(value, indent=2, ensure_ascii=False)
        return value

    def clean(self, value):
        text = super().clean(value).strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                f"The {self.what} is not valid JSON: {error.msg} at line {error.lineno}, "
                f"column {error.colno}") from None


class ServiceForm(forms.Form):
    """Everything a resident reads about a service, its rule and its application form."""

    name = forms.CharField(label="Name of the service", max_length=200,
                           error_messages={"required": "Enter the name of the service",
                                           **TEXT_ERRORS})
    code = forms.SlugField(
        label="Code", max_length=80,
        help_text="A short, stable code used across the platform and by Open311, like "
        "“bulky-waste”. Lower-case letters, digits and hyphens. It cannot be changed later.",
        error_messages={"required": "Enter a code for the service",
                        "invalid": "Use only lower-case letters, digits and hyphens in the code",
                        **TEXT_ERRORS})
    summary = forms.CharField(label="Summary", required=False, max_length=300,
                              help_text="One line residents see in lists.",
                              error_messages=TEXT_ERRORS)
    description = forms.CharField(label="Description", required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  error_messages=TEXT_ERRORS)
    who_for = forms.CharField(label="Who it is for", required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages=TEXT_ERRORS)
    how_to_apply = forms.CharField(label="How to apply", required=False, max_length=5000,
                                   widget=forms.Textarea(attrs={"rows": 3}),
                                   error_messages=TEXT_ERRORS)
    cost = forms.CharField(label="Cost", required=False, max_length=200,
                           help_text="Leave empty if it is free.", error_messages=TEXT_ERRORS)
    target_days = forms.IntegerField(
        label="Target handling time in days", required=False, min_value=0, max_value=3650,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={"invalid": "Enter the target handling time as a whole number of days",
                        "min_value": "Enter 0 days or more",
                        "max_value": "Enter at most 3650 days"})
    topics = forms.MultipleChoiceField(
        label="Topics", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="The needs residents look for it under.",
        error_messages={"invalid_choice": "Choose topics from the list"})
    location_based = forms.BooleanField(
        label="It is a street problem reported at a place (offered over Open311)",
        required=False)
    eligibility_rule = JSONField(
        label="Eligibility rule (JSON Logic)", what="eligibility rule",
        help_text="Leave empty if anyone may ask. Use the facts the platform's questions "
        "declare, for example {\"and\": [{\">=\": [{\"var\": \"children_under_16\"}, 1]}, "
        "{\"var\": \"lives_in_riverton\"}]}.")
    form_schema = JSONField(
        label="Application form (JSON Schema)", what="application form",
        help_text="An object whose properties are the questions, each with a type, for "
        "example {\"type\": \"object\", \"properties\": {\"reason\": {\"type\": \"string\", "
        "\"maxLength\": 500}}, \"required\": [\"reason\"]}.")
    status = forms.ChoiceField(
        label="Status", widget=forms.RadioSelect,
        choices=[(Service.Status.DRAFT, "Draft: only your organisation sees it"),
                 (Service.Status.PUBLISHED, "Published: residents see it")],
        error_messages={"required": "Select a status",
                        "invalid_choice": "Select a status"})

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = _topic_choices()
        if editing:
            del self.fields["code"]

    def details(self) -> dict:
        """Return the service's details for the catalogue's services (not code or topics)."""
        data = dict(self.cleaned_data)
        data.pop("code", None)
        data.pop("topics", None)
        return data
