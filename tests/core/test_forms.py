"""The GOV.UK form renderer: fields, error messages and the error summary."""

import json
from pathlib import Path

import pytest
from django import forms
from django.template import Context, Template
from django.test.html import parse_html

from agora.core.forms import ErrorItem, GovukFormRenderer, error_list

FIXTURES = Path(__file__).resolve().parents[2] / "node_modules/govuk-frontend/dist/govuk/components"


class ContactForm(forms.Form):
    name = forms.CharField(help_text="Your full name")
    email = forms.EmailField(widget=forms.EmailInput(attrs={"placeholder": "you@example.org"}))
    colour = forms.ChoiceField(choices=[("r", "Red"), ("b", "Blue")], widget=forms.RadioSelect)
    county = forms.ChoiceField(choices=[("", "Choose"), ("k", "Kent")])
    note = forms.CharField(widget=forms.Textarea, required=False)
    agree = forms.BooleanField()

    def clean(self):
        raise forms.ValidationError("We could not send your message.")


def render(template: str, **context) -> str:
    return Template("{% load govuk %}" + template).render(Context(context))


def assert_html_equal(actual: str, expected: str) -> None:
    assert parse_html(actual) == parse_html(expected), f"\n{actual}\n!=\n{expected}"


def test_settings_use_the_govuk_renderer():
    assert isinstance(ContactForm().renderer, GovukFormRenderer)


def test_error_summary_links_each_error_to_its_field():
    form = ContactForm(data={"name": "", "email": "not an email", "county": ""})
    html = render('{% include "core/includes/error_summary.html" %}', form=form)
    heading = '<h2 class="govuk-error-summary__title">There is a problem</h2>'
    assert parse_html(html).count(parse_html(heading)) == 1
    assert '<a href="#id_name">Enter name</a>' in html
    assert '<a href="#id_email">Enter a valid email address.</a>' in html
    # A group of radios links to its first radio.
    assert '<a href="#id_colour_0">Select colour</a>' in html
    assert '<a href="#id_county">Select county</a>' in html
    # The error about the whole form is listed first, linking to the first field.
    assert html.index("We could not send your message.") < html.index("Enter name")
    assert '<a href="#id_name">We could not send your message.</a>' in html


def test_error_summary_is_empty_for_a_valid_or_unbound_form():
    summary = '{% include "core/includes/error_summary.html" %}'
    assert render(summary, form=ContactForm()).strip() == ""

    class Simple(forms.Form):
        name = forms.CharField()

    assert render(summary, form=Simple(data={"name": "Ann"})).strip() == ""


def test_error_list_entries():
    form = ContactForm(data={"name": "Ann", "email": "ann@example.org", "colour": "r",
                             "county": "k", "agree": "on"})
    assert error_list(form) == [ErrorItem("We could not send your message.", "#id_name")]


def test_invalid_field_gets_error_classes_message_and_description():
    form = ContactForm(data={"name": ""})
    html = str(form["name"].as_field_group())
    node = parse_html(html)
    assert "govuk-form-group--error" in html
    assert node.count(parse_html(
        '<p id="id_name-error" class="govuk-error-message">'
        '<span class="govuk-visually-hidden">Error:</span> Enter name</p>'
    )) == 1
    assert 'class="govuk-input govuk-input--error"' in html
    assert 'aria-describedby="id_name-hint id_name-error"' in html
    assert '<div id="id_name-hint" class="govuk-hint">Your full name</div>' in html


def test_valid_field_has_no_error_markup():
    form = ContactForm(data={"name": "Ann"})
    html = str(form["name"].as_field_group())
    assert "govuk-input--error" not in html
    assert "govuk-form-group--error" not in html
    assert 'class="govuk-input"' in html


def test_each_widget_gets_its_govuk_component():
    html = str(ContactForm())
    assert 'class="govuk-select"' in html
    assert 'class="govuk-textarea"' in html
    legend = '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Colour</legend>'
    assert legend in html
    assert 'class="govuk-radios__input"' in html
    assert 'class="govuk-checkboxes__input"' in html
    assert "Note (optional)" in html
    # Hints belong in the hint, not in a placeholder that disappears.
    assert "placeholder" not in html
    assert 'spellcheck="false"' in html


def _fixture(component: str, name: str) -> dict:
    data = json.loads((FIXTURES / component / "fixtures.json").read_text())
    return next(f for f in data["fixtures"] if f["name"] == name)


@pytest.mark.parametrize("name", ["default", "without links", "mixed with and without links",
                                  "with everything"])
def test_error_summary_matches_govuk_frontend(name):
    fixture = _fixture("error-summary", name)
    options = fixture["options"]
    html = render(
        '{% include "core/components/error_summary.html" %}',
        title=options.get("titleText"),
        description=options.get("descriptionText"),
        errors=options.get("errorList", []),
    )
    assert_html_equal(html, fixture["html"])


@pytest.mark.parametrize("name", ["default", "with hint text", "with error message",
                                  "with error and hint"])
def test_input_matches_govuk_frontend(name):
    fixture = _fixture("input", name)
    options = fixture["options"]
    field_name = options["name"]
    field_id = options.get("id", field_name)

    class Form(forms.Form):
        use_required_attribute = False

    Form.base_fields = {
        field_name: forms.CharField(label=options["label"]["text"],
                                    help_text=options.get("hint", {}).get("text", ""),
                                    widget=forms.TextInput(attrs={"id": field_id}))
    }
    error = options.get("errorMessage", {}).get("text")
    form = Form(data={field_name: ""} if error else None, auto_id="%s")
    if error:
        form.is_valid()
        form.errors[field_name] = form.error_class([error])
    html = str(form[field_name].as_field_group())
    # Django marks an invalid control with aria-invalid as well; GOV.UK's fixture does not.
    html = html.replace(' aria-invalid="true"', "")
    assert_html_equal(html, fixture["html"])
