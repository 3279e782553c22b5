"""Consent receipts: what the person was told, signed by the platform so they can prove it.

The fields follow the Kantara Initiative Consent Receipt Specification v1.1 and the
consent record of ISO/IEC TS 27560 (controller, purposes, categories, legal basis,
given / expires / withdrawn times, version). `version` is the receipt's own version:
1 when consent is given, one more each time it changes (withdrawal). The receipt is
signed over its canonical JSON (keys sorted, no whitespace, UTF-8) with the platform's
Ed25519 key; the signature is stored beside it in base64.
"""

import base64
import binascii
import json
from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse

from agora.access.models import Consent, LegalBasis, SpecialCondition
from agora.core.platform_key import platform_public_key_b64, platform_sign, platform_verify

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
    """Return the receipt describing the consent as it stands now."""
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
        "publicKey": platform_public_key_b64(),
    }


def receipt_sign(receipt: dict) -> str:
    """Return the platform's signature of the receipt, base64."""
    return base64.b64encode(platform_sign(canonical_json(receipt))).decode("ascii")


def consent_receipt_verify(receipt: dict, signature: str) -> bool:
    """Return whether the signature is the platform's over exactly this receipt."""
    try:
        raw = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError, TypeError):
        return False
    try:
        message = canonical_json(receipt)
    except (TypeError, ValueError):
        return False
    return platform_verify(raw, message)
