"""Residents are told by email that their request changed: briefly, once, if they want it."""

import pytest

from agora.access.viewers import viewer_for_resident
from agora.cases.services import (
    case_create,
    case_document_request,
    case_message_send,
    case_reply,
    case_status_change,
)
from agora.core.exceptions import PermissionDenied
from agora.notifications.models import Event, ResidentEmail
from agora.notifications.outbox import event_fan_out
from agora.notifications.residents import email_preference_set, resident_email_send
from tests.cases.helpers import service_make, staff_of
from tests.factories import OrganizationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    return OrganizationFactory(slug="riverton-council", name="Riverton Council")


@pytest.fixture
def ann():
    user = UserFactory(email="ann@example.org")
    PersonFactory(user=user, given_name="Ann", family_name="Lee", email="ann@example.org")
    return user


def send_all() -> list[str]:
    """Fan out every event not yet fanned out, then send every planned email."""
    for event in Event.objects.filter(dispatched_at__isnull=True):
        event_fan_out(event.pk)
    return [resident_email_send(str(e.public_id)) for e in ResidentEmail.objects.all()]


def test_a_status_change_is_told_in_plain_words_with_a_link_and_nothing_else(
        council, ann, smtp_server):
    service = service_make(council, name="Support after domestic abuse")
    case = case_create(viewer=viewer_for_resident(ann), service=service)
    case_status_change(viewer=staff_of(council), reference=case.reference, status="in-progress",
                       note="Ann's file moved to the refuge team")
    assert send_all() == ["sent"]
    mail = smtp_server.wait_for_message(to="ann@example.org")
    assert case.reference in mail.subject
    assert "The status of your request has changed." in mail.body
    assert smtp_server.links(mail) == [f"http://testserver/requests/{case.reference}/",
                                       "http://testserver/account/"]
    html = mail.message.get_body(preferencelist=("html",)).get_content()
    assert f'href="http://testserver/requests/{case.reference}/"' in html
    for private in ("domestic abuse", "Riverton Council", "refuge", "Ann", "in-progress",
                    "In progress"):
        assert private not in mail.body and private not in html and private not in mail.subject


def test_messages_and_document_requests_are_told_the_residents_own_actions_are_not(
        council, ann, smtp_server):
    me = viewer_for_resident(ann)
    case = case_create(viewer=me, service=service_make(council))
    staff = staff_of(council)
    case_message_send(viewer=staff, reference=case.reference, text="Please call us")
    case_reply(viewer=me, reference=case.reference, text="I will")
    case_document_request(viewer=staff, reference=case.reference, document_name="Payslip")
    assert send_all() == ["sent", "sent"]
    smtp_server.wait_for_message(to="ann@example.org", count=2)
    bodies = [m.body for m in smtp_server.messages]
    assert "You have a new message about your request." in bodies[0]
    assert "We need a document from you for your request." in bodies[1]
    assert "Please call us" not in bodies[0] and "Payslip" not in bodies[1]


def test_a_street_report_without_an_account_gets_no_email(council):
    from agora.access.viewers import anonymous_viewer
    from agora.cases.services import Location, Reporter

    service = service_make(council, location_based=True)
    case = case_create(viewer=anonymous_viewer(), service=service,
                       reporter=Reporter(email="someone@example.org"),
                       location=Location(52.1, 5.1))
    case_status_change(viewer=staff_of(council), reference=case.reference, status="in-progress")
    assert send_all() == []


def test_the_residents_choice_by_default_and_per_request_is_followed(council, ann):
    me, staff = viewer_for_resident(ann), staff_of(council)
    service = service_make(council)
    quiet, wanted = (case_create(viewer=me, service=service) for _ in range(2))
    email_preference_set(actor=ann, person=me.person, enabled=False)
    email_preference_set(actor=ann, person=me.person, enabled=True, request_id=wanted.public_id)
    for case in (quiet, wanted):
        case_status_change(viewer=staff, reference=case.reference, status="in-progress")
    send_all()
    (email,) = ResidentEmail.objects.all()
    assert email.event.data["reference"] == wanted.reference
    with pytest.raises(PermissionDenied, match="Only the person themselves"):
        email_preference_set(actor=UserFactory(), person=me.person, enabled=True)


def test_a_mail_server_that_is_down_is_tried_again_later(council, ann, settings,
                                                         smtp_server):
    case = case_create(viewer=viewer_for_resident(ann), service=service_make(council))
    case_status_change(viewer=staff_of(council), reference=case.reference, status="in-progress")
    settings.EMAIL_PORT = 1  # nothing listens there
    assert send_all() == ["retry"]
    email = ResidentEmail.objects.get()
    assert email.status == "pending" and email.attempts == 1 and email.last_error
    settings.EMAIL_PORT = smtp_server.port
    assert resident_email_send(str(email.public_id), now=email.next_attempt_at) == "sent"
    assert resident_email_send(str(email.public_id), now=email.next_attempt_at) == "skipped"
    assert len(smtp_server.messages_to("ann@example.org")) == 1


def test_a_follower_of_a_challenge_is_told_it_moved_on_with_a_link_to_its_page(
        council, ann, smtp_server):
    from agora.challenges.services import challenge_follow, challenge_phase_advance
    from agora.core.actors import SYSTEM
    from tests.challenges.helpers import challenge

    opened = challenge(council)
    challenge_follow(actor=ann, challenge=opened, follow=True)
    challenge_phase_advance(actor=SYSTEM, challenge=opened)
    assert send_all() == ["sent"]
    mail = smtp_server.wait_for_message(to="ann@example.org")
    assert mail.subject.endswith("News about a challenge you follow")
    assert "A challenge you follow has moved to its next phase." in mail.body
    assert smtp_server.links(mail) == ["http://testserver/challenges/safer-crossings/",
                                       "http://testserver/account/"]
