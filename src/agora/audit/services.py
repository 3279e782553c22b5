"""Writes to the transparency log: append entries, sign tree heads, pseudonymise subjects.

Every append runs inside the caller's transaction (`transaction.atomic()` nests as a
savepoint), so a change and the entry that records it commit together or not at all.
The sequence stays dense under any number of writer processes: each append locks the one
`LogState` row (`SELECT ... FOR UPDATE` on PostgreSQL; on SQLite the IMMEDIATE
transaction already holds the database's single write lock), writes entries at
`seq = size, size + 1, ...` with the Merkle nodes they complete, and bumps the size.
"""

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from agora.audit import keys, merkle
from agora.audit.canonical import head_message, leaf_data, subject_pseudonym
from agora.audit.exceptions import NoTreeHead
from agora.audit.models import LogEntry, LogNode, LogState, TreeHead
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

    def entry(self, seq: int, now) -> LogEntry:
        """Return the unsaved entry at position `seq`, its leaf hash computed."""
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
        digest = merkle.leaf_hash(leaf_data(fields))
        return LogEntry(**fields, subject=self.subject or None, leaf_hash=digest)


# The state row is read and written by every append, so these two statements are plain
# SQL: building them through the ORM cost more than running them (about 0.8 ms of a
# 2.2 ms append on PostgreSQL; see docs/benchmarks.md).
_STATE_TABLE = LogState._meta.db_table


def _state_locked() -> LogState:
    """Return the log state row, locked until the transaction ends (made on first use)."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT size, frontier FROM {_STATE_TABLE} WHERE id = %s{lock}",  # noqa: S608
            [1],
        )
        row = cursor.fetchone()
    if row is None:
        top = LogEntry.objects.aggregate(top=Max("seq"))["top"]
        LogState.objects.bulk_create(
            [LogState(pk=1, size=0 if top is None else top + 1)], ignore_conflicts=True
        )
        return _state_locked()
    return LogState(pk=1, size=row[0], frontier=bytes(row[1] or b""))


def _state_save(size: int, frontier: bytes) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_STATE_TABLE} SET size = %s, frontier = %s WHERE id = %s",  # noqa: S608
            [size, frontier, 1],
        )


def _frontier(state: LogState) -> dict[tuple[int, int], bytes]:
    """Return the perfect subtrees of [0, size) from the state row, or the stored nodes."""
    nodes = merkle.perfect_nodes(0, state.size)
    frontier = bytes(state.frontier)
    if len(frontier) != merkle.HASH_SIZE * len(nodes):  # missing or stale: read the nodes
        return nodes_fetch(nodes)
    size = merkle.HASH_SIZE
    return {node: frontier[n * size:(n + 1) * size] for n, node in enumerate(nodes)}


def log_append_many(entries: list[EntryDraft]) -> list[LogEntry]:
    """Append entries in order at the end of the log, with the Merkle nodes they complete."""
    if not entries:
        return []
    for draft in entries:
        draft.check()
    with transaction.atomic():
        state = _state_locked()
        size = state.size
        known = _frontier(state)
        now = timezone.now()
        rows, nodes = [], []
        for seq, draft in enumerate(entries, start=size):
            row = draft.entry(seq, now)
            rows.append(row)
            current = row.leaf_hash
            known[(0, seq)] = current
            nodes.append(LogNode(key=merkle.node_key(0, seq), hash=current))
            for level, index in merkle.completed_nodes(seq)[1:]:
                current = merkle.node_hash(known[(level - 1, 2 * index)], current)
                known[(level, index)] = current
                nodes.append(LogNode(key=merkle.node_key(level, index), hash=current))
        LogEntry.objects.bulk_create(rows)
        LogNode.objects.bulk_create(nodes)
        frontier = b"".join(known[node] for node in merkle.perfect_nodes(0, size + len(rows)))
        _state_save(size + len(rows), frontier)
    return rows


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
