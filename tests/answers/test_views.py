"""The ask pages: the question box, an answer with its source, an abstention, a hand-over."""

import html
import re

import pytest

from agora.access.viewers import viewer_for_resident
from agora.audit.models import LogEntry
from agora.cases.models import Case
from agora.cases.services import case_create
from tests.cases.helpers import service_make
from tests.console.test_views import error_summary, sign_in
from tests.factories import PersonFactory, UserFactory


@pytest.fixture
def ann(db):
    user = UserFactory(email="ann@example.org")
    PersonFactory(user=user, given_name="Ann", family_name="Lee")
    return user


def page(client, question, **extra):
    response = client.get("/ask/", {"question": question, **extra})
    assert response.status_code == 200
    return response, html.unescape(response.content.decode())


def test_the_home_page_and_every_topic_page_have_the_question_box(client, guidance):
    for path in ("/", "/topics/council-tax/"):
        text = client.get(path).content.decode()
        assert 'action="/ask/"' in text and 'name="question"' in text, path
    assert 'name="topic" value="council-tax"' in client.get("/topics/council-tax/").content.decode()


def test_an_answer_shows_the_fact_the_quote_and_a_link_to_the_section(client, guidance):
    _, text = page(client, "how much is the garden waste bin")
    assert "Garden waste collection costs £45 a year." in text
    assert "The guidance says:" in text
    assert "#garden-waste" in text
    assert "Bin collections: Garden waste" in text


def test_an_abstention_says_so_and_offers_a_person(client, guidance):
    _, text = page(client, "bin day in leeds")
    assert "We cannot answer that from the published guidance" in text
    assert "Ask a person" in text and "/ask/person/?question=bin+day+in+leeds" in text
    assert "Riverton Council" in text


def test_an_empty_question_shows_the_error_summary(client, guidance):
    response, _ = page(client, "  ")
    assert "Enter your question." in error_summary(response)


def test_a_personal_question_asks_to_sign_in_then_answers_from_the_residents_requests(
        client, guidance, council, ann):
    _, text = page(client, "whats happening with my council tax reduction application")
    assert "This is about your own requests" in text and "Sign in" in text
    service = service_make(council, name="Council tax reduction")
    case = case_create(viewer=viewer_for_resident(ann), service=service)
    sign_in(client, ann)
    _, text = page(client, "whats happening with my council tax reduction application")
    assert f"Your request {case.reference} (Council tax reduction) is “Received”" in text
    assert f'href="/requests/{case.reference}/"' in text
    assert LogEntry.objects.filter(action="case.list", subject=str(ann.person.public_id)).exists()


def test_a_signed_in_resident_hands_a_question_over_and_finds_it_in_their_requests(
        client, guidance, council, ann):
    assert client.get("/ask/person/?question=bin+day+in+leeds").status_code == 302  # sign in
    sign_in(client, ann)
    form = client.get("/ask/person/", {"question": "bin day in leeds",
                                       "topic": "bin-collections"})
    assert re.search(r'value="bins-and-street-problems"[^>]* checked', form.content.decode())
    response = client.post("/ask/person/", {"question": "bin day in leeds",
                                            "topic": "bins-and-street-problems"})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/requests/{case.reference}/"
    assert (case.organization, case.description, case.deadline is not None) == (
        council, "bin day in leeds", True)
    assert case.service.name == "Ask Riverton Council a question"
    assert case.reference in client.get("/requests/").content.decode()


def test_a_hand_over_without_a_topic_is_refused_in_the_error_summary(client, guidance, ann):
    sign_in(client, ann)
    response = client.post("/ask/person/", {"question": "bin day in leeds"})
    assert response.status_code == 200
    assert "Select what your question is about" in error_summary(response)
    assert not Case.objects.exists()


def test_a_signed_in_resident_is_answered_from_their_own_records_and_the_read_is_logged(
        client, guidance, council, ann):
    from tests.factories import RecordFactory

    RecordFactory(owner=council, subject=ann.person, title="Council tax account",
                  fields={"band": "C", "arrears": 120.5, "payment_method": "direct debit"})
    RecordFactory(owner=council, title="Someone else's council tax account",
                  fields={"arrears": 999})
    sign_in(client, ann)
    _, text = page(client, "how much do i owe on my council tax")
    assert "Your record “Council tax account” held by Riverton Council says arrears: 120.5" in text
    assert "999" not in text
    assert LogEntry.objects.filter(action="record.read", subject=str(ann.person.public_id),
                                   decision="permit").exists()
