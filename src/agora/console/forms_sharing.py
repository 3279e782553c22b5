"""Forms of the sharing pages: agreements, and the pieces the people and DPO forms share.

They parse and check input (a real date, a known category or purpose); the access
services decide whether an agreement may exist and write it.
"""

import re
from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone

from agora.access.models import DataCategory, LegalBasis, Purpose
from agora.access.register import purposes_declared_anywhere
from agora.organizations.models import Organization


class QuestionChoiceField(forms.ChoiceField):
    """A choice asked as a question, whose "required" message is its own.

    The GOV.UK renderer turns Django's generic "required" into "Select <label>", which
    reads badly when the label is a question ("Select who shares the data?"); this
    field's error carries another code, so its own message is shown.
    """

    def validate(self, value):
        if value in self.empty_values and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="choose")
        super().validate(value)


class QuestionModelChoiceField(forms.ModelChoiceField):
    """A model choice asked as a question; see QuestionChoiceField."""

    def validate(self, value):
        if value in self.empty_values and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="choose")
        super().validate(value)


class DateInputWidget(forms.MultiWidget):
    """GOV.UK date input: day, month, year (drawn by console/sharing/includes/date_input.html)."""

    def __init__(self, attrs=None):
        box = {"inputmode": "numeric", "autocomplete": "off"}
        super().__init__(
            [forms.TextInput({**box, "size": 2}), forms.TextInput({**box, "size": 2}),
             forms.TextInput({**box, "size": 4})],
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DateField(forms.MultiValueField):
    """A date typed as day, month and year, with GOV.UK's error messages."""

    widget = DateInputWidget

    def __init__(self, *, label: str, **kwargs):
        self.name_in_messages = label[:1].lower() + label[1:]
        fields = [forms.CharField(required=False) for _ in range(3)]
        super().__init__(fields, require_all_fields=False, label=label, **kwargs)
        self.error_messages["required"] = f"Enter {self.name_in_messages}"

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        missing = [name for name, part in (("day", day), ("month", month), ("year", year))
                   if not part]
        if missing:
            raise forms.ValidationError(
                f"{self.name_in_messages[:1].upper()}{self.name_in_messages[1:]} must include "
                f"a {' and '.join(missing)}", code="incomplete")
        try:
            if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
                raise ValueError
            return date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(
                f"{self.name_in_messages[:1].upper()}{self.name_in_messages[1:]} must be a real "
                "date, like 27 3 2026", code="invalid") from None


def start_of_day(day: date) -> datetime:
    """Return the first moment of a day in the deployment's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def end_of_day(day: date) -> datetime:
    """Return the first moment after a day in the deployment's time zone (an exclusive end)."""
    return start_of_day(day + timedelta(days=1))


class HintedRadioSelect(forms.RadioSelect):
    """Radios whose options carry a GOV.UK hint (`hints`: value → text) under their label.

    console/sharing/includes/choices.html draws them.
    """

    def __init__(self, *args, hints: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.hints = hints or {}


class HintedCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes whose options carry a GOV.UK hint, like HintedRadioSelect."""

    def __init__(self, *args, hints: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.hints = hints or {}


def purpose_hint(purpose: Purpose) -> str:
    """Describe a purpose in plain words with its legal basis (and Art. 9 condition)."""
    hint = f"{purpose.description} Legal basis: {purpose.get_legal_basis_display()}."
    if purpose.special_condition:
        hint += f" Covers special categories under {purpose.get_special_condition_display()}."
    return hint


def data_categories_field(label: str) -> forms.ModelMultipleChoiceField:
    """Categories of data as hinted checkboxes: what an agreement shares, what a
    declared purpose needs."""
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=DataCategory.objects.all(),
        to_field_name="code",
        widget=HintedCheckboxSelectMultiple,
        error_messages={"required": "Choose at least one category of data",
                        "invalid_choice": "Choose categories from the list",
                        "invalid_pk_value": "Choose categories from the list"},
    )


def hint_options(form: forms.Form) -> None:
    """Give the form's purpose and category options their plain-words hints.

    Done when the form is made (not at import), so the hints follow the vocabulary's rows.
    """
    for field in form.fields.values():
        widget = field.widget
        if not isinstance(widget, HintedRadioSelect | HintedCheckboxSelectMultiple):
            continue
        queryset = getattr(field, "queryset", None)
        model = queryset.model if queryset is not None else None  # no query to learn it
        if model is Purpose:
            widget.hints = {p.code: purpose_hint(p) for p in field.queryset}
        elif model is DataCategory:
            widget.hints = {c.code: c.description for c in field.queryset}


FIELD_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,59}$")


class AgreementProposeForm(forms.Form):
    """An organisation's admin proposes to share data with (or receive it from) another."""

    SIDE_PROVIDER = "provider"
    SIDE_RECIPIENT = "recipient"

    side = QuestionChoiceField(
        label="Who shares the data?",
        choices=[(SIDE_PROVIDER, "We share our data with the other organisation"),
                 (SIDE_RECIPIENT, "The other organisation shares its data with us")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who shares the data",
                        "invalid_choice": "Choose who shares the data"},
    )
    other = forms.ModelChoiceField(
        label="Other organisation",
        queryset=Organization.objects.none(),
        to_field_name="slug",
        empty_label="Choose an organisation",
        error_messages={"required": "Choose the other organisation",
                        "invalid_choice": "Choose the other organisation from the list"},
    )
    title = forms.CharField(
        label="Title", max_length=200,
        error_messages={"required": "Enter a title",
                        "max_length": "Title must be %(limit_value)d characters or fewer"},
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why the data is shared and what the recipient does with it.",
    )
    categories = data_categories_field("Categories of data shared")
    purposes = forms.ModelMultipleChoiceField(
        label="Purposes the recipient may use the data for",
        help_text="Only purposes that an organisation has declared are listed; the recipient "
                  "must have declared each one you choose.",
        queryset=Purpose.objects.none(),
        to_field_name="code",
        widget=HintedCheckboxSelectMultiple,
        error_messages={"required": "Choose at least one purpose",
                        "invalid_choice": "Choose purposes from the list",
                        "invalid_pk_value": "Choose purposes from the list"},
    )
    legal_basis = forms.ChoiceField(
        label="Legal basis for sharing",
        choices=LegalBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the legal basis",
                        "invalid_choice": "Choose the legal basis from the list"},
    )
    fields_allowed = forms.CharField(
        label="Fields the recipient may see",
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text="The names of the record fields, one per line or separated by commas.",
        error_messages={"required": "Enter the fields the recipient may see"},
    )
    valid_from = DateField(label="Valid from", help_text="For example, 1 4 2026")
    valid_to = DateField(
        label="Valid until",
        help_text="The agreement ends at the end of this day. For example, 31 3 2027",
    )

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fields["other"].queryset = Organization.objects.filter(is_active=True).exclude(
            pk=organization.pk
        )
        declarers = purposes_declared_anywhere()
        self.fields["purposes"].queryset = Purpose.objects.filter(code__in=declarers)
        hint_options(self)
        hints = self.fields["purposes"].widget.hints
        for code, names in declarers.items():
            if code in hints:
                hints[code] += f" Declared by {', '.join(names)}."

    def clean_fields_allowed(self) -> list[str]:
        names: list[str] = []
        for name in re.split(r"[,\n]", self.cleaned_data["fields_allowed"]):
            name = name.strip()
            if not name or name in names:
                continue
            if not FIELD_NAME.match(name):
                raise forms.ValidationError(
                    f"“{name[:60]}” is not a field name: use letters, numbers, dots, dashes "
                    "and underscores, starting with a letter")
            names.append(name)
        if not names:
            raise forms.ValidationError("Enter the fields the recipient may see")
        return names

    def service_arguments(self) -> dict:
        """Return the keyword arguments of `agreement_propose` for the cleaned data."""
        data = self.cleaned_data
        mine, theirs = self.organization, data["other"]
        provider, recipient = (mine, theirs) if data["side"] == self.SIDE_PROVIDER else (
            theirs, mine)
        return {
            "provider": provider,
            "recipient": recipient,
            "title": data["title"],
            "description": data["description"],
            "categories": list(data["categories"]),
            "purposes": list(data["purposes"]),
            "legal_basis": data["legal_basis"],
            "fields_allowed": data["fields_allowed"],
            "valid_from": start_of_day(data["valid_from"]),
            "valid_to": end_of_day(data["valid_to"]),
        }


class AgreementChangeForm(forms.Form):
    """Confirm a change of an agreement's status, with an optional reason for the log."""

    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded in the transparency log with the change. Both organisations see it.",
        error_messages={"max_length": "Reason must be %(limit_value)d characters or fewer"},
    )
