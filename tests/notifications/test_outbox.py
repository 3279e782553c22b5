"""Every change announces one event in its own transaction; a rolled-back change, none."""

import pytest
from django.db import transaction

from agora.access.services import agreement_suspend, consent_withdraw
from agora.cases.exceptions import TransitionNotAllowed
from agora.cases.services import (
    case_create,
    case_document_request,
    case_message_send,
    case_reply,
    case_status_change,
)
from agora.core.actors import SYSTEM
from agora.core.events import announce
from agora.notifications.models import Event
from tests.cases.helpers import resident, service_make, staff_of
from tests.content.helpers import publish
from tests.factories import (
    AgreementFactory,
    ConsentFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def events(type: str) -> list[Event]:
    return list(Event.objects.filter(type=type).prefetch_related("organizations"))


def test_a_request_announces_its_creation_status_messages_and_document_requests():
    council = OrganizationFactory(slug="riverton-council")
    me = resident()
    case = case_create(viewer=me, service=service_make(council))
    staff = staff_of(council)
    case_status_change(viewer=staff, reference=case.reference, status="in-progress")
    case_message_send(viewer=staff, reference=case.reference, text="We are on it.")
    case_reply(viewer=me, reference=case.reference, text="Thank you")
    case_document_request(viewer=staff, reference=case.reference, document_name="Payslip")

    (created,) = events("request.created")
    assert list(created.organizations.all()) == [council]
    assert created.person == me.person
    assert created.subject == str(case.public_id)
    assert created.data == {"request": str(case.public_id), "reference": case.reference,
                            "service": case.service.code, "status": "received"}
    (moved,) = events("request.status_changed")
    assert (moved.data["status_from"], moved.data["status_to"]) == ("received", "in-progress")
    assert [e.data["author"] for e in events("request.message_added")] == [
        "organisation", "resident"]
    assert len(events("request.document_requested")) == 1


def test_nothing_personal_is_in_a_request_event():
    me = resident()
    case = case_create(viewer=me, service=service_make(), answers={"income": 1234},
                       description="My flat at 4 Mill Lane is cold")
    staff = staff_of(case.organization)
    case_message_send(viewer=staff, reference=case.reference, text="Dear Ada Lovelace")
    text = str(list(Event.objects.values_list("data", flat=True)))
    for personal in ("1234", "Mill Lane", "Ada", str(me.person.public_id), me.person.email):
        assert personal not in text


def test_a_refused_or_rolled_back_change_announces_nothing():
    council = OrganizationFactory()
    case = case_create(viewer=resident(), service=service_make(council))
    staff = staff_of(council)
    with pytest.raises(RuntimeError, match="caller gave up"), transaction.atomic():
        case_message_send(viewer=staff, reference=case.reference, text="Never sent")
        raise RuntimeError("caller gave up")
    case_status_change(viewer=staff, reference=case.reference, status="approved")
    with pytest.raises(TransitionNotAllowed):
        case_status_change(viewer=staff, reference=case.reference, status="in-progress")
    assert [e.type for e in Event.objects.all()] == ["request.created",
                                                     "request.status_changed"]


def test_a_withdrawn_consent_tells_the_organisation_that_loses_access(key_dir):
    person = PersonFactory(user=UserFactory())
    foodbank = OrganizationFactory()
    consent = ConsentFactory(person=person, recipient=foodbank)
    consent_withdraw(actor=person.user, consent=consent)
    (event,) = events("consent.withdrawn")
    assert list(event.organizations.all()) == [foodbank]
    assert event.data == {"consent": str(consent.public_id), "purpose": consent.purpose.code}


def test_an_agreement_change_tells_both_parties():
    agreement = AgreementFactory()
    MembershipFactory(organization=agreement.provider, role="admin")
    agreement_suspend(actor=SYSTEM, agreement=agreement)
    (event,) = events("agreement.changed")
    assert set(event.organizations.all()) == {agreement.provider, agreement.recipient}
    assert event.data["status"] == "suspended"


def test_a_published_version_is_announced_once_and_an_unchanged_one_not_at_all():
    council = OrganizationFactory()
    publish(council, "bins", "Bin days", {"When": "Mondays"})
    publish(council, "bins", "Bin days", {"When": "Mondays"})
    publish(council, "bins", "Bin days", {"When": "Tuesdays"})
    assert [e.data["version"] for e in events("document.published")] == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_announcing_outside_a_transaction_or_an_unknown_type_is_refused():
    with pytest.raises(RuntimeError, match="inside the change's transaction"):
        announce("request.created", organizations=[], source="/x", subject="y", data={})
    with pytest.raises(ValueError, match="not an event type"), transaction.atomic():
        announce("request.teleported", organizations=[], source="/x", subject="y", data={})
    assert not Event.objects.exists()
