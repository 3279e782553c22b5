"""Check the whole log from its entries: leaf hashes, stored nodes, signed tree heads.

`log_verify` streams the entries in `seq` order beside the stored nodes in key order
(which is the order appends create them), recomputes every leaf hash from the stored
fields, rebuilds each perfect subtree with an O(log n) stack of hashes, and checks each
signed head's root and signature when the replay reaches its size. It stops at the first
problem and says where it is.

It checks the log as it was when verification started: entries appended meanwhile are
left for the next run.
"""

from collections.abc import Callable
from dataclasses import dataclass

from agora.audit import merkle
from agora.audit.canonical import HASHED_FIELDS, head_message, leaf_values
from agora.audit.models import LogEntry, LogNode, LogState, SigningKey, TreeHead
from agora.core.platform_key import signature_valid

CHUNK = 10_000


@dataclass(frozen=True)
class VerifyProblem:
    kind: str  # gap, edited, reordered, bad-node, bad-head-signature, head-root-mismatch
    seq: int | None
    detail: str


@dataclass
class VerifyReport:
    size: int = 0
    entries: int = 0
    nodes: int = 0
    heads: int = 0
    root: bytes = merkle.EMPTY_ROOT
    problem: VerifyProblem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


class _Failed(Exception):
    def __init__(self, kind: str, seq: int | None, detail: str):
        self.problem = VerifyProblem(kind, seq, detail)


def _describe(level: int, index: int) -> str:
    start, end = index << level, (index + 1) << level
    return f"node at level {level}, index {index} (entries {start} to {end - 1})"


class _Replay:
    """Rebuild the tree leaf by leaf and compare each node with the stored one."""

    def __init__(self, stored_nodes, report: VerifyReport):
        self.stored = stored_nodes
        self.report = report
        self.stack: list[tuple[int, bytes]] = []  # the perfect subtrees of [0, n), left first

    def _check_node(self, seq: int, level: int, index: int, digest: bytes) -> None:
        want = merkle.node_key(level, index)
        found = next(self.stored, None)
        if found is None or found[0] != want:
            if found is not None and found[0] < want:
                got_level, got_index = merkle.node_from_key(found[0])
                raise _Failed("bad-node", seq, f"An extra {_describe(got_level, got_index)} "
                              "is stored.")
            raise _Failed("bad-node", seq, f"The stored {_describe(level, index)} is missing.")
        self.report.nodes += 1
        if bytes(found[1]) != digest:
            raise _Failed("bad-node", seq, f"The stored {_describe(level, index)} has the "
                          "wrong hash.")

    def add_leaf(self, seq: int, leaf: bytes) -> None:
        level, current = 0, leaf
        self._check_node(seq, 0, seq, current)
        index = seq
        while self.stack and self.stack[-1][0] == level:
            _, left = self.stack.pop()
            level, index = level + 1, index >> 1
            current = merkle.node_hash(left, current)
            self._check_node(seq, level, index, current)
        self.stack.append((level, current))

    def root(self) -> bytes:
        return merkle.fold([digest for _, digest in self.stack])


def _check_head(head, root: bytes, seq: int | None, ring: dict[str, bytes]) -> None:
    size, root_hash, signed_at, signature, kid = head
    root_hash, signature = bytes(root_hash), bytes(signature)
    public = ring.get(kid)
    if public is None:
        raise _Failed("bad-head-signature", seq,
                      f"The tree head at size {size} names key “{kid}”, which the platform "
                      "never published.")
    if not signature_valid(public, signature, head_message(size, root_hash, signed_at)):
        raise _Failed("bad-head-signature", seq,
                      f"The signature of the tree head at size {size} does not verify "
                      f"with key {kid}.")
    if root_hash != root:
        raise _Failed("head-root-mismatch", seq,
                      f"The signed tree head at size {size} does not match the entries.")


def _check_entry(seq: int, expected: int, row: tuple, stored_node) -> bytes:
    """Return the recomputed leaf hash of one entry, or raise what is wrong with it."""
    if seq > expected:
        raise _Failed("gap", expected, f"Entry {expected} is missing (the next is {seq}).")
    if seq < expected:
        raise _Failed("gap", seq, f"Entry {seq} appears twice.")
    leaf = merkle.leaf_hash(leaf_values(row[:-1]))  # HASHED_FIELDS, then leaf_hash
    stored_leaf = bytes(row[-1])
    at_position = stored_node is not None and stored_node[0] == merkle.node_key(0, seq)
    if at_position and bytes(stored_node[1]) != stored_leaf:
        raise _Failed("reordered", seq,
                      f"Entry {seq} is not the entry that was logged at this position.")
    if leaf != stored_leaf:
        raise _Failed("edited", seq, f"Entry {seq} was changed after it was logged.")
    return leaf


def log_verify(*, progress: Callable[[int, int], None] | None = None) -> VerifyReport:
    """Recompute the log from its entries and check nodes and signed heads; see the module."""
    heads = list(TreeHead.objects.order_by("size").values_list(
        "size", "root_hash", "signed_at", "signature", "key_id"))
    # Every head is checked with the key it names, so heads signed before a rotation
    # still verify after it.
    ring = {kid: bytes(public) for kid, public in SigningKey.objects.values_list(
        "key_id", "public_key")}
    state = LogState.objects.filter(pk=1).values_list("size", "frontier").first() or (0, b"")
    report = VerifyReport(size=state[0])
    size = report.size
    entries = (
        LogEntry.objects.filter(seq__lt=size).order_by("seq")
        .values_list(*HASHED_FIELDS, "leaf_hash").iterator(chunk_size=CHUNK)
    )
    nodes = iter(
        LogNode.objects.filter(key__lt=size << merkle.LEVEL_BITS).order_by("key")
        .values_list("key", "hash").iterator(chunk_size=CHUNK)
    )
    peek: list = []  # one stored node looked at before it is consumed

    def stored():
        while True:
            item = peek.pop() if peek else next(nodes, None)
            if item is None:
                return
            yield item

    replay = _Replay(stored(), report)
    pending = iter(heads)
    head = next(pending, None)
    try:
        while head is not None and head[0] == 0:
            _check_head(head, merkle.EMPTY_ROOT, None, ring)
            report.heads += 1
            head = next(pending, None)
        expected = 0
        for row in entries:
            seq = row[0]
            following = next(nodes, None)
            if following is not None:
                peek.append(following)
            leaf = _check_entry(seq, expected, row, following)
            replay.add_leaf(seq, leaf)
            expected = seq + 1
            report.entries += 1
            while head is not None and head[0] == expected:
                _check_head(head, replay.root(), seq, ring)
                report.heads += 1
                head = next(pending, None)
            if progress and expected % CHUNK == 0:
                progress(expected, size)
        if expected < size:
            raise _Failed("gap", expected, f"Entries {expected} to {size - 1} are missing.")
        extra = next(replay.stored, None)
        if extra is not None:
            level, index = merkle.node_from_key(extra[0])
            raise _Failed("bad-node", None, f"An extra {_describe(level, index)} is stored.")
        if head is not None:
            raise _Failed("head-root-mismatch", None,
                          f"A signed tree head has size {head[0]}, beyond the log's {size}.")
        frontier = bytes(state[1])
        if frontier and frontier != b"".join(digest for _, digest in replay.stack):
            raise _Failed("bad-node", None, "The log state's cached subtree hashes are wrong.")
    except _Failed as failed:
        report.problem = failed.problem
    else:
        report.root = replay.root()
    if progress:
        progress(report.entries, size)
    return report
