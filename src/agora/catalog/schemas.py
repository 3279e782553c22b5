"""Input and output schemas of the catalogue's API."""

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field, StringConstraints

from agora.core.schemas import InputSchema

Slug = Annotated[str, StringConstraints(max_length=80, pattern=r"^[a-z0-9-]*$")]
Code = Annotated[str, StringConstraints(min_length=1, max_length=80,
                                        pattern=r"^[a-z0-9][a-z0-9-]*$")]
Text = Annotated[str, StringConstraints(max_length=5000)]
StatusName = Literal["draft", "published", "withdrawn"]


class ServiceQuery(InputSchema):
    topic: Slug = Field("", description="Only services under this topic (or its sub-topics).")
    provider: Slug = Field("", description="Only services of this organisation (its slug).")
    limit: int = Field(50, ge=1, le=200, description="At most this many (≤ 200).")
    offset: int = Field(0, ge=0, le=100_000)


class _Details(InputSchema):
    summary: Annotated[str, StringConstraints(max_length=300)] = ""
    description: Text = ""
    who_for: Text = Field("", description="Who the service is for, in plain words.")
    how_to_apply: Text = ""
    cost: Annotated[str, StringConstraints(max_length=200)] = Field(
        "", description="Blank means free.")
    target_days: int | None = Field(None, ge=0, le=3650,
                                    description="Target handling time in days.")
    eligibility_rule: dict[str, Any] | None = Field(None, description=(
        "JSON Logic over the facts the platform's questions declare (GET "
        "/services/questions lists them); none means anyone may ask."))
    form_schema: dict[str, Any] | None = Field(None, description=(
        "The application form, a JSON Schema (Draft 2020-12) of an object whose "
        "properties each have a type."))
    location_based: bool = Field(False, description="A street problem reported at a place.")
    url: Annotated[str, StringConstraints(max_length=200)] = ""
    email: Annotated[str, StringConstraints(max_length=254)] = ""
    topics: list[Slug] = Field(default_factory=list, max_length=20,
                               description="Slugs of the hub's topics it is filed under.")


class ServiceIn(_Details):
    code: Code = Field(description="Stable code across the platform (the Open311 "
                                   "service_code): lower-case letters, digits and hyphens.")
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    status: StatusName = "draft"


class ServicePatch(InputSchema):
    """Only the fields sent are changed; `null` clears a rule, a form or a target."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    summary: Annotated[str, StringConstraints(max_length=300)] | None = None
    description: Text | None = None
    who_for: Text | None = None
    how_to_apply: Text | None = None
    cost: Annotated[str, StringConstraints(max_length=200)] | None = None
    target_days: int | None = Field(None, ge=0, le=3650)
    eligibility_rule: dict[str, Any] | None = None
    form_schema: dict[str, Any] | None = None
    location_based: bool | None = None
    url: Annotated[str, StringConstraints(max_length=200)] | None = None
    email: Annotated[str, StringConstraints(max_length=254)] | None = None
    topics: list[Slug] | None = Field(None, max_length=20)
    status: StatusName | None = None


class ServiceOut(Schema):
    id: UUID
    code: str
    name: str
    provider: str = Field(description="Slug of the organisation that provides it.")
    provider_name: str
    summary: str
    description: str
    who_for: str
    how_to_apply: str
    cost: str
    target_days: int | None
    topics: list[str]
    eligibility_rule: dict[str, Any] | None
    form_schema: dict[str, Any] | None
    location_based: bool
    url: str
    email: str
    status: str
    page: str = Field(description="The service's page for residents.")
    updated_at: datetime


class ServiceListOut(Schema):
    total: int
    limit: int
    offset: int
    services: list[ServiceOut]


class QuestionOut(Schema):
    key: str = Field(description="The fact's name, as a rule's {\"var\": …} uses it.")
    text: str
    kind: str
    choices: list[list[str]]
    statement: str
