"""Consent receipts: what the person was told, signed by the platform so they can prove it.

The fields follow the Kantara Initiative Consent Receipt Specification v1.1 and the
consent record of ISO/IEC TS 27560 (controller, purposes, categories, legal basis,
given / expires / withdrawn times, version). `version` is the receipt's own version:
1 when consent is given, one more each time it changes (withdrawal). The receipt is
signed over its canonical JSON (keys sorted, no whitespace, UTF-8) with the platform's
current Ed25519 key; the signature is stored beside it in base64. The receipt names that
key (`keyId`, its RFC 7638 thumbprint, and `publicKey`), and is checked against the key
the platform published under that id, so a receipt stays valid after a key rotation.
Receipts issued before keys had ids carry only `publicKey`; their id is computed from it.
"""

import base64
import binascii
import json
from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse

from agora.access.models import Consent, LegalBasis, SpecialCondition
from agora.audit import keys
from agora.core.platform_key import b64, public_key_id, signature_valid

SPECIFICATION = "KI-CR-v1.1.0; ISO/IEC TS 27560:2023"
COLLECTION_METHOD = "Agora resident portal"
JURISDICTION_DEFAULT = "GB"


def canonical_json(receipt: dict) -> bytes:
    """Return the exact bytes that are signed: sorted keys, no whitespace, UTF-8."""
    return json.dumps(receipt, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _time(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def receipt_build(consent: Consent, *, issued_at: datetime) -> dict:
    """Return the receipt describing the consent as it stands now, naming the key that
    will sign it (the platform's current key)."""
    signer = keys.signing_key_current()
    categories = sorted(consent.categories.all(), key=lambda c: c.code)
    special = [c for c in categories if c.is_special]
    purpose = consent.purpose
    recipient = consent.recipient
    return {
        "specification": SPECIFICATION,
        "version": consent.version,
        "consentReceiptID": str(consent.public_id),
        "jurisdiction": getattr(settings, "CONSENT_JURISDICTION", JURISDICTION_DEFAULT),
        "consentTimestamp": _time(consent.given_at),
        "issuedAt": _time(issued_at),
        "collectionMethod": COLLECTION_METHOD,
        "language": "en",
        "piiPrincipalId": str(consent.person.public_id),
        "piiControllers": [
            {
                "piiController": recipient.name,
                "piiControllerId": str(recipient.public_id),
                "onBehalf": False,
                "contact": recipient.contact_email or recipient.name,
                "email": recipient.contact_email,
                "phone": recipient.contact_phone,
                "piiControllerUrl": recipient.website,
            }
        ],
        "policyUrl": settings.BASE_URL + reverse("portal:privacy"),
        "services": [
            {
                "service": purpose.name,
                "purposes": [
                    {
                        "purpose": purpose.code,
                        "purposeDescription": purpose.description,
                        "consentType": "EXPLICIT",
                        "legalBasis": LegalBasis.CONSENT.value,
                        "specialCondition": (
                            SpecialCondition.EXPLICIT_CONSENT.value if special else None
                        ),
                        "piiCategory": [c.name for c in categories],
                        "piiCategoryCodes": [c.code for c in categories],
                        "primaryPurpose": True,
                        "termination": _time(consent.expires_at),
                        "thirdPartyDisclosure": False,
                    }
                ],
            }
        ],
        "sensitive": bool(special),
        "spiCat": [c.name for c in special],
        "expiresAt": _time(consent.expires_at),
        "withdrawnAt": _time(consent.withdrawn_at),
        "publicKey": b64(bytes(signer.public_key)),
        "keyId": signer.key_id,
    }


def receipt_key_id(receipt: dict) -> str:
    """Return the id of the key a receipt names ("" when it names none that parses)."""
    kid = receipt.get("keyId") if isinstance(receipt, dict) else None
    if isinstance(kid, str) and kid:
        return kid
    try:  # receipts from before key ids: the id follows from the public key
        return public_key_id(base64.b64decode(receipt["publicKey"], validate=True))
    except (KeyError, TypeError, ValueError, binascii.Error):
        return ""


def receipt_public_key_b64(receipt: dict) -> str:
    """Return the published public key (base64) of the key that signed this receipt."""
    public = keys.public_key_of(receipt_key_id(receipt))
    return b64(public) if public else ""


def receipt_sign(receipt: dict) -> str:
    """Return the signature, base64, by the key the receipt names (see `receipt_build`)."""
    return base64.b64encode(
        keys.sign_with(receipt["keyId"], canonical_json(receipt)).signature
    ).decode("ascii")


def consent_receipt_verify(receipt: dict, signature: str) -> bool:
    """Return whether the signature is the platform's over exactly this receipt.

    The key is the one the platform published under the id the receipt names; a receipt
    whose `publicKey` is not that key's does not verify.
    """
    try:
        raw = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError, TypeError):
        return False
    try:
        message = canonical_json(receipt)
    except (TypeError, ValueError):
        return False
    public = keys.public_key_of(receipt_key_id(receipt))
    if public is None or receipt.get("publicKey") != b64(public):
        return False
    return signature_valid(public, raw, message)
