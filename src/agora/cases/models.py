"""Requests to member organisations: a case, its status model and timeline, referrals, deadlines.

A case is one request for one catalogue service, handled by one organisation. It is
about a resident (`person`) or, for a street problem reported without an account, only
carries the reporter's contact details. The case row holds its current status, whether
it is still open and its deadline (denormalised from the timeline), so the work queue and
"Your requests" are one indexed range read each (docs/decisions.md 26).
"""

import uuid

from django.db import models

from agora.catalog.models import Service
from agora.organizations.models import Organization
from agora.people.models import Person

MAX_DESCRIPTION = 4000
MAX_MESSAGE = 4000


class StatusType(models.Model):
    """One status a service's requests can be in, with the words a resident sees.

    A service with no status types of its own uses the default model in
    `cases.statuses`. `next_codes` lists the statuses a request may move to from this one.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="status_types")
    code = models.SlugField(max_length=40)
    label = models.CharField(max_length=80, help_text="The name staff see.")
    resident_text = models.CharField(
        max_length=300, help_text="What the status means, in the resident's words."
    )
    next_step = models.CharField(
        max_length=300, blank=True, help_text="What happens next, in the resident's words."
    )
    is_initial = models.BooleanField(default=False, help_text="A new request starts here.")
    is_final = models.BooleanField(default=False, help_text="Reaching it ends the request.")
    suspends_deadline = models.BooleanField(
        default=False, help_text="The clock stops while a request waits here (on the resident)."
    )
    expected_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="How long a request usually stays here, in days."
    )
    next_codes = models.JSONField(default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["service_id", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="unique_status_per_service"),
        ]

    def __str__(self) -> str:
        return self.label


class ReferenceCounter(models.Model):
    """The last number given out for a reference prefix in a year (`RIV-2026-004211`).

    One row per prefix and year, bumped by one `UPDATE … RETURNING`: creations of
    different organisations never wait for each other, and no table is locked.
    """

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="unique_reference_counter")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class Case(models.Model):
    """A request for a service, handled by one organisation."""

    class Channel(models.TextChoices):
        WEB = "web", "Online application"
        API = "api", "Partner system"
        OPEN311 = "open311", "Open311 report"
        STAFF = "staff", "Entered by staff"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=24, unique=True)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="cases")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="cases", db_index=False,
        help_text="The handling organisation (the provider, or the one it was referred to).",
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="cases",
        db_index=False,  # "case_person" below starts with it
    )
    reporter_name = models.CharField(max_length=200, blank=True)
    reporter_email = models.EmailField(blank=True, help_text="Stored in lower case.")
    reporter_phone = models.CharField(max_length=32, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    address = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True, max_length=MAX_DESCRIPTION)
    media_url = models.URLField(max_length=500, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    external_ref = models.CharField(
        max_length=100, blank=True, help_text="The creating partner's own id, for retries."
    )
    # Current state, denormalised from the timeline so lists read the row alone.
    status = models.CharField(max_length=40)
    is_open = models.BooleanField(default=True)
    status_changed_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    # While the clock is stopped (waiting on the resident) the deadline is NULL, so the
    # queue lists the request after those that are due, and the time left is kept here.
    suspended_at = models.DateTimeField(
        null=True, blank=True, help_text="Set while the clock is stopped."
    )
    paused_remaining = models.DurationField(
        null=True, blank=True, help_text="Time left to the deadline when the clock stopped."
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Bumped by every change; the API's ETag."
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [
            # The work queue: one organisation's open requests by deadline, first page read
            # straight off the index; the same with a status or a service filter.
            models.Index(fields=["organization", "is_open", "deadline", "id"],
                         name="case_queue"),
            models.Index(fields=["organization", "status", "deadline", "id"],
                         name="case_queue_status"),
            models.Index(fields=["organization", "service", "is_open", "deadline", "id"],
                         name="case_queue_service"),
            # The queue's counts: open requests by status, from a small partial index.
            models.Index(fields=["organization", "status"], condition=models.Q(is_open=True),
                         name="case_open_status"),
            # "Your requests": a resident's requests, newest first.
            models.Index(fields=["person", "-created_at", "id"], name="case_person"),
            models.Index(fields=["reporter_email", "-created_at"], name="case_reporter",
                         condition=~models.Q(reporter_email="")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="unique_case_external_ref",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class CaseEvent(models.Model):
    """One entry of a request's timeline: a status change, a message, a document, a note."""

    class Kind(models.TextChoices):
        STATUS = "status", "Status changed"
        MESSAGE_TO_RESIDENT = "message-out", "Message to the resident"
        MESSAGE_FROM_RESIDENT = "message-in", "Message from the resident"
        DOCUMENT_REQUESTED = "document-requested", "Document requested"
        DOCUMENT_SUPPLIED = "document-supplied", "Document supplied"
        NOTE = "note", "Internal note"
        DEADLINE = "deadline", "Deadline extended"
        REFERRAL = "referral", "Referral"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events",
                             db_index=False)  # "case_event_timeline" starts with it
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField()
    author_kind = models.CharField(max_length=10, help_text="person, staff, client or system")
    author_label = models.CharField(max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The organisation that wrote it (none for the resident).",
    )
    status_from = models.CharField(max_length=40, blank=True)
    status_to = models.CharField(max_length=40, blank=True)
    text = models.TextField(blank=True, max_length=MAX_MESSAGE)
    visible_to_resident = models.BooleanField(default=True)
    # Documents: a request names what is wanted; a supply points to the request it answers.
    replies_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    document_name = models.CharField(max_length=200, blank=True)
    document_file = models.CharField(max_length=200, blank=True, help_text="Storage name.")
    document_type = models.CharField(max_length=100, blank=True)
    document_size = models.PositiveIntegerField(null=True, blank=True)
    fulfilled_at = models.DateTimeField(
        null=True, blank=True, help_text="For a document request: when it was supplied."
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at", "id"], name="case_event_timeline")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class Referral(models.Model):
    """A proposal to pass a request to another organisation, which needs the resident's yes.

    The resident agrees or declines in "Your requests"; staff may instead record a
    consent given another way (by phone, at the counter) with a note saying how.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the resident"
        ACCEPTED = "accepted", "Agreed and passed on"
        DECLINED = "declined", "Declined by the resident"
        CANCELLED = "cancelled", "Cancelled"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    from_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+"
    )
    to_organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=MAX_MESSAGE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    consent_note = models.CharField(
        max_length=300, blank=True, help_text="How the resident agreed, if not on the portal."
    )
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(status="pending"),
                name="one_pending_referral_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.to_organization_id}"
