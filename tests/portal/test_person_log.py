"""audit.person_log: one subject's entries, and the check of one entry against the log."""

import pytest

from agora.audit import merkle
from agora.audit.models import LogEntry, LogNode, TreeHead
from agora.audit.person_log import (
    entry_leaf_hash,
    log_entries_for_subject,
    log_entry_verification,
    log_organizations_for_subject,
    signed_size,
)
from agora.audit.services import tree_head_sign
from tests.factories import OrganizationFactory
from tests.portal.helpers import resident_with_person, staff_entry, tamper

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann():
    return resident_with_person()[1]


def test_entries_of_a_subject_newest_first_with_filters(ann):
    _, bob = resident_with_person()
    council, bank = OrganizationFactory(), OrganizationFactory()
    first = staff_entry(ann, organization=council)
    refused = staff_entry(ann, organization=bank, decision="deny")
    staff_entry(bob, organization=council)
    subject = str(ann.public_id)
    assert [e.seq for e in log_entries_for_subject(subject=subject)] == [refused.seq, first.seq]
    assert [e.seq for e in log_entries_for_subject(subject=subject, organization=council.slug)] \
        == [first.seq]
    assert [e.seq for e in log_entries_for_subject(subject=subject, decision="deny")] \
        == [refused.seq]
    assert log_organizations_for_subject(subject=subject) == sorted([council.slug, bank.slug])


def test_no_subject_or_unknown_decision_finds_nothing(ann):
    staff_entry(ann)
    assert not log_entries_for_subject(subject="").exists()
    assert not log_entries_for_subject(subject=str(ann.public_id), decision="maybe").exists()
    assert log_organizations_for_subject(subject="") == []
    assert log_entry_verification(subject="", seq=0) is None


def test_verification_of_a_real_entry(ann):
    entries = [staff_entry(ann) for _ in range(7)]
    tree_head_sign()
    check = log_entry_verification(subject=str(ann.public_id), seq=entries[2].seq)
    assert check.verified
    assert check.leaf_hash == bytes(entries[2].leaf_hash) == check.stored_leaf_hash
    assert check.head.size == 7
    assert merkle.verify_inclusion(2, 7, check.leaf_hash, check.proof, bytes(check.head.root_hash))
    assert check.proof_request == {"seq": entries[2].seq, "tree_size": 7}


def test_an_entry_of_someone_else_is_not_checked_for_me(ann):
    _, bob = resident_with_person()
    entry = staff_entry(bob)
    assert log_entry_verification(subject=str(ann.public_id), seq=entry.seq) is None


@pytest.mark.parametrize(
    "change",
    [{"decision": "permit"}, {"actor_label": "Someone else"}, {"purpose": "fraud-prevention"},
     {"organization": "another-org"}],
)
def test_an_edited_entry_is_not_verified(ann, change):
    entry = staff_entry(ann, decision="deny")
    staff_entry(ann)
    tree_head_sign()
    tamper(entry, **change)
    check = log_entry_verification(subject=str(ann.public_id), seq=entry.seq)
    assert not check.waiting
    assert not check.included and not check.verified
    assert check.leaf_hash != check.stored_leaf_hash
    assert check.leaf_hash == entry_leaf_hash(LogEntry.objects.get(seq=entry.seq))


def test_an_entry_moved_to_another_subject_is_not_verified(ann):
    _, bob = resident_with_person()
    entry = staff_entry(bob)
    tree_head_sign()
    tamper(entry, subject=str(ann.public_id))
    check = log_entry_verification(subject=str(ann.public_id), seq=entry.seq)
    assert check.included  # the hashed fields are intact…
    assert not check.pseudonym_matches and not check.verified  # …but it is not about Ann


def test_a_forged_tree_head_signature_is_reported(ann):
    entry = staff_entry(ann)
    head = tree_head_sign()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TreeHead._meta.db_table} SET signature = %s WHERE id = %s",
                       [b"\x00" * 64, head.pk])
    check = log_entry_verification(subject=str(ann.public_id), seq=entry.seq)
    assert not check.waiting and not check.signature_valid and not check.verified


def test_a_missing_tree_node_is_a_problem_not_a_crash(ann):
    entries = [staff_entry(ann) for _ in range(4)]
    tree_head_sign()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {LogNode._meta.db_table} WHERE key = %s",
                       [merkle.node_key(1, 1)])
    check = log_entry_verification(subject=str(ann.public_id), seq=entries[0].seq)
    assert not check.verified
    assert check.problem


def test_entries_newer_than_the_signed_head_wait_for_the_next_one(ann):
    first = staff_entry(ann)
    check = log_entry_verification(subject=str(ann.public_id), seq=first.seq)
    assert check.waiting and check.head is None and not check.verified  # no head at all yet
    tree_head_sign()
    newer = staff_entry(ann)
    assert signed_size() == 1
    check = log_entry_verification(subject=str(ann.public_id), seq=newer.seq)
    assert check.waiting and check.head.size == 1 and not check.verified
    assert log_entry_verification(subject=str(ann.public_id), seq=first.seq).verified
    tree_head_sign()  # the cadence signs the next head: the entry becomes checkable
    check = log_entry_verification(subject=str(ann.public_id), seq=newer.seq)
    assert not check.waiting and check.verified and check.head.size == 2


def test_an_entry_signed_before_a_key_rotation_still_verifies(ann, key_dir):
    from agora.audit.keys import key_rotate

    entry = staff_entry(ann)
    old_head = tree_head_sign()
    rotation = key_rotate()
    staff_entry(ann)
    new_head = tree_head_sign()
    assert (old_head.key_id, new_head.key_id) == (rotation.old.key_id, rotation.new.key_id)
    check = log_entry_verification(subject=str(ann.public_id), seq=entry.seq)
    assert check.verified and check.head.key_id == rotation.new.key_id
    from agora.audit.person_log import tree_head_signature_valid

    assert tree_head_signature_valid(old_head)
