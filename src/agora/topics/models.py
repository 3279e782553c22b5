"""The tree of needs, life events and issues that content, services and requests are filed under.

Topics are organised by what a resident needs ("Struggling with bills"), not by which
department answers it. Operators curate the tree; publishers tag documents with topics.
"""

from django.db import models


class Topic(models.Model):
    """A need or life event; `parent` makes the tree (a top-level topic has none)."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    summary = models.CharField(
        max_length=300, blank=True, help_text="One line under the name, in the resident's words."
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order among siblings.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name
