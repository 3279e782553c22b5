"""Consent receipts: the fields people are promised, and signatures that catch tampering."""

import copy
from datetime import timedelta

import pytest
from django.utils import timezone

from agora.access.receipts import canonical_json, consent_receipt_verify
from agora.access.services import consent_give
from agora.core.platform_key import platform_public_key_b64
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def consent(foodbank):
    person = PersonFactory(user=UserFactory())
    return consent_give(
        actor=person.user,
        person=person,
        recipient=foodbank,
        categories=["housing", "health"],
        purpose="social-care-support",
        expires_at=timezone.now() + timedelta(days=60),
    )


def test_receipt_has_the_kantara_and_iso_27560_fields(consent, foodbank):
    receipt = consent.receipt
    assert receipt["version"] == 1
    assert receipt["consentReceiptID"] == str(consent.public_id)
    assert receipt["jurisdiction"]
    assert receipt["consentTimestamp"].endswith("Z")
    assert receipt["collectionMethod"] == "Agora resident portal"
    assert receipt["piiPrincipalId"] == str(consent.person.public_id)
    controller = receipt["piiControllers"][0]
    assert controller["piiController"] == foodbank.name
    assert controller["contact"] == foodbank.contact_email
    assert receipt["policyUrl"] == "http://testserver/privacy/"
    (service,) = receipt["services"]
    (item,) = service["purposes"]
    assert item["purpose"] == "social-care-support"
    assert item["purposeDescription"] == consent.purpose.description
    assert item["legalBasis"] == "6.1.a"
    assert item["specialCondition"] == "9.2.a"
    assert item["piiCategory"] == ["Health", "Housing"]
    assert receipt["sensitive"] is True
    assert receipt["spiCat"] == ["Health"]
    assert receipt["expiresAt"].endswith("Z")
    assert receipt["withdrawnAt"] is None
    assert receipt["publicKey"] == platform_public_key_b64()


def test_canonical_json_is_sorted_and_compact():
    assert canonical_json({"b": 1, "a": [1, {"d": "é", "c": None}]}) == (
        '{"a":[1,{"c":null,"d":"é"}],"b":1}'.encode()
    )


def test_receipt_verifies(consent):
    assert consent_receipt_verify(consent.receipt, consent.receipt_signature)
    # Stored and read back through the database (JSON round trip), it still verifies.
    consent.refresh_from_db()
    assert consent_receipt_verify(consent.receipt, consent.receipt_signature)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda r: r.update(expiresAt="2099-01-01T00:00:00Z"),
        lambda r: r["services"][0]["purposes"][0].update(purpose="fraud-prevention"),
        lambda r: r["services"][0]["purposes"][0]["piiCategory"].append("Identity"),
        lambda r: r.update(version=7),
        lambda r: r.pop("withdrawnAt"),
        lambda r: r.update(extra=True),
    ],
)
def test_tampered_receipt_fails(consent, tamper):
    receipt = copy.deepcopy(consent.receipt)
    tamper(receipt)
    assert not consent_receipt_verify(receipt, consent.receipt_signature)


@pytest.mark.parametrize("signature", ["", "not base64!", "AAAA", None])
def test_bad_signatures_fail(consent, signature):
    assert not consent_receipt_verify(consent.receipt, signature)


def test_signature_of_another_receipt_fails(consent, foodbank):
    person = PersonFactory(user=UserFactory())
    other = consent_give(
        actor=person.user,
        person=person,
        recipient=foodbank,
        categories=["housing"],
        purpose="debt-advice",
        expires_at=timezone.now() + timedelta(days=1),
    )
    assert not consent_receipt_verify(consent.receipt, other.receipt_signature)
