"""Forms of the staff console: they parse and check input; services decide and write."""

from django import forms

from agora.core.exceptions import AgoraError
from agora.organizations.models import Membership, Organization


class OrganizationForm(forms.Form):
    """The details an organisation's administrators keep up to date."""

    name = forms.CharField(
        label="Name",
        max_length=200,
        error_messages={
            "required": "Enter the name of the organisation.",
            "max_length": "Name must be %(limit_value)d characters or fewer.",
        },
    )
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the organisation does, in a sentence or two. Residents see this.",
    )
    contact_email = forms.EmailField(
        label="Contact email address",
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.org."
        },
    )
    contact_phone = forms.CharField(
        label="Contact phone number",
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        error_messages={"max_length": "Phone number must be %(limit_value)d characters or fewer."},
    )
    website = forms.URLField(
        label="Website",
        required=False,
        assume_scheme="https",
        max_length=200,
        error_messages={"invalid": "Enter a web address in the correct format, like example.org."},
    )


def _kind_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Kind of organisation",
        choices=Organization.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a kind of organisation.",
            "invalid_choice": "Choose a kind of organisation.",
        },
    )


class OrganizationCreateForm(OrganizationForm):
    """An operator registers a new member organisation."""

    slug = forms.SlugField(
        label="Short name (optional)",
        required=False,
        max_length=60,
        help_text=(
            "Used in web addresses. Lower case letters, numbers and hyphens. "
            "Leave empty to make one from the name."
        ),
        error_messages={
            "invalid": "Short name can only have lower case letters, numbers and hyphens.",
            "max_length": "Short name must be %(limit_value)d characters or fewer.",
        },
    )
    kind = _kind_field()

    field_order = ["name", "slug", "kind", "description", "contact_email", "contact_phone",
                   "website"]

    def clean_slug(self) -> str:
        return self.cleaned_data["slug"].lower()


class OrganizationOperatorForm(OrganizationForm):
    """Operators also set the kind of organisation and whether it is active."""

    kind = _kind_field()
    is_active = forms.BooleanField(
        label="The organisation is active",
        required=False,
        help_text="An inactive organisation keeps its data but cannot add API clients.",
    )

    field_order = ["name", "kind", "description", "contact_email", "contact_phone", "website",
                   "is_active"]


class MemberAddForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="If they have no account yet, we send them an invitation to set a password.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": "Enter an email address.",
            "invalid": "Enter an email address in the correct format, like name@example.org.",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Membership.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role.", "invalid_choice": "Choose a role."},
    )


class ConfirmForm(forms.Form):
    """A confirmation with no fields: the POST and its CSRF token are the whole answer."""


def add_agora_error(form: forms.BaseForm, error: AgoraError, *, field: str | None = None) -> None:
    """Show a service's error on the form: on its fields where it names them, else on top.

    `field` attaches an error that names no field (such as a taken short name) to the
    field the person should change.
    """
    attached = False
    for item in error.errors:
        name = item.get("field")
        if name in form.fields:
            form.add_error(name, item.get("message") or error.detail)
            attached = True
    if not attached:
        form.add_error(field if field in form.fields else None, error.detail)
