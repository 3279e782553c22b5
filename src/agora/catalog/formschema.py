"""Application forms are JSON Schema; check one when a service is saved.

The application flow renders a form from its schema, one question per page, so beyond
being a valid schema (Draft 2020-12, checked by `jsonschema`) it must describe an object
whose properties each have a type the flow can draw.
"""

from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from agora.core.exceptions import InvalidInput

FIELD_TYPES = frozenset({"string", "integer", "number", "boolean", "array"})
MAX_FIELDS = 60


class InvalidFormSchema(InvalidInput):
    """The application form is not a valid JSON Schema (Draft 2020-12) of an object whose
    properties each have a type; `errors` names the first problem found."""

    code = "invalid-form-schema"
    title = "The application form is not a valid JSON Schema"


def _refuse(message: str, at: str = "") -> InvalidFormSchema:
    field = f"form_schema{'.' + at if at else ''}"
    return InvalidFormSchema(message, errors=[{"field": field, "message": message}])


def form_schema_check(schema: Any) -> None:
    """Refuse a form schema that is not valid JSON Schema or not an object of typed fields."""
    if schema is None:
        return
    if not isinstance(schema, dict):
        raise _refuse("The application form must be a JSON Schema object.")
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        where = ".".join(str(part) for part in error.path)
        raise _refuse(f"The application form is not a valid JSON Schema: {error.message}"
                      + (f" (at {where})" if where else "."), where) from None
    properties = schema.get("properties")
    if schema.get("type") != "object" or not isinstance(properties, dict) or not properties:
        raise _refuse("The application form must be {\"type\": \"object\"} with at least "
                      "one field under \"properties\".")
    if len(properties) > MAX_FIELDS:
        raise _refuse(f"The application form has {len(properties)} fields; at most "
                      f"{MAX_FIELDS} fit in one application.")
    for name, field in properties.items():
        kind = field.get("type") if isinstance(field, dict) else None
        if kind not in FIELD_TYPES:
            raise _refuse(f"The field “{name}” needs a type: one of "
                          f"{', '.join(sorted(FIELD_TYPES))}.", f"properties.{name}")
    missing = [name for name in schema.get("required", []) if name not in properties]
    if missing:
        raise _refuse(f"Required fields that the form does not have: {', '.join(missing)}.",
                      "required")
