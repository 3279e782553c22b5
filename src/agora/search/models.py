"""What the search engines index: one row per section of a document's current version.

The rows copy what a query filters and ranks on (owner, classification, restricted roles,
kind, date, title, heading, text), so the engine applies access rules and filters in the
same statement that matches words, with no join back to the documents. The full-text
structures themselves are not models: migration `0002_engine_structures` adds an FTS5
table with triggers on SQLite, or a tsvector column with a GIN index on PostgreSQL.

Search knows nothing of the content app: a document is a `document_key` (its id there).
"""

from django.db import models

from agora.organizations.models import Organization
from agora.topics.models import Topic


class IndexedSection(models.Model):
    document_key = models.BigIntegerField()
    section_key = models.BigIntegerField(help_text="The section's id in the content app.")
    owner = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    classification = models.CharField(max_length=12)
    restricted_roles = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20)
    updated_at = models.DateTimeField()
    title = models.CharField(max_length=300)
    heading = models.CharField(max_length=500, blank=True)
    anchor = models.CharField(max_length=120, blank=True)
    body = models.TextField()

    class Meta:
        indexes = [
            models.Index(fields=["document_key"], name="search_section_document"),
            models.Index(fields=["owner", "classification"], name="search_section_access"),
        ]

    def __str__(self) -> str:
        return f"{self.title} > {self.heading}" if self.heading else self.title


class IndexedTopic(models.Model):
    """A topic a document is filed under, for topic filters and facets."""

    document_key = models.BigIntegerField()
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document_key", "topic"], name="unique_indexed_topic")
        ]
        indexes = [models.Index(fields=["topic", "document_key"], name="search_topic_document")]

    def __str__(self) -> str:
        return f"{self.document_key} in {self.topic_id}"


class Term(models.Model):
    """A word of the public documents and how many documents used it: "did you mean".

    Only open and public documents add words, so a suggestion never reveals a word that
    only internal or restricted documents contain. Counts only grow between rebuilds
    (`agora search reindex` recounts them).
    """

    term = models.CharField(max_length=60, primary_key=True)
    initial = models.CharField(max_length=1)
    length = models.PositiveSmallIntegerField()
    frequency = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["initial", "length"], name="search_term_shape")]

    def __str__(self) -> str:
        return self.term
