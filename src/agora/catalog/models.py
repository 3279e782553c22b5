"""The shared catalogue: every member organisation's services, filed under the hub's topics.

A service is offered by one provider organisation of any kind (agency, NGO, business,
community group). It carries what a resident needs to decide whether to ask for it (who
it is for, cost, how to apply, how long it takes), an eligibility rule in JSON Logic and
an application form as JSON Schema. Requests for a service live in `cases`.
"""

import uuid

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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["provider", "status"])]

    def __str__(self) -> str:
        return self.name
