"""The private halves of the platform's Ed25519 keys: where they are kept, their ids, signing.

The platform signs transparency-log tree heads and consent receipts. Which key is
*current*, and every public key with its validity, is the audit app's key ring (a table,
so every process and every verifier sees the same); this module only finds the private
keys this process can reach, each named by its key id:

- `AGORA_PLATFORM_KEY`: PEM text of one or more private keys (concatenated);
- `AGORA_PLATFORM_KEY_FILE`: the first key's file (made on first use when the ring is
  empty and no key is reachable);
- `AGORA_PLATFORM_KEY_DIR`: one file per rotated key, `<key id>.pem`, written by
  `agora keys rotate`.

A key id is the key's RFC 7638 JWK thumbprint (base64url SHA-256 of its canonical JWK),
so anyone holding the public key can compute it. New key files are written atomically
(a temporary file, then a hard link that fails if the name exists), readable only by
their owner; of several processes racing to make the first key, exactly one wins.
"""

import base64
import os
import re
import tempfile
import threading
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from joserfc.jwk import OKPKey

ALGORITHM = "Ed25519"
_PEM_BLOCK = re.compile(
    rb"-----BEGIN [A-Z ]*PRIVATE KEY-----.+?-----END [A-Z ]*PRIVATE KEY-----", re.S
)
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{43}$")
_loaded: dict[str, Ed25519PrivateKey] = {}
_lock = threading.Lock()


def key_id(public: Ed25519PublicKey) -> str:
    """Return the key's id: its RFC 7638 JWK thumbprint (43 base64url characters)."""
    return OKPKey.import_key(public).thumbprint()


def public_raw(public: Ed25519PublicKey) -> bytes:
    """Return the raw 32 bytes of a public key: what the ring stores and publishes."""
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_id(raw: bytes) -> str:
    """Return the key id of a raw 32-byte public key (ValueError when it is not one)."""
    return key_id(Ed25519PublicKey.from_public_bytes(raw))


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _load_pem(pem: bytes, source: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(f"{source} does not hold a PEM private key.") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{source} must hold an Ed25519 private key.")
    return key


def _pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _environment_keys() -> list[Ed25519PrivateKey]:
    text = os.environ.get("AGORA_PLATFORM_KEY", "").encode()
    if not text.strip():
        return []
    blocks = _PEM_BLOCK.findall(text) or [text]
    return [_load_pem(block, "AGORA_PLATFORM_KEY") for block in blocks]


def _write_new_file(path: Path, key: Ed25519PrivateKey) -> bool:
    """Write the key to `path` atomically, mode 0600; return False if the name is taken."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".new-key-")
    try:
        with os.fdopen(descriptor, "wb") as handle:  # mkstemp makes it 0600
            handle.write(_pem(key))
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)  # atomic, and fails when another process got there first
        except FileExistsError:
            return False
    finally:
        os.unlink(temporary)
    return True


def _remember(key: Ed25519PrivateKey) -> str:
    kid = key_id(key.public_key())
    with _lock:
        _loaded[kid] = key
    return kid


def initial_private_key(*, create: bool = True) -> Ed25519PrivateKey | None:
    """Return the key an empty ring starts with: AGORA_PLATFORM_KEY's first, else the key
    file, made on first use (unless `create` is false, when None is returned instead)."""
    keys = _environment_keys()
    if keys:
        _remember(keys[0])
        return keys[0]
    path = Path(settings.PLATFORM_KEY_FILE)
    if not path.exists():
        if not create:
            return None
        _write_new_file(path, Ed25519PrivateKey.generate())
    key = _load_pem(path.read_bytes(), str(path))
    _remember(key)
    return key


def private_key(kid: str) -> Ed25519PrivateKey | None:
    """Return the private key with this id if this process can reach it, else None."""
    with _lock:
        if kid in _loaded:
            return _loaded[kid]
    for key in _environment_keys():
        _remember(key)
    path = Path(settings.PLATFORM_KEY_FILE)
    if path.exists():
        _remember(_load_pem(path.read_bytes(), str(path)))
    if _KEY_ID.match(kid):
        rotated = Path(settings.PLATFORM_KEY_DIR) / f"{kid}.pem"
        if rotated.exists():
            key = _load_pem(rotated.read_bytes(), str(rotated))
            if key_id(key.public_key()) != kid:
                raise ImproperlyConfigured(f"{rotated} holds another key than its name says.")
            _remember(key)
    with _lock:
        return _loaded.get(kid)


def private_key_create() -> tuple[str, Ed25519PrivateKey, Path]:
    """Make a new key and write it to the key folder as `<key id>.pem`; return all three.

    The file is complete before it has its name, so a crash leaves either no file or a
    whole one; a key the ring does not name is never used to sign.
    """
    key = Ed25519PrivateKey.generate()
    kid = key_id(key.public_key())
    path = Path(settings.PLATFORM_KEY_DIR) / f"{kid}.pem"
    if not _write_new_file(path, key):  # a fresh random key never collides; fail closed
        raise ImproperlyConfigured(f"{path} exists already.")
    _remember(key)
    return kid, key, path


def forget_loaded_keys() -> None:
    """Drop the keys read so far, so the next use reads them again (tests, after a restore)."""
    with _lock:
        _loaded.clear()


def signature_valid(public: bytes, signature: bytes, message: bytes) -> bool:
    """Return whether `signature` is the Ed25519 signature of `message` by this raw key."""
    try:
        Ed25519PublicKey.from_public_bytes(bytes(public)).verify(bytes(signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True
