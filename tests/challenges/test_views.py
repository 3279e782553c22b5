"""The challenge pages: anyone reads them; residents propose, support, comment and follow;
the organisation's runners answer, hide and track in the console. Bad input is named in
the GOV.UK error summary and nothing is written."""

import pytest

from agora.audit.models import LogEntry
from agora.challenges.models import Challenge, Comment, Phase, Proposal
from tests.challenges.helpers import challenge, council, propose, resident, runner
from tests.console.test_views import error_summary, sign_in
from tests.factories import OrganizationFactory, UserFactory
from tests.opendata.helpers import dataset

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_anyone_reads_the_list_and_a_challenge_without_signing_in(client):
    opened = challenge(council())
    propose(opened, resident(given_name="Zed"), title="A crossing on Mill Lane")
    page = client.get("/challenges/")
    assert page.status_code == 200 and "Safer crossings near schools" in text(page)
    page = client.get("/challenges/safer-crossings/")
    assert "A crossing on Mill Lane" in text(page) and "By a resident" in text(page)
    assert "Zed" not in text(page)  # residents are never named
    assert "Sign in to comment" in text(page)
    assert client.get("/challenges/no-such/").status_code == 404


def test_a_resident_proposes_with_a_query_link_from_a_dataset_page(client):
    organization = council()
    data = dataset(organization)
    resource = data.resources.get()
    challenge(organization)
    sign_in(client, resident())
    link = (f"http://testserver/api/3/action/datastore_search?resource_id={resource.public_id}"
            "&filters=%7B%22ward%22%3A+%22North%22%7D")
    response = client.post("/challenges/safer-crossings/propose", {
        "title": "More bins in North ward", "body": "Missed collections are highest there.",
        "evidence_dataset": "bin-collections", "evidence_query": link})
    assert response.status_code == 302
    page = client.get("/challenges/safer-crossings/")
    assert "More bins in North ward" in text(page)
    assert "where ward is North" in text(page)
    assert "datastore_search?resource_id=" in text(page)


def test_a_bad_query_link_is_named_and_nothing_is_stored(client):
    challenge(council())
    sign_in(client, resident())
    response = client.post("/challenges/safer-crossings/propose", {
        "title": "T", "body": "B", "evidence_query": "https://example.org/elsewhere"})
    assert response.status_code == 422
    assert "Paste a link to datastore_search" in error_summary(response)
    response = client.post("/challenges/safer-crossings/propose", {
        "title": "", "body": "B"})
    assert "Enter title of your proposal" in error_summary(response)
    assert not Proposal.objects.exists()


def test_an_unknown_resource_in_the_link_is_named(client):
    challenge(council())
    sign_in(client, resident())
    response = client.post("/challenges/safer-crossings/propose", {
        "title": "T", "body": "B", "evidence_query":
            "/api/3/action/datastore_search?resource_id=00000000-0000-0000-0000-000000000000"})
    assert response.status_code == 422 and "Check the link" in error_summary(response)


def test_proposing_after_the_propose_phase_says_so(client):
    challenge(council(), phase=Phase.RESPOND)
    sign_in(client, resident())
    page = client.get("/challenges/safer-crossings/propose")
    assert "no longer takes proposals" in text(page)
    response = client.post("/challenges/safer-crossings/propose", {"title": "T", "body": "B"})
    assert "no longer takes proposals" in error_summary(response)


def test_a_resident_supports_once_and_the_page_says_so(client):
    opened = challenge(council())
    proposal = propose(opened, resident())
    Challenge.objects.filter(pk=opened.pk).update(phase=Phase.PROPOSE)
    sign_in(client, resident())
    url = f"/challenges/safer-crossings/proposals/{proposal.public_id}/support"
    assert client.post(url).status_code == 302
    page = client.get("/challenges/safer-crossings/")
    assert "You support this proposal." in text(page)
    again = client.post(url)
    assert again.status_code == 409
    assert "You already support this proposal." in error_summary(again)
    proposal.refresh_from_db()
    assert proposal.support_count == 1
    assert client.post("/challenges/safer-crossings/proposals/nope/support").status_code == 404


def test_support_without_signing_in_goes_to_sign_in(client):
    opened = challenge(council(), phase=Phase.GATHER)
    proposal = propose(opened, resident())
    response = client.post(f"/challenges/safer-crossings/proposals/{proposal.public_id}/support")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_resident_comments_and_an_empty_comment_is_named(client):
    challenge(council())
    sign_in(client, resident())
    response = client.post("/challenges/safer-crossings/comment", {"body": ""})
    assert response.status_code == 422 and "Enter your comment" in error_summary(response)
    client.post("/challenges/safer-crossings/comment", {"body": "Mill Lane is the worst."})
    assert "Mill Lane is the worst." in text(client.get("/challenges/safer-crossings/"))


def test_follow_and_stop_following(client):
    challenge(council())
    sign_in(client, resident())
    client.post("/challenges/safer-crossings/follow", {"follow": "yes"})
    assert "Stop following" in text(client.get("/challenges/safer-crossings/"))
    client.post("/challenges/safer-crossings/follow", {"follow": "no"})
    assert "Follow this challenge" in text(client.get("/challenges/safer-crossings/"))


# The console.

def test_a_publisher_opens_a_challenge_in_the_console(client):
    organization = council()
    sign_in(client, runner(organization))
    assert client.get("/console/organisations/council/challenges/").status_code == 200
    form = {"title": "Fewer missed bins", "slug": "fewer-missed-bins",
            "summary": "Help us find why bins are missed.", "topic": "",
            "propose_from_0": "1", "propose_from_1": "2", "propose_from_2": "2027",
            "prioritise_from_0": "1", "prioritise_from_1": "1", "prioritise_from_2": "2027",
            "respond_from_0": "1", "respond_from_1": "4", "respond_from_2": "2027",
            "track_from_0": "1", "track_from_1": "5", "track_from_2": "2027"}
    response = client.post("/console/organisations/council/challenges/new", form)
    summary = error_summary(response)
    assert "Say what the challenge is about" in summary
    assert "Each phase must start on or after the one before it" in summary
    dataset(organization, "missed-bins", title="Missed bins")
    form.update(dataset="missed-bins", prioritise_from_1="3")
    response = client.post("/console/organisations/council/challenges/new", form)
    assert response.status_code == 302
    assert Challenge.objects.get().dataset.title == "Missed bins"


def test_the_console_answers_a_proposal_hides_a_comment_and_adds_a_milestone(client):
    organization = council()
    opened = challenge(organization)
    proposal = propose(opened, resident())
    comment = Comment.objects.create(challenge=opened, author=UserFactory(), body="Rude words")
    sign_in(client, runner(organization))
    base = "/console/organisations/council/challenges/safer-crossings/"
    for _ in range(3):  # gather → propose → prioritise → respond
        assert client.post(base + "advance").status_code == 302
    assert Challenge.objects.get().phase == Phase.RESPOND
    answer = f"{base}proposals/{proposal.public_id}/answer"
    response = client.post(answer, {"status": "accepted", "reason": ""})
    assert "Enter the reason" in error_summary(response)
    client.post(answer, {"status": "accepted", "reason": "We will build it in spring."})
    response = client.post(f"{base}proposals/{proposal.public_id}/milestones/new", {
        "title": "Survey the site", "due_0": "1", "due_1": "6", "due_2": "2027",
        "requests": "R-NOT-OURS"})
    assert "R-NOT-OURS: not a request of Riverton Council" in error_summary(response)
    client.post(f"{base}proposals/{proposal.public_id}/milestones/new", {
        "title": "Survey the site", "due_0": "1", "due_1": "6", "due_2": "2027"})
    client.post(f"{base}comments/{comment.public_id}/hide", {"reason": "Rude"})
    page = text(client.get("/challenges/safer-crossings/"))
    assert "We will build it in spring." in page and "Survey the site" in page
    assert "Rude words" not in page and "This comment was hidden by Riverton Council: Rude" in page
    assert {"challenge.phase", "proposal.answer", "milestone.change", "comment.hide"} <= set(
        LogEntry.objects.values_list("action", flat=True))


def test_the_console_pages_do_not_exist_for_other_staff(client):
    organization = council()
    challenge(organization)
    sign_in(client, runner(OrganizationFactory(slug="food-bank")))
    assert client.get("/console/organisations/council/challenges/").status_code == 404
    sign_in(client, runner(organization, role="caseworker"))
    assert client.get("/console/organisations/council/challenges/").status_code == 404
    response = client.post("/console/organisations/council/challenges/safer-crossings/advance")
    assert response.status_code == 404
    assert Challenge.objects.get().phase == Phase.GATHER
