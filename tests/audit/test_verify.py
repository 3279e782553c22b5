"""`log_verify` detects each kind of tampering done directly in the database."""

import pytest
from django.db import connection

from agora.audit import merkle
from agora.audit.services import tree_head_sign
from agora.audit.verify import log_verify
from tests.audit.helpers import append

pytestmark = pytest.mark.django_db


def sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def log():
    """A log of 40 entries with signed heads at 13, 32 and 40."""
    append(13, batch=5)
    tree_head_sign()
    append(19, batch=4)
    tree_head_sign()
    append(8)
    tree_head_sign()


def problem():
    report = log_verify()
    assert not report.ok
    return report.problem


def test_an_untouched_log_verifies(log):
    calls = []
    report = log_verify(progress=lambda done, total: calls.append((done, total)))
    assert report.ok, report.problem
    assert (report.entries, report.heads, report.size) == (40, 3, 40)
    assert report.nodes == sum(len(merkle.completed_nodes(n)) for n in range(40))
    assert calls[-1] == (40, 40)


def test_an_edited_field_is_found(log):
    sql("UPDATE audit_logentry SET reason = %s WHERE seq = 17", "nothing to see")
    found = problem()
    assert (found.kind, found.seq) == ("edited", 17)


def test_an_edited_time_is_found(log):
    sql("UPDATE audit_logentry SET organization = %s WHERE seq = 3", "someone-else")
    assert (problem().kind, problem().seq) == ("edited", 3)


def test_a_deleted_entry_is_found(log):
    sql("DELETE FROM audit_logentry WHERE seq = 21")
    found = problem()
    assert (found.kind, found.seq) == ("gap", 21)


def test_deleting_the_newest_entries_is_found(log):
    sql("DELETE FROM audit_logentry WHERE seq >= 38")
    assert (problem().kind, problem().seq) == ("gap", 38)


def test_two_swapped_entries_are_found(log):
    sql("UPDATE audit_logentry SET seq = -1 WHERE seq = 5")
    sql("UPDATE audit_logentry SET seq = 5 WHERE seq = 9")
    sql("UPDATE audit_logentry SET seq = 9 WHERE seq = -1")
    found = problem()
    assert (found.kind, found.seq) == ("reordered", 5)


def test_an_entry_rewritten_with_its_hashes_is_caught_by_the_signed_head(log):
    """A careful forger recomputes the leaf and every node; only the signed head remains."""
    sql("UPDATE audit_logentry SET decision = 'permit', reason = 'forged' WHERE seq = 2")
    from agora.audit.canonical import HASHED_FIELDS, leaf_data
    from agora.audit.models import LogEntry

    leaves = []
    for row in LogEntry.objects.order_by("seq").values_list(*HASHED_FIELDS):
        leaves.append(merkle.leaf_hash(leaf_data(dict(zip(HASHED_FIELDS, row, strict=True)))))
    sql("UPDATE audit_logentry SET leaf_hash = %s WHERE seq = 2", leaves[2])
    for leaf in range(40):
        for level, index in merkle.completed_nodes(leaf):
            digest = merkle.root_from_leaves(leaves[index << level:(index + 1) << level])
            sql("UPDATE audit_lognode SET hash = %s WHERE key = %s", digest,
                merkle.node_key(level, index))
    found = problem()
    assert (found.kind, found.seq) == ("head-root-mismatch", 12)


def test_an_edited_stored_node_is_found(log):
    key = merkle.node_key(2, 3)  # entries 12..15
    sql("UPDATE audit_lognode SET hash = %s WHERE key = %s", b"\x00" * 32, key)
    found = problem()
    assert (found.kind, found.seq) == ("bad-node", 15)


def test_a_missing_stored_node_is_found(log):
    sql("DELETE FROM audit_lognode WHERE key = %s", merkle.node_key(1, 4))
    assert problem().kind == "bad-node"


def test_a_truncated_tree_head_is_found(log):
    sql("UPDATE audit_treehead SET size = 30 WHERE size = 32")
    assert problem().kind == "bad-head-signature"


def test_a_head_with_another_root_is_found(log):
    sql("UPDATE audit_treehead SET root_hash = %s WHERE size = 13", b"\x01" * 32)
    found = problem()
    assert found.kind == "bad-head-signature" and found.seq == 12


def test_a_tampered_signature_is_found(log):
    from agora.audit.models import TreeHead

    signature = bytearray(TreeHead.objects.get(size=40).signature)
    signature[0] ^= 1
    sql("UPDATE audit_treehead SET signature = %s WHERE size = 40", bytes(signature))
    assert problem().kind == "bad-head-signature"


def test_a_head_beyond_the_truncated_log_is_found(log):
    sql("DELETE FROM audit_logentry WHERE seq >= 35")
    sql("DELETE FROM audit_lognode WHERE key >= %s", 35 << merkle.LEVEL_BITS)
    sql("UPDATE audit_logstate SET size = 35")
    found = problem()
    assert found.kind == "head-root-mismatch" and "beyond" in found.detail


def test_a_tampered_cached_frontier_is_found(log):
    from agora.audit.models import LogState

    frontier = bytes(LogState.objects.get(pk=1).frontier)
    assert len(frontier) == 32 * bin(40).count("1")
    sql("UPDATE audit_logstate SET frontier = %s", b"\x00" * len(frontier))
    assert problem().kind == "bad-node"
