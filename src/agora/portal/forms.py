"""Forms of the resident's pages: they parse and check input; services decide and write."""

import datetime

from django import forms
from django.utils import timezone

from agora.access.models import DataCategory, Purpose
from agora.access.register import purposes_declared_anywhere
from agora.audit.models import LogEntry
from agora.core.exceptions import AgoraError
from agora.core.forms import GovukSelect
from agora.organizations.models import Organization

CONSENT_DEFAULT_DAYS = 365
CONSENT_MAX_YEARS = 5


class FilterChoice(forms.ChoiceField):
    """A filter's select: its first option ("All …") means no filter, so it is never
    missing, and the label need not say "(optional)"."""

    widget = GovukSelect

    def validate(self, value):
        if value not in self.empty_values:
            super().validate(value)


class ActivityFilterForm(forms.Form):
    """Narrow “Who has seen my data” to one organisation or one result."""

    use_required_attribute = False

    organization = FilterChoice(label="Organisation")
    result = FilterChoice(
        label="Result",
        choices=[
            ("", "All results"),
            (LogEntry.Decision.PERMIT, "Permitted"),
            (LogEntry.Decision.DENY, "Refused"),
        ],
    )

    def __init__(self, *args, organizations: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [("", "All organisations"), *organizations]


class GovukDateInput(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes in a fieldset."""

    template_name = "portal/widgets/date_input.html"
    use_fieldset = True
    PARTS = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))

    def __init__(self, attrs=None):
        widgets = {
            name: forms.TextInput(attrs={
                "class": f"govuk-input govuk-date-input__input govuk-input--width-{width}",
                "inputmode": "numeric",
            })
            for name, _, width in self.PARTS
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        base_id = context["widget"]["attrs"].get("id")
        for subwidget, (part, label, _) in zip(
            context["widget"]["subwidgets"], self.PARTS, strict=True
        ):
            subwidget["label"] = label
            if base_id:
                subwidget["attrs"]["id"] = f"{base_id}_{part}"
        return context

    def id_for_label(self, id_):
        """Point labels and the error summary at the day box, as GOV.UK does."""
        return f"{id_}_day" if id_ else ""


class DateField(forms.MultiValueField):
    """A date typed as day, month and year, with GOV.UK's error messages."""

    widget = GovukDateInput

    def __init__(self, **kwargs):
        kwargs.setdefault("require_all_fields", False)
        super().__init__(
            fields=[forms.CharField(required=False) for _ in range(3)], **kwargs
        )

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        missing = [name for name, part in zip(("day", "month", "year"), (day, month, year),
                                              strict=True) if not part]
        if missing:
            raise forms.ValidationError(
                f"{self.label} must include a {' and '.join(missing)}", code="incomplete"
            )
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(
                f"{self.label} must be a real date", code="invalid"
            ) from None


def _years_after(day: datetime.date, years: int) -> datetime.date:
    """Return the same day `years` later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class _OwnRequiredMessage:
    """Keep the field's own "required" message.

    The GOV.UK bound field turns a "required" error into "Select <label>", which reads
    badly when the label is a question; this field's message says what to do instead.
    """

    def clean(self, value):
        try:
            return super().clean(value)
        except forms.ValidationError as error:
            if getattr(error, "code", None) == "required":
                raise forms.ValidationError(
                    self.error_messages["required"], code="missing"
                ) from None
            raise


class ChoiceOfModel(_OwnRequiredMessage, forms.ModelChoiceField):
    pass


class ChoicesOfModel(_OwnRequiredMessage, forms.ModelMultipleChoiceField):
    pass


class ConsentGiveForm(forms.Form):
    """What a resident lets one organisation see, why, and until when."""

    recipient = ChoiceOfModel(
        label="Which organisation can see your information?",
        queryset=Organization.objects.filter(is_active=True).order_by("name"),
        to_field_name="slug",
        empty_label="Choose an organisation",
        error_messages={
            "required": "Select the organisation that can see your information",
            "invalid_choice": "Select an organisation from the list",
        },
    )
    categories = ChoicesOfModel(
        label="What information can they see?",
        queryset=DataCategory.objects.order_by("name"),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={
            "required": "Select at least one kind of information",
            "invalid_choice": "Select kinds of information from the list",
        },
    )
    purpose = ChoiceOfModel(
        label="What can they use it for?",
        queryset=Purpose.objects.order_by("name"),
        to_field_name="code",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select what they can use your information for",
            "invalid_choice": "Select a purpose from the list",
        },
    )
    expires_on = DateField(
        label="Expiry date",
        help_text=(
            "The last day they can see your information. You can withdraw consent at any "
            f"time before then. For example, 27 3 {timezone.localdate().year + 1}."
        ),
        error_messages={"required": "Enter the expiry date"},
    )

    def __init__(self, *args, **kwargs):
        today = timezone.localdate()
        kwargs.setdefault(
            "initial", {"expires_on": today + datetime.timedelta(days=CONSENT_DEFAULT_DAYS)}
        )
        super().__init__(*args, **kwargs)
        self.fields["purpose"].queryset = Purpose.objects.filter(
            code__in=purposes_declared_anywhere()).order_by("name")

    def clean_expires_on(self) -> datetime.date:
        expires_on = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if expires_on <= today:
            raise forms.ValidationError("Expiry date must be in the future", code="past")
        if expires_on > _years_after(today, CONSENT_MAX_YEARS):
            raise forms.ValidationError(
                f"Expiry date must be no more than {CONSENT_MAX_YEARS} years from today",
                code="too-late",
            )
        return expires_on

    def expires_at(self) -> datetime.datetime:
        """Return the end of the chosen day in the deployment's time zone, as an aware time."""
        day = self.cleaned_data["expires_on"] + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    def _post_clean(self):
        super()._post_clean()
        if "expires_on" in self.errors:
            for widget in self.fields["expires_on"].widget.widgets:
                widget.attrs["class"] += " govuk-input--error"


class ConfirmForm(forms.Form):
    """A form with nothing to fill in: the button is the confirmation."""


def add_agora_error(
    form: forms.Form, error: AgoraError, field: str | None = None,
    rename: dict[str, str] | None = None,
) -> None:
    """Show a service's refusal in the form's error summary (each field error at its field).

    `rename` maps the service's field names to the form's, where they differ.
    """
    placed = False
    for item in error.errors:
        name = item.get("field", "")
        name = (rename or {}).get(name, name)
        if name in form.fields:
            form.add_error(name, item.get("message") or error.detail)
            placed = True
    if not placed:
        form.add_error(field, error.detail)
