"""Reads of the topic tree: a topic's sub-topics, as filters use them."""

import pytest

from agora.topics.models import Topic
from agora.topics.selectors import topic_ids_under, topic_with_descendants

pytestmark = pytest.mark.django_db


def test_a_topic_brings_its_active_sub_topics_in_one_query(django_assert_num_queries):
    parent = Topic.objects.filter(children__isnull=False).distinct().first()
    children = list(parent.children.all())
    assert len(children) >= 2
    children[0].is_active = False
    children[0].save()
    with django_assert_num_queries(1):
        ids = topic_ids_under(parent.slug)
    assert set(ids) == set(topic_with_descendants(parent))
    assert children[0].pk not in ids and children[1].pk in ids
    assert topic_ids_under(children[0].slug) == []  # inactive: as good as missing
    assert topic_ids_under("no-such-topic") == []
