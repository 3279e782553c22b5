"""Appending to the log: dense sequence, nodes, append-only rows, pseudonyms, signed heads."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.transaction import TransactionManagementError

from agora.audit import appends, keys, merkle
from agora.audit.canonical import head_message, leaf_data, subject_pseudonym
from agora.audit.exceptions import LogIsAppendOnly, NoTreeHead
from agora.audit.models import LogEntry, LogNode, LogState, TreeHead
from agora.audit.selectors import log_size, tree_root
from agora.audit.services import (
    AuditActor,
    entry_subject_pseudonymise,
    log_append,
    tree_head_latest,
    tree_head_sign,
)
from agora.audit.verify import log_verify
from agora.core.exceptions import InvalidInput
from tests.audit.helpers import CASEWORKER, append, draft, leaf_hashes

pytestmark = pytest.mark.django_db


def test_log_append_writes_one_entry_with_its_leaf_hash():
    entry = log_append(
        actor=AuditActor(kind="client", id="client-1", label="Housing app"),
        action="person.lookup", decision="deny", reason="no agreement",
        organization="riverton-housing", purpose="eligibility", subject="p-1",
    )
    stored = LogEntry.objects.get(seq=entry.seq)
    assert stored.seq == 0 and log_size() == 1
    assert stored.subject == "p-1" and stored.subject_pseudonym == subject_pseudonym("p-1")
    fields = {name: getattr(stored, name) for name in
              ("seq", "created_at", "actor_kind", "actor_id", "actor_label", "organization",
               "on_behalf_of", "purpose", "legal_basis", "action", "subject_pseudonym",
               "resource_type", "resource_id", "decision", "reason")}
    assert bytes(stored.leaf_hash) == merkle.leaf_hash(leaf_data(fields))
    assert b'"subject_pseudonym":"' in leaf_data(fields) and b"p-1" not in leaf_data(fields)


def test_sequence_is_dense_and_every_completed_node_is_stored():
    append(10, batch=3)
    append(7)
    assert list(LogEntry.objects.values_list("seq", flat=True)) == list(range(17))
    expected = [merkle.node_key(*n) for leaf in range(17) for n in merkle.completed_nodes(leaf)]
    assert list(LogNode.objects.values_list("key", flat=True)) == expected
    assert tree_root(17) == merkle.root_from_leaves(leaf_hashes())


def test_an_append_rolls_back_with_the_callers_transaction():
    append(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        log_append(actor=CASEWORKER, action="record.read", decision="permit", reason="x")
        raise RuntimeError("the change failed")
    assert log_size() == 2 and LogEntry.objects.count() == 2 and log_verify().ok
    assert log_append(actor=CASEWORKER, action="record.read", decision="permit",
                      reason="x").seq == 2


def test_unknown_action_decision_or_actor_kind_is_refused_and_nothing_written():
    for bad in ({"action": "record.peek"}, {"decision": "maybe"},
                {"actor": AuditActor(kind="robot", id="r")}):
        with pytest.raises(InvalidInput):
            log_append(**{**vars(draft()), **bad})
    assert LogEntry.objects.count() == 0 and log_size() == 0


def test_entries_cannot_be_changed_or_deleted_through_the_orm():
    entry = append(3)[1]
    stored = LogEntry.objects.get(seq=1)
    stored.reason = "rewritten"
    with pytest.raises(LogIsAppendOnly):
        stored.save()
    with pytest.raises(LogIsAppendOnly):
        stored.delete()
    with pytest.raises(LogIsAppendOnly):
        LogEntry.objects.filter(seq=1).update(reason="rewritten")
    with pytest.raises(LogIsAppendOnly):
        LogEntry.objects.all().delete()
    with pytest.raises(LogIsAppendOnly):
        LogEntry.objects.bulk_update([stored], ["reason"])
    with pytest.raises(LogIsAppendOnly):
        LogNode.objects.all().delete()
    assert LogEntry.objects.get(seq=1).reason == entry.reason
    assert log_verify().ok


def test_pseudonymising_a_subject_clears_it_and_keeps_the_log_verifiable():
    append(14)
    tree_head_sign()
    assert entry_subject_pseudonymise(subject="person-3") == 2
    assert not LogEntry.objects.filter(subject="person-3").exists()
    assert LogEntry.objects.filter(subject_pseudonym=subject_pseudonym("person-3")).count() == 2
    assert log_verify().ok


def _plan(queryset) -> str:
    sql, params = queryset.values("seq").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: ask for the plan
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " ".join(str(row) for row in cursor.fetchall())


def test_the_organisations_in_a_residents_log_are_read_from_the_subject_index_alone():
    append(14)
    queryset = (LogEntry.objects.filter(subject="person-4").exclude(organization="")
                .order_by("organization").values_list("organization", flat=True).distinct())
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")  # a tiny table
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert ("Index Only Scan using audit_entry_subject" in plan
            or "COVERING INDEX audit_entry_subject" in plan), plan


def test_a_subjects_entries_and_erased_ones_are_found_through_their_indexes():
    append(14)
    entry_subject_pseudonymise(subject="person-3")
    live = LogEntry.objects.filter(subject="person-4")
    erased = LogEntry.objects.filter(
        subject__isnull=True, subject_pseudonym=subject_pseudonym("person-3"))
    assert live.count() == 2 and erased.count() == 2
    assert "audit_entry_subject" in _plan(live)
    assert "audit_entry_erased_pseudonym" in _plan(erased)
    # An entry about someone reaches the pseudonym index only once its subject is cleared.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM audit_logentry WHERE subject IS NULL")
        assert cursor.fetchone()[0] == 2


def test_a_tree_head_is_signed_once_per_size():
    append(5)
    head = tree_head_sign()
    assert tree_head_sign().pk == head.pk
    assert head.size == 5 and bytes(head.root_hash) == merkle.root_from_leaves(leaf_hashes())
    message = head_message(5, bytes(head.root_hash), head.signed_at)
    assert head.key_id == keys.signing_key_current().key_id
    assert keys.verify(head.key_id, bytes(head.signature), message)
    assert tree_head_latest().pk == head.pk


def test_reading_the_latest_head_never_signs_a_new_one():
    append(5)
    head = tree_head_sign()
    append(3)
    for _ in range(3):
        assert tree_head_latest().pk == head.pk
    assert TreeHead.objects.count() == 1
    assert tree_head_sign().size == 8 and tree_head_latest().size == 8


def test_before_any_head_is_signed_the_latest_is_a_clear_not_found():
    append(2)
    with pytest.raises(NoTreeHead, match="No tree head has been signed yet"):
        tree_head_latest()


def test_an_empty_log_can_be_signed_with_the_empty_root():
    head = tree_head_sign()
    assert head.size == 0 and bytes(head.root_hash) == merkle.EMPTY_ROOT


def test_a_missing_state_row_is_rebuilt_from_the_entries():
    append(4)
    LogState.objects.all().delete()
    assert log_append(actor=CASEWORKER, action="log.read", decision="permit", reason="").seq == 4
    assert log_verify().ok


def test_an_append_hashed_against_a_rolled_back_state_lands_at_the_right_place():
    # A process whose append was rolled back remembers a log of 3 entries; meanwhile
    # another writer made the log 3 entries long with a different third entry. The same
    # size must not pass for the same tree: the append lands at 3 and the log verifies.
    append(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        log_append(actor=CASEWORKER, action="record.read", decision="permit", reason="gone")
        raise RuntimeError("the change failed")
    stale = appends.state_hint()
    assert stale is not None and stale.size == 3
    log_append(actor=CASEWORKER, action="record.read", decision="permit", reason="kept")
    appends._hint.state = (connection.alias, *stale)  # as the other process would hold it

    assert log_append(actor=CASEWORKER, action="log.read", decision="permit", reason="").seq == 3
    assert list(LogEntry.objects.values_list("reason", flat=True)) == [
        "agreement A-0: housing support", "agreement A-1: housing support", "kept", ""]
    assert tree_root(4) == merkle.root_from_leaves(leaf_hashes())
    assert log_verify().ok


def test_a_failed_append_dooms_the_callers_transaction():
    # A change must never commit without its entry, even when the caller catches the error.
    append(1)
    with transaction.atomic():
        # The caller's own write, which happens to be in the way of entry 1's node.
        LogNode.objects.bulk_create([LogNode(key=merkle.node_key(0, 1), hash=b"\x00" * 32)])
        with pytest.raises(IntegrityError):
            log_append(actor=CASEWORKER, action="record.read", decision="permit", reason="")
        with pytest.raises(TransactionManagementError):
            LogNode.objects.count()
    assert log_size() == 1 and LogNode.objects.count() == 1 and log_verify().ok


def test_an_append_is_one_statement_on_postgresql_when_the_process_wrote_last(
    django_assert_num_queries,
):
    append(3)
    if connection.vendor == "postgresql":
        with django_assert_num_queries(1):
            log_append(actor=CASEWORKER, action="record.read", decision="permit", reason="")
    else:
        # SQLite: move the state row, insert the entry and the three nodes leaf 3
        # completes, straight on the sqlite3 connection (Django's query log sees none).
        statements = []
        connection.connection.set_trace_callback(statements.append)
        try:
            log_append(actor=CASEWORKER, action="record.read", decision="permit", reason="")
        finally:
            connection.connection.set_trace_callback(None)
        assert [sql.split()[:3] for sql in statements] == [
            ["UPDATE", "audit_logstate", "SET"], ["INSERT", "INTO", "audit_logentry"],
            *[["INSERT", "INTO", "audit_lognode"]] * 3]
    assert log_size() == 4 and log_verify().ok


def test_any_text_is_stored_exactly_as_it_was_hashed():
    # PostgreSQL receives the rows as JSON: quotes, backslashes, control characters and
    # any script must come back byte for byte, or the leaf hash would not verify.
    reason = 'He said "no" \\ C:\\path\\x00\n\ttab \u2028 \x7f é 中文 🙂 {"a": [1]} \\u0041'
    label = "O'Brien \\x41 — ☂"
    entry = log_append(actor=AuditActor(kind="staff", id="s-1", label=label),
                       action="record.read", decision="permit", reason=reason,
                       subject="p-☂", resource_id="r\\1")
    stored = LogEntry.objects.get(seq=entry.seq)
    assert (stored.reason, stored.actor_label, stored.subject, stored.resource_id) == (
        reason, label, "p-☂", "r\\1")
    assert stored.created_at == entry.created_at
    assert log_verify().ok


@pytest.mark.django_db(transaction=True)
def test_an_append_outside_any_transaction_commits_on_its_own():
    append(2)
    assert connection.get_autocommit() and not connection.in_atomic_block
    entry = log_append(actor=CASEWORKER, action="record.read", decision="permit", reason="own")
    assert entry.seq == 2
    with transaction.atomic():  # no transaction was left open: a new one begins
        assert LogEntry.objects.get(seq=2).reason == "own"
    assert log_size() == 3 and log_verify().ok


@pytest.mark.django_db(transaction=True)
def test_an_append_outside_any_transaction_that_fails_writes_nothing():
    append(1)
    # A node in the way of entry 1's: the append fails after moving the state row and
    # inserting the entry, and must leave neither behind.
    LogNode.objects.bulk_create([LogNode(key=merkle.node_key(0, 1), hash=b"\x00" * 32)])
    with pytest.raises(IntegrityError):
        log_append(actor=CASEWORKER, action="record.read", decision="permit", reason="")
    with transaction.atomic():  # rolled back, not left open
        assert log_size() == 1 and LogEntry.objects.count() == 1
    with connection.cursor() as cursor:  # the ORM refuses to delete log rows
        cursor.execute("DELETE FROM audit_lognode WHERE key = %s", [merkle.node_key(0, 1)])
    assert log_append(actor=CASEWORKER, action="log.read", decision="permit", reason="").seq == 1
    assert log_verify().ok


@pytest.mark.django_db(transaction=True)
def test_an_append_on_its_own_is_one_round_trip_on_postgresql_when_the_process_wrote_last():
    append(3)
    assert connection.get_autocommit() and not connection.in_atomic_block
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no round trips; its statements are counted above")
    from psycopg.pq import TransactionStatus

    seen = []

    def spy(execute, sql, params, many, context):
        # No BEGIN went before the statement, and none is left open after it: the one
        # statement was the whole transaction.
        before = connection.connection.info.transaction_status
        result = execute(sql, params, many, context)
        seen.append((sql.split()[0], before, connection.connection.info.transaction_status))
        return result

    with connection.execute_wrapper(spy):
        log_append(actor=CASEWORKER, action="record.read", decision="permit", reason="alone")
    assert seen == [("WITH", TransactionStatus.IDLE, TransactionStatus.IDLE)]
    assert LogEntry.objects.get(seq=3).reason == "alone"
    assert log_size() == 4 and log_verify().ok


@pytest.mark.django_db(transaction=True)
def test_an_append_on_its_own_hashed_against_a_moved_log_lands_at_the_right_place():
    # Outside any transaction, as the four-process test's writers append: this process
    # remembers a log of 3 entries, another writer has since made it 4 (here: the same
    # process, whose memory is then set back). The first try writes nothing; the append
    # lands at 4 and the log verifies.
    append(3)
    stale = appends.state_hint()
    log_append(actor=CASEWORKER, action="record.read", decision="permit", reason="other")
    appends._hint.state = (connection.alias, *stale)

    entry = log_append(actor=CASEWORKER, action="log.read", decision="permit", reason="late")
    assert entry.seq == 4
    assert list(LogEntry.objects.values_list("reason", flat=True))[3:] == ["other", "late"]
    assert tree_root(5) == merkle.root_from_leaves(leaf_hashes())
    assert log_verify().ok


@pytest.mark.django_db(transaction=True)
def test_while_other_writers_move_the_log_an_append_goes_straight_to_the_locked_path():
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL tries a statement on its own first")
    from psycopg.pq import TransactionStatus

    append(3)
    stale = appends.state_hint()
    log_append(actor=CASEWORKER, action="record.read", decision="permit", reason="other")
    appends._hint.state = (connection.alias, *stale)
    seen = []

    def spy(execute, sql, params, many, context):  # a transaction is still open after it?
        result = execute(sql, params, many, context)
        seen.append((sql.split()[0], connection.connection.info.transaction_status))
        return result

    def append_one() -> list:
        seen.clear()
        with connection.execute_wrapper(spy):
            log_append(actor=CASEWORKER, action="log.read", decision="permit", reason="")
        return list(seen)

    alone, in_transaction = TransactionStatus.IDLE, TransactionStatus.INTRANS
    # The stale try on its own misses; the locked path writes from the state it found.
    assert append_one() == [("WITH", alone), ("WITH", in_transaction)]
    # Another writer was busy, so the next append skips the try on its own ...
    assert append_one() == [("WITH", in_transaction)]
    # ... and, having met no one, the one after it is a statement on its own again.
    assert append_one() == [("WITH", alone)]
    assert log_size() == 7 and log_verify().ok


@pytest.mark.django_db(transaction=True)
def test_an_append_on_its_own_hashed_against_a_rolled_back_state_lands_at_the_right_place():
    # The same size must not pass for the same tree outside a transaction either.
    append(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        log_append(actor=CASEWORKER, action="record.read", decision="permit", reason="gone")
        raise RuntimeError("the change failed")
    stale = appends.state_hint()
    assert stale is not None and stale.size == 3
    log_append(actor=CASEWORKER, action="record.read", decision="permit", reason="kept")
    appends._hint.state = (connection.alias, *stale)

    assert log_append(actor=CASEWORKER, action="log.read", decision="permit", reason="").seq == 3
    assert list(LogEntry.objects.values_list("reason", flat=True))[2:] == ["kept", ""]
    assert tree_root(4) == merkle.root_from_leaves(leaf_hashes())
    assert log_verify().ok
