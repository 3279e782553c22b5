"""Reads of one data subject's own log entries, and the check of one entry against the log.

The audit app imports no other domain app, so these functions take the subject's public
id as a plain string (`str(person.public_id)`), never a Person. Callers (the resident's
pages) decide who the subject is: always the signed-in person themselves.

Reading your own log appends nothing to the log. The log records reads and writes of
personal data; the log itself holds no personal data beyond who acted on it, and
logging every look at it would add an entry per page view that is about the looking,
not about the data, and would grow the very list being read.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from agora.audit import keys, merkle
from agora.audit.canonical import HASHED_FIELDS, head_message, leaf_data, subject_pseudonym
from agora.audit.exceptions import LogCorrupted, TreeSizeOutOfRange
from agora.audit.models import LogEntry, TreeHead
from agora.audit.selectors import inclusion_proof

DECISIONS = frozenset(LogEntry.Decision.values)


def log_entries_for_subject(
    *, subject: str, organization: str = "", decision: str = ""
) -> QuerySet[LogEntry]:
    """Return the entries about this subject, newest first, optionally for one
    organisation (slug) and one decision (permit or deny).

    An empty subject finds nothing (fail closed), as does an unknown decision.
    """
    if not subject:
        return LogEntry.objects.none()
    entries = LogEntry.objects.filter(subject=subject)
    if organization:
        entries = entries.filter(organization=organization)
    if decision:
        if decision not in DECISIONS:
            return LogEntry.objects.none()
        entries = entries.filter(decision=decision)
    return entries.order_by("-seq")


def log_organizations_for_subject(*, subject: str) -> list[str]:
    """Return the slugs of the organisations that appear in this subject's entries."""
    if not subject:
        return []
    slugs = (
        LogEntry.objects.filter(subject=subject)
        .exclude(organization="")
        .order_by("organization")
        .values_list("organization", flat=True)
        .distinct()
    )
    return list(slugs)


def entry_leaf_hash(entry: LogEntry) -> bytes:
    """Return the leaf hash recomputed from the entry's stored fields."""
    return merkle.leaf_hash(leaf_data({name: getattr(entry, name) for name in HASHED_FIELDS}))


def signed_size() -> int:
    """Return the size of the latest signed tree head (0 when none is signed yet).

    Entries at or beyond it wait for the next signed head before they can be checked.
    """
    size = TreeHead.objects.order_by("-size").values_list("size", flat=True).first()
    return size or 0


@dataclass(frozen=True)
class EntryVerification:
    """What checking one entry found: each step, and whether all of them hold.

    `waiting` means the entry is newer than the latest signed tree head: nothing is
    wrong, it becomes checkable when the next head is signed.
    """

    entry: LogEntry
    leaf_hash: bytes  # recomputed from the entry as stored now
    stored_leaf_hash: bytes  # as written when the entry was appended
    head: TreeHead | None
    proof: list[bytes]
    signature_valid: bool
    pseudonym_matches: bool  # the hashed pseudonym is the subject's
    included: bool  # the recomputed leaf hash leads to the signed root
    problem: str = ""
    waiting: bool = False

    @property
    def verified(self) -> bool:
        return (
            not self.waiting and self.signature_valid and self.pseudonym_matches
            and self.included
        )

    @property
    def proof_request(self) -> dict[str, int]:
        """Return the query of the public inclusion proof this check used."""
        return {"seq": self.entry.seq, "tree_size": self.head.size if self.head else 0}


def tree_head_signature_valid(head: TreeHead) -> bool:
    """Return whether the key the head names, as the platform published it, signed its
    size, root and time (heads signed before a key rotation still verify)."""
    message = head_message(head.size, bytes(head.root_hash), head.signed_at)
    return keys.verify(head.key_id, bytes(head.signature), message)


def log_entry_verification(*, subject: str, seq: int) -> EntryVerification | None:
    """Check that entry `seq`, about `subject`, is in the log the platform signed.

    Returns None when there is no such entry about this subject (missing and someone
    else's look the same). The leaf hash is recomputed from the entry's fields as they
    are stored now, so an entry edited in the database no longer leads to the signed
    root and the check says so. An entry newer than the latest signed head is `waiting`.
    """
    if not subject:
        return None
    entry = LogEntry.objects.filter(subject=subject, seq=seq).first()
    if entry is None:
        return None
    leaf = entry_leaf_hash(entry)
    pseudonym_matches = subject_pseudonym(entry.subject) == entry.subject_pseudonym
    head = TreeHead.objects.order_by("-size").first()
    if head is None or seq >= head.size:
        return EntryVerification(
            entry=entry, leaf_hash=leaf, stored_leaf_hash=bytes(entry.leaf_hash), head=head,
            proof=[], signature_valid=False, pseudonym_matches=pseudonym_matches,
            included=False, waiting=True,
        )
    signature_valid = tree_head_signature_valid(head)
    proof: list[bytes] = []
    problem = ""
    try:
        proof = inclusion_proof(seq=seq, tree_size=head.size).proof
    except (LogCorrupted, TreeSizeOutOfRange) as error:
        problem = error.detail
    included = not problem and merkle.verify_inclusion(
        seq, head.size, leaf, proof, bytes(head.root_hash)
    )
    return EntryVerification(
        entry=entry,
        leaf_hash=leaf,
        stored_leaf_hash=bytes(entry.leaf_hash),
        head=head,
        proof=proof,
        signature_valid=signature_valid,
        pseudonym_matches=pseudonym_matches,
        included=bool(included),
        problem=problem,
    )
