"""Writes to the transparency log: append entries, sign tree heads, pseudonymise subjects.

Every append runs inside the caller's transaction, so a change and the entry that records
it commit together or not at all. The sequence stays dense under any number of writer
processes: an append hashes its entries at `seq = size, size + 1, ...` with the Merkle
nodes they complete, and `appends.write` stores them only if the log's state row still
holds that size and frontier, locking it (`appends` says how, per database).
"""

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from agora.audit import appends, keys, merkle
from agora.audit.appends import state_locked as _state_locked
from agora.audit.canonical import head_message, leaf_data, subject_pseudonym
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

    def fields(self, seq: int, now) -> dict:
        """Return the stored fields of this entry at position `seq`, its leaf hash computed."""
        fields = {
            "seq": seq,
            "created_at": now,
            "actor_kind": self.actor.kind,
            "actor_id": self.actor.id,
            "actor_label": self.actor.label,
            "organization": self.organization,
            "on_behalf_of": self.on_behalf_of,
            "purpose": self.purpose,
            "legal_basis": self.legal_basis,
            "action": self.action,
            "subject_pseudonym": subject_pseudonym(self.subject),
            "resource_type": self.resource_type,
            "resource_id": self.resource_id,
            "decision": self.decision,
            "reason": self.reason,
        }
        fields["leaf_hash"] = merkle.leaf_hash(leaf_data(fields))
        fields["subject"] = self.subject or None
        return fields


def _frontier(state: appends.State) -> dict[tuple[int, int], bytes]:
    """Return the perfect subtrees of [0, size) from the state row, or the stored nodes."""
    nodes = merkle.perfect_nodes(0, state.size)
    frontier = bytes(state.frontier)
    if len(frontier) != merkle.HASH_SIZE * len(nodes):  # missing or stale: read the nodes
        return nodes_fetch(nodes)
    size = merkle.HASH_SIZE
    return {node: frontier[n * size:(n + 1) * size] for n, node in enumerate(nodes)}


_ENTRY_NAMES = [field.attname for field in appends.ENTRY_FIELDS]


def _batch(entries: list[EntryDraft], state: appends.State, now) -> appends.Batch:
    """Hash the entries at the end of the log in `state`, with the nodes they complete."""
    size = state.size
    known = _frontier(state)
    rows, nodes = [], []
    for seq, draft in enumerate(entries, start=size):
        fields = draft.fields(seq, now)
        rows.append(tuple(fields[name] for name in _ENTRY_NAMES))
        current = fields["leaf_hash"]
        known[(0, seq)] = current
        nodes.append((merkle.node_key(0, seq), current))
        for level, index in merkle.completed_nodes(seq)[1:]:
            current = merkle.node_hash(known[(level - 1, 2 * index)], current)
            known[(level, index)] = current
            nodes.append((merkle.node_key(level, index), current))
    frontier = b"".join(known[node] for node in merkle.perfect_nodes(0, size + len(rows)))
    return appends.Batch(
        size=size, stored=bytes(state.frontier), rows=rows, nodes=nodes, frontier=frontier
    )


def log_append_many(entries: list[EntryDraft]) -> list[LogEntry]:
    """Append entries in order at the end of the log, with the Merkle nodes they complete.

    Inside a caller's transaction no savepoint is taken: a failed append dooms the
    caller's transaction, so a change can never commit without its entry (and a savepoint
    would cost PostgreSQL two more round trips per append).
    """
    if not entries:
        return []
    for draft in entries:
        draft.check()
    with transaction.atomic(savepoint=False):
        # Hash against the state this process last left; if another writer has moved it,
        # `write` returns the state it found, locked, and the second write cannot miss.
        state = appends.state_hint() or _state_locked()
        while True:
            batch = _batch(entries, state, timezone.now())
            found = appends.write(batch)
            if found is None:
                break
            state = found
    return [LogEntry.from_db(connection.alias, None, row) for row in batch.rows]


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
