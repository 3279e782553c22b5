"""Riverton's handed-over question: in the council's queue with its reply, loaded once."""

import pytest

from agora.access.documents import anonymous_reader
from agora.access.viewers import viewer_for_staff
from agora.answers.selectors import answer_question
from agora.answers.services import enquiry_answer_publish
from agora.cases.models import Case, CaseEvent
from agora.demo.answers import COUNCIL, QUESTION
from agora.demo.services import demo_load
from agora.organizations.models import Membership, Organization


@pytest.fixture
def town(db):
    return demo_load(reads=False, requests=False)


def test_a_question_waits_in_the_councils_queue_with_its_reply_and_can_be_published(town):
    [case] = Case.objects.filter(service__code__startswith="question-")
    assert case.organization.slug == COUNCIL and case.is_open and case.person.user_id
    assert CaseEvent.objects.filter(case=case, kind="message-out").count() == 1
    demo_load(reads=False, requests=False)
    assert Case.objects.filter(service__code__startswith="question-").count() == 1
    assert answer_question(reader=anonymous_reader(), question=QUESTION).status == "abstained"
    council = Organization.objects.get(slug=COUNCIL)
    # An administrator both reads the request (a personal-data role) and publishes.
    publisher = Membership.objects.filter(organization=council, role="admin").first().user
    enquiry_answer_publish(actor=publisher, viewer=viewer_for_staff(publisher, council),
                           reference=case.reference)
    answer = answer_question(reader=anonymous_reader(), question=QUESTION)
    assert answer.status == "answered" and "skip licence" in answer.answer
