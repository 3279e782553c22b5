"""Input and output schemas of the requests API."""

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field, StrictFloat, StrictInt, StringConstraints

from agora.cases.models import MAX_DESCRIPTION, MAX_MESSAGE
from agora.core.schemas import InputSchema

Text = Annotated[str, StringConstraints(max_length=MAX_MESSAGE)]
Reference = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class ReporterIn(InputSchema):
    name: Annotated[str, StringConstraints(max_length=200)] = ""
    email: Annotated[str, StringConstraints(max_length=254)] = ""
    phone: Annotated[str, StringConstraints(max_length=32)] = ""


class LocationIn(InputSchema):
    lat: Annotated[StrictFloat | StrictInt, Field(ge=-90, le=90)] | None = None
    long: Annotated[StrictFloat | StrictInt, Field(ge=-180, le=180)] | None = None
    address: Annotated[str, StringConstraints(max_length=300)] = ""


class CaseIn(InputSchema):
    """A new request for one of your organisation's services."""

    service: Annotated[str, StringConstraints(min_length=1, max_length=80)] = Field(
        description="The service's code in the catalogue.")
    person_id: UUID | None = Field(None, description="The resident it is about, if known.")
    reporter: ReporterIn | None = Field(None, description="Contact details, without a person.")
    location: LocationIn | None = None
    description: Annotated[str, StringConstraints(max_length=MAX_DESCRIPTION)] = ""
    media_url: Annotated[str, StringConstraints(max_length=500)] = ""
    answers: dict[str, Any] = Field(default_factory=dict)
    external_ref: Annotated[str, StringConstraints(max_length=100)] = Field(
        "", description="Your own id; sending the same one again returns the same request.")


class StatusChangeIn(InputSchema):
    status: Annotated[str, StringConstraints(min_length=1, max_length=40)] = Field(
        description="The code of the status to move to (see `allowed_next`).")
    note: Text = Field("", description="Shown to the resident on the timeline.")
    version: StrictInt | None = Field(
        None, description="The version the change is based on, if no `If-Match` is sent.")


class EventIn(InputSchema):
    kind: Literal["message", "note", "document-request"] = Field(
        description="`message` to the resident, an internal `note`, or a "
        "`document-request` asking the resident for a document.")
    text: Text = ""
    document_name: Annotated[str, StringConstraints(max_length=200)] = ""
    version: StrictInt | None = None


class StatusOut(Schema):
    code: str
    label: str
    resident_text: str
    next_step: str
    is_final: bool


class EventOut(Schema):
    id: UUID
    kind: str
    created_at: datetime
    author: str
    status_from: str = ""
    status_to: str = ""
    text: str = ""
    document_name: str = ""
    visible_to_resident: bool


class CaseOut(Schema):
    reference: str
    id: UUID
    service: str
    organization: str
    person_id: UUID | None
    status: StatusOut
    is_open: bool
    deadline: datetime | None = Field(description="None while the clock is paused or ended.")
    overdue: bool
    version: int = Field(description="Send it back as `If-Match` (the ETag) to change it.")
    created_at: datetime
    updated_at: datetime
    allowed_next: list[str]
    timeline: list[EventOut] = Field(default_factory=list)


class CaseStatusOut(Schema):
    reference: str
    status: str
    resident_text: str
    is_open: bool
    deadline: datetime | None
    overdue: bool
    version: int
