"""The transparency log's public API: the signed tree head and proofs.

Like a Certificate Transparency log these hold only hashes, so they need no token:
anyone holding an entry (a resident, an auditor) can check it against a signed head.
"""

import base64

from django.http import HttpRequest
from ninja import Query, Router

from agora.audit import selectors, services
from agora.audit.canonical import format_time
from agora.audit.schemas import (
    ConsistencyIn,
    ConsistencyOut,
    InclusionIn,
    InclusionOut,
    PublicKeyOut,
    TreeHeadOut,
)
from agora.core.platform_key import platform_public_key_b64
from agora.core.problems import problems

router = Router(tags=["transparency log"])
ALGORITHM = "Ed25519"


@router.get(
    "/tree-head", response=TreeHeadOut, summary="Latest signed tree head",
    url_name="audit-tree-head",
)
def tree_head(request: HttpRequest) -> TreeHeadOut:
    """Return the latest tree head signed by the platform key (signing the current size
    first if the log has grown since)."""
    head = services.tree_head_latest()
    return TreeHeadOut(
        tree_size=head.size,
        root_hash=bytes(head.root_hash).hex(),
        timestamp=format_time(head.signed_at),
        signature=base64.b64encode(bytes(head.signature)).decode(),
        public_key=platform_public_key_b64(),
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


@router.get("/public-key", response=PublicKeyOut, summary="Platform public key")
def public_key(request: HttpRequest) -> PublicKeyOut:
    """Return the platform's Ed25519 public key, which signs tree heads."""
    return PublicKeyOut(algorithm=ALGORITHM, public_key=platform_public_key_b64())
