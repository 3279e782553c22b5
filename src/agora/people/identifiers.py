"""National identifiers are stored only as a keyed hash, so a database leak doesn't leak them.

The key comes from AGORA_NATIONAL_ID_KEY, or is derived from the secret key when that
is unset. Changing the key makes every stored hash unreachable, so set it once.
"""

import hashlib
import hmac

from django.conf import settings


def _key() -> bytes:
    explicit = settings.NATIONAL_ID_KEY
    if explicit:
        return explicit.encode()
    return hashlib.sha256(b"agora-national-id:" + settings.SECRET_KEY.encode()).digest()


def national_id_normalise(value: str) -> str:
    """Drop spaces, dots and dashes and fold case, so "123.456.789" matches "123456789"."""
    return "".join(ch for ch in value if ch.isalnum()).upper()


def national_id_hash(value: str) -> str:
    """Return the hex HMAC-SHA256 of the normalised identifier."""
    normalised = national_id_normalise(value)
    if not normalised:
        raise ValueError("A national identifier needs at least one letter or digit.")
    return hmac.new(_key(), normalised.encode(), hashlib.sha256).hexdigest()
