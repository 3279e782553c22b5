"""The challenges' read-only API: anyone lists and reads challenges, their proposals,
answers and milestones; residents are not named; a missing challenge is problem+json."""

from datetime import date

import pytest

from agora.challenges import services
from agora.challenges.models import Challenge, Phase
from agora.core.actors import SYSTEM
from tests.api.helpers import assert_problem
from tests.cases.helpers import service_make
from tests.challenges.helpers import challenge, council, propose, resident
from tests.factories import OrganizationFactory
from tests.opendata.helpers import dataset

pytestmark = pytest.mark.django_db


def test_anyone_lists_challenges_and_reads_one_with_its_results(client):
    organization = council()
    data = dataset(organization)
    opened = challenge(organization, dataset=data)
    proposal = propose(opened, resident(given_name="Zed"), evidence_dataset=data,
                       evidence_resource=data.resources.get(),
                       evidence_query={"filters": {"ward": "North"}})
    Challenge.objects.filter(pk=opened.pk).update(phase=Phase.RESPOND)
    services.proposal_answer(actor=SYSTEM, proposal=proposal, status="accepted", reason="Yes.")
    services.milestone_save(actor=SYSTEM, proposal=proposal, title="Survey",
                            due=date(2027, 6, 1), service=service_make(organization))
    challenge(OrganizationFactory(slug="food-bank"), "food-deserts")
    listed = client.get("/api/v1/challenges", {"organization": "council"}).json()
    assert listed["total"] == 1 and listed["challenges"][0]["slug"] == "safer-crossings"
    assert client.get("/api/v1/challenges").json()["total"] == 2
    body = client.get("/api/v1/challenges/safer-crossings").json()
    assert body["dataset"] == "bin-collections" and body["phase"] == "respond"
    assert body["page"] == "http://testserver/challenges/safer-crossings/"
    [shown] = body["proposals"]
    assert shown["status"] == "accepted" and shown["by_organization"] is None
    assert "datastore_search?resource_id=" in shown["evidence_query"]
    assert shown["milestones"][0]["title"] == "Survey"
    assert "Zed" not in str(body)


def test_a_missing_challenge_and_a_bad_limit_are_problems(client):
    assert_problem(client.get("/api/v1/challenges/nope"), 404, "not-found")
    assert client.get("/api/v1/challenges", {"limit": 1000}).status_code == 422
