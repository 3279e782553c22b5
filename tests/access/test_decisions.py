"""The one decision: each rule, each basis, and each attack named in issue 4."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agora.access.decisions import Basis, RecordFacts, decide
from agora.access.viewers import anonymous_viewer, viewer_for_client, viewer_for_resident
from agora.core.exceptions import InvalidInput
from tests.access.conftest import category, client, purpose, staff
from tests.factories import (
    AgreementFactory,
    ApiClientFactory,
    ConsentFactory,
    OrganizationFactory,
    PersonFactory,
    RecordFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_no_viewer_is_denied_everything(council):
    public = RecordFactory(owner=council, subject=None, classification="public")
    decision = decide(viewer=None, record=public, purpose=None)
    assert not decision.permitted
    assert "No one" in decision.reason


def test_unknown_action_is_refused(council):
    with pytest.raises(InvalidInput):
        decide(
            viewer=anonymous_viewer(),
            record=RecordFactory(owner=council),
            purpose=None,
            action="publish",
        )


# Records about no one


@pytest.mark.parametrize("level", ["open", "public"])
def test_open_and_public_records_about_no_one_are_for_anyone(council, level):
    record = RecordFactory(owner=council, subject=None, classification=level)
    decision = decide(viewer=anonymous_viewer(), record=record, purpose=None)
    assert decision.permitted
    assert decision.basis == Basis.PUBLIC
    assert decision.fields_allowed is None


def test_internal_records_are_for_the_owners_staff_and_clients(council, foodbank):
    record = RecordFactory(owner=council, subject=None, classification="internal")
    assert decide(viewer=staff(council, "publisher"), record=record, purpose=None).basis == (
        Basis.OWNER_STAFF
    )
    assert decide(viewer=client(council), record=record, purpose=None).basis == Basis.OWNER_CLIENT
    assert not decide(viewer=staff(foodbank, "admin"), record=record, purpose=None)
    assert not decide(viewer=client(foodbank), record=record, purpose=None)
    assert not decide(viewer=anonymous_viewer(), record=record, purpose=None)


def test_restricted_records_are_for_the_named_roles_only(council):
    record = RecordFactory(
        owner=council, subject=None, classification="restricted", restricted_roles=["dpo"]
    )
    assert decide(viewer=staff(council, "dpo"), record=record, purpose=None).permitted
    refused = decide(viewer=staff(council, "admin", "caseworker"), record=record, purpose=None)
    assert not refused.permitted
    assert "restricted" in refused.reason
    assert not decide(viewer=client(council), record=record, purpose=None)


# Personal records: the person and the owner


def test_the_person_reads_their_own_records_without_a_purpose(council):
    person = PersonFactory(user=UserFactory())
    record = RecordFactory(owner=council, subject=person, classification="restricted")
    decision = decide(viewer=viewer_for_resident(person.user), record=record, purpose=None)
    assert decision.permitted
    assert decision.basis == Basis.OWN_DATA
    assert decision.fields_allowed is None


def test_someone_else_signed_in_reads_nothing_personal(council):
    record = RecordFactory(owner=council, classification="public")
    other = viewer_for_resident(PersonFactory(user=UserFactory()).user)
    assert not decide(viewer=other, record=record, purpose=purpose("benefit-assessment"))
    assert not decide(viewer=anonymous_viewer(), record=record, purpose=None)


def test_public_classification_does_not_make_personal_data_public(council):
    record = RecordFactory(owner=council, classification="open")
    refused = decide(viewer=anonymous_viewer(), record=record, purpose=purpose("debt-advice"))
    assert not refused.permitted


def test_owner_caseworker_reads_with_a_purpose(council):
    record = RecordFactory(owner=council)
    decision = decide(viewer=staff(council), record=record, purpose=purpose("debt-advice"))
    assert decision.permitted
    assert decision.basis == Basis.STAFF_ROLE
    assert decision.legal_basis == "6.1.a"


def test_owner_caseworker_without_a_purpose_is_refused(council):
    decision = decide(viewer=staff(council), record=RecordFactory(owner=council), purpose=None)
    assert not decision.permitted
    assert "purpose" in decision.reason


@pytest.mark.parametrize("role", ["publisher", "analyst"])
def test_owner_roles_without_personal_data_are_refused(council, role):
    decision = decide(
        viewer=staff(council, role),
        record=RecordFactory(owner=council),
        purpose=purpose("benefit-assessment"),
    )
    assert not decision.permitted
    assert "personal-data role" in decision.reason or "personal data" in decision.reason


def test_restricted_personal_record_needs_a_named_personal_data_role(council):
    record = RecordFactory(
        owner=council, classification="restricted", restricted_roles=["dpo", "analyst"]
    )
    reason = purpose("fraud-prevention")
    assert decide(viewer=staff(council, "dpo"), record=record, purpose=reason).permitted
    assert not decide(viewer=staff(council, "caseworker"), record=record, purpose=reason)
    assert not decide(viewer=staff(council, "analyst"), record=record, purpose=reason)
    assert not decide(viewer=client(council), record=record, purpose=reason)


def test_owner_client_reads_with_a_purpose(council):
    record = RecordFactory(owner=council)
    decision = decide(viewer=client(council), record=record, purpose=purpose("housing-allocation"))
    assert decision.basis == Basis.OWNER_CLIENT
    assert decision.legal_basis == "6.1.e"
    assert not decide(viewer=client(council), record=record, purpose=None)


def test_disabled_client_reads_nothing(council):
    record = RecordFactory(owner=council, subject=None)
    viewer = viewer_for_client(ApiClientFactory(organization=council, is_active=False))
    assert not decide(viewer=viewer, record=record, purpose=purpose("benefit-assessment"))


# Other organisations: attacks and agreements


def test_caseworker_of_another_organisation_is_refused(council, foodbank):
    record = RecordFactory(owner=council)
    decision = decide(viewer=staff(foodbank), record=record, purpose=purpose("debt-advice"))
    assert not decision.permitted
    assert "no agreement" in decision.reason


def _agreement(council, foodbank, **kwargs):
    kwargs.setdefault("categories", [category("housing")])
    kwargs.setdefault("purposes", [purpose("housing-allocation")])
    return AgreementFactory(provider=council, recipient=foodbank, **kwargs)


def test_active_agreement_in_date_permits_the_allowed_fields(council, foodbank):
    agreement = _agreement(council, foodbank, legal_basis="6.1.c", fields_allowed=["name"])
    record = RecordFactory(owner=council)
    for viewer in (staff(foodbank), client(foodbank)):
        decision = decide(viewer=viewer, record=record, purpose=purpose("housing-allocation"))
        assert decision.permitted
        assert decision.basis == Basis.AGREEMENT
        assert decision.basis_ref == str(agreement.public_id)
        assert decision.legal_basis == "6.1.c"
        assert decision.fields_allowed == ("name",)


def test_agreement_does_not_work_backwards(council, foodbank):
    _agreement(council, foodbank)
    record = RecordFactory(owner=foodbank)
    assert not decide(viewer=staff(council), record=record, purpose=purpose("housing-allocation"))


def test_agreement_does_not_help_roles_without_personal_data(council, foodbank):
    _agreement(council, foodbank)
    record = RecordFactory(owner=council)
    viewer = staff(foodbank, "publisher")
    assert not decide(viewer=viewer, record=record, purpose=purpose("housing-allocation"))


def test_expired_agreement_is_refused(council, foodbank):
    now = timezone.now()
    _agreement(council, foodbank, valid_from=now - timedelta(days=30), valid_to=now)
    decision = decide(
        viewer=staff(foodbank),
        record=RecordFactory(owner=council),
        purpose=purpose("housing-allocation"),
        now=now,
    )
    assert not decision.permitted
    assert "expired" in decision.reason


def test_agreement_not_yet_in_force_is_refused(council, foodbank):
    now = timezone.now()
    _agreement(council, foodbank, valid_from=now + timedelta(seconds=1))
    decision = decide(
        viewer=staff(foodbank),
        record=RecordFactory(owner=council),
        purpose=purpose("housing-allocation"),
        now=now,
    )
    assert not decision.permitted
    assert "not yet in force" in decision.reason


@pytest.mark.parametrize("status", ["draft", "suspended", "ended"])
def test_agreement_that_is_not_active_is_refused(council, foodbank, status):
    _agreement(council, foodbank, status=status)
    decision = decide(
        viewer=staff(foodbank),
        record=RecordFactory(owner=council),
        purpose=purpose("housing-allocation"),
    )
    assert not decision.permitted
    assert status in decision.reason


def test_purpose_not_in_the_agreement_is_refused(council, foodbank):
    _agreement(council, foodbank)
    decision = decide(
        viewer=staff(foodbank),
        record=RecordFactory(owner=council),
        purpose=purpose("fraud-prevention"),
    )
    assert not decision.permitted
    assert "fraud-prevention" in decision.reason


def test_category_not_in_the_agreement_is_refused(council, foodbank):
    _agreement(council, foodbank)
    record = RecordFactory(owner=council, category=category("income-and-benefits"))
    decision = decide(viewer=staff(foodbank), record=record, purpose=purpose("housing-allocation"))
    assert not decision.permitted
    assert "category" in decision.reason


def test_special_category_needs_an_art_9_condition(council, foodbank):
    health = category("health")
    _agreement(
        council,
        foodbank,
        categories=[health],
        purposes=[purpose("benefit-assessment"), purpose("social-care-support")],
    )
    record = RecordFactory(owner=council, category=health)
    refused = decide(viewer=staff(foodbank), record=record, purpose=purpose("benefit-assessment"))
    assert not refused.permitted
    assert "Art. 9" in refused.reason
    permitted = decide(
        viewer=staff(foodbank), record=record, purpose=purpose("social-care-support")
    )
    assert permitted.basis == Basis.AGREEMENT


def test_restricted_personal_records_are_never_shared(council, foodbank):
    _agreement(council, foodbank)
    record = RecordFactory(
        owner=council, classification="restricted", restricted_roles=["caseworker"]
    )
    ConsentFactory(
        person=record.subject,
        recipient=foodbank,
        categories=[category("housing")],
        purpose=purpose("housing-allocation"),
    )
    decision = decide(viewer=staff(foodbank), record=record, purpose=purpose("housing-allocation"))
    assert not decision.permitted
    assert "never shared" in decision.reason


# Consent


def _consent(record, recipient, **kwargs):
    kwargs.setdefault("categories", [record.category])
    kwargs.setdefault("purpose", purpose("debt-advice"))
    return ConsentFactory(person=record.subject, recipient=recipient, **kwargs)


def test_consent_permits_its_recipient_for_its_purpose(council, foodbank):
    record = RecordFactory(owner=council)
    consent = _consent(record, foodbank)
    decision = decide(viewer=client(foodbank), record=record, purpose=purpose("debt-advice"))
    assert decision.basis == Basis.CONSENT
    assert decision.basis_ref == str(consent.public_id)
    assert decision.legal_basis == "6.1.a"
    assert decision.fields_allowed is None


def test_withdrawn_consent_is_refused(council, foodbank):
    record = RecordFactory(owner=council)
    _consent(record, foodbank, withdrawn_at=timezone.now())
    assert not decide(viewer=staff(foodbank), record=record, purpose=purpose("debt-advice"))


def test_expired_consent_is_refused(council, foodbank):
    now = timezone.now()
    record = RecordFactory(owner=council)
    _consent(record, foodbank, expires_at=now)
    assert not decide(
        viewer=staff(foodbank), record=record, purpose=purpose("debt-advice"), now=now
    )


def test_consent_is_for_its_purpose_category_and_recipient_only(council, foodbank):
    record = RecordFactory(owner=council)
    _consent(record, foodbank)
    other = RecordFactory(owner=council, subject=record.subject, category=category("health"))
    assert not decide(
        viewer=staff(foodbank), record=record, purpose=purpose("emergency-food-support")
    )
    assert not decide(viewer=staff(foodbank), record=other, purpose=purpose("debt-advice"))
    assert not decide(
        viewer=staff(OrganizationFactory()), record=record, purpose=purpose("debt-advice")
    )


def test_consent_about_another_person_does_not_help(council, foodbank):
    record = RecordFactory(owner=council)
    ConsentFactory(recipient=foodbank, categories=[record.category], purpose=purpose("debt-advice"))
    assert not decide(viewer=staff(foodbank), record=record, purpose=purpose("debt-advice"))


def test_bases_are_reported_in_order(council, foodbank):
    record = RecordFactory(owner=council, subject=PersonFactory(user=UserFactory()))
    _agreement(council, foodbank, purposes=[purpose("debt-advice")])
    _consent(record, foodbank)
    outsider = decide(viewer=staff(foodbank), record=record, purpose=purpose("debt-advice"))
    assert outsider.basis == Basis.CONSENT
    own = decide(
        viewer=viewer_for_resident(record.subject.user),
        record=record,
        purpose=purpose("debt-advice"),
    )
    assert own.basis == Basis.OWN_DATA


def test_record_facts_decide_before_a_record_exists(council):
    facts = RecordFacts(
        owner_id=council.pk,
        subject_id=PersonFactory().pk,
        category_id=category("housing").pk,
        classification="internal",
    )
    assert decide(viewer=staff(council), record=facts, purpose=purpose("debt-advice"))


# Writes


def test_owner_personal_data_role_writes_with_a_purpose(council):
    record = RecordFactory(owner=council)
    reason = purpose("benefit-assessment")
    for action in ("create", "update", "delete"):
        decision = decide(viewer=staff(council), record=record, purpose=reason, action=action)
        assert decision.basis == Basis.STAFF_ROLE
        assert decision.legal_basis == "6.1.e"
    assert not decide(viewer=staff(council), record=record, purpose=None, action="update")
    assert not decide(
        viewer=staff(council, "analyst"), record=record, purpose=reason, action="update"
    )
    assert decide(viewer=client(council), record=record, purpose=reason, action="create")


def test_nobody_else_writes_personal_data(council, foodbank):
    record = RecordFactory(owner=council)
    _agreement(council, foodbank)
    _consent(record, foodbank, purpose=purpose("housing-allocation"))
    reason = purpose("housing-allocation")
    assert not decide(viewer=staff(foodbank), record=record, purpose=reason, action="update")
    assert not decide(viewer=client(foodbank), record=record, purpose=reason, action="delete")
    person = viewer_for_resident(PersonFactory(user=UserFactory()).user)
    assert not decide(viewer=person, record=record, purpose=reason, action="update")


def test_restricted_writes_need_a_named_role(council):
    record = RecordFactory(owner=council, classification="restricted", restricted_roles=["dpo"])
    reason = purpose("fraud-prevention")
    assert decide(viewer=staff(council, "dpo"), record=record, purpose=reason, action="update")
    assert not decide(
        viewer=staff(council, "admin"), record=record, purpose=reason, action="update"
    )


def test_records_about_no_one_are_written_by_the_owners_staff(council, foodbank):
    record = RecordFactory(owner=council, subject=None, classification="public")
    assert decide(viewer=staff(council, "publisher"), record=record, purpose=None, action="update")
    assert not decide(
        viewer=staff(foodbank, "publisher"), record=record, purpose=None, action="update"
    )
    assert not decide(viewer=anonymous_viewer(), record=record, purpose=None, action="create")
