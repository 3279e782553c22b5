"""Challenges: an organisation asks residents and member organisations to work on an issue.

A `Challenge` is opened by one organisation on a topic, an open dataset or the requests
made to one of its services, and moves through its phases in order (gather → propose →
prioritise → respond → track, then closed), each with a planned start date. People post
`Proposal`s with evidence (a dataset, or a saved DataStore query: a resource and its
filters), residents `Support` them (one per person and proposal), everyone `Comment`s
(the organisation hides what breaks the rules, with a reason), and the organisation
answers each proposal. An accepted proposal is tracked with `Milestone`s linked to
services and requests. `Follow` is who hears of each change (docs/decisions.md 48).
"""

import uuid

from django.conf import settings
from django.db import models

from agora.cases.models import Case
from agora.catalog.models import Service
from agora.content.models import Document
from agora.opendata.models import Resource
from agora.organizations.models import Organization
from agora.people.models import Person
from agora.topics.models import Topic


class Phase(models.TextChoices):
    """The phases in the order a challenge moves through them."""

    GATHER = "gather", "Gathering evidence"
    PROPOSE = "propose", "Taking proposals"
    PRIORITISE = "prioritise", "Prioritising"
    RESPOND = "respond", "Responding"
    TRACK = "track", "Tracking results"
    CLOSED = "closed", "Closed"


PHASES = list(Phase)
PROPOSING = {Phase.GATHER, Phase.PROPOSE}
SUPPORTING = {Phase.PROPOSE, Phase.PRIORITISE}
ANSWERING = {Phase.PRIORITISE, Phase.RESPOND, Phase.TRACK}


class Challenge(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=100, unique=True)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT,
                                     related_name="challenges")
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="The issue, in plain words: what is asked and why.")
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    dataset = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", help_text="An open dataset it is about.")
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+",
                                help_text="The service whose requests it is about.")
    phase = models.CharField(max_length=12, choices=Phase.choices, default=Phase.GATHER)
    propose_from = models.DateField()
    prioritise_from = models.DateField()
    respond_from = models.DateField()
    track_from = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    phase_changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def planned_from(self, phase: str):
        """Return the date the phase is planned to start (None for gather and closed)."""
        return {Phase.PROPOSE: self.propose_from, Phase.PRIORITISE: self.prioritise_from,
                Phase.RESPOND: self.respond_from, Phase.TRACK: self.track_from}.get(phase)


class Proposal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Not answered yet"
        EVALUATING = "evaluating", "Being evaluated"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Not taken forward"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(max_length=200)
    body = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    on_behalf_of = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The member organisation the author proposes for (none: as a resident).",
    )
    evidence_dataset = models.ForeignKey(Document, null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    evidence_resource = models.ForeignKey(Resource, null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+")
    evidence_query = models.JSONField(
        default=dict, blank=True,
        help_text='A saved DataStore query on the resource: {"filters": {...}, "q": "..."}.',
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(blank=True, help_text="The organisation's reason.")
    answered_at = models.DateTimeField(null=True, blank=True)
    support_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-support_count", "created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Support(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "person"],
                                               name="support_once")]

    def __str__(self) -> str:
        return f"{self.person_id} supports {self.proposal_id}"


class Comment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="comments")
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    body = models.TextField()
    hidden_reason = models.CharField(
        max_length=300, blank=True,
        help_text="Why the organisation hid it (shown in its place); empty when shown.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class Milestone(models.Model):
    """A step of an accepted proposal's result, linked to the services and requests it
    changes."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due = models.DateField()
    done_at = models.DateField(null=True, blank=True)
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    requests = models.ManyToManyField(Case, blank=True, related_name="+",
                                      help_text="Requests it answers (never shown publicly).")

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.title


class Follow(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="follows")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["challenge", "person"],
                                               name="follow_once")]

    def __str__(self) -> str:
        return f"{self.person_id} follows {self.challenge_id}"
