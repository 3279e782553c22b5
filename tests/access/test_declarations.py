"""The register of processing: propose, approve, reject, withdraw; who may; bad input;
and the rule the decision and the filter apply with it."""

import pytest

from agora.access.decisions import decide
from agora.access.filters import readable_records_filter
from agora.access.models import PurposeDeclaration
from agora.access.register import purpose_refusal
from agora.access.services import (
    apiclient_purposes_set,
    purpose_declaration_approve,
    purpose_declaration_propose,
    purpose_declaration_reject,
    purpose_declaration_withdraw,
)
from agora.access.viewers import viewer_for_client
from agora.audit.models import LogEntry
from agora.core.actors import SYSTEM
from agora.core.exceptions import Conflict, InvalidInput, PermissionDenied
from agora.records.models import Record
from tests.access.conftest import category, purpose, staff
from tests.factories import (
    ApiClientFactory,
    MembershipFactory,
    OrganizationFactory,
    RecordFactory,
    declare,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(db):
    """A food bank with nothing declared yet."""
    return OrganizationFactory(name="Riverton Food Bank", slug="riverton-food-bank", kind="ngo")


def member(organization, role):
    return MembershipFactory(organization=organization, role=role).user


def propose(organization, actor, **changes):
    arguments = {
        "organization": organization, "purpose": "emergency-food-support",
        "legal_basis": "6.1.a", "categories": ["case-history", "household"],
        "serves": "Households who ask for food parcels.",
    }
    arguments.update(changes)
    return purpose_declaration_propose(actor=actor, **arguments)


def readable(viewer, reason):
    return set(Record.objects.filter(readable_records_filter(viewer=viewer, purpose=reason)))


def test_admin_proposes_the_dpo_approves_and_only_then_it_counts(bank):
    record = RecordFactory(owner=bank, category=category("case-history"))
    caseworker = staff(bank)
    reason = purpose("emergency-food-support")
    declaration = propose(bank, member(bank, "admin"))
    assert declaration.status == "proposed"
    assert not decide(viewer=caseworker, record=record, purpose=reason)
    assert readable(caseworker, reason) == set()

    approved = purpose_declaration_approve(actor=member(bank, "dpo"), declaration=declaration)

    assert approved.status == "approved" and approved.decided_at is not None
    decision = decide(viewer=caseworker, record=record, purpose=reason)
    assert decision.permitted and decision.legal_basis == "6.1.a"
    assert readable(caseworker, reason) == {record}
    entries = list(LogEntry.objects.filter(resource_id=str(declaration.public_id))
                   .order_by("seq").values_list("action", "organization", "purpose"))
    assert entries == [("purpose.propose", bank.slug, "emergency-food-support"),
                       ("purpose.approve", bank.slug, "emergency-food-support")]


def test_only_the_admin_proposes_and_only_the_dpo_approves_or_rejects(bank):
    with pytest.raises(PermissionDenied):
        propose(bank, member(bank, "caseworker"))
    with pytest.raises(PermissionDenied):
        propose(bank, member(OrganizationFactory(), "admin"))
    declaration = propose(bank, member(bank, "admin"))
    for actor in (member(bank, "admin"), member(bank, "caseworker")):
        with pytest.raises(PermissionDenied):
            purpose_declaration_approve(actor=actor, declaration=declaration)
        with pytest.raises(PermissionDenied):
            purpose_declaration_reject(actor=actor, declaration=declaration)
    rejected = purpose_declaration_reject(actor=member(bank, "dpo"), declaration=declaration,
                                          reason="Too broad.")
    assert rejected.status == "rejected"
    with pytest.raises(Conflict):
        purpose_declaration_approve(actor=SYSTEM, declaration=declaration)
    assert LogEntry.objects.filter(action="purpose.reject", reason="Too broad.").exists()


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"legal_basis": ""}, "legal_basis", "Choose the legal basis"),
    ({"legal_basis": "6.1.z"}, "legal_basis", "Choose the legal basis"),
    ({"categories": []}, "categories", "Choose at least one category"),
    ({"categories": ["health"]}, "special_condition", "Health is a special category"),
    ({"categories": ["health"], "special_condition": "9.9.z"}, "special_condition",
     "Choose an Art. 9(2) condition"),
    ({"serves": "  "}, "serves", "Say whom this processing serves"),
    ({"purpose": "no-such-purpose"}, "purpose", "Unknown purpose: no-such-purpose"),
])
def test_bad_declarations_are_refused_and_nothing_is_written(bank, changes, field, message):
    before = LogEntry.objects.count()
    with pytest.raises(InvalidInput) as refused:
        propose(bank, SYSTEM, **changes)
    assert any(e["field"] == field and message in e["message"] for e in refused.value.errors)
    assert not PurposeDeclaration.objects.exists()
    assert LogEntry.objects.count() == before


def test_special_categories_with_an_art_9_condition_are_accepted(bank):
    declaration = propose(bank, SYSTEM, purpose="social-care-support", legal_basis="6.1.e",
                          categories=["health"], special_condition="9.2.h")
    assert declaration.special_condition == "9.2.h"


def test_a_second_proposal_waits_and_its_approval_supersedes_the_first(bank):
    first = propose(bank, SYSTEM)
    with pytest.raises(Conflict):
        propose(bank, SYSTEM)
    purpose_declaration_approve(actor=SYSTEM, declaration=first)
    second = propose(bank, SYSTEM, categories=["household"])
    second = purpose_declaration_approve(actor=SYSTEM, declaration=second)
    first.refresh_from_db()
    assert (first.status, second.status) == ("superseded", "approved")
    caseworker = staff(bank)
    history = RecordFactory(owner=bank, category=category("case-history"))
    assert not decide(viewer=caseworker, record=history, purpose=purpose("emergency-food-support"))


def test_withdrawal_stops_the_purpose_on_the_next_read(bank):
    record = RecordFactory(owner=bank, category=category("case-history"))
    declaration = declare(bank, "emergency-food-support", ["case-history"])
    caseworker, reason = staff(bank), purpose("emergency-food-support")
    assert readable(caseworker, reason) == {record}
    with pytest.raises(PermissionDenied):
        purpose_declaration_withdraw(actor=member(bank, "caseworker"), declaration=declaration)
    purpose_declaration_withdraw(actor=member(bank, "dpo"), declaration=declaration)
    assert readable(caseworker, reason) == set()
    assert not decide(viewer=caseworker, record=record, purpose=reason)
    with pytest.raises(Conflict):
        purpose_declaration_withdraw(actor=SYSTEM, declaration=declaration)


def test_own_records_only_in_the_categories_declared_for_the_purpose(bank):
    declare(bank, "emergency-food-support", ["case-history"])
    history = RecordFactory(owner=bank, category=category("case-history"))
    household = RecordFactory(owner=bank, category=category("household"),
                              subject=history.subject)
    client = viewer_for_client(ApiClientFactory(organization=bank))
    reason = purpose("emergency-food-support")
    assert readable(client, reason) == {history}
    refused = decide(viewer=client, record=household, purpose=reason)
    assert not refused and "does not include this category" in refused.reason
    undeclared = decide(viewer=client, record=history, purpose=purpose("healthcare-provision"))
    assert not undeclared and "has not declared healthcare-provision" in undeclared.reason
    assert readable(client, purpose("healthcare-provision")) == set()


def test_writes_need_a_declared_purpose_too(bank):
    declare(bank, "emergency-food-support", ["case-history"])
    record = RecordFactory(owner=bank, category=category("case-history"))
    caseworker = staff(bank)
    assert decide(viewer=caseworker, record=record, purpose=purpose("emergency-food-support"),
                  action="update")
    assert not decide(viewer=caseworker, record=record, purpose=purpose("fraud-prevention"),
                      action="update")


def test_a_client_limited_to_some_purposes_acts_for_those_only(bank):
    declare(bank, "emergency-food-support", ["case-history"])
    declare(bank, "debt-advice", ["case-history"])
    record = RecordFactory(owner=bank, category=category("case-history"))
    client = ApiClientFactory(organization=bank)
    apiclient_purposes_set(actor=SYSTEM, client=client, purposes=["debt-advice"])
    viewer = viewer_for_client(client)
    assert decide(viewer=viewer, record=record, purpose=purpose("debt-advice"))
    assert not decide(viewer=viewer, record=record, purpose=purpose("emergency-food-support"))
    assert readable(viewer, purpose("emergency-food-support")) == set()
    refusal = purpose_refusal(viewer=viewer, purpose=purpose("emergency-food-support"))
    assert refusal.code == "purpose-not-allowed"
    assert purpose_refusal(viewer=viewer, purpose=purpose("fraud-prevention")).code == (
        "purpose-not-declared")


def test_a_client_can_only_be_given_declared_purposes(bank):
    declare(bank, "emergency-food-support", ["case-history"])
    client = ApiClientFactory(organization=bank)
    with pytest.raises(InvalidInput, match="has not declared healthcare-provision"):
        apiclient_purposes_set(actor=SYSTEM, client=client, purposes=["healthcare-provision"])
    with pytest.raises(InvalidInput, match="Unknown purposes: nope"):
        apiclient_purposes_set(actor=SYSTEM, client=client, purposes=["nope"])
    with pytest.raises(PermissionDenied):
        apiclient_purposes_set(actor=member(bank, "caseworker"), client=client, purposes=[])
    client.refresh_from_db()
    assert client.purposes == []
    assert not LogEntry.objects.filter(action="apiclient.purposes").exists()

    apiclient_purposes_set(actor=SYSTEM, client=client, purposes=["emergency-food-support"])
    change = LogEntry.objects.get(action="apiclient.purposes")
    assert (change.organization, change.resource_id) == (bank.slug, str(client.client_id))
    assert change.reason == "Limited to emergency-food-support."


def test_an_agreement_or_consent_names_only_purposes_its_recipient_declared(bank):
    from datetime import timedelta

    from django.utils import timezone

    from agora.access.services import agreement_propose, consent_give
    from tests.factories import PersonFactory

    council = OrganizationFactory()
    now = timezone.now()
    with pytest.raises(InvalidInput, match="has not declared the purpose “Healthcare provision”"):
        agreement_propose(
            actor=SYSTEM, provider=council, recipient=bank, title="Health data",
            categories=["household"], purposes=["healthcare-provision"], legal_basis="6.1.e",
            fields_allowed=["x"], valid_from=now, valid_to=now + timedelta(days=30))
    declare(bank, "emergency-food-support", ["case-history"])
    with pytest.raises(InvalidInput, match="does not include Household"):
        consent_give(actor=SYSTEM, person=PersonFactory(), recipient=bank,
                     categories=["household"], purpose="emergency-food-support",
                     expires_at=now + timedelta(days=30))
