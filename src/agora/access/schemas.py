"""Output schemas of the public register API: declared purposes and agreements in force."""

from datetime import datetime
from uuid import UUID

from ninja import Schema
from pydantic import Field


class DeclaredPurposeOut(Schema):
    code: str = Field(description="The purpose's code in the shared vocabulary.")
    name: str
    description: str = Field(description="What the purpose is, in plain words.")
    use: str = Field(description="How the organisation uses the data for it.")
    serves: str = Field(description="Whom the processing serves (the people it is about).")
    legal_basis: str = Field(description="GDPR Art. 6(1) basis, e.g. `6.1.e`.")
    legal_basis_label: str
    special_condition: str = Field(
        description="GDPR Art. 9(2) condition for special categories, e.g. `9.2.h`; "
        "empty when it uses none.")
    special_condition_label: str
    categories: list[str] = Field(description="Codes of the data categories it needs.")
    retention: str = Field(description="How long the data is kept.")
    approved_at: datetime | None = Field(description="When its data protection officer "
                                                     "approved the declaration.")


class AgreementInForceOut(Schema):
    id: UUID
    title: str
    provider: str = Field(description="Slug of the organisation whose data is shared.")
    recipient: str = Field(description="Slug of the organisation that receives it.")
    categories: list[str]
    purposes: list[str] = Field(description="The purposes the recipient may use it for.")
    legal_basis: str
    valid_from: datetime
    valid_to: datetime
    summary: str = Field(description="The agreement in one plain sentence.")


class OrganizationPurposesOut(Schema):
    slug: str
    name: str
    kind: str
    purposes: list[DeclaredPurposeOut]
    agreements: list[AgreementInForceOut] = Field(
        description="Agreements in force that the organisation provides or receives.")


class PurposesOut(Schema):
    organizations: list[OrganizationPurposesOut]
