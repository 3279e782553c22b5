"""Helpers for the transparency log tests."""

from agora.audit.models import LogEntry, LogNode
from agora.audit.services import AuditActor, EntryDraft, log_append_many

CASEWORKER = AuditActor(kind="staff", id="9f1c2f1e-staff", label="Casey Worker")


def draft(number: int = 0, **overrides) -> EntryDraft:
    """Return a plausible entry: a caseworker reading a person's record."""
    fields = {
        "actor": CASEWORKER,
        "action": LogEntry.Action.RECORD_READ,
        "decision": LogEntry.Decision.PERMIT,
        "reason": f"agreement A-{number}: housing support",
        "organization": "riverton-council",
        "purpose": "case-management",
        "legal_basis": "Art. 6(1)(e)",
        "subject": f"person-{number % 7}",
        "resource_type": "record",
        "resource_id": f"rec-{number}",
    }
    return EntryDraft(**{**fields, **overrides})


def append(count: int, *, batch: int = 1) -> list[LogEntry]:
    """Append `count` entries, `batch` per transaction."""
    made = []
    for start in range(0, count, batch):
        made += log_append_many([draft(n) for n in range(start, min(count, start + batch))])
    return made


def leaf_hashes() -> list[bytes]:
    return [bytes(h) for h in LogEntry.objects.order_by("seq").values_list("leaf_hash", flat=True)]


def node_count() -> int:
    return LogNode.objects.count()
