"""Template helpers for GOV.UK Frontend markup."""

from django import template

from agora.core.forms import ErrorItem, error_list

register = template.Library()


@register.simple_tag
def govuk_error_list(form) -> list[ErrorItem]:
    """Return the error summary entries of a form: message and link to the field."""
    return error_list(form)


@register.filter
def squash(value) -> str:
    """Collapse runs of whitespace into single spaces and trim the ends."""
    return " ".join(str(value).split())


@register.filter
def startswith(value, prefix: str) -> bool:
    """Tell whether a string (e.g. the current view name) starts with a prefix."""
    return bool(value) and str(value).startswith(prefix)


@register.filter
def chunks(value, size: int = 4) -> str:
    """Split a long code into space-separated groups, e.g. "ABCD EFGH IJKL"."""
    text = str(value)
    size = max(int(size), 1)
    return " ".join(text[i : i + size] for i in range(0, len(text), size))
