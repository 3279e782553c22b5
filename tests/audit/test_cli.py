"""`agora audit verify`, `sign-head`, `agora keys` and `agora worker`, run in-process."""

import pytest
from django.db import connection
from django.utils import timezone
from typer.testing import CliRunner

from agora.audit.models import SigningKey, TreeHead, TreeHeadSchedule
from agora.cli import app
from tests.audit.helpers import append

pytestmark = pytest.mark.django_db
runner = CliRunner()


def agora(*args):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def test_sign_head_then_verify_succeeds():
    append(12, batch=5)
    result = agora("audit", "sign-head")
    assert result.exit_code == 0, result.output
    assert "size 12" in result.output and TreeHead.objects.filter(size=12).exists()
    result = agora("audit", "verify")
    assert result.exit_code == 0, result.output
    assert "12 entries" in result.output and "1 signed tree heads" in result.output


def test_verify_exits_1_naming_the_first_bad_entry():
    append(9)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_logentry SET purpose = 'marketing' WHERE seq = 4")
    result = agora("audit", "verify")
    assert result.exit_code == 1
    assert "edited at entry 4" in result.output


def test_keys_rotate_prints_the_new_key_and_heads_keep_verifying(key_dir):
    append(4)
    agora("audit", "sign-head")
    result = agora("keys", "rotate")
    assert result.exit_code == 0, result.output
    new = SigningKey.objects.get(valid_until__isnull=True)
    assert f"New platform key {new.key_id}" in result.output
    assert str(key_dir / f"{new.key_id}.pem") in result.output
    append(2)
    agora("audit", "sign-head")
    result = agora("audit", "verify")
    assert result.exit_code == 0 and "2 signed tree heads" in result.output
    listing = agora("keys", "list").output
    assert new.key_id in listing and "now (current)" in listing and listing.count("until") == 2


def test_keys_rotate_interrupted_says_so_exits_1_and_changes_nothing(key_dir, monkeypatch):
    before = agora("keys", "list").output

    def crash(**fields):
        raise ConnectionError("the database went away")

    monkeypatch.setattr(SigningKey.objects, "create", crash)
    result = agora("keys", "rotate")
    monkeypatch.undo()
    assert result.exit_code == 1
    assert "Could not record the new key in the database" in result.output
    assert agora("keys", "list").output == before


def test_worker_batch_seeds_the_cadence_and_signs_a_head(monkeypatch):
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)  # pytest owns it
    append(6)
    result = agora("worker", "--batch")
    assert result.exit_code == 0, result.output
    assert list(TreeHead.objects.values_list("size", flat=True)) == [6]
    assert TreeHeadSchedule.objects.get().next_run_at > timezone.now()
