"""The transparency log's public API: the signed tree head and proofs.

Like a Certificate Transparency log these hold only hashes, so they need no token:
anyone holding an entry (a resident, an auditor) can check it against a signed head.
"""

import base64

from django.http import HttpRequest
from ninja import Query, Router

from agora.audit import keys, selectors, services
from agora.audit.canonical import format_time
from agora.audit.schemas import (
    ConsistencyIn,
    ConsistencyOut,
    InclusionIn,
    InclusionOut,
    PublicKeyOut,
    PublicKeysOut,
    PublishedKeyOut,
    TreeHeadOut,
)
from agora.core.platform_key import ALGORITHM
from agora.core.problems import problems

router = Router(tags=["transparency log"])


def _b64(raw: bytes) -> str:
    return base64.b64encode(bytes(raw)).decode()


@router.get(
    "/tree-head", response=TreeHeadOut, summary="Latest signed tree head",
    openapi_extra=problems(404), url_name="audit-tree-head",
)
def tree_head(request: HttpRequest) -> TreeHeadOut:
    """Return the latest signed tree head, with the id and public half of the key that
    signed it. Heads are signed on a cadence, never on request: entries newer than it
    wait for the next one."""
    head = services.tree_head_latest()
    return TreeHeadOut(
        tree_size=head.size,
        root_hash=bytes(head.root_hash).hex(),
        timestamp=format_time(head.signed_at),
        signature=_b64(head.signature),
        key_id=head.key_id,
        public_key=_b64(keys.public_key_of(head.key_id) or b""),
        algorithm=ALGORITHM,
    )


@router.get(
    "/proofs/inclusion", response=InclusionOut, summary="Inclusion proof",
    openapi_extra=problems(404), url_name="audit-proof-inclusion",
)
def proof_inclusion(request: HttpRequest, query: Query[InclusionIn]) -> InclusionOut:
    """Return the proof that entry `seq` is in the tree of the first `tree_size` entries."""
    proof = selectors.inclusion_proof(seq=query.seq, tree_size=query.tree_size)
    return InclusionOut(
        leaf_index=proof.leaf_index,
        tree_size=proof.tree_size,
        leaf_hash=proof.leaf_hash.hex(),
        proof=[digest.hex() for digest in proof.proof],
    )


@router.get(
    "/proofs/consistency", response=ConsistencyOut, summary="Consistency proof",
    openapi_extra=problems(404),
)
def proof_consistency(request: HttpRequest, query: Query[ConsistencyIn]) -> ConsistencyOut:
    """Return the proof that the tree of `second` entries extends the tree of `first`."""
    proof = selectors.consistency_proof(first=query.first, second=query.second)
    return ConsistencyOut(
        first=query.first, second=query.second, proof=[digest.hex() for digest in proof]
    )


@router.get("/public-key", response=PublicKeyOut, summary="Current platform public key")
def public_key(request: HttpRequest) -> PublicKeyOut:
    """Return the platform's current Ed25519 public key and its id (older keys, which
    signed older heads and receipts, are under `public-keys`)."""
    current = keys.signing_key_current()
    return PublicKeyOut(
        algorithm=ALGORITHM, public_key=_b64(current.public_key), key_id=current.key_id
    )


@router.get(
    "/public-keys", response=PublicKeysOut, summary="Every platform public key",
    url_name="audit-public-keys",
)
def public_keys(request: HttpRequest) -> PublicKeysOut:
    """Return every key the platform has signed with, with when each was in use, so that
    anything signed before a rotation still verifies."""
    return PublicKeysOut(keys=[
        PublishedKeyOut(
            key_id=key.key_id, algorithm=ALGORITHM, public_key=_b64(key.public_key),
            valid_from=format_time(key.valid_from),
            valid_until=format_time(key.valid_until) if key.valid_until else None,
        )
        for key in keys.keys_published()
    ])
