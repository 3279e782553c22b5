"""The hub's documents: guidance, policies, forms, FAQs and dataset descriptions.

A document belongs to one member organisation, carries a classification on the shared
scale, is filed under topics, and keeps every version it ever had. A version keeps its
source file (content-addressed in Django's default storage) and the text extracted from
it, split into sections: the places a search hit or an answer cites and links to.
"""

import uuid

from django.db import models

from agora.access.models import Classification
from agora.content.extraction.base import HEADING_SEPARATOR
from agora.organizations.models import Organization
from agora.topics.models import Topic


class Document(models.Model):
    class Kind(models.TextChoices):
        GUIDANCE = "guidance", "Guidance"
        POLICY = "policy", "Policy"
        FORM = "form", "Form"
        LEAFLET = "leaflet", "Leaflet"
        FAQ = "faq", "Frequently asked questions"
        DATASET = "dataset", "Dataset"
        NOTICE = "notice", "Notice"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="documents")
    source_key = models.CharField(
        max_length=500,
        help_text="What names this document among its owner's: the source URL it declared, "
        "or the path it was ingested from. A re-ingest of the same key adds a version.",
    )
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.GUIDANCE)
    classification = models.CharField(
        max_length=12, choices=Classification.choices, default=Classification.PUBLIC
    )
    restricted_roles = models.CharField(
        max_length=200, blank=True,
        help_text="Roles of the owner that may read it when restricted, as ',a,b,'.",
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="documents")
    source_url = models.URLField(max_length=1000, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    licence = models.CharField(max_length=200, blank=True)
    current_version = models.ForeignKey(
        "Version", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "source_key"], name="unique_document_source")
        ]
        indexes = [models.Index(fields=["owner", "classification"], name="content_document_access")]

    def __str__(self) -> str:
        return self.title


class Version(models.Model):
    """One published state of a document: its source file and the sections taken from it."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the source file (hex).")
    file_name = models.CharField(max_length=300, help_text="Where the source file is stored.")
    original_name = models.CharField(max_length=300)
    media_type = models.CharField(max_length=100)
    size = models.BigIntegerField()
    title = models.CharField(max_length=300)
    text = models.TextField(help_text="The extracted text, sections joined, for differences.")
    metadata = models.JSONField(default=dict, blank=True)
    published_at = models.DateTimeField()
    published_by = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="unique_version_number")
        ]
        # A publish first asks whether these bytes are already a current version
        # (`services._current_by_hash`); without this a new file's answer is a scan.
        indexes = [models.Index(fields=["content_hash"], name="content_version_hash")]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class Section(models.Model):
    """A part of a version under one heading path: what a hit or an answer cites."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField()
    anchor = models.SlugField(max_length=120)
    heading_path = models.JSONField(default=list, blank=True)
    text = models.TextField()

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="unique_section_position"),
            models.UniqueConstraint(fields=["version", "anchor"], name="unique_section_anchor"),
        ]

    def __str__(self) -> str:
        return self.heading or f"section {self.position}"

    @property
    def heading(self) -> str:
        """Return the heading path as readers see it: "Eligibility > Who can apply"."""
        return HEADING_SEPARATOR.join(self.heading_path)
