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

from django.conf import settings

LEAF_VERSION = 1
HASHED_FIELDS = (
    "seq", "created_at", "actor_kind", "actor_id", "actor_label", "organization",
    "on_behalf_of", "purpose", "legal_basis", "action", "subject_pseudonym",
    "resource_type", "resource_id", "decision", "reason",
)


def format_time(moment: datetime) -> str:
    """Return a timestamp as the log writes it: ISO 8601 UTC, microseconds, `Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def leaf_data(fields: dict) -> bytes:
    """Return the canonical bytes of one entry (a dict holding every HASHED_FIELDS name)."""
    document = {name: fields[name] for name in HASHED_FIELDS}
    document["created_at"] = format_time(document["created_at"])
    document["v"] = LEAF_VERSION
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


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
    return hmac.new(_pseudonym_key(), subject.encode(), hashlib.sha256).hexdigest()


HEAD_PREFIX = b"agora-tree-head:v1\n"


def head_message(size: int, root_hash: bytes, signed_at: datetime) -> bytes:
    """Return the bytes a tree head's signature covers.

    `agora-tree-head:v1\n<size>\n<root hash, lowercase hex>\n<signed_at>` in UTF-8, with
    `signed_at` written as `format_time` does; no trailing newline.
    """
    return HEAD_PREFIX + f"{size}\n{root_hash.hex()}\n{format_time(signed_at)}".encode()
