"""Reads of the topic tree. Topics are public: anyone may see every active topic."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from agora.core.exceptions import InvalidInput, NotFound
from agora.topics.models import Topic


@dataclass
class TopicNode:
    topic: Topic
    children: list["TopicNode"] = field(default_factory=list)


def topic_list() -> QuerySet[Topic]:
    """Return every active topic, in tree order within each level."""
    return Topic.objects.filter(is_active=True).select_related("parent")


def topic_tree() -> list[TopicNode]:
    """Return the active topics as a tree: top-level needs, each with its children."""
    nodes = {topic.pk: TopicNode(topic) for topic in topic_list()}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.topic.parent_id) if node.topic.parent_id else None
        if node.topic.parent_id is None:
            roots.append(node)
        elif parent is not None:
            parent.children.append(node)
    return roots


def topics_for_curation() -> list[TopicNode]:
    """Return every topic, active or not, as a tree: what operators curate."""
    nodes = {topic.pk: TopicNode(topic)
             for topic in Topic.objects.select_related("parent").order_by("position", "name")}
    roots = []
    for node in nodes.values():
        if node.topic.parent_id is None:
            roots.append(node)
        else:
            nodes[node.topic.parent_id].children.append(node)
    return roots


def topic_for_curation(*, slug: str) -> Topic:
    """Return the topic with this slug, active or not, or raise NotFound."""
    topic = Topic.objects.filter(slug=slug).select_related("parent").first()
    if topic is None:
        raise NotFound(f"There is no topic “{slug}”.")
    return topic


def topic_get(*, slug: str) -> Topic:
    """Return the active topic with this slug, or raise NotFound."""
    topic = topic_list().filter(slug=slug).first()
    if topic is None:
        raise NotFound(f"There is no topic “{slug}”.")
    return topic


def topics_resolve(slugs: Iterable[str], *, field_name: str = "topics") -> list[Topic]:
    """Return the active topics named by slug, in order; refuse any unknown slug by name."""
    wanted = list(dict.fromkeys(slug.strip() for slug in slugs if slug and slug.strip()))
    if not wanted:
        return []
    known = {topic.slug: topic for topic in topic_list().filter(slug__in=wanted)}
    missing = [slug for slug in wanted if slug not in known]
    if missing:
        message = f"Unknown topic: {', '.join(missing)}."
        raise InvalidInput(message, errors=[{"field": field_name, "message": message}])
    return [known[slug] for slug in wanted]


def topic_ids_under(slug: str) -> list[int]:
    """Return the ids of the active topic with this slug and of every active topic below it.

    [] when there is no such active topic. One query: the tree is small (tens of topics),
    so it is read whole and walked here rather than asked level by level.
    """
    rows = list(Topic.objects.filter(is_active=True).order_by()
                .values_list("pk", "parent_id", "slug"))
    start = next((pk for pk, _, found in rows if found == slug), None)
    if start is None:
        return []
    children: dict[int, list[int]] = {}
    for pk, parent_id, _ in rows:
        children.setdefault(parent_id, []).append(pk)
    ids, frontier = [start], [start]
    while frontier:
        frontier = [child for pk in frontier for child in children.get(pk, [])]
        ids.extend(frontier)
    return ids


def topic_with_descendants(topic: Topic) -> list[int]:
    """Return the ids of the topic and every active topic below it."""
    ids, frontier = [topic.pk], [topic.pk]
    while frontier:
        children = Topic.objects.filter(parent_id__in=frontier, is_active=True)
        frontier = list(children.values_list("pk", flat=True))
        ids.extend(frontier)
    return ids
