"""The flow's writes: answers checked and kept, prefill only under a consent, decline, discard."""

import pytest

from agora.access.models import Consent
from agora.access.receipts import consent_receipt_verify
from agora.access.viewers import viewer_for_resident
from agora.applications.models import ApplicationDraft
from agora.applications.questions import questions_of
from agora.applications.selectors import draft_for, prefill_offer, service_for_application
from agora.applications.services import (
    application_submit,
    draft_answer_save,
    draft_discard,
    draft_prefill_accept,
    draft_prefill_decline,
)
from agora.audit.models import LogEntry
from agora.cases.models import Case
from agora.core.exceptions import InvalidInput, NotFound, PermissionDenied
from tests.applications.helpers import GOOD_ANSWERS, council, household_record, service
from tests.factories import RecordFactory, UserFactory
from tests.portal.helpers import resident_with_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann():
    user, _ = resident_with_person(given_name="Ann", family_name="Lee")
    return viewer_for_resident(user)


def test_a_good_answer_is_kept_in_the_residents_draft(ann):
    tax = service()
    draft_answer_save(viewer=ann, service=tax, name="adults", value=2)
    draft_answer_save(viewer=ann, service=tax, name="full_name", value="Ann Lee")
    draft = draft_for(viewer=ann, service=tax)
    assert draft.answers == {"adults": 2, "full_name": "Ann Lee"}
    assert ApplicationDraft.objects.count() == 1


def test_a_wrong_answer_is_refused_with_its_message_and_nothing_kept(ann):
    tax = service()
    draft_answer_save(viewer=ann, service=tax, name="adults", value=2)
    with pytest.raises(InvalidInput) as refused:
        draft_answer_save(viewer=ann, service=tax, name="adults", value="two")
    assert refused.value.errors == [
        {"field": "adults", "message": "The number of adults must be a whole number, like 2"}]
    assert draft_for(viewer=ann, service=tax).answers == {"adults": 2}


def test_leaving_a_required_question_blank_is_refused(ann):
    with pytest.raises(InvalidInput, match="Enter your full name"):
        draft_answer_save(viewer=ann, service=service(), name="full_name", value=None)
    assert not ApplicationDraft.objects.exists()


def test_an_unknown_question_is_not_found(ann):
    with pytest.raises(NotFound):
        draft_answer_save(viewer=ann, service=service(), name="salary", value=1)


def test_only_a_resident_has_drafts():
    tax = service()
    staff = viewer_for_resident(UserFactory())  # an account with no Person
    with pytest.raises(PermissionDenied):
        draft_answer_save(viewer=staff, service=tax, name="adults", value=2)
    assert draft_for(viewer=staff, service=tax) is None


def test_each_resident_sees_only_their_own_draft(ann):
    tax = service()
    draft_answer_save(viewer=ann, service=tax, name="adults", value=2)
    other = viewer_for_resident(resident_with_person()[0])
    assert draft_for(viewer=other, service=tax) is None


def test_only_published_services_with_a_form_take_applications():
    tax = service()
    assert service_for_application(code=tax.code) == tax
    tax.status = "draft"
    tax.save()
    with pytest.raises(NotFound):
        service_for_application(code=tax.code)
    with pytest.raises(NotFound):
        service_for_application(code="no-such-service")


def test_prefill_is_offered_only_for_what_the_provider_declared():
    tax = service()
    offer = prefill_offer(service=tax, questions=questions_of(tax.form_schema))
    assert [q.name for q in offer.questions] == ["address", "adults"]
    assert [c.code for c in offer.categories] == ["household"]
    assert offer.purpose.code == "benefit-assessment"
    undeclared = service(council(declared=False), code="other")
    assert prefill_offer(service=undeclared, questions=questions_of(undeclared.form_schema)) \
        is None


def test_prefill_gives_a_signed_consent_and_fills_answers_from_records(ann):
    tax = service()
    record = household_record(ann.person)
    RecordFactory(subject=ann.person)  # housing: not a category the form uses
    last = LogEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
    seq = -1 if last is None else last
    draft, filled = draft_prefill_accept(viewer=ann, service=tax)
    assert filled == ["address", "adults"]
    assert draft.answers == {"address": "4 Mill Lane, Riverton RV1 2AB", "adults": 2}
    assert draft.prefilled["address"]["record"] == str(record.public_id)
    assert draft.prefilled["address"]["owner"] == "Riverton Electoral Services"
    consent = Consent.objects.get(person=ann.person)
    assert draft.consent == consent
    assert consent.recipient == tax.provider
    assert consent.purpose.code == "benefit-assessment"
    assert [c.code for c in consent.categories.all()] == ["household"]
    assert consent_receipt_verify(consent.receipt, consent.receipt_signature)
    logged = list(LogEntry.objects.filter(seq__gt=seq).values_list("action", "resource_id"))
    assert logged == [("consent.give", str(consent.public_id)),
                      ("record.read", str(record.public_id))]  # not the housing record


def test_saying_yes_again_uses_the_same_consent_while_it_is_in_force(ann):
    tax = service()
    household_record(ann.person)
    draft_prefill_accept(viewer=ann, service=tax)
    draft_prefill_accept(viewer=ann, service=tax)
    assert Consent.objects.count() == 1
    consent = Consent.objects.get()
    consent.withdrawn_at = consent.given_at
    consent.save()
    draft, _ = draft_prefill_accept(viewer=ann, service=tax)
    assert Consent.objects.count() == 2 and draft.consent.withdrawn_at is None


def test_prefill_leaves_answers_already_given_and_values_the_form_refuses(ann):
    tax = service()
    household_record(ann.person, adults=40)  # more than the form's maximum of 20
    draft_answer_save(viewer=ann, service=tax, name="address", value="Flat 2, Quay St")
    draft, filled = draft_prefill_accept(viewer=ann, service=tax)
    assert filled == []
    assert draft.answers == {"address": "Flat 2, Quay St"}


def test_changing_a_prefilled_answer_drops_its_origin(ann):
    tax = service()
    household_record(ann.person)
    draft_prefill_accept(viewer=ann, service=tax)
    draft = draft_answer_save(viewer=ann, service=tax, name="adults", value=2)
    assert "adults" in draft.prefilled  # the same answer: still from the record
    draft = draft_answer_save(viewer=ann, service=tax, name="adults", value=3)
    assert "adults" not in draft.prefilled and "address" in draft.prefilled


def test_no_prefill_without_a_declared_purpose(ann):
    tax = service(council(declared=False))
    with pytest.raises(InvalidInput):
        draft_prefill_accept(viewer=ann, service=tax)
    assert not Consent.objects.exists() and not ApplicationDraft.objects.exists()


def test_declining_prefill_gives_no_consent_and_reads_nothing(ann):
    tax = service()
    household_record(ann.person)
    before = LogEntry.objects.count()
    draft = draft_prefill_decline(viewer=ann, service=tax)
    assert draft.prefill == "declined" and draft.answers == {}
    assert not Consent.objects.exists()
    assert LogEntry.objects.count() == before


def test_discarding_deletes_the_draft_only(ann):
    tax = service()
    household_record(ann.person)
    draft_prefill_accept(viewer=ann, service=tax)
    draft_discard(viewer=ann, service=tax)
    assert draft_for(viewer=ann, service=tax) is None
    assert Consent.objects.filter(withdrawn_at__isnull=True).count() == 1


def _answer_all(viewer, tax, answers=GOOD_ANSWERS):
    for name, value in answers.items():
        draft_answer_save(viewer=viewer, service=tax, name=name, value=value)


def test_sending_creates_a_request_with_the_answers_and_deletes_the_draft(ann):
    tax = service()
    _answer_all(ann, tax)
    case = application_submit(viewer=ann, service=tax)
    assert case.reference and case.reference.split("-")[1].isdigit()
    assert case.person == ann.person and case.organization == tax.provider
    assert case.service == tax and case.answers == GOOD_ANSWERS
    assert draft_for(viewer=ann, service=tax) is None
    created = LogEntry.objects.get(action="case.create", resource_id=case.reference)
    assert created.subject == str(ann.person.public_id) and created.purpose == (
        "benefit-assessment")


def test_sending_with_answers_missing_sends_nothing_and_names_each(ann):
    tax = service()
    _answer_all(ann, tax, {"full_name": "Ann Lee", "adults": 2})
    with pytest.raises(InvalidInput) as refused:
        application_submit(viewer=ann, service=tax)
    assert [e["field"] for e in refused.value.errors] == [
        "email", "address", "monthly_income", "payment_method", "lives_alone", "moved_in"]
    assert not Case.objects.exists()
    assert draft_for(viewer=ann, service=tax).answers == {"full_name": "Ann Lee", "adults": 2}


def test_an_answer_the_changed_form_no_longer_accepts_stops_sending(ann):
    tax = service()
    _answer_all(ann, tax)
    tax.form_schema["properties"]["full_name"]["maxLength"] = 3
    tax.save()
    with pytest.raises(InvalidInput, match="Some answers"):
        application_submit(viewer=ann, service=tax)
    assert not Case.objects.exists()


def test_there_is_nothing_to_send_twice(ann):
    tax = service()
    _answer_all(ann, tax)
    application_submit(viewer=ann, service=tax)
    with pytest.raises(NotFound):
        application_submit(viewer=ann, service=tax)
    assert Case.objects.count() == 1
