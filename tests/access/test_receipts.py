"""Consent receipts: the fields people are promised, and signatures that catch tampering."""

import copy
from datetime import timedelta

import pytest
from django.utils import timezone

from agora.access.receipts import canonical_json, consent_receipt_verify
from agora.access.services import consent_give
from agora.audit.keys import key_rotate, signing_key_current
from agora.core.platform_key import b64, private_key
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
    current = signing_key_current()
    assert receipt["publicKey"] == b64(bytes(current.public_key))
    assert receipt["keyId"] == current.key_id


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


def test_a_receipt_signed_before_a_key_rotation_still_verifies(consent, foodbank, key_dir):
    old_key = consent.receipt["keyId"]
    rotation = key_rotate()
    assert consent_receipt_verify(consent.receipt, consent.receipt_signature)
    person = PersonFactory(user=UserFactory())
    newer = consent_give(
        actor=person.user, person=person, recipient=foodbank, categories=["housing"],
        purpose="debt-advice", expires_at=timezone.now() + timedelta(days=1),
    )
    assert newer.receipt["keyId"] == rotation.new.key_id != old_key
    assert consent_receipt_verify(newer.receipt, newer.receipt_signature)


def test_a_receipt_from_before_key_ids_verifies_by_its_public_key(consent):
    receipt = copy.deepcopy(consent.receipt)
    receipt.pop("keyId")  # as issued before keys had ids: only publicKey names the key
    signer = private_key(consent.receipt["keyId"])
    assert consent_receipt_verify(receipt, b64(signer.sign(canonical_json(receipt))))
    assert not consent_receipt_verify(receipt, consent.receipt_signature)  # other bytes


def test_a_receipt_naming_a_key_the_platform_never_published_fails(consent):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from agora.core.platform_key import key_id, public_raw

    forger = Ed25519PrivateKey.generate()
    receipt = copy.deepcopy(consent.receipt)
    receipt.update(keyId=key_id(forger.public_key()),
                   publicKey=b64(public_raw(forger.public_key())))
    signature = b64(forger.sign(canonical_json(receipt)))
    assert not consent_receipt_verify(receipt, signature)
    receipt["keyId"] = consent.receipt["keyId"]  # the platform's id, the forger's key
    assert not consent_receipt_verify(receipt, b64(forger.sign(canonical_json(receipt))))
