"""Witness another Agora's transparency log (or this one's) through its public API alone.

`witness_check(url=...)` fetches the site's published keys and its latest signed tree
head, checks the signature with the key the head names, and checks the head against the
last head this witness accepted from that site: a smaller size is a rollback, another
root at a size already seen is a fork, and a larger size must come with a consistency
proof (RFC 6962) from the last accepted head. What it accepts is stored (`WitnessedHead`,
`WitnessedKey`); anything wrong raises and stores nothing.

Keys: on the first look the witness trusts every key the site publishes (trust on first
use). Later it accepts a key it has not seen when the site publishes it (that is how a
rotation reaches witnesses), but a key it knows must still be published, unchanged: a key
that vanishes or changes is an alarm. A new key cannot rewrite history either way, since
every head it signs must still extend the heads already accepted.
"""

import base64
import binascii
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from pydantic import BaseModel, ConfigDict, ValidationError

from agora.audit import merkle
from agora.audit.canonical import HEAD_PREFIX
from agora.audit.exceptions import WitnessAlarm, WitnessCannotCheck
from agora.audit.models import WitnessedHead, WitnessedKey
from agora.core.exceptions import InvalidInput
from agora.core.platform_key import public_key_id, signature_valid

API = "/api/v1/audit"
TIMEOUT = 15  # seconds per request
MAX_BODY = 1_048_576  # a head, a key list or a proof is a few kilobytes
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class _Head(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    tree_size: int
    root_hash: str
    timestamp: str
    signature: str
    key_id: str


class _Key(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    key_id: str
    public_key: str


class _Keys(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    keys: list[_Key]


class _Consistency(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    proof: list[str]


def origin_of(url: str) -> str:
    """Return the site's base URL (scheme, host, path before /api/v1/audit), or refuse."""
    parsed = urllib.parse.urlsplit(url.strip())
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise InvalidInput(f"“{url}” is not an http(s) URL of an Agora site.")
    path = parsed.path.rstrip("/")
    if path.endswith(API):
        path = path[: -len(API)]
    return urllib.parse.urlunsplit((parsed.scheme, parsed.netloc, path, "", ""))


def _fetch(url: str) -> object:
    """GET a JSON document (the standard library is enough for three small GETs)."""
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked: http or https)
        url, headers={"Accept": "application/json", "User-Agent": "agora-witness"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            body = response.read(MAX_BODY + 1)
    except urllib.error.HTTPError as error:
        raise WitnessCannotCheck(f"{url} answered HTTP {error.code} {error.reason}.") from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise WitnessCannotCheck(f"Could not reach {url}: {reason}.") from error
    if len(body) > MAX_BODY:
        raise WitnessCannotCheck(f"{url} answered more than {MAX_BODY} bytes.")
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise WitnessCannotCheck(f"{url} did not answer JSON.") from error


def _parse(model: type[BaseModel], document: object, url: str, what: str):
    try:
        return model.model_validate(document)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the document"
        raise WitnessCannotCheck(
            f"{url} did not answer {what}: {where}: {first['msg']}."
        ) from error


def _b64(value: str, size: int, url: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as error:
        raise WitnessCannotCheck(f"{url} answered {what} that is not base64.") from error
    if len(raw) != size:
        raise WitnessCannotCheck(f"{url} answered {what} of {len(raw)} bytes, not {size}.")
    return raw


def _hex(value: str, url: str, what: str) -> bytes:
    if not _HEX64.match(value):
        raise WitnessCannotCheck(f"{url} answered {what} that is not 64 lowercase hex digits.")
    return bytes.fromhex(value)


@dataclass(frozen=True)
class WitnessResult:
    origin: str
    size: int
    root_hash: bytes
    key_id: str
    previous_size: int | None  # None on the first look at this site
    new_keys: list[str]

    @property
    def grew(self) -> bool:
        return self.previous_size is not None and self.size > self.previous_size


def _published_keys(origin: str, fetch) -> dict[str, bytes]:
    url = f"{origin}{API}/public-keys"
    document = _parse(_Keys, fetch(url), url, "a list of public keys")
    published = {}
    for key in document.keys:
        raw = _b64(key.public_key, 32, url, f"the public key {key.key_id}")
        try:
            derived = public_key_id(raw)
        except ValueError as error:
            raise WitnessCannotCheck(f"{url} published an invalid key {key.key_id}.") from error
        if derived != key.key_id:
            raise WitnessAlarm(f"{url} publishes key {key.key_id} whose thumbprint is {derived}.")
        published[key.key_id] = raw
    return published


def witness_check(*, url: str, fetch=_fetch, now: datetime | None = None) -> WitnessResult:
    """Check the site's latest signed head against what this witness saw; store it if good.

    Raises `WitnessAlarm` when the log misbehaved (fork, rollback, bad signature, a known
    key gone or changed) and `WitnessCannotCheck` when the site is down or answers
    something else; either way nothing is stored.
    """
    origin = origin_of(url)
    now = now or timezone.now()
    published = _published_keys(origin, fetch)
    head_url = f"{origin}{API}/tree-head"
    head = _parse(_Head, fetch(head_url), head_url, "a signed tree head")
    if head.tree_size < 0:
        raise WitnessCannotCheck(f"{head_url} answered a negative tree size.")
    root = _hex(head.root_hash, head_url, "a root hash")
    signature = _b64(head.signature, 64, head_url, "a signature")

    known = dict(WitnessedKey.objects.filter(origin=origin).values_list("key_id", "public_key"))
    for kid, public in known.items():
        if kid not in published:
            raise WitnessAlarm(f"{origin} no longer publishes its key {kid}.")
        if published[kid] != bytes(public):
            raise WitnessAlarm(f"{origin} changed the public key published as {kid}.")
    if head.key_id not in published:
        raise WitnessAlarm(
            f"The tree head of {origin} at size {head.tree_size} names key {head.key_id}, "
            "which the site does not publish."
        )
    message = HEAD_PREFIX + f"{head.tree_size}\n{head.root_hash}\n{head.timestamp}".encode()
    if not signature_valid(published[head.key_id], signature, message):
        raise WitnessAlarm(
            f"The signature of the tree head of {origin} at size {head.tree_size} does not "
            f"verify with its key {head.key_id}."
        )

    heads = WitnessedHead.objects.filter(origin=origin)
    same_size = heads.filter(size=head.tree_size).first()
    if same_size is not None and bytes(same_size.root_hash) != root:
        raise WitnessAlarm(
            f"Fork: {origin} signed a different root at size {head.tree_size} than the "
            f"{bytes(same_size.root_hash).hex()} this witness accepted on "
            f"{same_size.first_seen_at:%Y-%m-%d %H:%M} UTC."
        )
    last = heads.order_by("-size").first()
    if last is not None and head.tree_size < last.size:
        raise WitnessAlarm(
            f"Rollback: {origin} now signs a tree of {head.tree_size} entries, smaller than "
            f"the {last.size} this witness accepted on {last.first_seen_at:%Y-%m-%d %H:%M} UTC."
        )
    if last is not None and head.tree_size > last.size > 0:
        proof_url = (f"{origin}{API}/proofs/consistency?first={last.size}"
                     f"&second={head.tree_size}")
        body = _parse(_Consistency, fetch(proof_url), proof_url, "a consistency proof")
        proof = [_hex(item, proof_url, "a proof hash") for item in body.proof]
        if not merkle.verify_consistency(
            last.size, head.tree_size, bytes(last.root_hash), root, proof
        ):
            raise WitnessAlarm(
                f"Fork: the tree head of {origin} at size {head.tree_size} does not extend "
                f"the head at size {last.size} this witness accepted (the consistency proof "
                "fails)."
            )

    new_keys = sorted(set(published) - set(known))
    with transaction.atomic():
        WitnessedKey.objects.bulk_create([
            WitnessedKey(origin=origin, key_id=kid, public_key=published[kid],
                         first_seen_at=now)
            for kid in new_keys
        ])
        if same_size is not None:
            WitnessedHead.objects.filter(pk=same_size.pk).update(checked_at=now)
        else:
            WitnessedHead.objects.create(
                origin=origin, size=head.tree_size, root_hash=root, signed_at=head.timestamp,
                key_id=head.key_id, signature=signature, first_seen_at=now, checked_at=now,
            )
    return WitnessResult(
        origin=origin, size=head.tree_size, root_hash=root, key_id=head.key_id,
        previous_size=None if last is None else last.size, new_keys=new_keys,
    )
