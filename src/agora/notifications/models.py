"""The outbox of events, partners' webhook subscriptions, and each delivery with its attempts.

An `Event` row is written in the transaction of the change it announces (see
`core.events`); a committed event is fanned out to one `Delivery` per matching
subscription, and each delivery is tried until the receiver answers 2xx or the retry
window ends (then it is dead-lettered, to be replayed by the organisation's admin).
"""

import uuid

from django.conf import settings
from django.db import models

from agora.organizations.models import Organization
from agora.people.models import Person


class EventType(models.TextChoices):
    REQUEST_CREATED = "request.created", "A request was made"
    REQUEST_STATUS_CHANGED = "request.status_changed", "A request changed status"
    REQUEST_MESSAGE_ADDED = "request.message_added", "A message was sent on a request"
    REQUEST_DOCUMENT_REQUESTED = "request.document_requested", "A document was asked for"
    CONSENT_WITHDRAWN = "consent.withdrawn", "A resident withdrew a consent"
    AGREEMENT_CHANGED = "agreement.changed", "A sharing agreement changed status"
    DOCUMENT_PUBLISHED = "document.published", "A document was published"
    CHALLENGE_PHASE_CHANGED = "challenge.phase_changed", "A challenge moved to its next phase"
    CHALLENGE_PROPOSAL_ANSWERED = "challenge.proposal_answered", \
        "An organisation answered a proposal"
    CHALLENGE_MILESTONE_CHANGED = "challenge.milestone_changed", \
        "A milestone of a challenge's result changed"


class Event(models.Model):
    """One change, recorded in the transaction that made it; its id is the CloudEvent id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(max_length=40, choices=EventType.choices)
    source = models.CharField(max_length=200, help_text="CloudEvents source (a URI reference).")
    subject = models.CharField(max_length=200, help_text="The resource's public id or reference.")
    organizations = models.ManyToManyField(Organization, related_name="events")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The resident it is about: told by email, never sent to partners.",
    )
    data = models.JSONField(default=dict)
    occurred_at = models.DateTimeField()
    dispatched_at = models.DateTimeField(
        null=True, blank=True, help_text="When its deliveries were made (fan-out done)."
    )

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["occurred_at"], condition=models.Q(dispatched_at__isnull=True),
                         name="event_undispatched"),
            models.Index(fields=["occurred_at"], name="event_occurred"),  # pruning
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.subject}"


class Subscription(models.Model):
    """An organisation's HTTPS endpoint, subscribed to some event types."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="webhook_subscriptions"
    )
    url = models.URLField(max_length=500)
    event_types = models.JSONField(default=list)
    description = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    paused_reason = models.CharField(max_length=300, blank=True)
    # Kept in clear because every delivery is signed with it; shown to the admin only when
    # made, and never logged. During a rotation both secrets sign, until the old expires.
    secret = models.CharField(max_length=100)
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    failing_since = models.DateTimeField(
        null=True, blank=True, help_text="First failure since the last success."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["organization_id", "created_at"]

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.url}"

    def __repr__(self) -> str:  # never the secret
        return f"<Subscription {self.public_id} {self.url}>"


class Delivery(models.Model):
    """One event to one subscription, tried until it is delivered or dead-lettered."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        DELIVERED = "delivered", "Delivered"
        DEAD = "dead", "Gave up (dead letter)"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    first_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(
        null=True, blank=True, help_text="A worker is sending it until then."
    )
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event"], name="delivery_once"),
        ]
        indexes = [
            models.Index(fields=["subscription", "status", "-created_at"],
                         name="delivery_history"),
            models.Index(fields=["next_attempt_at"], condition=models.Q(status="pending"),
                         name="delivery_due"),
            models.Index(fields=["delivered_at"], condition=models.Q(status="delivered"),
                         name="delivery_delivered"),  # pruning
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.subscription_id}: {self.status}"


class Attempt(models.Model):
    """One try of a delivery: what the receiver answered, and how long it took."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="history")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField()
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["delivery_id", "number"]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}: {self.status_code or self.error}"


class RecoverySchedule(models.Model):
    """The outbox's recovery sweep: the one pending tick, named by its token.

    A tick whose token is no longer this row's does nothing, so however often workers
    start, one chain of sweeps runs (the pattern of `audit.cadence`).
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.CharField(max_length=32, blank=True)
    next_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"next outbox sweep at {self.next_run_at}"


class EmailPreference(models.Model):
    """Whether a resident wants email about one request, or (no request) by default."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    request_id = models.UUIDField(
        null=True, blank=True, help_text="The request's public id; empty for the default."
    )
    enabled = models.BooleanField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "request_id"], name="email_pref_request"),
            models.UniqueConstraint(fields=["person"], condition=models.Q(request_id=None),
                                    name="email_pref_default"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.request_id or 'default'}: {self.enabled}"


class ResidentEmail(models.Model):
    """One email telling a resident that their request changed: sent at least once."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Gave up"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="email")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=models.Q(status="pending"),
                         name="resident_email_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.person_id}: {self.status}"


class RequestSeen(models.Model):
    """When the resident last opened a request's page: later entries are new to them."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    request_id = models.UUIDField(help_text="The request's public id.")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "request_id"], name="request_seen_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} saw {self.request_id} at {self.seen_at}"
