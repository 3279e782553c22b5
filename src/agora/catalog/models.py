"""The shared catalogue: every member organisation's services, filed under the hub's topics.

A service is offered by one provider organisation of any kind (agency, NGO, business,
community group). It carries what a resident needs to decide whether to ask for it (who
it is for, cost, how to apply, how long it takes), an eligibility rule in JSON Logic and
an application form as JSON Schema. Requests for a service live in `cases`.
"""

import uuid

from django.core.validators import RegexValidator
from django.db import models

from agora.organizations.models import Organization
from agora.topics.models import Topic


class Service(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="services")
    code = models.SlugField(
        max_length=80, unique=True,
        help_text="Stable code across the platform (the Open311 service_code).",
    )
    name = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    who_for = models.TextField(blank=True, help_text="Who the service is for, in plain words.")
    how_to_apply = models.TextField(blank=True)
    cost = models.CharField(max_length=200, blank=True, help_text="Blank means free.")
    target_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Target handling time in days."
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="services")
    eligibility_rule = models.JSONField(
        null=True, blank=True, help_text="JSON Logic; no rule means anyone may apply."
    )
    form_schema = models.JSONField(
        null=True, blank=True, help_text="JSON Schema of the application form."
    )
    location_based = models.BooleanField(
        default=False, help_text="A street problem reported at a place (offered over Open311)."
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    url = models.URLField(blank=True, help_text="The provider's own page about the service.")
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["provider", "status"])]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """A fact an eligibility rule may use, with the question that asks a resident for it.

    A rule names facts by `key` (`{"var": "children_under_16"}`); a rule may only use keys
    that a question declares, so every condition can be asked for and explained in plain
    words. `statement` says what the answer means ("you have {value} children under 16");
    for a yes/no question, `statement_no` says the opposite. A question may also be
    answered from the resident's own records (with their consent): the most recent record
    of `record_category` gives `record_field`, or, with `record_match`, whether any record
    of that category has those field values.
    """

    class Kind(models.TextChoices):
        BOOLEAN = "boolean", "Yes or no"
        NUMBER = "number", "A whole number"
        CHOICE = "choice", "One of a list"

    key = models.CharField(
        max_length=60, unique=True,
        validators=[RegexValidator(r"^[a-z][a-z0-9_]*$", "Use lower-case letters, digits "
                                   "and underscores, starting with a letter.")],
    )
    text = models.CharField(max_length=200, help_text="The question, as a resident reads it.")
    hint = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    choices = models.JSONField(
        default=list, blank=True, help_text="For a choice: [[value, label], …]."
    )
    statement = models.CharField(
        max_length=200, help_text="What the answer means, with {value}: "
        "“you have {value} children under 16”, “you get Universal Credit”.",
    )
    statement_no = models.CharField(
        max_length=200, blank=True, help_text="For yes/no: what a “no” means."
    )
    record_category = models.CharField(max_length=60, blank=True)
    record_field = models.CharField(max_length=60, blank=True)
    record_match = models.JSONField(default=dict, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return self.text


class Location(models.Model):
    """A place where an organisation offers services (HSDS `location`)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="service_locations"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    address = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2.")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceAtLocation(models.Model):
    """A service offered at a location (HSDS `service_at_location`)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="services_at")
    description = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "location"],
                                               name="unique_service_location")]

    def __str__(self) -> str:
        return f"{self.service} at {self.location}"


class Contact(models.Model):
    """A named contact for a service (HSDS `contact`, with its first phone)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name or self.email or self.phone


class Schedule(models.Model):
    """When a service (or a service at a location) is open (HSDS `schedule`, RFC 5545)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE,
        related_name="schedules",
    )
    freq = models.CharField(max_length=10, blank=True, help_text="WEEKLY or MONTHLY.")
    byday = models.CharField(max_length=40, blank=True, help_text="e.g. MO,TU,WE.")
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description or f"{self.freq} {self.byday}".strip()
