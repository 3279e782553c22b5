"""Forms of the caseworker's single view: why they look, and whom they look for."""

from django import forms

from agora.access.models import Purpose
from agora.console.forms_sharing import (
    HintedRadioSelect,
    QuestionModelChoiceField,
    purpose_hint,
)


class PurposeForm(forms.Form):
    """The purpose a caseworker states before any of a person's information is shown."""

    purpose = QuestionModelChoiceField(
        label="Why do you need to see this person's information?",
        queryset=Purpose.objects.all(),
        to_field_name="code",
        empty_label=None,
        widget=HintedRadioSelect,
        help_text="Only information shared for this purpose is shown, and your choice is "
        "recorded in the person's access log.",
        error_messages={
            "required": "Choose why you need to see this person's information",
            "invalid_choice": "Choose a purpose from the list",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].widget.hints = {
            p.code: purpose_hint(p) for p in self.fields["purpose"].queryset
        }


class PersonFindForm(PurposeForm):
    """Find a person by their national identifier, for a purpose stated first."""

    national_id = forms.CharField(
        label="National identifier",
        max_length=40,
        help_text="As written on their documents; spaces and dashes do not matter.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the person's national identifier",
            "max_length": "National identifier must be %(limit_value)d characters or fewer",
        },
    )

    field_order = ["purpose", "national_id"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].label = "Why are you looking for this person?"
