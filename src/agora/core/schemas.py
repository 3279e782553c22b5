"""Schemas every API app shares: the strict base for request bodies and the problem document."""

from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field, field_validator

# The OpenAPI document says what InputSchema's NUL check enforces, so a client (and the
# fuzz pass) knows NUL is refused: every free string gets this pattern. A string with
# a pattern, format or enum of its own already excludes NUL.
NO_NUL_PATTERN = "^[^\\u0000]*$"


def _state_no_nul(schema: dict[str, Any]) -> None:
    for prop in schema.get("properties", {}).values():
        _add_no_nul(prop)


def _add_no_nul(prop: dict[str, Any]) -> None:
    if prop.get("type") == "string" and not {"pattern", "format", "enum", "const"} & prop.keys():
        prop["pattern"] = NO_NUL_PATTERN
    for key in ("items", "additionalProperties"):
        if isinstance(prop.get(key), dict):
            _add_no_nul(prop[key])
    for key in ("anyOf", "oneOf", "allOf"):
        for option in prop.get(key, []):
            _add_no_nul(option)


class InputSchema(Schema):
    """Base of every request body: a field the schema does not declare is refused (422).

    Derive each endpoint's input schema from this, never from `ninja.Schema` directly,
    so a misspelt field name is reported instead of silently ignored.
    """

    model_config = ConfigDict(extra="forbid", json_schema_extra=_state_no_nul)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul_characters(cls, value: Any) -> Any:
        # PostgreSQL stores no NUL in text or jsonb, SQLite would keep it: refuse it on
        # both, by name, rather than let one database fail the write.
        if _holds_nul(value):
            raise ValueError("Text must not contain the NUL character (U+0000).")
        return value


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(_holds_nul(item) for item in value)
    return False


class ProblemFieldError(Schema):
    field: str = Field(description="Where the bad value is, e.g. `name` or `items.0.code`.")
    message: str = Field(description="What is wrong with it, in plain words.")


class Problem(Schema):
    """An RFC 9457 problem document, sent as `application/problem+json`."""

    type: str = Field(description="URI of the page that explains this kind of problem.")
    code: str = Field(description="Stable short code of the problem type; safe to branch on.")
    title: str = Field(description="Short summary of the problem type; the same every time.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong with this request, in plain words.")
    instance: str = Field(description="The path of the request that failed.")
    errors: list[ProblemFieldError] = Field(
        default_factory=list, description="One entry per invalid field, when there are any."
    )
