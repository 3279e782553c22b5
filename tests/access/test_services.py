"""Agreement and consent services: validation, transitions, who may act, and the log entry."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agora.access.decisions import Basis, decide
from agora.access.filters import readable_records_filter
from agora.access.models import Agreement
from agora.access.receipts import consent_receipt_verify
from agora.access.services import (
    agreement_approve,
    agreement_end,
    agreement_propose,
    agreement_resume,
    agreement_suspend,
    consent_give,
    consent_withdraw,
)
from agora.audit.models import LogEntry
from agora.core.actors import SYSTEM
from agora.core.exceptions import Conflict, InvalidInput, PermissionDenied
from agora.records.models import Record
from tests.access.conftest import category, client, purpose
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    RecordFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def admin(organization, role="admin"):
    return MembershipFactory(organization=organization, role=role).user


def entries(action, resource_id):
    return LogEntry.objects.filter(action=action, resource_id=str(resource_id))


def proposal(council, foodbank, **overrides):
    now = timezone.now()
    arguments = {
        "provider": council,
        "recipient": foodbank,
        "title": "Tenancy details for debt advice",
        "categories": [category("housing")],
        "purposes": ["debt-advice"],
        "legal_basis": "6.1.e",
        "fields_allowed": ["tenure", "arrears"],
        "valid_from": now - timedelta(days=1),
        "valid_to": now + timedelta(days=365),
    }
    return {**arguments, **overrides}


def active_agreement(council, foodbank):
    agreement = agreement_propose(actor=SYSTEM, **proposal(council, foodbank))
    agreement_approve(actor=admin(council), agreement=agreement)
    return agreement_approve(actor=admin(foodbank), agreement=agreement)


# Propose


def test_admin_of_either_side_proposes_a_draft(council, foodbank):
    user = admin(foodbank)
    agreement = agreement_propose(actor=user, **proposal(council, foodbank))
    assert agreement.status == Agreement.Status.DRAFT
    assert agreement.proposed_by == user
    assert {p.code for p in agreement.purposes.all()} == {"debt-advice"}
    assert agreement.fields_allowed == ["tenure", "arrears"]
    entry = entries("agreement.propose", agreement.public_id).get()
    assert entry.actor_id == str(user.public_id)
    assert entry.actor_kind == "staff"
    assert entry.organization == foodbank.slug


@pytest.mark.parametrize("role", ["caseworker", "dpo", "publisher"])
def test_only_admins_propose(council, foodbank, role):
    with pytest.raises(PermissionDenied):
        agreement_propose(actor=admin(council, role), **proposal(council, foodbank))
    with pytest.raises(PermissionDenied):
        agreement_propose(actor=admin(OrganizationFactory()), **proposal(council, foodbank))
    assert not Agreement.objects.exists()
    assert not LogEntry.objects.filter(action="agreement.propose").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"recipient": "provider"}, "recipient"),
        ({"categories": []}, "categories"),
        ({"purposes": []}, "purposes"),
        ({"legal_basis": ""}, "legal_basis"),
        ({"legal_basis": "6.1.z"}, "legal_basis"),
        ({"fields_allowed": []}, "fields_allowed"),
        ({"fields_allowed": "name"}, "fields_allowed"),
        ({"fields_allowed": ["name", " "]}, "fields_allowed"),
        ({"title": "  "}, "title"),
        ({"valid_to": "valid_from"}, "valid_to"),
        (
            {"categories": ["health"], "purposes": ["debt-advice", "social-care-support"]},
            "purposes",
        ),
    ],
)
def test_proposals_are_checked(council, foodbank, overrides, field):
    arguments = proposal(council, foodbank, **overrides)
    if overrides.get("recipient") == "provider":
        arguments["recipient"] = council
    if overrides.get("valid_to") == "valid_from":
        arguments["valid_to"] = arguments["valid_from"]
    with pytest.raises(InvalidInput) as caught:
        agreement_propose(actor=SYSTEM, **arguments)
    assert field in {error["field"] for error in caught.value.errors}
    assert not Agreement.objects.exists()


def test_unknown_codes_are_refused(council, foodbank):
    with pytest.raises(InvalidInput, match="Unknown purposes: mind-reading"):
        agreement_propose(actor=SYSTEM, **proposal(council, foodbank, purposes=["mind-reading"]))


def test_special_category_with_art_9_purposes_is_accepted(council, foodbank):
    agreement = agreement_propose(
        actor=SYSTEM,
        **proposal(council, foodbank, categories=["health"], purposes=["social-care-support"]),
    )
    assert agreement.status == Agreement.Status.DRAFT


# Approve


def test_both_sides_approve_and_it_becomes_active(council, foodbank):
    agreement = agreement_propose(actor=admin(council), **proposal(council, foodbank))
    record = RecordFactory(owner=council)
    reader = client(foodbank)
    first = agreement_approve(actor=admin(council), agreement=agreement)
    assert first.status == Agreement.Status.DRAFT
    assert first.provider_approved_at and not first.recipient_approved_at
    assert entries("agreement.approve", agreement.public_id).count() == 1
    assert not decide(viewer=reader, record=record, purpose=purpose("debt-advice"))
    recipient_admin = admin(foodbank)
    second = agreement_approve(actor=recipient_admin, agreement=agreement)
    assert second.status == Agreement.Status.ACTIVE
    assert second.recipient_approved_by == recipient_admin
    entry = entries("agreement.activate", agreement.public_id).get()
    assert entry.organization == foodbank.slug
    assert decide(viewer=reader, record=record, purpose=purpose("debt-advice")).basis == (
        Basis.AGREEMENT
    )


def test_approval_is_refused_twice_and_to_outsiders(council, foodbank):
    agreement = agreement_propose(actor=SYSTEM, **proposal(council, foodbank))
    council_admin = admin(council)
    agreement_approve(actor=council_admin, agreement=agreement)
    with pytest.raises(Conflict, match="already approved"):
        agreement_approve(actor=council_admin, agreement=agreement)
    with pytest.raises(PermissionDenied):
        agreement_approve(actor=admin(council, "caseworker"), agreement=agreement)
    with pytest.raises(PermissionDenied):
        agreement_approve(actor=UserFactory(), agreement=agreement)
    assert entries("agreement.approve", agreement.public_id).count() == 1


def test_only_a_draft_is_approved(council, foodbank):
    agreement = active_agreement(council, foodbank)
    with pytest.raises(Conflict, match="Only a draft"):
        agreement_approve(actor=SYSTEM, agreement=agreement)


# Suspend, resume, end


def test_suspend_and_resume(council, foodbank):
    agreement = active_agreement(council, foodbank)
    record = RecordFactory(owner=council)
    reader = client(foodbank)
    suspended = agreement_suspend(
        actor=admin(foodbank, "dpo"), agreement=agreement, reason="Checking a complaint."
    )
    assert suspended.status == Agreement.Status.SUSPENDED
    assert entries("agreement.suspend", agreement.public_id).get().reason == (
        "Checking a complaint."
    )
    assert not decide(viewer=reader, record=record, purpose=purpose("debt-advice"))
    with pytest.raises(PermissionDenied):
        agreement_resume(actor=admin(foodbank), agreement=agreement)
    resumed = agreement_resume(actor=admin(council), agreement=agreement)
    assert resumed.status == Agreement.Status.ACTIVE
    assert entries("agreement.activate", agreement.public_id).count() == 2
    assert decide(viewer=reader, record=record, purpose=purpose("debt-advice"))


def test_invalid_transitions_are_conflicts(council, foodbank):
    draft = agreement_propose(actor=SYSTEM, **proposal(council, foodbank))
    with pytest.raises(Conflict, match="cannot be suspended"):
        agreement_suspend(actor=SYSTEM, agreement=draft)
    with pytest.raises(Conflict, match="cannot resume"):
        agreement_resume(actor=SYSTEM, agreement=draft)
    active = active_agreement(council, foodbank)
    with pytest.raises(Conflict, match="cannot be resumed"):
        agreement_resume(actor=SYSTEM, agreement=active)


def test_end_is_final(council, foodbank):
    agreement = active_agreement(council, foodbank)
    ended = agreement_end(actor=admin(foodbank), agreement=agreement)
    assert ended.status == Agreement.Status.ENDED
    assert entries("agreement.end", agreement.public_id).count() == 1
    for change in (agreement_suspend, agreement_resume, agreement_end):
        with pytest.raises(Conflict):
            change(actor=SYSTEM, agreement=agreement)
    with pytest.raises(PermissionDenied):
        agreement_end(
            actor=admin(council, "caseworker"),
            agreement=agreement_propose(actor=SYSTEM, **proposal(council, foodbank)),
        )


# Consent


def resident():
    return PersonFactory(user=UserFactory())


def test_consent_give_issues_a_signed_receipt_and_logs(council, foodbank):
    person = resident()
    expires = timezone.now() + timedelta(days=90)
    consent = consent_give(
        actor=person.user,
        person=person,
        recipient=foodbank,
        categories=["housing", "income-and-benefits"],
        purpose="debt-advice",
        expires_at=expires,
    )
    assert consent.version == 1
    assert consent.receipt["consentReceiptID"] == str(consent.public_id)
    assert consent_receipt_verify(consent.receipt, consent.receipt_signature)
    entry = entries("consent.give", consent.public_id).get()
    assert entry.actor_kind == "person"
    assert entry.subject == str(person.public_id)
    assert entry.purpose == "debt-advice"
    assert entry.legal_basis == "6.1.a"
    assert entry.organization == foodbank.slug


def test_only_the_person_gives_or_withdraws(foodbank):
    person = resident()
    arguments = {
        "person": person,
        "recipient": foodbank,
        "categories": ["housing"],
        "purpose": "debt-advice",
        "expires_at": timezone.now() + timedelta(days=1),
    }
    with pytest.raises(PermissionDenied):
        consent_give(actor=UserFactory(), **arguments)
    consent = consent_give(actor=person.user, **arguments)
    with pytest.raises(PermissionDenied):
        consent_withdraw(actor=admin(foodbank), consent=consent)
    assert LogEntry.objects.filter(resource_id=str(consent.public_id)).count() == 1


def test_consent_input_is_checked(foodbank):
    person = resident()
    with pytest.raises(InvalidInput) as caught:
        consent_give(
            actor=person.user,
            person=person,
            recipient=foodbank,
            categories=[],
            purpose="debt-advice",
            expires_at=timezone.now(),
        )
    assert {e["field"] for e in caught.value.errors} == {"categories", "expires_at"}
    with pytest.raises(InvalidInput):
        consent_give(
            actor=person.user,
            person=person,
            recipient=foodbank,
            categories=["housing"],
            purpose="nope",
            expires_at=timezone.now() + timedelta(days=1),
        )


def test_withdrawal_takes_effect_on_the_very_next_read(council, foodbank):
    person = resident()
    record = RecordFactory(owner=council, subject=person, category=category("housing"))
    consent = consent_give(
        actor=person.user,
        person=person,
        recipient=foodbank,
        categories=["housing"],
        purpose="debt-advice",
        expires_at=timezone.now() + timedelta(days=30),
    )
    reader, reason = client(foodbank), purpose("debt-advice")

    def readable():
        return Record.objects.filter(readable_records_filter(viewer=reader, purpose=reason))

    assert decide(viewer=reader, record=record, purpose=reason).basis == Basis.CONSENT
    assert list(readable()) == [record]
    withdrawn = consent_withdraw(actor=person.user, consent=consent)
    assert not decide(viewer=reader, record=record, purpose=reason)
    assert not readable().exists()
    assert withdrawn.version == 2
    assert withdrawn.receipt["version"] == 2
    assert withdrawn.receipt["withdrawnAt"] is not None
    assert consent_receipt_verify(withdrawn.receipt, withdrawn.receipt_signature)
    assert entries("consent.withdraw", consent.public_id).count() == 1
    with pytest.raises(Conflict, match="already been withdrawn"):
        consent_withdraw(actor=person.user, consent=consent)
