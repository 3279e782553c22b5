"""The platform's own Ed25519 key: it signs transparency-log tree heads and consent receipts.

The private key comes from AGORA_PLATFORM_KEY (PEM text) or the file named by
AGORA_PLATFORM_KEY_FILE. When neither holds a key, one is made on first use and written
to that file with mode 0600; of several processes racing to do so, exactly one wins
(O_EXCL) and the others read its key.
"""

import base64
import os
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _load_pem(pem: bytes, source: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except ValueError as error:
        raise ImproperlyConfigured(f"{source} does not hold a PEM private key.") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{source} must hold an Ed25519 private key.")
    return key


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process made it first; use theirs
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)


@cache
def platform_private_key() -> Ed25519PrivateKey:
    """Return the platform's signing key, creating the key file on first use."""
    pem = os.environ.get("AGORA_PLATFORM_KEY", "")
    if pem:
        return _load_pem(pem.encode(), "AGORA_PLATFORM_KEY")
    path = Path(settings.PLATFORM_KEY_FILE)
    if not path.exists():
        _create_key_file(path)
    return _load_pem(path.read_bytes(), str(path))


def platform_public_key() -> Ed25519PublicKey:
    return platform_private_key().public_key()


def platform_public_key_b64() -> str:
    """Return the raw 32-byte public key, base64: what a verifier needs to check signatures."""
    raw = platform_public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return base64.b64encode(raw).decode()


def platform_sign(message: bytes) -> bytes:
    return platform_private_key().sign(message)


def platform_verify(signature: bytes, message: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        platform_public_key().verify(signature, message)
    except InvalidSignature:
        return False
    return True
