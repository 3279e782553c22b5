"""Forms of the caseworker's single view: why they look, and whom they look for."""

from django import forms

from agora.access.models import Purpose
from agora.access.register import declared_purposes
from agora.console.forms_sharing import (
    HintedRadioSelect,
    QuestionModelChoiceField,
    hint_options,
)
from agora.organizations.models import Organization


class PurposeForm(forms.Form):
    """The purpose a caseworker states before any of a person's information is shown:
    one of the purposes their organisation has declared, and no other."""

    purpose = QuestionModelChoiceField(
        label="Why do you need to see this person's information?",
        queryset=Purpose.objects.none(),
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

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["purpose"]
        field.queryset = declared_purposes(organization=organization).order_by("name")
        field.error_messages["invalid_choice"] = (
            f"Choose one of the purposes {organization.name} has declared"
        )
        hint_options(self)

    def submitted_code(self) -> str:
        """Return the purpose code as sent, whether or not it was a valid choice."""
        return str(self.data.get(self.add_prefix("purpose"), "") or "")[:100]


class PersonFindForm(PurposeForm):
    """Find a person by national identifier or by name, for a purpose stated first."""

    national_id = forms.CharField(
        label="National identifier",
        required=False,
        max_length=40,
        help_text="As written on their documents; spaces and dashes do not matter.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "max_length": "National identifier must be %(limit_value)d characters or fewer",
        },
    )
    name = forms.CharField(
        label="Or their name",
        required=False,
        max_length=100,
        help_text="Given name, family name or both. Only people whose information you may "
        "see for this purpose are listed.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"max_length": "Name must be %(limit_value)d characters or fewer"},
    )

    field_order = ["purpose", "national_id", "name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].label = "Why are you looking for this person?"

    def clean(self):
        cleaned = super().clean()
        national_id = cleaned.get("national_id", "").strip()
        name = " ".join(cleaned.get("name", "").split())
        if not national_id and not name and not self.has_error("national_id"):
            self.add_error("national_id", "Enter the person's national identifier or their name")
        elif national_id and name:
            self.add_error("name", "Search by national identifier or by name, not both")
        cleaned["name"] = name
        return cleaned
