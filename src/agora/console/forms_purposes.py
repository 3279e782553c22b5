"""Forms of the register of processing: propose a declaration, confirm a change, and
choose the purposes an API client may act for. They parse input; the access services
decide and write."""

from django import forms

from agora.access.models import LegalBasis, Purpose, SpecialCondition
from agora.console.forms_sharing import (
    HintedCheckboxSelectMultiple,
    HintedRadioSelect,
    QuestionChoiceField,
    QuestionModelChoiceField,
    data_categories_field,
    hint_options,
)


class DeclarationProposeForm(forms.Form):
    """An administrator proposes that the organisation declares a purpose."""

    purpose = QuestionModelChoiceField(
        label="What purpose does your organisation use personal information for?",
        queryset=Purpose.objects.all(),
        to_field_name="code",
        empty_label=None,
        widget=HintedRadioSelect,
        error_messages={"required": "Choose the purpose",
                        "invalid_choice": "Choose a purpose from the list"},
    )
    legal_basis = QuestionChoiceField(
        label="Legal basis (GDPR Art. 6(1))",
        choices=LegalBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the legal basis",
                        "invalid_choice": "Choose the legal basis from the list"},
    )
    special_condition = forms.ChoiceField(
        label="Condition for special categories (GDPR Art. 9(2))",
        required=False,
        choices=[("", "None: no special category is used"), *SpecialCondition.choices],
        widget=forms.RadioSelect,
        help_text="Needed when you use a special category, such as health.",
        error_messages={"invalid_choice": "Choose a condition from the list"},
    )
    categories = data_categories_field("Categories of data needed for it")
    serves = forms.CharField(
        label="Whom the processing serves",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The people the information is about, for example “Households who ask "
        "us for food parcels”.",
        error_messages={"required": "Say whom this processing serves",
                        "max_length": "Keep this to %(limit_value)d characters or fewer"},
    )
    description = forms.CharField(
        label="How you use the information", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Keep this to %(limit_value)d characters or fewer"},
    )
    retention = forms.CharField(
        label="How long you keep it", required=False, max_length=300,
        help_text="For example, “Six years after the case closes”.",
        error_messages={"max_length": "Keep this to %(limit_value)d characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        hint_options(self)

    def service_arguments(self) -> dict:
        """Return the keyword arguments of `purpose_declaration_propose`."""
        data = self.cleaned_data
        return {
            "purpose": data["purpose"],
            "legal_basis": data["legal_basis"],
            "special_condition": data["special_condition"],
            "categories": list(data["categories"]),
            "serves": data["serves"],
            "description": data["description"],
            "retention": data["retention"],
        }


class DeclarationChangeForm(forms.Form):
    """Confirm approving, rejecting or withdrawing a declaration, with an optional reason."""

    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded in the transparency log with the change.",
        error_messages={"max_length": "Reason must be %(limit_value)d characters or fewer"},
    )


class ClientPurposesForm(forms.Form):
    """Choose the declared purposes an API client may act for (none: all of them)."""

    purposes = forms.ModelMultipleChoiceField(
        label="Purposes this client may act for",
        required=False,
        queryset=Purpose.objects.none(),
        to_field_name="code",
        widget=HintedCheckboxSelectMultiple,
        help_text="Leave all unticked to let it act for every purpose your organisation "
        "has declared.",
        error_messages={"invalid_choice": "Choose purposes your organisation has declared",
                        "invalid_pk_value": "Choose purposes your organisation has declared"},
    )

    def __init__(self, *args, declared, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purposes"].queryset = declared
        hint_options(self)
