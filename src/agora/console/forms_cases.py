"""Forms of the console's request pages: they parse and check; the cases services decide."""

from django import forms

from agora.cases.models import MAX_MESSAGE
from agora.organizations.models import Organization

_TEXT_ERRORS = {
    "required": "Enter the message",
    "max_length": "The message must be %(limit_value)d characters or fewer",
}


class QueueFilterForm(forms.Form):
    """The queue's filters, from the address; a bad value is ignored, never an error page."""

    status = forms.CharField(required=False, max_length=40)
    service = forms.CharField(required=False, max_length=80)
    overdue = forms.BooleanField(required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)


class VersionedForm(forms.Form):
    """A change based on the version of the request the caseworker saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class StatusForm(VersionedForm):
    status = forms.ChoiceField(
        label="New status", widget=forms.RadioSelect,
        error_messages={"required": "Choose the new status",
                        "invalid_choice": "Choose one of the statuses listed"},
    )
    note = forms.CharField(
        label="Note for the resident", required=False, max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown on the resident's timeline with the new status.",
        error_messages={"max_length": "The note must be %(limit_value)d characters or fewer"},
    )

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = choices


class MessageForm(forms.Form):
    text = forms.CharField(
        label="Message", max_length=MAX_MESSAGE, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The resident reads it in Your requests and can reply there.",
        error_messages=_TEXT_ERRORS,
    )


class PublishForm(forms.Form):
    text = forms.CharField(
        label="The answer to publish", max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Published in the hub as a frequently asked question under the question's "
                  "topic, for anyone to read. Say nothing about the person who asked.",
        error_messages=_TEXT_ERRORS,
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Note", max_length=MAX_MESSAGE, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only your organisation sees internal notes.",
        error_messages={**_TEXT_ERRORS, "required": "Enter the note"},
    )


class DocumentRequestForm(forms.Form):
    document_name = forms.CharField(
        label="Which document do you need?", max_length=200,
        help_text="For example, “Proof of income for the last 3 months”.",
        error_messages={"required": "Enter the document you need",
                        "max_length": "The name must be %(limit_value)d characters or fewer"},
    )
    text = forms.CharField(
        label="Why you need it", required=False, max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "This must be %(limit_value)d characters or fewer"},
    )


class DeadlineForm(VersionedForm):
    days = forms.IntegerField(
        label="Extend by how many days?", min_value=1, max_value=365,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={"required": "Enter the number of days",
                        "invalid": "Enter a whole number of days",
                        "min_value": "Extend by at least 1 day",
                        "max_value": "Extend by 365 days or fewer"},
    )
    reason = forms.CharField(
        label="Reason", max_length=MAX_MESSAGE, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The resident sees it on their timeline.",
        error_messages={"required": "Enter the reason",
                        "max_length": "The reason must be %(limit_value)d characters or fewer"},
    )


class ReferForm(VersionedForm):
    organization = forms.ModelChoiceField(
        label="Refer to", queryset=Organization.objects.none(), to_field_name="slug",
        empty_label="Choose an organisation",
        error_messages={"required": "Choose the organisation to refer to",
                        "invalid_choice": "Choose an organisation from the list"},
    )
    reason = forms.CharField(
        label="Why refer the request", max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The resident sees this when asked to agree.",
        error_messages={"required": "Enter why you are referring the request",
                        "max_length": "The reason must be %(limit_value)d characters or fewer"},
    )
    consent_note = forms.CharField(
        label="If the resident has already agreed, say how", required=False, max_length=300,
        help_text="For example, “By phone on 3 December”. Leave it empty to ask them in "
        "Your requests; the request passes on when they agree.",
        error_messages={"max_length": "This must be %(limit_value)d characters or fewer"},
    )

    def __init__(self, *args, current: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(
            is_active=True).exclude(pk=current.pk).order_by("name")
