"""Template helpers of the sharing pages: date input parts and option hints."""

from datetime import date

from django import template

register = template.Library()


@register.filter
def date_parts(field) -> list[dict]:
    """Return the day, month and year boxes of a bound DateField with their ids and values."""
    value = field.value()
    if isinstance(value, date):
        values = [value.day, value.month, value.year]
    elif isinstance(value, list | tuple) and len(value) == 3:
        values = list(value)
    else:
        values = ["", "", ""]
    base = field.auto_id
    return [
        {"id": f"{base}_{index}", "name": f"{field.html_name}_{index}", "label": label,
         "value": "" if values[index] is None else values[index], "width": width}
        for index, (label, width) in enumerate((("Day", 2), ("Month", 2), ("Year", 4)))
    ]


@register.filter
def option_hint(option, field) -> str:
    """Return the hint of one radio or checkbox option, from its widget's `hints`."""
    hints = getattr(field.field.widget, "hints", {}) or {}
    return hints.get(str(option.data["value"]), "")


@register.filter
def field_label(name: str) -> str:
    """Turn a record field's name (monthly_rent) into a label (Monthly rent)."""
    text = str(name).replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


@register.filter
def get_item(mapping, key):
    """Return mapping[key], or None: for names looked up by slug or code in a template."""
    return mapping.get(key) if hasattr(mapping, "get") else None
