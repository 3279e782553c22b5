"""Hand-over: a question becomes a request in the topic owner's queue, the reply reaches the
resident, and publishing it as an FAQ answers the next person at once."""

import pytest

from agora.access.documents import anonymous_reader
from agora.access.viewers import viewer_for_resident, viewer_for_staff
from agora.answers.selectors import answer_question
from agora.answers.services import enquiry_answer_publish, question_handover
from agora.cases.selectors import case_queue, cases_for_resident
from agora.cases.services import case_message_send
from agora.content.models import Document
from agora.core.exceptions import InvalidInput, PermissionDenied
from agora.organizations.models import Membership
from tests.console.test_views import sign_in
from tests.factories import MembershipFactory, PersonFactory, UserFactory


@pytest.fixture
def ann(db):
    user = UserFactory(email="ann@example.org")
    PersonFactory(user=user)
    return viewer_for_resident(user)


@pytest.fixture
def caseworker(council):
    user = MembershipFactory(organization=council, role=Membership.Role.CASEWORKER).user
    return user


def test_a_question_goes_to_the_topic_owners_queue_with_a_deadline(guidance, council, ann,
                                                                    caseworker):
    case = question_handover(viewer=ann, question="bin day in leeds", topic_slug="bin-collections")
    assert case.organization == council and case.deadline is not None
    assert case.service.provider == council and case.service.target_days == 10
    queue = case_queue(viewer=viewer_for_staff(caseworker, council))
    assert [item.case.reference for item in queue.items] == [case.reference]
    assert [c.case.reference for c in cases_for_resident(viewer=ann)] == [case.reference]
    # A second question reuses the organisation's one "ask a question" service.
    again = question_handover(viewer=ann, question="bin day in york", topic_slug="council-tax")
    assert again.service == case.service


def test_a_question_about_no_topic_anyone_publishes_is_refused(guidance, ann):
    with pytest.raises(InvalidInput, match="Choose what your question is about"):
        question_handover(viewer=ann, question="bin day in leeds", topic_slug="bereavement")


def test_the_reply_reaches_the_resident_and_publishing_it_answers_the_next_person(
        guidance, council, ann, caseworker):
    question = "do you collect bins from the canal boats"
    assert answer_question(reader=anonymous_reader(), question=question).status == "abstained"
    case = question_handover(viewer=ann, question=question, topic_slug="bin-collections")
    staff = viewer_for_staff(caseworker, council)
    reply = "Yes. Canal boats moored at Canal Walk have their bins collected every Friday."
    case_message_send(viewer=staff, reference=case.reference, text=reply)
    [mine] = cases_for_resident(viewer=ann)
    assert reply in [event.text for event in mine.events]
    with pytest.raises(PermissionDenied):  # a caseworker alone does not publish
        enquiry_answer_publish(actor=caseworker, viewer=staff, reference=case.reference)
    MembershipFactory(user=caseworker, organization=council, role=Membership.Role.PUBLISHER)
    published = enquiry_answer_publish(actor=caseworker, viewer=staff, reference=case.reference)
    document = published.document
    assert (document.kind, document.classification, document.owner) == ("faq", "public", council)
    assert document.title == "Do you collect bins from the canal boats?"
    assert [t.slug for t in document.topics.all()] == ["bin-collections"]
    assert "ann@example.org" not in document.current_version.text
    answer = answer_question(reader=anonymous_reader(), question=question)
    assert answer.status == "answered"
    assert "every Friday" in answer.answer
    assert answer.citations[0].document == document
    assert Document.objects.filter(kind="faq").count() == 1


def test_the_console_offers_publishing_only_for_handed_over_questions(client, guidance, council,
                                                                     ann, caseworker):
    case = question_handover(viewer=ann, question="bin day in leeds", topic_slug="bin-collections")
    MembershipFactory(user=caseworker, organization=council, role=Membership.Role.PUBLISHER)
    sign_in(client, caseworker)
    base = f"/console/organisations/{council.slug}/requests/{case.reference}/"
    assert "Publish the answer as a frequently asked question" in client.get(base).content.decode()
    response = client.post(base + "publish", {"text": "Leeds bins are Leeds City Council's."})
    assert response.status_code == 302
    assert Document.objects.filter(kind="faq", title="Bin day in leeds?").exists()
