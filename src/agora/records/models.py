"""The information hub's records. Minimal for now: personal records with structured fields."""

import uuid

from django.db import models

from agora.access.models import Classification, DataCategory
from agora.organizations.models import Organization
from agora.people.models import Person


class Record(models.Model):
    """A piece of information an organisation holds; with a subject it is personal data."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="records")
    subject = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="records",
        db_index=False,  # "record_person_access" below starts with it
    )
    category = models.ForeignKey(DataCategory, on_delete=models.PROTECT, related_name="records")
    classification = models.CharField(
        max_length=12, choices=Classification.choices, default=Classification.INTERNAL
    )
    restricted_roles = models.JSONField(
        default=list, blank=True, help_text="Roles of the owner that may read a restricted record."
    )
    title = models.CharField(max_length=200)
    fields = models.JSONField(default=dict, blank=True)
    external_ref = models.CharField(
        max_length=100, blank=True, help_text="The owner's own identifier, for idempotent pushes."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            # One person's records, with every column the access filter reads for a
            # client or a caseworker with a purpose: counting or checking them is then
            # read from the index alone (docs/benchmarks.md, "Access filter").
            models.Index(fields=["subject", "category", "owner", "classification"],
                         name="record_person_access"),
            models.Index(fields=["owner", "classification"]),
            # A category's records newest first (`records_in_category`): the index gives
            # the order, so a page stops after its rows instead of sorting the category
            # (docs/benchmarks.md, "Latency at size"). The key breaks ties as the order does.
            models.Index(fields=["category", "updated_at", "id"], name="record_category_recent"),
            # The routes of `records_in_category` that a viewer may read: an organisation's
            # records of a category, and the records about no one, each newest first.
            models.Index(fields=["owner", "category", "updated_at", "id"],
                         name="record_owner_recent"),
            models.Index(fields=["category", "classification", "updated_at", "id"],
                         name="record_no_one_recent", condition=models.Q(subject__isnull=True)),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="unique_record_external_ref",
            )
        ]

    def __str__(self) -> str:
        return self.title
