"""Render Django forms as GOV.UK Frontend markup.

Set ``FORM_RENDERER = "agora.core.forms.GovukFormRenderer"`` and every form drawn with
``{{ form }}``, ``{{ field.as_field_group }}`` or
``{% include "core/includes/field.html" with field=form.x %}`` comes out as GOV.UK
components: a label (or a fieldset legend for radios and checkboxes), the hint, the
error message and the input with its ``govuk-*`` classes, joined up with
``aria-describedby``. The error summary at the top of a page comes from
``core/includes/error_summary.html``; :func:`error_list` gives it one entry per error,
each linking to the field that needs fixing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.forms.widgets import Input

# Widget kinds the field template knows how to draw, most specific first.
_KINDS: list[tuple[type[forms.Widget], str]] = [
    (forms.CheckboxSelectMultiple, "checkboxes"),
    (forms.RadioSelect, "radios"),
    (forms.CheckboxInput, "checkbox"),
    (forms.Select, "select"),
    (forms.Textarea, "textarea"),
    (forms.ClearableFileInput, "file"),
    (forms.FileInput, "file"),
    (forms.PasswordInput, "password"),
    (forms.MultiWidget, "multi"),
    (Input, "input"),
]

# The class each kind of control carries, and its modifier when the value is wrong.
_CONTROL_CLASSES = {
    "input": ("govuk-input", "govuk-input--error"),
    "password": ("govuk-input govuk-password-input__input govuk-js-password-input-input",
                 "govuk-input--error"),
    "select": ("govuk-select", "govuk-select--error"),
    "textarea": ("govuk-textarea", "govuk-textarea--error"),
    "file": ("govuk-file-upload", "govuk-file-upload--error"),
    "checkbox": ("govuk-checkboxes__input", ""),
    "radios": ("govuk-radios__input", ""),
    "checkboxes": ("govuk-checkboxes__input", ""),
}


def widget_kind(widget: forms.Widget) -> str:
    """Return which GOV.UK component draws this widget ("input", "radios", …)."""
    if widget.is_hidden:
        return "hidden"
    for widget_class, kind in _KINDS:
        if isinstance(widget, widget_class):
            return kind
    return "other"


class GovukSelect(forms.Select):
    """A select drawn with each option in place (``core/forms/select.html``).

    The same markup as Django's Select, which renders a template per option and one more
    for the option's attributes; a plain Select's options carry no attribute but
    ``selected`` (it does not pass its own attributes on to them), so the template
    writes that one alone. For long lists on busy pages.
    """

    template_name = "core/forms/select.html"


class GovukBoundField(BoundField):
    """A bound field that knows its GOV.UK component, ids and classes."""

    @property
    def kind(self) -> str:
        return widget_kind(self.field.widget)

    @property
    def uses_fieldset(self) -> bool:
        return self.kind in {"radios", "checkboxes"} or self.use_fieldset

    @property
    def base_id(self) -> str:
        """Return the control's id (a widget's own id wins), which hint and error ids extend."""
        return self.field.widget.attrs.get("id") or self.auto_id or ""

    @property
    def hint_id(self) -> str:
        return f"{self.base_id}-hint" if self.base_id else ""

    @property
    def error_id(self) -> str:
        return f"{self.base_id}-error" if self.base_id else ""

    @property
    def anchor_id(self) -> str:
        """Return the id an error summary links to: the first radio or checkbox of a group."""
        if self.kind in {"radios", "checkboxes"}:
            subwidgets = self.subwidgets
            if subwidgets:
                return subwidgets[0].id_for_label
        return self.id_for_label or self.auto_id or self.html_name

    @property
    def messages(self) -> list[str]:
        """Return the field's error messages, with Django's generic "required" made specific.

        GOV.UK error messages say what to do: "Enter email" rather than "This field is
        required.", and "Select colour" for a choice.
        """
        if not self.errors:
            return []
        label = str(self.label or self.name).strip().rstrip(":")
        label = label[:1].lower() + label[1:] if not label[:2].isupper() else label
        verb = "Select" if self.kind in {"radios", "checkboxes", "select"} else "Enter"
        return [
            f"{verb} {label}" if error.code == "required" and self.kind != "checkbox"
            else " ".join(error.messages)
            for error in self.form.errors.as_data().get(self.name, [])
        ]

    @property
    def aria_describedby(self) -> str | None:
        if self.field.widget.attrs.get("aria-describedby"):
            return None
        ids = []
        if self.base_id and not self.is_hidden:
            if self.help_text:
                ids.append(self.hint_id)
            if self.errors:
                ids.append(self.error_id)
        return " ".join(ids)

    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        kind = widget_kind(widget)
        if kind in _CONTROL_CLASSES:
            base, error = _CONTROL_CLASSES[kind]
            classes = [attrs.get("class") or widget.attrs.get("class") or "", base]
            if self.errors and error:
                classes.append(error)
            attrs["class"] = " ".join(c for c in classes if c)
        # GOV.UK: hints go in the hint, never in a placeholder that vanishes on typing.
        if "placeholder" in widget.attrs:
            attrs["placeholder"] = False
        if kind == "password" or getattr(widget, "input_type", "") == "email":
            attrs.setdefault("spellcheck", "false")
            attrs.setdefault("autocapitalize", "none")
        # Radios and checkboxes are described from their fieldset instead.
        if self.uses_fieldset:
            attrs.pop("aria-describedby", None)
        return attrs


class GovukFormRenderer(DjangoTemplates):
    """Draw forms and fields with the GOV.UK templates in ``core/templates/core/forms``."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/includes/field.html"
    bound_field_class = GovukBoundField


@dataclass(frozen=True)
class ErrorItem:
    """One line of an error summary: the message and, where there is one, its target."""

    text: str
    href: str = ""


def error_list(form: forms.BaseForm | None) -> list[ErrorItem]:
    """Return every error of a form, in field order, for the GOV.UK error summary.

    Errors about one field link to that field (``#id_<name>``, or its first radio).
    Errors about the form as a whole link to its first visible field, which is where
    a person starts correcting them (for example a wrong email and password pair).
    """
    if form is None or not form.is_bound or not form.errors:
        return []
    visible = form.visible_fields()
    first_anchor = _anchor(visible[0]) if visible else ""
    items = [ErrorItem(str(message), f"#{first_anchor}" if first_anchor else "")
             for message in form.non_field_errors()]
    for field in form:
        if field.is_hidden:
            items.extend(ErrorItem(str(message)) for message in field.errors)
            continue
        anchor = _anchor(field)
        messages = getattr(field, "messages", field.errors)
        items.extend(ErrorItem(str(message), f"#{anchor}") for message in messages)
    return items


def _anchor(field: BoundField) -> str:
    anchor = getattr(field, "anchor_id", None)
    return anchor or field.id_for_label or field.auto_id or field.html_name
