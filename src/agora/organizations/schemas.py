"""Input and output schemas of the organisations API."""

from uuid import UUID

from ninja import Schema
from pydantic import Field


class OrganizationOut(Schema):
    slug: str
    name: str
    kind: str = Field(description="government, ngo, business or community.")


class WhoAmIOut(Schema):
    client_id: UUID
    client_name: str
    organization: OrganizationOut
    scopes: list[str] = Field(description="The scopes this client has been granted.")
    purpose: str = Field(description="The purpose the token stated.")
    on_behalf_of: str | None = Field(description="Whom the client acts for, if it said.")
