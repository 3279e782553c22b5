"""Reads of the transparency log: its size, roots and proofs, from the stored nodes only.

Nothing here rehashes the log: a root is the fold of at most log2(n) stored perfect-subtree
hashes, and each proof fetches every node it needs in one query. The tree head and
proofs hold only hashes, so they are public, like a Certificate Transparency log.

The size and the nodes are read with plain SQL: a proof is one short query (the nodes,
with the log's size beside them), and building it through the ORM took longer than
running it (docs/benchmarks.md).
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


def _nodes_query(count: int, with_size: bool = False) -> str:
    size = f"(SELECT size FROM {_STATE} WHERE id = 1), " if with_size else ""  # noqa: S608
    if connection.vendor == "postgresql":  # one statement text for any count: prepared once
        return f"SELECT {size}key, hash FROM {_NODE} WHERE key = ANY(%s::bigint[])"  # noqa: S608
    return (f"SELECT {size}key, hash FROM {_NODE} "  # noqa: S608
            f"WHERE key IN ({', '.join(['%s'] * count)})")


def _nodes_read(nodes: list[Node] | set[Node], with_size: bool
                ) -> tuple[dict[Node, bytes], bool, int | None]:
    """Return the stored hashes found of these nodes, whether all were, and with
    `with_size` the log's size read in the same statement (else None)."""
    keys = {merkle.node_key(*node): node for node in nodes}
    rows: list = []
    if keys:
        wanted = list(keys)
        with connection.cursor() as cursor:
            cursor.execute(_nodes_query(len(wanted), with_size),
                           [wanted] if connection.vendor == "postgresql" else wanted)
            rows = cursor.fetchall()
    size = None
    if with_size:
        # The size rides on every row; with no row (nothing stored yet) ask for it alone.
        size = rows[0][0] if rows else log_size()
        rows = [row[1:] for row in rows]
    found = {keys[key]: bytes(digest) for key, digest in rows}
    return found, len(found) == len(keys), size


def _complete(nodes: list[Node] | set[Node], found: dict[Node, bytes], complete: bool
              ) -> dict[Node, bytes]:
    if not complete:
        missing = sorted(set(nodes) - set(found))
        raise LogCorrupted(f"Stored tree nodes are missing, e.g. level/index {missing[0]}.")
    return found


def nodes_fetch(nodes: list[Node] | set[Node]) -> dict[Node, bytes]:
    """Return the stored hashes of these nodes, in one query; refuse if any is missing."""
    found, complete, _ = _nodes_read(nodes, with_size=False)
    return _complete(nodes, found, complete)


# The largest tree whose node keys fit a signed 64-bit column; no log grows that far.
_MAX_TREE = 1 << (63 - merkle.LEVEL_BITS)


def _nodes_within(nodes: list[Node] | set[Node], tree_size: int) -> dict[Node, bytes]:
    """Return the nodes of a proof about the first `tree_size` entries, checking in the
    same statement that the log holds that many (a larger tree's nodes do not exist)."""
    if not 0 < tree_size < _MAX_TREE:
        _check_tree_size(tree_size, log_size())
    found, complete, size = _nodes_read(nodes, with_size=True)
    _check_tree_size(tree_size, size)
    return _complete(nodes, found, complete)


def tree_root(size: int) -> bytes:
    """Return the RFC 6962 root hash of the first `size` entries."""
    nodes = merkle.perfect_nodes(0, size)
    known = nodes_fetch(nodes)
    return merkle.fold([known[node] for node in nodes])


def _check_tree_size(tree_size: int, size: int) -> None:
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
    if not 0 <= seq < tree_size:
        raise TreeSizeOutOfRange(f"Entry {seq} is not in a tree of {tree_size} entries.")
    ranges = merkle.inclusion_ranges(seq, tree_size)
    known = _nodes_within(merkle.ranges_nodes(ranges) | {(0, seq)}, tree_size)
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
    ranges = merkle.consistency_ranges(first, second)
    known = _nodes_within(merkle.ranges_nodes(ranges), second)
    return merkle.hash_ranges(ranges, lambda level, index: known[(level, index)])
