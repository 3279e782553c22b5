"""The key ring: published keys, rotation, old signatures verifying after it, failing closed."""

import importlib

import pytest
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from agora.audit import keys
from agora.audit.canonical import head_message
from agora.audit.exceptions import KeyRotationFailed, PlatformKeyUnavailable
from agora.audit.models import SigningKey, TreeHead
from agora.audit.services import tree_head_sign
from agora.audit.verify import log_verify
from agora.core import platform_key
from tests.audit.helpers import append

pytestmark = pytest.mark.django_db


def test_the_ring_starts_with_the_platform_key_and_publishes_it():
    current = keys.signing_key_current()
    initial = platform_key.initial_private_key()
    assert current.key_id == platform_key.key_id(initial.public_key())
    assert bytes(current.public_key) == platform_key.public_raw(initial.public_key())
    assert current.valid_until is None
    assert [key.key_id for key in keys.keys_published()] == [current.key_id]


def test_after_a_rotation_new_heads_use_the_new_key_and_old_heads_still_verify(key_dir):
    append(5)
    old_head = tree_head_sign()
    rotation = keys.key_rotate()
    append(4)
    new_head = tree_head_sign()
    assert old_head.key_id == rotation.old.key_id != new_head.key_id == rotation.new.key_id
    assert rotation.old.valid_until == rotation.new.valid_from
    assert keys.signing_key_current().key_id == rotation.new.key_id
    assert (key_dir / f"{rotation.new.key_id}.pem").exists()
    for head in (old_head, new_head):
        message = head_message(head.size, bytes(head.root_hash), head.signed_at)
        assert keys.verify(head.key_id, bytes(head.signature), message)
    report = log_verify()
    assert report.ok and report.heads == 2
    keys.key_rotate()
    assert len(keys.keys_published()) == 3 and log_verify().ok


def test_a_head_whose_key_id_was_changed_does_not_verify(key_dir):
    append(3)
    head = tree_head_sign()
    other = keys.key_rotate().new.key_id
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TreeHead._meta.db_table} SET key_id = %s WHERE id = %s",
                       [other, head.pk])
    report = log_verify()
    assert report.problem.kind == "bad-head-signature"
    assert other in report.problem.detail


def test_a_rotation_that_cannot_write_its_key_file_changes_nothing(key_dir):
    before = keys.signing_key_current()
    key_dir.write_text("a file where the key folder should be")
    with pytest.raises(KeyRotationFailed, match="Could not write the new key file"):
        keys.key_rotate()
    assert list(SigningKey.objects.values_list("key_id", flat=True)) == [before.key_id]
    assert SigningKey.objects.get().valid_until is None


def test_a_rotation_interrupted_after_the_file_changes_nothing(key_dir, monkeypatch):
    append(2)
    before = keys.signing_key_current()

    def crash(**fields):
        raise ConnectionError("the database went away")

    monkeypatch.setattr(SigningKey.objects, "create", crash)
    with pytest.raises(KeyRotationFailed) as failed:
        keys.key_rotate()
    assert "the old key" in failed.value.detail and before.key_id in failed.value.detail
    monkeypatch.undo()
    ring = SigningKey.objects.get()
    assert ring.key_id == before.key_id and ring.valid_until is None  # the end rolled back
    assert len(list(key_dir.iterdir())) == 1  # the unused new key file, named in the message
    assert tree_head_sign().key_id == before.key_id
    assert log_verify().ok


def test_signing_fails_closed_when_the_current_key_is_not_reachable(key_dir):
    rotation = keys.key_rotate()
    (key_dir / f"{rotation.new.key_id}.pem").unlink()
    platform_key.forget_loaded_keys()
    append(1)
    with pytest.raises(PlatformKeyUnavailable, match=rotation.new.key_id):
        tree_head_sign()
    assert not TreeHead.objects.exists()


def test_the_upgrade_names_the_key_of_heads_signed_before_key_ids():
    append(3)
    head = tree_head_sign()
    from django.db import connection

    with connection.cursor() as cursor:  # as the table was before the upgrade
        cursor.execute(f"UPDATE {TreeHead._meta.db_table} SET key_id = ''")
    SigningKey.objects.all().delete()
    migration = importlib.import_module(
        "agora.audit.migrations.0004_signing_keys_cadence_witness"
    )
    historical = MigrationLoader(connection).project_state(
        ("audit", "0004_signing_keys_cadence_witness")).apps
    migration.stamp_existing_heads(historical, None)
    ring = SigningKey.objects.get()
    assert TreeHead.objects.get().key_id == ring.key_id == head.key_id
    assert ring.valid_from == head.signed_at and ring.valid_from <= timezone.now()
    assert log_verify().ok
