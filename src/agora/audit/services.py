"""Writes to the transparency log: append entries, sign tree heads, pseudonymise subjects.

Every append runs inside the caller's transaction, so a change and the entry that records
it commit together or not at all. The sequence stays dense under any number of writer
processes: an append hashes its entries at `seq = size, size + 1, ...` with the Merkle
nodes they complete, and `appends.write` stores them only if the log's state row still
holds that size and frontier, locking it (`appends` says how, per database).
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone

from agora.audit import appends, keys, merkle
from agora.audit.appends import state_locked as _state_locked
from agora.audit.canonical import HASHED_FIELDS, head_message, leaf_values, subject_pseudonym
from agora.audit.exceptions import NoTreeHead
from agora.audit.models import LogEntry, TreeHead
from agora.audit.selectors import nodes_fetch, tree_root
from agora.core.exceptions import InvalidInput

ACTIONS = frozenset(LogEntry.Action.values)
DECISIONS = frozenset(LogEntry.Decision.values)
ACTOR_KINDS = frozenset(LogEntry.ActorKind.values)


@dataclass(frozen=True)
class AuditActor:
    """Who acted, as the log records it. Callers build it from their own user or client."""

    kind: str  # one of LogEntry.ActorKind: person, staff, client, system
    id: str  # a public id (UUID, client id, "cli"): never a database id
    label: str = ""


@dataclass(frozen=True, kw_only=True)
class EntryDraft:
    """One entry to append: everything but its position, time and hash."""

    actor: AuditActor
    action: str
    decision: str
    reason: str = ""
    organization: str = ""
    on_behalf_of: str = ""
    purpose: str = ""
    legal_basis: str = ""
    subject: str | None = None
    resource_type: str = ""
    resource_id: str = ""

    def check(self) -> None:
        """Refuse an action, decision or actor kind outside the fixed lists."""
        problems = []
        if self.action not in ACTIONS:
            problems.append(("action", f"“{self.action}” is not a log action."))
        if self.decision not in DECISIONS:
            problems.append(("decision", f"“{self.decision}” is not permit or deny."))
        if self.actor.kind not in ACTOR_KINDS:
            problems.append(("actor.kind", f"“{self.actor.kind}” is not an actor kind."))
        if not self.actor.id:
            problems.append(("actor.id", "The actor needs a public id."))
        if problems:
            raise InvalidInput(
                " ".join(message for _, message in problems),
                errors=[{"field": field, "message": message} for field, message in problems],
            )

    def row(self, seq: int, now: datetime) -> tuple:
        """Return this entry's stored row at position `seq` (`ROW_NAMES`), its leaf hash last."""
        hashed = [
            seq, now, self.actor.kind, self.actor.id, self.actor.label, self.organization,
            self.on_behalf_of, self.purpose, self.legal_basis, self.action,
            subject_pseudonym(self.subject), self.resource_type, self.resource_id,
            self.decision, self.reason,
        ]
        leaf = merkle.leaf_hash(leaf_values(hashed))
        return (*hashed[:_SUBJECT], self.subject or None, *hashed[_SUBJECT:], leaf)


# The stored row is the hashed fields (HASHED_FIELDS) with the raw subject before its
# pseudonym, and the leaf hash last: the order of the model's columns.
ROW_NAMES = (*HASHED_FIELDS[:10], "subject", *HASHED_FIELDS[10:], "leaf_hash")
_SUBJECT = ROW_NAMES.index("subject")
if tuple(field.attname for field in appends.ENTRY_FIELDS) != ROW_NAMES:
    raise ImproperlyConfigured("LogEntry's columns moved: update EntryDraft.row and ROW_NAMES.")


def _frontier(state: appends.State) -> list[bytes]:
    """Return the perfect subtrees of [0, size), left first: from the state row, or the nodes."""
    size = merkle.HASH_SIZE
    frontier = bytes(state.frontier)
    if len(frontier) != size * state.size.bit_count():  # missing or stale: read the nodes
        nodes = merkle.perfect_nodes(0, state.size)
        known = nodes_fetch(nodes)
        return [known[node] for node in nodes]
    return [frontier[start:start + size] for start in range(0, len(frontier), size)]


def _batch(entries: list[EntryDraft], state: appends.State, now: datetime) -> appends.Batch:
    """Hash the entries at the end of the log in `state`, with the nodes they complete.

    The frontier is a stack of perfect subtrees, largest first: leaf `seq` completes one
    node per trailing 1 bit of `seq`, each the hash of the top of the stack and the node
    below it, and the last one it completes goes on the stack.
    """
    stack = _frontier(state)
    rows, nodes = [], []
    for seq, draft in enumerate(entries, start=state.size):
        row = draft.row(seq, now)
        rows.append(row)
        current, level, index = row[-1], 0, seq
        nodes.append((merkle.node_key(0, seq), current))
        while index & 1:
            current = merkle.node_hash(stack.pop(), current)
            level, index = level + 1, index >> 1
            nodes.append((merkle.node_key(level, index), current))
        stack.append(current)
    return appends.Batch(
        size=state.size, stored=bytes(state.frontier), rows=rows, nodes=nodes,
        frontier=b"".join(stack),
    )


def log_append_many(entries: list[EntryDraft]) -> list[LogEntry]:
    """Append entries in order at the end of the log, with the Merkle nodes they complete.

    Inside a caller's transaction no savepoint is taken: a failed append dooms the
    caller's transaction, so a change can never commit without its entry (and a savepoint
    would cost PostgreSQL two more round trips per append). Outside one, the append is
    its own transaction (`appends.transaction`), on PostgreSQL a single statement when
    this process wrote last (`appends.commits_alone`).
    """
    if not entries:
        return []
    for draft in entries:
        draft.check()
    # Hash against the state this process last left. On PostgreSQL outside a transaction,
    # the one statement that checks it and writes is a transaction of its own (one round
    # trip); if another writer had moved the log it wrote nothing and returned the state
    # it found, unlocked, which the locked path below tries first. While other writers
    # keep moving the log, the locked path is taken at once (`appends.commits_alone`).
    state, missed = appends.state_hint(), False
    if state is not None and appends.commits_alone():
        batch = _batch(entries, state, timezone.now())
        state = appends.write(batch)
        if state is None:
            return _entries(batch)
        missed = True
    with appends.transaction():
        # If another writer has moved the state, `write` returns the state it found,
        # locked, and the second write cannot miss.
        state = state or appends.state_hint() or _state_locked()
        while True:
            batch = _batch(entries, state, timezone.now())
            found = appends.write(batch)
            if found is None:
                break
            state, missed = found, True
    appends.note_contention(missed)
    return _entries(batch)


def _entries(batch: appends.Batch) -> list[LogEntry]:
    return [LogEntry.from_db(DEFAULT_DB_ALIAS, None, row) for row in batch.rows]


def log_append(
    *,
    actor: AuditActor,
    action: str,
    decision: str,
    reason: str,
    organization: str = "",
    on_behalf_of: str = "",
    purpose: str = "",
    legal_basis: str = "",
    subject: str | None = None,
    resource_type: str = "",
    resource_id: str = "",
) -> LogEntry:
    """Append one entry to the log inside the caller's transaction and return it."""
    draft = EntryDraft(
        actor=actor, action=action, decision=decision, reason=reason,
        organization=organization, on_behalf_of=on_behalf_of, purpose=purpose,
        legal_basis=legal_basis, subject=subject, resource_type=resource_type,
        resource_id=resource_id,
    )
    return log_append_many([draft])[0]


def entry_subject_pseudonymise(*, subject: str) -> int:
    """Clear the raw subject id from every entry about this subject; return how many.

    The entries stay (they are the record of who saw the data); only the link to the
    person goes. Their leaf hashes cover the pseudonym, so the log still verifies.
    """
    if not subject:
        raise InvalidInput("Name the subject whose entries to pseudonymise.")
    with transaction.atomic():
        return LogEntry.objects.clear_subject(subject)


def tree_head_sign() -> TreeHead:
    """Sign the tree at its current size with the current platform key (once per size).

    The worker calls this on a cadence (`audit.cadence`) and `agora audit sign-head` on
    demand; reads never sign, so a busy log does not grow a head per request.
    """
    with transaction.atomic():
        size = _state_locked().size
        head = TreeHead.objects.filter(size=size).first()
        if head is not None:
            return head
        root = tree_root(size)
        signed_at = timezone.now()
        signed = keys.sign(head_message(size, root, signed_at))
        return TreeHead.objects.create(
            size=size, root_hash=root, signed_at=signed_at, signature=signed.signature,
            key_id=signed.key_id,
        )


def tree_head_latest() -> TreeHead:
    """Return the latest signed tree head; refuse with `NoTreeHead` when none is signed yet.

    It never signs: entries newer than it wait for the next head the cadence signs.
    """
    head = TreeHead.objects.order_by("-size").first()
    if head is None:
        raise NoTreeHead()
    return head
