"""Topic curation in the console: operators add, rename, move and hide topics."""

import pytest
from django.urls import reverse

from agora.audit.models import LogEntry
from agora.organizations.models import Membership
from agora.topics.models import Topic
from agora.topics.selectors import topic_tree
from tests.console.test_views import error_summary, sign_in
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    return sign_in(client, UserFactory(is_staff=True))


def form(**values):
    return {"name": "", "summary": "", "parent": "", "position": 0, "is_active": "on",
            **values}


def test_only_operators_curate_topics(client):
    user = UserFactory()
    MembershipFactory(user=user, organization=OrganizationFactory(),
                      role=Membership.Role.ADMIN)
    sign_in(client, user)
    for url in (reverse("console:topics"), reverse("console:topic_new"),
                reverse("console:topic_edit", args=["bereavement"])):
        assert client.get(url).status_code == 403
    assert client.post(reverse("console:topic_new"),
                       form(name="Pets", slug="pets")).status_code == 403
    assert not Topic.objects.filter(slug="pets").exists()


def test_an_operator_adds_a_topic_under_a_need(client, operator):
    page = client.get(reverse("console:topics")).content.decode()
    assert "Having a baby" in page and "Registering a birth" in page
    response = client.post(reverse("console:topic_new"), form(
        name="Funeral costs", slug="funeral-costs", parent="bereavement", position=2,
        summary="Help paying for a funeral."))
    assert response.status_code == 302
    topic = Topic.objects.get(slug="funeral-costs")
    assert (topic.parent.slug, topic.position, topic.is_active) == ("bereavement", 2, True)
    entry = LogEntry.objects.get(action="topic.change")
    assert entry.reason == "Added the topic “Funeral costs”."


def test_renaming_moving_and_hiding_a_topic(client, operator):
    url = reverse("console:topic_edit", args=["energy-bills"])
    assert client.post(url, form(name="Gas and electricity bills",
                                 parent="housing-and-homelessness",
                                 position=5)).status_code == 302
    topic = Topic.objects.get(slug="energy-bills")
    assert (topic.name, topic.parent.slug, topic.position) == (
        "Gas and electricity bills", "housing-and-homelessness", 5)
    assert client.post(url, form(name="Gas and electricity bills",
                                 parent="housing-and-homelessness", position=5,
                                 is_active="")).status_code == 302
    shown = {child.topic.slug for node in topic_tree() for child in node.children}
    assert "energy-bills" not in shown
    listing = client.get(reverse("console:topics")).content.decode()
    assert "Gas and electricity bills" in listing and "Hidden" in listing


def test_bad_topic_changes_are_explained_and_change_nothing(client, operator):
    taken = client.post(reverse("console:topic_new"), form(name="Again", slug="bereavement"))
    assert "There is already a topic “bereavement”" in error_summary(taken)
    bad_slug = client.post(reverse("console:topic_new"), form(name="X", slug="Not A Slug"))
    assert "Use only lower-case letters" in error_summary(bad_slug)
    # A need with topics under it stays at the top level: the tree has two levels.
    moved = client.post(reverse("console:topic_edit", args=["schools"]),
                        form(name="Schools", parent="bereavement"))
    assert "has topics under it" in error_summary(moved)
    assert Topic.objects.get(slug="schools").parent is None
    unnamed = client.post(reverse("console:topic_edit", args=["schools"]), form(name=""))
    assert "Enter name" in error_summary(unnamed)
    assert not LogEntry.objects.filter(action="topic.change").exists()
    assert client.get(reverse("console:topic_edit", args=["no-such"])).status_code == 404
