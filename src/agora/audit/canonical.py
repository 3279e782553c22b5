"""The exact bytes the log hashes and signs: leaf data, the subject pseudonym, head messages.

The leaf data is UTF-8 JSON of the fields below, keys sorted, no whitespace
(`separators=(",", ":")`, `ensure_ascii=False`); `created_at` is ISO 8601 UTC with
microseconds and a `Z`. The leaf hash is SHA256(0x00 || data). docs/audit.md shows how
anyone recomputes it.
"""

import hashlib
import hmac
import json
from datetime import UTC, datetime
from functools import cache
from json.encoder import encode_basestring  # json.dumps's own string writer (no ASCII escaping)

from django.conf import settings

LEAF_VERSION = 1
HASHED_FIELDS = (
    "seq", "created_at", "actor_kind", "actor_id", "actor_label", "organization",
    "on_behalf_of", "purpose", "legal_basis", "action", "subject_pseudonym",
    "resource_type", "resource_id", "decision", "reason",
)


def format_time(moment: datetime) -> str:
    """Return a timestamp as the log writes it: ISO 8601 UTC, microseconds, `Z`."""
    moment = moment.astimezone(UTC)
    if moment.year < 1000:  # strftime's %Y does not pad these; isoformat would
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return moment.isoformat(timespec="microseconds")[:26] + "Z"


# The leaf's keys in the order `sort_keys=True` writes them, each with what precedes its
# value: `{"action":`, `,"actor_id":`, ...
_LEAF_KEYS = sorted((*HASHED_FIELDS, "v"))
_LEAF_PREFIXES = [
    ("{" if n == 0 else ",") + encode_basestring(name) + ":" for n, name in enumerate(_LEAF_KEYS)
]
_LEAF_POSITIONS = [(*HASHED_FIELDS, "v").index(name) for name in _LEAF_KEYS]


def leaf_data(fields: dict) -> bytes:
    """Return the canonical bytes of one entry (a dict holding every HASHED_FIELDS name)."""
    return leaf_values([fields[name] for name in HASHED_FIELDS])


def leaf_values(values: list) -> bytes:
    """Return the canonical bytes of one entry from its HASHED_FIELDS values, in that order.

    Every append and every verified entry comes through here, so the common case (string
    and integer values) is written without `json.dumps`'s dictionary, sorting and
    encoder set-up: the keys' order is fixed, and each string is written by the same
    function `json.dumps(..., ensure_ascii=False)` uses, so the bytes are the same
    (tests/audit/test_canonical.py compares the two). Any other value takes `json.dumps`.
    """
    values = [*values, LEAF_VERSION]
    values[1] = format_time(values[1])  # created_at
    parts = []
    for prefix, position in zip(_LEAF_PREFIXES, _LEAF_POSITIONS, strict=True):
        value = values[position]
        if isinstance(value, str):
            parts.append(prefix + encode_basestring(value))
        elif type(value) is int:
            parts.append(prefix + int.__repr__(value))
        else:
            return json.dumps(
                dict(zip((*HASHED_FIELDS, "v"), values, strict=True)),
                sort_keys=True, separators=(",", ":"), ensure_ascii=False,
            ).encode()
    parts.append("}")
    return "".join(parts).encode()


@cache
def _pseudonym_key() -> bytes:
    """Return the key of subject pseudonyms: AGORA_LOG_PSEUDONYM_KEY, or one derived from
    SECRET_KEY. Changing it changes the pseudonym of *new* entries only."""
    explicit = settings.LOG_PSEUDONYM_KEY
    if explicit:
        return explicit.encode()
    purpose = b"agora.audit.subject-pseudonym"
    return hmac.new(settings.SECRET_KEY.encode(), purpose, hashlib.sha256).digest()


def subject_pseudonym(subject: str | None) -> str:
    """Return the keyed pseudonym of a subject id (hex HMAC-SHA256), or "" for no subject."""
    if not subject:
        return ""
    return hmac.digest(_pseudonym_key(), subject.encode(), "sha256").hex()


HEAD_PREFIX = b"agora-tree-head:v1\n"


def head_message(size: int, root_hash: bytes, signed_at: datetime) -> bytes:
    """Return the bytes a tree head's signature covers.

    `agora-tree-head:v1\n<size>\n<root hash, lowercase hex>\n<signed_at>` in UTF-8, with
    `signed_at` written as `format_time` does; no trailing newline.
    """
    return HEAD_PREFIX + f"{size}\n{root_hash.hex()}\n{format_time(signed_at)}".encode()
