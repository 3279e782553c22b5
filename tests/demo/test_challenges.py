"""Riverton's challenges: one prioritising its proposals, one tracking an accepted result."""

import pytest

from agora.audit.models import LogEntry
from agora.challenges.models import Challenge, Phase, Proposal
from agora.demo.services import demo_load
from agora.notifications.models import Event


@pytest.fixture
def town(db):
    return demo_load(reads=False, requests=False)


def test_riverton_has_two_challenges_in_different_phases(town, client):
    phases = dict(Challenge.objects.values_list("slug", "phase"))
    assert phases == {"fewer-missed-bins": Phase.PRIORITISE,
                      "faster-emergency-repairs": Phase.TRACK}
    bins = Proposal.objects.filter(challenge__slug="fewer-missed-bins")
    assert [proposal.support_count for proposal in bins] == [5, 2]
    assert bins[0].evidence_query == {"filters": {"ward": "Riverside"}}
    assert bins[1].on_behalf_of.slug == "riverton-food-bank"
    accepted = Proposal.objects.get(challenge__slug="faster-emergency-repairs")
    assert accepted.status == Proposal.Status.ACCEPTED and accepted.milestones.count() == 2
    page = client.get("/challenges/faster-emergency-repairs/")
    assert b"Recruit two call handlers" in page.content
    assert LogEntry.objects.filter(action__startswith="proposal.").count() >= 14
    # The town's past is not news: its events are settled, nobody is emailed.
    assert not Event.objects.filter(type__startswith="challenge.",
                                    dispatched_at__isnull=True).exists()


def test_loading_again_adds_no_challenge(town):
    proposals = Proposal.objects.count()
    demo_load(reads=False, requests=False)
    assert Challenge.objects.count() == 2 and Proposal.objects.count() == proposals
