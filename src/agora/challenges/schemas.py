"""The challenges API's output schemas (read only: people take part on the pages)."""

from datetime import date, datetime
from uuid import UUID

from ninja import Field, Schema

from agora.core.schemas import InputSchema


class ChallengeQuery(InputSchema):
    organization: str = Field("", max_length=100, description="Only this organisation's.")
    limit: int = Field(50, ge=1, le=200, description="At most this many (≤ 200).")
    offset: int = Field(0, ge=0, le=100_000)


class MilestoneOut(Schema):
    id: UUID
    title: str
    due: date
    done_on: date | None
    service: str | None = Field(description="The code of the service it changes.")


class ProposalOut(Schema):
    id: UUID
    title: str
    body: str
    by_organization: str | None = Field(
        description="The member organisation that proposed it (none: a resident).")
    supporters: int
    status: str = Field(description="open, evaluating, accepted or rejected.")
    answer: str
    answered_at: datetime | None
    evidence_dataset: str | None = Field(description="The open dataset's name.")
    evidence_query: str | None = Field(description="A datastore_search URL (the saved query).")
    milestones: list[MilestoneOut]


class ChallengeOut(Schema):
    id: UUID
    slug: str
    title: str
    summary: str
    organization: str
    topic: str | None
    dataset: str | None
    service: str | None
    phase: str = Field(description="gather, propose, prioritise, respond, track or closed.")
    phase_changed_at: datetime
    planned: dict[str, date] = Field(description="When each later phase is planned to start.")
    page: str


class ChallengeDetailOut(ChallengeOut):
    proposals: list[ProposalOut]


class ChallengeListOut(Schema):
    total: int
    limit: int
    offset: int
    challenges: list[ChallengeOut]
