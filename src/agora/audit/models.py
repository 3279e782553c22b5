"""The transparency log: append-only entries, the stored Merkle nodes, signed tree heads.

Nothing here can be updated or deleted through the ORM: the managers refuse `update()`,
`delete()` and `bulk_update()`, and `save()` / `delete()` on an instance refuse an
existing row. The one permitted change, clearing an entry's raw `subject` when the person
is erased, goes through `LogEntry.objects.clear_subject` (see
`services.entry_subject_pseudonymise`); the leaf hash covers the keyed pseudonym of the
subject, never the raw id, so clearing it keeps every proof valid.

Tables are plain today; `created_at` is indexed and `seq` is the key so that PostgreSQL
can partition the log by time later (the partition key then joins the primary key).
"""

from django.db import models

from agora.audit import merkle
from agora.audit.exceptions import LogIsAppendOnly


class AppendOnlyQuerySet(models.QuerySet):
    """A queryset that reads and inserts, and refuses to change or remove rows."""

    def update(self, **kwargs):
        raise LogIsAppendOnly(f"{self.model.__name__} rows cannot be updated.")

    def delete(self):
        raise LogIsAppendOnly(f"{self.model.__name__} rows cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise LogIsAppendOnly(f"{self.model.__name__} rows cannot be updated.")

    update_or_create = None  # would update an existing row


class LogEntryQuerySet(AppendOnlyQuerySet):
    def clear_subject(self, subject: str) -> int:
        """Clear the raw subject id of this subject's entries: the one change allowed.

        Only `services.entry_subject_pseudonymise` calls this. The leaf hashes cover the
        subject's pseudonym, so the log still verifies afterwards.
        """
        return models.QuerySet.update(self.filter(subject=subject), subject=None)


class AppendOnlyModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise LogIsAppendOnly(f"{type(self).__name__} rows cannot be changed once written.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LogIsAppendOnly(f"{type(self).__name__} rows cannot be deleted.")


class RowidKey(models.BigIntegerField):
    """A 64-bit primary key that SQLite keeps as the table's rowid (`bigint` elsewhere).

    SQLite stores a key declared `bigint` in a second b-tree beside the table's rowid;
    declared `integer`, the key is the rowid. Each append then writes one b-tree fewer per
    table and each proof's node lookup descends one b-tree instead of two
    (docs/benchmarks.md, "Transparency log"). The values are the same 64-bit integers.
    """

    def db_type(self, connection) -> str | None:
        if connection.vendor == "sqlite":
            return "integer"
        return super().db_type(connection)


class LogEntry(AppendOnlyModel):
    """One access to, or change of, personal data or the rules that share it."""

    class ActorKind(models.TextChoices):
        PERSON = "person", "Person (resident)"
        STAFF = "staff", "Staff member"
        CLIENT = "client", "Machine client"
        SYSTEM = "system", "System"

    class Action(models.TextChoices):
        """The fixed list of what can be logged. Adding one is a code change and a migration."""

        RECORD_READ = "record.read", "Read a record"
        RECORD_LIST = "record.list", "Listed records"
        RECORD_CREATE = "record.create", "Created a record"
        RECORD_UPDATE = "record.update", "Updated a record"
        RECORD_DELETE = "record.delete", "Deleted a record"
        PERSON_VIEW = "person.view", "Viewed a person"
        PERSON_LOOKUP = "person.lookup", "Looked a person up"
        PERSON_EXPORT = "person.export", "Exported a person's data"
        PERSON_DELETE = "person.delete", "Deleted a person"
        AGREEMENT_PROPOSE = "agreement.propose", "Proposed an agreement"
        AGREEMENT_APPROVE = "agreement.approve", "Approved an agreement"
        AGREEMENT_ACTIVATE = "agreement.activate", "Activated an agreement"
        AGREEMENT_SUSPEND = "agreement.suspend", "Suspended an agreement"
        AGREEMENT_END = "agreement.end", "Ended an agreement"
        CONSENT_GIVE = "consent.give", "Gave consent"
        CONSENT_WITHDRAW = "consent.withdraw", "Withdrew consent"
        LOG_READ = "log.read", "Read the log"
        DOCUMENT_PUBLISH = "document.publish", "Published a document version"
        DOCUMENT_CHANGE = "document.change", "Changed a document's details"
        TOPIC_CHANGE = "topic.change", "Changed a topic"
        PURPOSE_PROPOSE = "purpose.propose", "Proposed a purpose declaration"
        PURPOSE_APPROVE = "purpose.approve", "Approved a purpose declaration"
        PURPOSE_REJECT = "purpose.reject", "Rejected a purpose declaration"
        PURPOSE_WITHDRAW = "purpose.withdraw", "Withdrew a purpose declaration"
        APICLIENT_PURPOSES = "apiclient.purposes", "Changed the purposes of an API client"
        SERVICE_PUBLISH = "service.publish", "Added a service to the catalogue"
        SERVICE_CHANGE = "service.change", "Changed a service"
        SERVICE_WITHDRAW = "service.withdraw", "Withdrew a service"
        CASE_CREATE = "case.create", "Made a request"
        CASE_READ = "case.read", "Read a request"
        CASE_LIST = "case.list", "Listed requests"
        CASE_UPDATE = "case.update", "Changed a request"
        CASE_REFER = "case.refer", "Referred a request"
        DATASET_CHANGE = "dataset.change", "Changed a dataset's open data details"
        RESOURCE_ADD = "resource.add", "Added a resource to a dataset"
        CHALLENGE_OPEN = "challenge.open", "Opened a challenge"
        CHALLENGE_PHASE = "challenge.phase", "Moved a challenge to its next phase"
        PROPOSAL_SUBMIT = "proposal.submit", "Made a proposal to a challenge"
        PROPOSAL_SUPPORT = "proposal.support", "Supported a proposal"
        PROPOSAL_ANSWER = "proposal.answer", "Answered a proposal"
        COMMENT_POST = "comment.post", "Commented on a challenge"
        COMMENT_HIDE = "comment.hide", "Hid a comment"
        MILESTONE_CHANGE = "milestone.change", "Changed a milestone of a result"

    class Decision(models.TextChoices):
        PERMIT = "permit", "Permitted"
        DENY = "deny", "Refused"

    seq = RowidKey(primary_key=True, help_text="Position in the log, dense from 0.")
    created_at = models.DateTimeField(db_index=True, help_text="When it happened (UTC).")
    actor_kind = models.CharField(max_length=10, choices=ActorKind.choices)
    actor_id = models.CharField(max_length=100, help_text="Public id of who acted.")
    actor_label = models.CharField(max_length=200, blank=True)
    organization = models.CharField(max_length=60, blank=True, help_text="Slug of the org.")
    on_behalf_of = models.CharField(max_length=200, blank=True)
    purpose = models.CharField(max_length=60, blank=True, help_text="Purpose code.")
    legal_basis = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=30, choices=Action.choices)
    # NULL, not "", marks a subject cleared by pseudonymisation (entries with none use "").
    subject = models.CharField(  # noqa: DJ001
        max_length=100, null=True, blank=True,
        help_text="Public id of the data subject; cleared when the person is erased.",
    )
    subject_pseudonym = models.CharField(
        max_length=64, blank=True,
        help_text="HMAC-SHA256 of the subject id (hex); this, not the id, is hashed.",
    )
    resource_type = models.CharField(max_length=60, blank=True)
    resource_id = models.CharField(max_length=100, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = models.TextField(blank=True)
    leaf_hash = models.BinaryField(max_length=32, help_text="SHA256(0x00 || leaf data).")

    objects = LogEntryQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "log entries"
        # Plain indexes: db_index on a CharField would add a second, LIKE-pattern index
        # on PostgreSQL that no query uses and every append pays for. Both are partial,
        # and each entry is in one: the subject's (the person's own log, erasure) holds
        # the entries that have a subject; the pseudonym's those without, where it is
        # the only way to an erased subject's entries (`subject IS NULL` in a query
        # selects it). An append writes a page of one index at a random place, not two
        # (docs/benchmarks.md); an entry about no one goes under the empty pseudonym,
        # at the same place each time.
        indexes = [
            # A resident's entries in log order, with the organisations that made them:
            # "who has seen my data" pages and lists its organisations from the index
            # alone (docs/benchmarks.md, "Latency at size"); still one index per append.
            models.Index(
                fields=["subject", "seq", "organization"], name="audit_entry_subject",
                condition=models.Q(subject__isnull=False),
            ),
            models.Index(
                fields=["subject_pseudonym"], name="audit_entry_erased_pseudonym",
                condition=models.Q(subject__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.decision} by {self.actor_kind}:{self.actor_id}"


class LogNode(AppendOnlyModel):
    """The hash of one perfect subtree of the log, stored when it completes.

    `key` packs the node's last leaf and its level (`merkle.node_key`), so key order is
    creation order and one `key IN (...)` fetches every node a proof needs.
    """

    key = RowidKey(primary_key=True)
    hash = models.BinaryField(max_length=32)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        level, index = merkle.node_from_key(self.key)
        return f"node {level}/{index} {bytes(self.hash).hex()[:16]}…"


class LogState(models.Model):
    """The log's size: one row, locked by every append so the sequence never forks."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField(default=0)
    # The hashes of the perfect subtrees that make up [0, size), left first, concatenated:
    # a cache of stored nodes that saves each append a query. Empty or stale means "read
    # the nodes instead"; `log_verify` checks it against the replay.
    frontier = models.BinaryField(default=b"")

    def __str__(self) -> str:
        return f"log of {self.size} entries"


class TreeHead(AppendOnlyModel):
    """A tree size and root hash, signed with the platform key at a time."""

    size = models.BigIntegerField(unique=True)
    root_hash = models.BinaryField(max_length=32)
    signed_at = models.DateTimeField()
    signature = models.BinaryField(max_length=64)
    key_id = models.CharField(
        max_length=64, blank=True, help_text="Id of the platform key that signed it."
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["size"]

    def __str__(self) -> str:
        return f"tree head {self.size} {bytes(self.root_hash).hex()[:16]}…"


class SigningKey(models.Model):
    """One platform key of the ring, public half: published with when it was in use.

    The current key has no `valid_until`; a rotation ends it and starts the next in one
    transaction (its conditional update lets only one of two racing rotations through).
    Rows are never deleted, so every old signature keeps its key.
    """

    key_id = models.CharField(max_length=64, unique=True, help_text="RFC 7638 thumbprint.")
    public_key = models.BinaryField(max_length=32, help_text="Raw Ed25519 public key.")
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["valid_from", "id"]

    def __str__(self) -> str:
        return f"key {self.key_id}"


class TreeHeadSchedule(models.Model):
    """The cadence of signed tree heads: the one pending tick, named by its token.

    A tick whose token is no longer this row's does nothing, so at most one chain of
    ticks lives however often workers start (see `audit.cadence`).
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.CharField(max_length=32, blank=True)
    next_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"next tree head at {self.next_run_at}"


class WitnessedHead(models.Model):
    """A tree head of another (or this) Agora that `agora audit witness` accepted."""

    origin = models.CharField(max_length=300, help_text="The witnessed site's base URL.")
    size = models.BigIntegerField()
    root_hash = models.BinaryField(max_length=32)
    signed_at = models.CharField(max_length=40, help_text="The head's timestamp, as signed.")
    key_id = models.CharField(max_length=64)
    signature = models.BinaryField(max_length=64)
    first_seen_at = models.DateTimeField()
    checked_at = models.DateTimeField(help_text="When the witness last saw this head.")

    class Meta:
        ordering = ["origin", "size"]
        constraints = [
            models.UniqueConstraint(fields=["origin", "size"], name="audit_witnessed_once")
        ]

    def __str__(self) -> str:
        return f"{self.origin} at {self.size}"


class WitnessedKey(models.Model):
    """A public key a witnessed site published, trusted from when the witness first saw it."""

    origin = models.CharField(max_length=300)
    key_id = models.CharField(max_length=64)
    public_key = models.BinaryField(max_length=32)
    first_seen_at = models.DateTimeField()

    class Meta:
        ordering = ["origin", "first_seen_at"]
        constraints = [
            models.UniqueConstraint(fields=["origin", "key_id"], name="audit_witnessed_key_once")
        ]

    def __str__(self) -> str:
        return f"{self.origin} key {self.key_id}"
