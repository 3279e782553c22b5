"""Writes of the topic tree: operators add and change topics; each change is logged."""

from django.core.exceptions import ValidationError
from django.db import transaction

from agora.access.services.common import audit_actor
from agora.audit.models import LogEntry
from agora.audit.services import log_append
from agora.core.exceptions import InvalidInput, PermissionDenied
from agora.organizations.selectors import user_is_operator
from agora.topics.models import Topic


def _require_operator(actor) -> None:
    if not user_is_operator(actor):
        raise PermissionDenied("Only platform operators curate the topics.")


def topic_save(
    *, actor, slug: str, name: str, summary: str = "", parent: Topic | None = None,
    position: int = 0, is_active: bool = True,
) -> Topic:
    """Create the topic with this slug or change it, and log the change."""
    _require_operator(actor)
    if not slug or not name:
        raise InvalidInput("A topic needs a slug and a name.")
    with transaction.atomic():
        topic = Topic.objects.filter(slug=slug).first()
        created = topic is None
        topic = topic or Topic(slug=slug)
        if parent is not None and (parent.pk == topic.pk or parent.parent_id is not None):
            raise InvalidInput("A topic's parent must be a different, top-level topic.",
                               errors=[{"field": "parent", "message": "Choose a different, "
                                        "top-level topic as the parent."}])
        if parent is not None and topic.pk and topic.children.exists():
            message = (f"“{topic.name}” has topics under it, so it stays at the top level "
                       "(the tree has two levels); move those first.")
            raise InvalidInput(message, errors=[{"field": "parent", "message": message}])
        topic.name, topic.summary, topic.parent = name, summary, parent
        topic.position, topic.is_active = position, is_active
        try:
            topic.full_clean()
        except ValidationError as error:
            problems = [{"field": field, "message": message}
                        for field, messages in error.message_dict.items()
                        for message in messages]
            raise InvalidInput(" ".join(p["message"] for p in problems),
                               errors=problems) from None
        topic.save()
        log_append(
            actor=audit_actor(actor, "staff"), action=LogEntry.Action.TOPIC_CHANGE,
            decision=LogEntry.Decision.PERMIT,
            reason=f"{'Added' if created else 'Changed'} the topic “{name}”.",
            resource_type="topic", resource_id=slug,
        )
    return topic
