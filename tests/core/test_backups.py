"""Backups and restores on whichever database the suite runs on, into a fresh database.

What an operator notices: the restored database holds the same log and the same signed
heads; a truncated, foreign or mistaken file is refused with a message naming the
problem, and the database it was aimed at is left exactly as it was.
"""

import sqlite3
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from typer.testing import CliRunner

from agora.audit.services import tree_head_sign
from agora.cli import app
from agora.core.backups import BackupError, database_backup, database_restore
from tests.audit.helpers import append

pytestmark = pytest.mark.django_db(transaction=True)
ENGINE = connection.vendor


def log_of(database: dict) -> tuple[int, list[tuple[int, str]]]:
    """Return the number of entries and the (size, root) of every signed head."""
    if ENGINE == "sqlite":
        with sqlite3.connect(database["NAME"]) as db:
            count = db.execute("SELECT count(*) FROM audit_logentry").fetchone()[0]
            heads = db.execute("SELECT size, root_hash FROM audit_treehead ORDER BY size")
            return count, [(size, bytes(root).hex()) for size, root in heads]
    with psycopg.connect(dbname=database["NAME"], host=database["HOST"],
                         port=database["PORT"], user=database["USER"]) as db:
        count = db.execute("SELECT count(*) FROM audit_logentry").fetchone()[0]
        heads = db.execute("SELECT size, root_hash FROM audit_treehead ORDER BY size")
        return count, [(size, bytes(root).hex()) for size, root in heads]


@pytest.fixture
def fresh_database(tmp_path):
    """An empty database of the suite's engine, removed afterwards."""
    if ENGINE == "sqlite":
        yield {**settings.DATABASES["default"], "NAME": str(tmp_path / "fresh.sqlite3")}
        return
    name = f"agora_restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    try:
        yield {**settings.DATABASES["default"], "NAME": name}
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def backup(tmp_path) -> Path:
    """A backup of a database with 37 log entries and two signed heads."""
    append(20, batch=4)
    tree_head_sign()
    append(17)
    tree_head_sign()
    return database_backup(database=settings.DATABASES["default"],
                           target=tmp_path / "backup.bin").path


def test_a_backup_restores_into_a_fresh_database_with_the_same_log(backup, fresh_database):
    original = log_of(settings.DATABASES["default"])
    assert original[0] == 37 and [size for size, _ in original[1]] == [20, 37]
    database_restore(database=fresh_database, source=backup)
    assert log_of(fresh_database) == original


def test_a_backup_never_overwrites_a_file(backup):
    with pytest.raises(BackupError, match="already exists"):
        database_backup(database=settings.DATABASES["default"], target=backup)


def test_a_truncated_backup_is_refused_and_the_database_left_alone(backup, fresh_database,
                                                                   tmp_path):
    database_restore(database=fresh_database, source=backup)
    before = log_of(fresh_database)
    truncated = tmp_path / "truncated.bin"
    truncated.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    with pytest.raises(BackupError, match=r"truncated|damaged"):
        database_restore(database=fresh_database, source=truncated, replace=True)
    assert log_of(fresh_database) == before


def test_a_foreign_file_is_refused(fresh_database, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a backup at all\n")
    with pytest.raises(BackupError, match="is not a"):
        database_restore(database=fresh_database, source=text)
    if ENGINE == "sqlite":  # a SQLite file of another application
        other = tmp_path / "other.sqlite3"
        with sqlite3.connect(other) as db:
            db.execute("CREATE TABLE recipes (name TEXT)")
        with pytest.raises(BackupError, match="not an Agora backup"):
            database_restore(database=fresh_database, source=other)


def test_restoring_over_an_agora_database_needs_replace(backup, fresh_database):
    database_restore(database=fresh_database, source=backup)
    with pytest.raises(BackupError, match="--replace"):
        database_restore(database=fresh_database, source=backup)
    database_restore(database=fresh_database, source=backup, replace=True)
    assert log_of(fresh_database)[0] == 37


def test_the_restore_command_names_the_problem_and_exits_1(tmp_path):
    missing = tmp_path / "nowhere.bin"
    result = CliRunner().invoke(app, ["restore", str(missing)], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert "is not a file" in " ".join(result.stderr.split())
