"""The platform's key ring: which key signs now, every public key with when it was in use.

The ring is a table (`SigningKey`), so every web process, worker and verifier reads the
same answer; the private keys stay where the operator keeps them (`core.platform_key`).
Tree heads and consent receipts carry the id of the key that signed them and are checked
against that key's published public half, so everything signed before a rotation still
verifies after it.

Rotating writes the new private key file first (atomically) and then, in one transaction,
ends the current key and starts the new one. A crash between the two leaves an unused
key file and the old key in use: nothing signs with a key the ring does not name.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from agora.audit.exceptions import KeyRotationFailed, PlatformKeyUnavailable
from agora.audit.models import SigningKey, TreeHead
from agora.core import platform_key


@dataclass(frozen=True)
class Signature:
    key_id: str
    signature: bytes


def _ring_start() -> SigningKey:
    """Register the initial key as the ring's first (once, however many processes race)."""
    key = platform_key.initial_private_key()
    kid = platform_key.key_id(key.public_key())
    first_head = TreeHead.objects.order_by("signed_at").values_list("signed_at", flat=True)
    valid_from = first_head.first() or timezone.now()
    try:
        with transaction.atomic():
            return SigningKey.objects.create(
                key_id=kid, public_key=platform_key.public_raw(key.public_key()),
                valid_from=valid_from,
            )
    except IntegrityError:  # another process registered it (or another key) first
        return SigningKey.objects.get(valid_until__isnull=True)


def signing_key_current() -> SigningKey:
    """Return the ring's current key (starting the ring with the initial key if empty)."""
    current = SigningKey.objects.filter(valid_until__isnull=True).first()
    return current or _ring_start()


def sign(message: bytes) -> Signature:
    """Sign with the current key; refuse (fail closed) when this process cannot reach it."""
    current = signing_key_current()
    return sign_with(current.key_id, message)


def sign_with(kid: str, message: bytes) -> Signature:
    """Sign with the named key of the ring, whose private half this process must reach."""
    private = platform_key.private_key(kid)
    if private is None:
        raise PlatformKeyUnavailable(
            f"The platform key {kid} is not available to this process: put its PEM file in "
            "AGORA_PLATFORM_KEY_DIR or its text in AGORA_PLATFORM_KEY."
        )
    return Signature(key_id=kid, signature=private.sign(message))


def public_key_of(kid: str) -> bytes | None:
    """Return the published raw public key with this id, or None if the ring has none."""
    row = SigningKey.objects.filter(key_id=kid).values_list("public_key", flat=True).first()
    return None if row is None else bytes(row)


def verify(kid: str, signature: bytes, message: bytes) -> bool:
    """Return whether the ring's key `kid` signed `message` (False for an unknown key)."""
    public = public_key_of(kid) if kid else None
    return public is not None and platform_key.signature_valid(public, signature, message)


def keys_published() -> list[SigningKey]:
    """Return every key of the ring, oldest first (starting the ring if it is empty)."""
    signing_key_current()
    return list(SigningKey.objects.order_by("valid_from", "id"))


@dataclass(frozen=True)
class Rotation:
    old: SigningKey
    new: SigningKey
    path: str


def key_rotate(*, now: datetime | None = None) -> Rotation:
    """Make a new platform key and make it current; the old one stays published."""
    old = signing_key_current()
    try:
        kid, private, path = platform_key.private_key_create()
    except OSError as error:
        raise KeyRotationFailed(
            f"Could not write the new key file ({error.strerror or error}); nothing changed."
        ) from error
    moment = now or timezone.now()
    try:
        with transaction.atomic():
            ended = SigningKey.objects.filter(pk=old.pk, valid_until__isnull=True).update(
                valid_until=moment
            )
            if ended != 1:
                raise KeyRotationFailed(
                    "Another rotation ended the current key first; this one changed "
                    f"nothing. The unused key file {path} can be removed."
                )
            new = SigningKey.objects.create(
                key_id=kid, public_key=platform_key.public_raw(private.public_key()),
                valid_from=moment,
            )
    except KeyRotationFailed:
        raise
    except Exception as error:  # the database refused: the old key stays current
        raise KeyRotationFailed(
            f"Could not record the new key in the database ({error}); the old key "
            f"{old.key_id} is still in use. The unused key file {path} can be removed."
        ) from error
    old.refresh_from_db()
    return Rotation(old=old, new=new, path=str(path))
