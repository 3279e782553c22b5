"""Read a service's application form (JSON Schema) as the questions a resident is asked.

A form is an object schema; each property is one question, asked on its own page. What
each JSON Schema shape becomes:

    string                          a text input (maxLength, minLength, pattern)
    string, format email            an email input
    string, format date             the GOV.UK date input (day, month, year)
    string, maxLength > 200, or
      "x-agora-widget": "textarea"  a textarea
    string with enum, or oneOf/anyOf
      of {"const", "title"}         radios (the titles are the labels)
    integer, number                 a numeric text input (minimum, maximum)
    boolean                         Yes and No radios
    array of enum (or of oneOf/
      anyOf consts)                 checkboxes

`title` is the question, `description` its hint, the schema's `required` list what must
be answered. Agora's own keywords, all optional:

    "x-agora-order": [names]        the order of the questions (PostgreSQL's jsonb does
                                    not keep the order of an object's keys)
    "x-agora-noun": "your name"     what error messages call the answer ("Enter your name")
    "x-agora-errors": {kw: text}    a message of its own for a keyword ("required", …)
    "x-agora-prefill": {"category": "contact", "field": "email"}
                                    the answer may be filled in from the resident's records
                                    of that category (only with their consent)
    "x-agora-purpose": "code"       (at the top) what the provider uses the answers for:
                                    the purpose of the consent that prefill asks for
"""

from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from agora.core.exceptions import InvalidInput

LONG_TEXT = 200  # a string allowed to be longer than this gets a textarea

TEXT, EMAIL, DATE, TEXTAREA = "text", "email", "date", "textarea"
RADIOS, YES_NO, CHECKBOXES = "radios", "yes-no", "checkboxes"
INTEGER, NUMBER = "integer", "number"


@dataclass(frozen=True)
class Prefill:
    """Where an answer may come from: a field of the resident's records of one category."""

    category: str
    field: str


@dataclass(frozen=True)
class Question:
    """One property of the form, as the page that asks it needs it."""

    name: str
    title: str
    hint: str
    kind: str
    required: bool
    schema: dict[str, Any] = field(repr=False)
    options: tuple[tuple[str, str], ...] = ()  # (value, label)
    noun: str = ""
    errors: dict[str, str] = field(default_factory=dict, repr=False)
    prefill: Prefill | None = None

    @property
    def max_length(self) -> int | None:
        return self.schema.get("maxLength")

    def label_of(self, value: Any) -> str:
        """Return how the answer reads on "Check your answers"."""
        if value is None or value == "" or value == []:
            return ""
        labels = dict(self.options)
        if self.kind == YES_NO:
            return "Yes" if value is True else "No" if value is False else str(value)
        if self.kind == CHECKBOXES and isinstance(value, list):
            return ", ".join(labels.get(str(v), str(v)) for v in value)
        if self.kind == RADIOS:
            return labels.get(str(value), str(value))
        if self.kind == DATE and isinstance(value, str):
            return _date_words(value)
        return str(value)


class FormSchemaError(InvalidInput):
    """The service's form is not one Agora can ask (not valid, or a shape it cannot draw)."""

    code = "form-schema-invalid"


def _date_words(value: str) -> str:
    import datetime

    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day.day} {day:%B} {day.year}"


def _options(schema: dict[str, Any]) -> tuple[tuple[str, str], ...] | None:
    """Return (value, label) pairs of an enum or of a oneOf/anyOf list of consts."""
    if isinstance(schema.get("enum"), list):
        return tuple((str(v), str(v)) for v in schema["enum"])
    for keyword in ("oneOf", "anyOf"):
        choices = schema.get(keyword)
        if isinstance(choices, list) and choices and all(
            isinstance(c, dict) and "const" in c for c in choices
        ):
            return tuple((str(c["const"]), str(c.get("title", c["const"]))) for c in choices)
    return None


def _kind(name: str, schema: dict[str, Any]) -> tuple[str, tuple[tuple[str, str], ...]]:
    kind = schema.get("type")
    options = _options(schema)
    if kind == "array":
        items = schema.get("items")
        item_options = _options(items) if isinstance(items, dict) else None
        if item_options is None:
            raise FormSchemaError(
                f"The question “{name}” is a list, which can only be a list of options."
            )
        return CHECKBOXES, item_options
    if options is not None and kind in (None, "string"):
        return RADIOS, options
    if kind == "boolean":
        return YES_NO, (("yes", "Yes"), ("no", "No"))
    if kind in (INTEGER, NUMBER):
        return kind, ()
    if kind == "string":
        if schema.get("format") == "email":
            return EMAIL, ()
        if schema.get("format") == "date":
            return DATE, ()
        if schema.get("x-agora-widget") == "textarea" or (schema.get("maxLength") or 0) > LONG_TEXT:
            return TEXTAREA, ()
        return TEXT, ()
    raise FormSchemaError(
        f"The question “{name}” has a type ({kind!r}) the application pages cannot ask."
    )


def _order(schema: dict[str, Any]) -> list[str]:
    """Return the property names in asking order: x-agora-order, then required, then the rest."""
    properties = list(schema.get("properties", {}))
    ordered: list[str] = []
    for name in [*schema.get("x-agora-order", []), *schema.get("required", []), *properties]:
        if name in properties and name not in ordered:
            ordered.append(name)
    return ordered


def questions_of(schema: dict[str, Any] | None) -> list[Question]:
    """Return the form's questions in order; raise FormSchemaError for a form Agora can't ask.

    The schema itself is checked against JSON Schema 2020-12 first, so a broken form is
    refused here rather than half-drawn.
    """
    if not isinstance(schema, dict) or not schema.get("properties"):
        raise FormSchemaError("This service has no application form.")
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        raise FormSchemaError(
            f"The application form is not valid JSON Schema: {error.message}"
        ) from None
    if schema.get("type", "object") != "object":
        raise FormSchemaError("An application form must be a JSON Schema of type object.")
    required = set(schema.get("required", []))
    questions = []
    for name in _order(schema):
        prop = schema["properties"][name]
        if not isinstance(prop, dict):
            raise FormSchemaError(f"The question “{name}” is not described.")
        kind, options = _kind(name, prop)
        prefill = prop.get("x-agora-prefill")
        questions.append(Question(
            name=name,
            title=str(prop.get("title") or name.replace("_", " ").capitalize()),
            hint=str(prop.get("description") or ""),
            kind=kind,
            required=name in required,
            schema=prop,
            options=options,
            noun=str(prop.get("x-agora-noun") or ""),
            errors=dict(prop.get("x-agora-errors") or {}),
            prefill=Prefill(str(prefill["category"]), str(prefill["field"]))
            if isinstance(prefill, dict) and {"category", "field"} <= prefill.keys() else None,
        ))
    return questions


def form_purpose(schema: dict[str, Any] | None) -> str:
    """Return the purpose code the provider gives for the answers ("" when none)."""
    return str((schema or {}).get("x-agora-purpose") or "")
