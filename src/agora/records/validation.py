"""Check a record's values before it is written: fields, title, category, classification.

Every problem is reported at once, as field errors of one `InvalidInput`, so a client
fixes its request in one go. Nothing here reads personal data or decides access.
"""

import math
import re
from dataclasses import dataclass
from typing import Any

from agora.access.models import Classification, DataCategory
from agora.core.exceptions import InvalidInput
from agora.organizations.models import Membership

# A record holds at most MAX_FIELDS values of at most MAX_TEXT_VALUE characters: bounded
# by shape, so the API's schema can state every limit (`records.schemas`).
MAX_FIELDS = 50
MAX_FIELD_NAME = 60
MAX_TEXT_VALUE = 2000
MAX_TITLE = 200
MAX_EXTERNAL_REF = 100
MAX_SAFE_INTEGER = 2**53 - 1  # the largest integer every JSON reader keeps exactly
NUL = "\\x00"  # PostgreSQL text and jsonb cannot hold it
# Patterns written with explicit characters, so Python and JSON Schema read them alike.
FIELD_NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9_]*$"
EXTERNAL_REF_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$"
TITLE_PATTERN = r"^[^\x00]*[^\x00\t\n\v\f\r ][^\x00]*$"  # not blank, no NUL
PERSONAL_LEVELS = (Classification.INTERNAL.value, Classification.RESTRICTED.value)


@dataclass(frozen=True)
class RecordValues:
    """A record's values, checked and normalised."""

    category: DataCategory
    classification: str
    restricted_roles: list[str]
    title: str
    fields: dict[str, Any]
    external_ref: str


class _Errors:
    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, field: str, message: str) -> None:
        self.items.append({"field": field, "message": message})

    def raise_any(self) -> None:
        if self.items:
            detail = " ".join(item["message"] for item in self.items)
            raise InvalidInput(detail, errors=self.items)


def _text_problem(value: str) -> str | None:
    if "\x00" in value:
        return "holds a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode text"
    return None


def _value_problem(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return None if abs(value) <= MAX_SAFE_INTEGER else "is too large a number"
    if isinstance(value, float):
        return None if math.isfinite(value) else "must be a finite number"
    if isinstance(value, str):
        if len(value) > MAX_TEXT_VALUE:
            return f"is longer than {MAX_TEXT_VALUE} characters"
        return _text_problem(value)
    return "must be text, a number, true/false or null (not a list or an object)"


def fields_check(fields: Any, errors: _Errors) -> dict[str, Any]:
    """Return the fields if they are a small JSON object of scalar values; note problems."""
    if not isinstance(fields, dict):
        errors.add("fields", "Fields must be a JSON object of names and values.")
        return {}
    if len(fields) > MAX_FIELDS:
        errors.add("fields", f"A record holds at most {MAX_FIELDS} fields.")
        return {}
    for name, value in fields.items():
        if not (isinstance(name, str) and re.fullmatch(FIELD_NAME_PATTERN, name)
                and len(name) <= MAX_FIELD_NAME):
            errors.add(
                "fields",
                f"Field name {str(name)[:80]!r} must start with a letter and hold only "
                f"letters, digits and _ (at most {MAX_FIELD_NAME} characters).",
            )
            continue
        problem = _value_problem(value)
        if problem:
            errors.add(f"fields.{name}", f"Field “{name}” {problem}.")
    return dict(fields)


def record_values_check(
    *,
    personal: bool,
    category: str | DataCategory,
    classification: str,
    restricted_roles: list[str] | tuple[str, ...] | None,
    title: str,
    fields: Any,
    external_ref: str = "",
) -> RecordValues:
    """Return the checked values, or raise InvalidInput naming every problem."""
    errors = _Errors()
    found = category if isinstance(category, DataCategory) else (
        DataCategory.objects.filter(code=category).first() if isinstance(category, str) else None
    )
    if found is None:
        errors.add("category", f"There is no data category “{str(category)[:60]}”.")
    levels = PERSONAL_LEVELS if personal else tuple(Classification.values)
    if classification not in levels:
        errors.add(
            "classification",
            f"Classification must be one of: {', '.join(levels)}"
            + (" (a record about a person is never open or public)." if personal else "."),
        )
    roles = list(restricted_roles or [])
    unknown_roles = [r for r in roles if r not in Membership.Role.values]
    if unknown_roles or not all(isinstance(r, str) for r in roles):
        errors.add(
            "restricted_roles", f"Roles must be among: {', '.join(Membership.Role.values)}."
        )
    elif classification == Classification.RESTRICTED and not roles:
        errors.add("restricted_roles", "A restricted record names at least one role.")
    elif classification != Classification.RESTRICTED and roles:
        errors.add("restricted_roles", "Only a restricted record names roles.")
    if not (isinstance(title, str) and len(title) <= MAX_TITLE
            and re.search(TITLE_PATTERN, title) and not _text_problem(title)):
        errors.add("title", f"Give a title of 1 to {MAX_TITLE} characters, not only spaces.")
        title = ""
    if external_ref and not (
        len(external_ref) <= MAX_EXTERNAL_REF
        and re.fullmatch(EXTERNAL_REF_PATTERN, external_ref)
    ):
        errors.add(
            "external_ref",
            f"The reference holds at most {MAX_EXTERNAL_REF} letters, digits and . _ : / -, "
            "starting with a letter or digit.",
        )
    checked_fields = fields_check(fields, errors)
    errors.raise_any()
    return RecordValues(
        category=found,
        classification=classification,
        restricted_roles=sorted(set(roles)),
        title=title,
        fields=checked_fields,
        external_ref=external_ref,
    )
