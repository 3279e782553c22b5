"""Input and output schemas of the exchange API."""

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field, StrictBool, StrictFloat, StrictInt, StringConstraints

from agora.access.vocabulary import CATEGORIES
from agora.core.schemas import InputSchema
from agora.organizations.models import Membership
from agora.records.validation import (
    EXTERNAL_REF_PATTERN,
    FIELD_NAME_PATTERN,
    MAX_EXTERNAL_REF,
    MAX_FIELD_NAME,
    MAX_FIELDS,
    MAX_SAFE_INTEGER,
    MAX_TEXT_VALUE,
    MAX_TITLE,
    NUL,
    TITLE_PATTERN,
)

# The schema states every rule the service checks, so a request the document allows is
# never refused for its values (the fuzz pass holds the API to that).
CategoryCode = Literal[tuple(item["code"] for item in CATEGORIES)]
RoleName = Literal[tuple(Membership.Role.values)]
NoNul = f"^[^{NUL}]*$"
Title = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TITLE,
                                         pattern=TITLE_PATTERN)]
ExternalRef = Annotated[str, StringConstraints(min_length=1, max_length=MAX_EXTERNAL_REF,
                                               pattern=EXTERNAL_REF_PATTERN)]
FieldName = Annotated[str, StringConstraints(min_length=1, max_length=MAX_FIELD_NAME,
                                             pattern=FIELD_NAME_PATTERN)]
# A field value: text, a number, true/false or null; never a list or an object.
FieldValue = (
    StrictBool
    | Annotated[StrictInt, Field(ge=-MAX_SAFE_INTEGER, le=MAX_SAFE_INTEGER)]
    | Annotated[StrictFloat, Field(allow_inf_nan=False)]
    | Annotated[str, StringConstraints(max_length=MAX_TEXT_VALUE, pattern=NoNul)]
    | None
)


class SharedUnder(Schema):
    basis: str = Field(
        description="Why this client may see the record: `owner-client` (its own "
        "organisation's record), `agreement` or `consent`."
    )
    id: UUID | None = Field(
        description="The public id of the agreement or consent, when one was the basis."
    )
    legal_basis: str = Field(description="The GDPR legal basis, e.g. `6.1.e` or `6.1.e; 9.2.h`.")


class RecordOut(Schema):
    id: UUID = Field(description="The record's public id.")
    owner: str = Field(description="Slug of the organisation that holds the record.")
    category: str = Field(description="Data category code, e.g. `income-and-benefits`.")
    classification: str = Field(description="internal or restricted.")
    title: str
    fields: dict[str, Any] = Field(
        description="The record's fields, only those this client may see."
    )
    updated_at: datetime
    shared_under: SharedUnder


class PersonRecordsOut(Schema):
    person_id: UUID
    purpose: str = Field(description="The purpose the token stated, which the answer is for.")
    total: int = Field(description="How many records this client may read for the purpose.")
    limit: int
    offset: int
    records: list[RecordOut]


class PageQuery(InputSchema):
    limit: int = Field(50, ge=1, le=200, description="At most this many records (≤ 200).")
    offset: int = Field(0, ge=0, le=100_000, description="Skip this many records first.")


class LookupOut(Schema):
    person_id: UUID


class PersonById(InputSchema):
    person_id: UUID = Field(description="The person's public id.")


class PersonByNationalId(InputSchema):
    national_id: str = Field(
        min_length=1, max_length=40,
        description="The person's national identifier; spaces, dots and dashes are ignored.",
    )


class LookupIn(PersonByNationalId):
    """Find a person by national identifier."""


class RecordIn(InputSchema):
    """A record about a person, pushed by the organisation that holds it."""

    person: PersonById | PersonByNationalId = Field(
        description="Who the record is about: `{\"person_id\": …}` or `{\"national_id\": …}`."
    )
    external_ref: ExternalRef = Field(
        description="Your own reference for the record; pushing it again updates it."
    )
    category: CategoryCode = Field(description="The data category, from the shared vocabulary.")
    restricted_roles: list[RoleName] = Field(
        default_factory=list, max_length=5,
        description="Empty: any of your staff with a personal-data role (and your clients) "
        "may read it (`internal`). Otherwise only your staff in these roles (`restricted`); "
        "a restricted record is never shared with other organisations.",
    )
    title: Title
    fields: dict[FieldName, FieldValue] = Field(
        default_factory=dict, max_length=MAX_FIELDS,
        description=f"Names and scalar values (text up to {MAX_TEXT_VALUE} characters).",
        # pydantic states the name rule as patternProperties only, which would let other
        # names through; say it of every name, as the validation does.
        json_schema_extra={
            "additionalProperties": False,
            "propertyNames": {"minLength": 1, "maxLength": MAX_FIELD_NAME,
                              "pattern": FIELD_NAME_PATTERN},
        },
    )


class RecordPushOut(Schema):
    id: UUID
    person_id: UUID
    external_ref: str
    created: bool = Field(description="True when this push created the record.")
    updated_at: datetime
