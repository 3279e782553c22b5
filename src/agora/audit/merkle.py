"""RFC 6962 / RFC 9162 Merkle tree hashing and proofs: pure functions, no Django.

Hashes are SHA-256 over a one-byte domain prefix: `leaf_hash(data) = SHA256(0x00 || data)`,
`node_hash(left, right) = SHA256(0x01 || left || right)`; the empty tree's root is
`SHA256("")`.

The log stores the hash of every *perfect* subtree as it completes: `node(level, index)`
covers leaves `[index * 2**level, (index + 1) * 2**level)`. Any range the RFC's
recursive definitions ask about is aligned, so its hash is the right fold of at most
log2(n) such nodes (`perfect_nodes`, `fold`). Proof generation is therefore split in
two: `inclusion_ranges` / `consistency_ranges` say which ranges the proof is made of,
and whoever holds the nodes (the database, or `reference_*` in memory) hashes them.

The verifiers follow RFC 9162 §2.1.3.2 and §2.1.4.2 and pass every known-answer vector
of transparency-dev/merkle shipped in tests/audit/vectors/rfc6962/.
"""

import hashlib
from collections.abc import Callable, Iterable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
LEVEL_BITS = 6  # a node's key keeps its level in the low 6 bits (levels 0..63)


def leaf_hash(data: bytes) -> bytes:
    """Return the RFC 6962 hash of one leaf: SHA256(0x00 || data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return the RFC 6962 hash of an inner node: SHA256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def largest_power_of_two_below(n: int) -> int:
    """Return the largest power of two k with k < n (n >= 2), the RFC's split point."""
    return 1 << ((n - 1).bit_length() - 1)


# --- stored perfect subtrees --------------------------------------------------------


def node_key(level: int, index: int) -> int:
    """Return the storage key of node(level, index): its last leaf, then its level.

    Ordering nodes by key is the order in which appends create them (leaf i, then each
    parent that leaf i completes), so verification can stream them beside the entries.
    """
    last_leaf = ((index + 1) << level) - 1
    return (last_leaf << LEVEL_BITS) | level


def node_from_key(key: int) -> tuple[int, int]:
    """Return (level, index) of the node stored under `key`."""
    level = key & ((1 << LEVEL_BITS) - 1)
    last_leaf = key >> LEVEL_BITS
    return level, ((last_leaf + 1) >> level) - 1


def completed_nodes(leaf_index: int) -> list[tuple[int, int]]:
    """Return the nodes (level, index) that appending leaf `leaf_index` completes, in order."""
    nodes = [(0, leaf_index)]
    level, index = 0, leaf_index
    while index & 1:
        level, index = level + 1, index >> 1
        nodes.append((level, index))
    return nodes


def perfect_nodes(start: int, end: int) -> list[tuple[int, int]]:
    """Return the perfect subtrees (level, index) that make up leaves [start, end), left first.

    `start` must be aligned as in every range the RFC definitions produce: a multiple of
    the largest power of two not above `end - start`.
    """
    nodes = []
    position, size = start, end - start
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            if position % (1 << level):
                raise ValueError(f"range [{start}, {end}) is not aligned")
            nodes.append((level, position >> level))
            position += 1 << level
    return nodes


def fold(hashes: Sequence[bytes]) -> bytes:
    """Return the root over perfect subtree hashes listed left first (a right fold)."""
    if not hashes:
        return EMPTY_ROOT
    root = hashes[-1]
    for left in reversed(hashes[:-1]):
        root = node_hash(left, root)
    return root


def inclusion_ranges(leaf_index: int, tree_size: int) -> list[tuple[int, int]]:
    """Return the leaf ranges whose hashes form the inclusion proof, leaf end first.

    RFC 6962 §2.1.1: PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) when m < k, else
    PATH(m - k, D[k:n]) : MTH(D[0:k]).
    """
    if not 0 <= leaf_index < tree_size:
        raise ValueError("leaf index outside the tree")
    ranges = []
    start, end = 0, tree_size
    while end - start > 1:
        k = largest_power_of_two_below(end - start)
        if leaf_index < start + k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    return ranges[::-1]


def consistency_ranges(first: int, second: int) -> list[tuple[int, int]]:
    """Return the leaf ranges whose hashes form the consistency proof first -> second.

    RFC 6962 §2.1.2 SUBPROOF, for 0 < first <= second (the proof is empty when equal).
    """
    if not 0 < first <= second:
        raise ValueError("a consistency proof needs 0 < first <= second")
    ranges = []
    start, end, m, complete = 0, second, first, True
    while m != end - start:
        k = largest_power_of_two_below(end - start)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            m -= k
            start += k
            complete = False
    if not complete:
        ranges.append((start, end))
    return ranges[::-1]


def ranges_nodes(ranges: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """Return every stored node needed to hash the given ranges (one fetch serves them all)."""
    return {node for start, end in ranges for node in perfect_nodes(start, end)}


def hash_ranges(
    ranges: Iterable[tuple[int, int]], node: Callable[[int, int], bytes]
) -> list[bytes]:
    """Return each range's tree hash, built from perfect-subtree hashes `node(level, index)`."""
    return [fold([node(*n) for n in perfect_nodes(start, end)]) for start, end in ranges]


# --- reference implementation in memory (for tests and clients) -----------------------


def root_from_leaves(leaf_hashes: Sequence[bytes]) -> bytes:
    """Return MTH over the given leaf hashes, straight from RFC 6962's recursive definition."""
    n = len(leaf_hashes)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaf_hashes[0]
    k = largest_power_of_two_below(n)
    return node_hash(root_from_leaves(leaf_hashes[:k]), root_from_leaves(leaf_hashes[k:]))


def reference_inclusion_proof(leaf_index: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """Return the inclusion proof of one leaf, computed from all leaf hashes in memory."""
    ranges = inclusion_ranges(leaf_index, len(leaf_hashes))
    return [root_from_leaves(leaf_hashes[s:e]) for s, e in ranges]


def reference_consistency_proof(first: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """Return the consistency proof from the first `first` leaves to all of them."""
    ranges = consistency_ranges(first, len(leaf_hashes))
    return [root_from_leaves(leaf_hashes[s:e]) for s, e in ranges]


# --- verification (RFC 9162 §2.1.3.2 and §2.1.4.2) ----------------------------------


def _hashes_ok(*hashes: bytes) -> bool:
    return all(isinstance(h, bytes | bytearray) and len(h) == HASH_SIZE for h in hashes)


def root_from_inclusion_proof(
    leaf_index: int, tree_size: int, leaf: bytes, proof: Sequence[bytes]
) -> bytes | None:
    """Return the root an inclusion proof leads to, or None when the proof is malformed."""
    if not 0 <= leaf_index < tree_size or not _hashes_ok(leaf, *proof):
        return None
    fn, sn, r = leaf_index, tree_size - 1, bytes(leaf)
    for p in proof:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return r if sn == 0 else None


def verify_inclusion(
    leaf_index: int, tree_size: int, leaf: bytes, proof: Sequence[bytes] | None, root: bytes
) -> bool:
    """Return whether `proof` shows leaf `leaf_index` with hash `leaf` is in the tree `root`."""
    if not _hashes_ok(root):
        return False
    return root_from_inclusion_proof(leaf_index, tree_size, leaf, proof or []) == root


def verify_consistency(
    size1: int, size2: int, root1: bytes, root2: bytes, proof: Sequence[bytes] | None
) -> bool:
    """Return whether `proof` shows the tree (size2, root2) extends the tree (size1, root1).

    A proof from the empty tree proves nothing and is refused, as is any size1 > size2.
    Equal sizes need an empty proof and equal roots.
    """
    proof = list(proof or [])
    if not 0 < size1 <= size2:
        return False
    if size1 == size2:
        return not proof and root1 == root2
    if not proof or not _hashes_ok(root1, root2, *proof):
        return False
    if size1 & (size1 - 1) == 0:  # size1 is a power of two: its root starts the path
        proof = [bytes(root1), *proof]
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == root1 and sr == root2
