"""Input and output schemas of the webhooks API."""

from datetime import datetime
from uuid import UUID

from ninja import Schema
from pydantic import Field

from agora.core.schemas import InputSchema


class SubscriptionIn(InputSchema):
    url: str = Field(max_length=500, description="Your HTTPS endpoint; a public address.")
    event_types: list[str] = Field(
        max_length=20, description="Event types to send, e.g. `request.status_changed`.")
    description: str = Field("", max_length=200, description="What system receives them.")


class SubscriptionOut(Schema):
    id: UUID
    url: str
    event_types: list[str]
    description: str
    status: str = Field(description="`active` or `paused`.")
    paused_reason: str
    failing_since: datetime | None = Field(description="First failure since the last success.")
    created_at: datetime
    waiting: int = Field(description="Deliveries waiting to be sent or retried.")
    dead: int = Field(description="Deliveries given up after the retry window (replayable).")


class SecretOut(Schema):
    secret: str = Field(description="The signing secret (`whsec_…`). Shown only now.")
    previous_secret_expires_at: datetime | None = Field(
        description="Until then the old secret signs too (after a rotation).")


class SubscriptionCreatedOut(SubscriptionOut):
    secret: str = Field(description="The signing secret (`whsec_…`). Shown only now.")


class AttemptOut(Schema):
    number: int
    started_at: datetime
    status_code: int | None = Field(description="The receiver's answer; null if none.")
    latency_ms: int
    error: str


class DeliveryOut(Schema):
    id: UUID
    event_id: UUID = Field(description="The CloudEvent id, also sent as `webhook-id`.")
    event_type: str
    status: str = Field(description="`pending`, `delivered` or `dead`.")
    attempts: list[AttemptOut]
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    last_error: str


class ReplayIn(InputSchema):
    deliveries: list[UUID] | None = Field(
        None, max_length=1000, description="Ids of given-up deliveries; omit for all of them.")


class ReplayOut(Schema):
    replayed: int


class DismissOut(Schema):
    dismissed: int


class EventTypeOut(Schema):
    type: str
    description: str
