"""Where a question the guidance cannot answer goes: the organisation that owns its topic.

A topic's owner is the organisation that publishes most of the open and public guidance
filed under it (its sub-topics included), the first by name on a tie: the people who
wrote the pages are the ones who can answer what they leave out.
"""

from dataclasses import dataclass

from django.db.models import Count

from agora.access.documents import OPEN_LEVEL_LIST
from agora.content.models import Document
from agora.organizations.models import Organization
from agora.topics.models import Topic
from agora.topics.selectors import topic_ids_under


@dataclass(frozen=True)
class Route:
    topic_slug: str
    topic_name: str
    organisation: Organization | None

    @property
    def organisation_slug(self) -> str:
        return self.organisation.slug if self.organisation else ""


def handover_route(topic_slug: str) -> Route:
    """Return the topic and the organisation a hand-over of this topic goes to."""
    topic = Topic.objects.filter(slug=topic_slug, is_active=True).first() if topic_slug else None
    if topic is None:
        return Route("", "", None)
    owner = (
        Document.objects.filter(topics__in=topic_ids_under(topic.slug),
                                classification__in=OPEN_LEVEL_LIST,
                                current_version__isnull=False, owner__is_active=True)
        .values("owner").annotate(count=Count("id", distinct=True))
        .order_by("-count", "owner__name").first()
    )
    organisation = Organization.objects.filter(pk=owner["owner"]).first() if owner else None
    return Route(topic.slug, topic.name, organisation)
