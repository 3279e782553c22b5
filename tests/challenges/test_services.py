"""Challenges' writes: who may do what in which phase, the log entry of each change, and
the events that tell the organisation and each follower."""

from datetime import date

import pytest

from agora.audit.models import LogEntry
from agora.challenges import services
from agora.challenges.exceptions import AlreadySupported, WrongPhase
from agora.challenges.models import Follow, Phase, Proposal
from agora.core.actors import SYSTEM
from agora.core.exceptions import InvalidInput, PermissionDenied
from agora.notifications.models import Event
from tests.cases.helpers import service_make
from tests.challenges.helpers import challenge, council, propose, resident, runner
from tests.factories import OrganizationFactory, UserFactory
from tests.opendata.helpers import dataset

pytestmark = pytest.mark.django_db


def actions() -> list[str]:
    return list(LogEntry.objects.order_by("seq").values_list("action", flat=True))


def test_a_publisher_opens_a_challenge_and_it_is_logged():
    organization = council()
    opened = challenge(organization)
    assert opened.phase == Phase.GATHER
    entry = LogEntry.objects.get(action="challenge.open")
    assert entry.organization == "council" and entry.resource_id == str(opened.public_id)


def test_only_the_organisations_runners_open_challenges():
    organization = council()
    caseworker = runner(organization, role="caseworker")
    with pytest.raises(PermissionDenied):
        services.challenge_open(actor=caseworker, organization=organization,
                                data=services.ChallengeInput(
                                    slug="x", title="X", summary="Y", propose_from=date(2027, 1, 1),
                                    prioritise_from=date(2027, 1, 1), respond_from=date(2027, 1, 1),
                                    track_from=date(2027, 1, 1)))
    assert not LogEntry.objects.filter(action="challenge.open").exists()


def test_bad_challenge_input_names_every_problem():
    organization = council()
    other_service = service_make(OrganizationFactory(slug="food-bank"))
    with pytest.raises(InvalidInput) as raised:
        services.challenge_open(actor=SYSTEM, organization=organization,
                                data=services.ChallengeInput(
                                    slug="Not A Slug", title=" ", summary="Why",
                                    service=other_service,
                                    propose_from=date(2027, 3, 1),
                                    prioritise_from=date(2027, 2, 1),
                                    respond_from=date(2027, 4, 1), track_from=date(2027, 5, 1)))
    fields = {item["field"] for item in raised.value.errors}
    assert fields == {"slug", "title", "service", "prioritise_from"}


def test_a_challenge_about_nothing_is_refused():
    with pytest.raises(InvalidInput, match="Say what the challenge is about"):
        challenge(council(), topic=None)


def test_a_resident_proposes_with_a_saved_query_and_follows_the_challenge():
    organization = council()
    data = dataset(organization)
    resource = data.resources.get()
    opened = challenge(organization)
    author = resident()
    proposal = propose(opened, author, evidence_dataset=data, evidence_resource=resource,
                       evidence_query={"filters": {"ward": "North"}})
    assert proposal.evidence_query == {"filters": {"ward": "North"}}
    assert Follow.objects.filter(challenge=opened, person__user=author).exists()
    entry = LogEntry.objects.get(action="proposal.submit")
    assert entry.actor_kind == "person" and entry.subject == str(author.person.public_id)


def test_a_saved_query_that_does_not_run_is_refused_and_nothing_is_stored():
    organization = council()
    data = dataset(organization)
    opened = challenge(organization)
    with pytest.raises(InvalidInput) as raised:
        propose(opened, resident(), evidence_resource=data.resources.get(),
                evidence_query={"filters": {"no such column": "x"}})
    assert raised.value.errors[0]["field"] == "evidence_query"
    assert not Proposal.objects.exists() and "proposal.submit" not in actions()


def test_an_account_without_a_person_cannot_propose_as_a_resident():
    with pytest.raises(PermissionDenied):
        propose(challenge(council()), UserFactory())


def test_a_member_proposes_for_their_organisation_but_not_for_another():
    organization = council()
    food_bank = OrganizationFactory(slug="food-bank", name="Food Bank")
    member = runner(food_bank, role="caseworker")
    opened = challenge(organization)
    proposal = propose(opened, member, on_behalf_of=food_bank)
    assert proposal.on_behalf_of == food_bank
    assert LogEntry.objects.get(action="proposal.submit").on_behalf_of == "food-bank"
    with pytest.raises(PermissionDenied):
        propose(opened, member, on_behalf_of=organization)


def test_proposals_close_after_the_propose_phase():
    opened = challenge(council(), phase=Phase.PRIORITISE)
    with pytest.raises(WrongPhase):
        propose(opened, resident())


def test_each_resident_supports_a_proposal_once():
    organization = council()
    opened = challenge(organization, phase=Phase.PROPOSE)
    proposal = propose(opened, resident())
    supporter = resident()
    services.proposal_support(actor=supporter, proposal=proposal)
    with pytest.raises(AlreadySupported):
        services.proposal_support(actor=supporter, proposal=proposal)
    services.proposal_support(actor=resident(), proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.support_count == 2
    assert actions().count("proposal.support") == 2


def test_support_needs_the_supporting_phases():
    organization = council()
    opened = challenge(organization)
    proposal = propose(opened, resident())
    with pytest.raises(WrongPhase):
        services.proposal_support(actor=resident(), proposal=proposal)


def test_moving_on_tells_the_organisation_once_and_each_follower():
    organization = council()
    opened = challenge(organization)
    propose(opened, resident())
    propose(opened, resident())
    moved = services.challenge_phase_advance(actor=runner(organization), challenge=opened)
    assert moved.phase == Phase.PROPOSE
    events = Event.objects.filter(type="challenge.phase_changed")
    assert events.count() == 3
    assert events.filter(person__isnull=True, organizations=organization).count() == 1
    assert events.filter(person__isnull=False).count() == 2
    assert all(event.data["page"] == "/challenges/safer-crossings/" for event in events)
    assert "challenge.phase" in actions()


def test_a_closed_challenge_has_no_next_phase():
    opened = challenge(council(), phase=Phase.CLOSED)
    with pytest.raises(WrongPhase):
        services.challenge_phase_advance(actor=SYSTEM, challenge=opened)


def test_the_organisation_answers_with_a_reason_and_tracks_the_result():
    organization = council()
    opened = challenge(organization)
    proposal = propose(opened, resident())
    opened.phase = Phase.RESPOND
    opened.save()
    staff = runner(organization)
    with pytest.raises(InvalidInput):
        services.proposal_answer(actor=staff, proposal=proposal, status="accepted", reason="")
    services.proposal_answer(actor=staff, proposal=proposal, status="accepted",
                             reason="We will build it next year.")
    service = service_make(organization, name="Road safety")
    milestone = services.milestone_save(actor=staff, proposal=proposal, title="Survey the site",
                                        due=date(2027, 6, 1), service=service)
    assert milestone.service == service
    told = Event.objects.filter(type="challenge.proposal_answered", person__isnull=False)
    assert told.count() == 1
    assert Event.objects.filter(type="challenge.milestone_changed").count() == 2
    assert actions()[-2:] == ["proposal.answer", "milestone.change"]
    with pytest.raises(WrongPhase):
        services.proposal_answer(actor=staff, proposal=proposal, status="rejected",
                                 reason="Changed our minds.")


def test_a_milestone_links_only_the_organisations_own_requests():
    organization = council()
    opened = challenge(organization)
    proposal = propose(opened, resident())
    opened.phase = Phase.RESPOND
    opened.save()
    services.proposal_answer(actor=SYSTEM, proposal=proposal, status="accepted", reason="Yes.")
    with pytest.raises(InvalidInput, match="R-NOPE: not a request of"):
        services.milestone_save(actor=SYSTEM, proposal=proposal, title="Fix",
                                due=date(2027, 6, 1), requests=("R-NOPE",))


def test_a_rejected_proposal_has_no_result_to_track():
    organization = council()
    opened = challenge(organization)
    proposal = propose(opened, resident())
    opened.phase = Phase.RESPOND
    opened.save()
    services.proposal_answer(actor=SYSTEM, proposal=proposal, status="rejected",
                             reason="The road is not ours.")
    with pytest.raises(WrongPhase):
        services.milestone_save(actor=SYSTEM, proposal=proposal, title="x", due=date(2027, 1, 1))


def test_comments_are_posted_and_hidden_with_a_reason_by_the_organisation_only():
    organization = council()
    opened = challenge(organization)
    comment = services.comment_post(actor=resident(), challenge=opened, body="Mill Lane!")
    with pytest.raises(PermissionDenied):
        services.comment_hide(actor=resident(), comment=comment, reason="No")
    services.comment_hide(actor=runner(organization), comment=comment,
                          reason="Names a member of staff")
    comment.refresh_from_db()
    assert comment.hidden_reason == "Names a member of staff"
    assert actions()[-2:] == ["comment.post", "comment.hide"]


def test_following_and_unfollowing_is_the_residents_own_choice():
    opened = challenge(council())
    user = resident()
    services.challenge_follow(actor=user, challenge=opened, follow=True)
    assert Follow.objects.filter(challenge=opened).count() == 1
    services.challenge_follow(actor=user, challenge=opened, follow=False)
    assert not Follow.objects.filter(challenge=opened).exists()
