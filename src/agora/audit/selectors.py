"""Reads of the transparency log: its size, roots and proofs, from the stored nodes only.

Nothing here rehashes the log: a root is the fold of at most log2(n) stored perfect-subtree
hashes, and each proof fetches every node it needs in one query. The tree head and
proofs hold only hashes, so they are public, like a Certificate Transparency log.

The size and the nodes are read with plain SQL: a proof is two short queries, and building
them through the ORM took longer than running them (docs/benchmarks.md).
"""

from dataclasses import dataclass

from django.db import connection

from agora.audit import merkle
from agora.audit.exceptions import BadProofRequest, LogCorrupted, TreeSizeOutOfRange
from agora.audit.models import LogNode, LogState

Node = tuple[int, int]  # (level, index)
_NODE = LogNode._meta.db_table
_STATE = LogState._meta.db_table


def log_size() -> int:
    """Return how many entries the log holds."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT size FROM {_STATE} WHERE id = 1")  # noqa: S608 (model's table)
        row = cursor.fetchone()
    return row[0] if row else 0


def _nodes_query(count: int) -> str:
    if connection.vendor == "postgresql":  # one statement text for any count: prepared once
        return f"SELECT key, hash FROM {_NODE} WHERE key = ANY(%s::bigint[])"  # noqa: S608
    return f"SELECT key, hash FROM {_NODE} WHERE key IN ({', '.join(['%s'] * count)})"  # noqa: S608


def nodes_fetch(nodes: list[Node] | set[Node]) -> dict[Node, bytes]:
    """Return the stored hashes of these nodes, in one query; refuse if any is missing."""
    keys = {merkle.node_key(*node): node for node in nodes}
    if not keys:
        return {}
    wanted = list(keys)
    with connection.cursor() as cursor:
        cursor.execute(
            _nodes_query(len(wanted)), [wanted] if connection.vendor == "postgresql" else wanted
        )
        found = {keys[key]: bytes(digest) for key, digest in cursor.fetchall()}
    if len(found) != len(keys):
        missing = sorted(set(keys.values()) - set(found))
        raise LogCorrupted(f"Stored tree nodes are missing, e.g. level/index {missing[0]}.")
    return found


def tree_root(size: int) -> bytes:
    """Return the RFC 6962 root hash of the first `size` entries."""
    nodes = merkle.perfect_nodes(0, size)
    known = nodes_fetch(nodes)
    return merkle.fold([known[node] for node in nodes])


def _check_tree_size(tree_size: int) -> None:
    size = log_size()
    if not 0 < tree_size <= size:
        raise TreeSizeOutOfRange(
            f"Ask for a tree size from 1 to {size}, the log's current size."
            if size else "The log is empty: there is nothing to prove yet."
        )


@dataclass(frozen=True)
class InclusionProof:
    leaf_index: int
    tree_size: int
    leaf_hash: bytes
    proof: list[bytes]


def inclusion_proof(*, seq: int, tree_size: int) -> InclusionProof:
    """Return the proof that entry `seq` is in the tree of the first `tree_size` entries."""
    _check_tree_size(tree_size)
    if not 0 <= seq < tree_size:
        raise TreeSizeOutOfRange(f"Entry {seq} is not in a tree of {tree_size} entries.")
    ranges = merkle.inclusion_ranges(seq, tree_size)
    known = nodes_fetch(merkle.ranges_nodes(ranges) | {(0, seq)})
    return InclusionProof(
        leaf_index=seq,
        tree_size=tree_size,
        leaf_hash=known[(0, seq)],
        proof=merkle.hash_ranges(ranges, lambda level, index: known[(level, index)]),
    )


def consistency_proof(*, first: int, second: int) -> list[bytes]:
    """Return the proof that the tree of `second` entries extends the tree of `first`."""
    if not 0 < first <= second:
        raise BadProofRequest(
            f"Ask for 0 < first <= second; got first={first}, second={second}."
        )
    _check_tree_size(second)
    ranges = merkle.consistency_ranges(first, second)
    known = nodes_fetch(merkle.ranges_nodes(ranges))
    return merkle.hash_ranges(ranges, lambda level, index: known[(level, index)])
