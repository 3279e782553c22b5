"""Open data: what a hub document of kind dataset needs beside the hub's own fields.

A dataset is a `content.Document` of kind dataset with classification open: its title,
summary (CKAN's notes), owner (the organisation), topics (CKAN's groups), licence and
versions are the document's. This app adds the rest of CKAN's and DCAT-AP's fields
(`DatasetMeta`: name, tags, coverage, frequency), the files people download
(`Resource`), and the DataStore table a CSV or JSON resource was loaded into
(`DatastoreTable`; the rows live in a table of their own, see `datastore`).
"""

import uuid

from django.db import models

from agora.content.models import Document


class Frequency(models.TextChoices):
    """How often a dataset is updated: the EU frequency vocabulary's common codes."""

    CONTINUOUS = "CONT", "Continuously"
    DAILY = "DAILY", "Daily"
    WEEKLY = "WEEKLY", "Weekly"
    MONTHLY = "MONTHLY", "Monthly"
    QUARTERLY = "QUARTERLY", "Quarterly"
    ANNUAL = "ANNUAL", "Annually"
    IRREGULAR = "IRREG", "Irregularly"
    NEVER = "NEVER", "Never (a one-off)"
    UNKNOWN = "UNKNOWN", "Unknown"


class Tag(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DatasetMeta(models.Model):
    """CKAN's and DCAT-AP's fields of a dataset that the hub's document does not hold."""

    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, primary_key=True, related_name="dataset_meta"
    )
    name = models.SlugField(
        max_length=100, unique=True,
        help_text="CKAN's name: the dataset's URL slug, unique on the platform.",
    )
    license_id = models.CharField(max_length=60, blank=True, help_text="e.g. CC-BY-4.0")
    tags = models.ManyToManyField(Tag, blank=True, related_name="datasets")
    temporal_start = models.DateField(null=True, blank=True)
    temporal_end = models.DateField(null=True, blank=True)
    spatial = models.CharField(max_length=200, blank=True, help_text="A place name.")
    frequency = models.CharField(
        max_length=12, choices=Frequency.choices, default=Frequency.UNKNOWN
    )
    maintainer_email = models.EmailField(blank=True)
    state = models.CharField(
        max_length=10, default="active", choices=[("active", "Active"), ("deleted", "Deleted")],
        help_text="CKAN's state: a deleted dataset leaves the catalogue; its owner still "
                  "reads it (package_show).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["state"], condition=models.Q(state="deleted"),
                                name="datasetmeta_deleted")]

    def __str__(self) -> str:
        return self.name


class Resource(models.Model):
    """A file of a dataset (stored under its hash, like the hub's sources) or a link."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dataset = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="resources")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    format = models.CharField(max_length=20, blank=True, db_index=True, help_text="CSV, JSON…")
    media_type = models.CharField(max_length=100, blank=True)
    url = models.URLField(max_length=1000, blank=True, help_text="Only for a link elsewhere.")
    file_name = models.CharField(max_length=300, blank=True, help_text="Where the file is stored.")
    content_hash = models.CharField(max_length=64, blank=True)
    size = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["dataset", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class DatastoreTable(models.Model):
    """The DataStore table a resource's rows were loaded into, and its columns."""

    resource = models.OneToOneField(
        Resource, on_delete=models.CASCADE, primary_key=True, related_name="datastore"
    )
    table_name = models.CharField(max_length=63, unique=True)
    fields = models.JSONField(
        default=list, help_text='[{"id": header, "type": "int|numeric|text", "column": "c0"}]'
    )
    row_count = models.PositiveIntegerField(default=0)
    primary_key = models.JSONField(
        default=list, blank=True,
        help_text="The field ids that identify a row for datastore_upsert (none: _id).")
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.table_name


class StatisticsSchedule(models.Model):
    """The daily refresh of the request statistics: the one pending run, named by its token.

    A run whose token is no longer this row's does nothing, so at most one chain of daily
    runs lives however often workers start (as the audit app's tree-head cadence).
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.CharField(max_length=32, blank=True)
    next_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"next statistics refresh at {self.next_run_at}"
