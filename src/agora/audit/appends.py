"""How an append reaches the database: rows written only if the log is where they were hashed.

An entry's leaf hash covers its position and the new Merkle nodes hash in the log's
*frontier* (the perfect subtrees of `[0, size)`), so an append must know the log's state
before it hashes. Reading and locking the state, inserting the entry, its nodes and
moving the state took four statements and cost 5.4 bare commits on PostgreSQL.

Instead each process remembers the state its last append left (`state_hint`), hashes
against that, and `write` stores the rows and moves the state *only if the state row still
holds exactly that size and frontier*; otherwise it writes nothing and returns the state
it found, locked, so that the append hashes again and its second write cannot miss. The
frontier check is what makes a stale hint harmless: equal frontiers mean equal trees, so
rows hashed against it are right (a hint left by a rolled-back append can name the
current size but never the current frontier). Python stays the only code that hashes.

- PostgreSQL: one statement (below): lock the state row, and if it matches move it and
  insert the entries and nodes (sent as JSON); return what was found. One round trip when
  the hint is right, two when another writer got there first. Outside a caller's
  transaction (autocommit) the statement is the whole transaction (`commits_alone`): a
  right hint costs one round trip in all, not `BEGIN`, statement, `COMMIT`; a wrong one
  wrote nothing, and the append then takes the locked path from the state it found.
- SQLite: the IMMEDIATE transaction already holds the database's only write lock, so an
  `UPDATE … WHERE size = … AND frontier = …` says whether the hint is right, and plain
  inserts follow.

Every statement is plain SQL written once: building it through the ORM cost more than
running it (docs/benchmarks.md, "Transparency log").
"""

import json
import threading
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db import transaction as django_transaction
from django.db.models import Max
from django.utils.asyncio import async_unsafe

from agora.audit.models import LogEntry, LogNode, LogState

ENTRY_FIELDS = LogEntry._meta.concrete_fields  # rows are tuples in this order
_CREATED_AT = [field.name for field in ENTRY_FIELDS].index("created_at")
_ENTRY = LogEntry._meta.db_table
_NODE = LogNode._meta.db_table
_STATE = LogState._meta.db_table


class State(NamedTuple):
    """The log's size and its state row's frontier (the row itself is `LogState`)."""

    size: int
    frontier: bytes


@dataclass(frozen=True)
class Batch:
    """Entries and nodes hashed against the log at `size` (state frontier `stored`)."""

    size: int
    stored: bytes  # the state row's frontier as read: what `write` checks is still there
    rows: list[tuple]  # entry values in ENTRY_FIELDS order
    nodes: list[tuple[int, bytes]]  # (key, hash)
    frontier: bytes  # the frontier of [0, size + len(rows)), stored with the new size

    @property
    def size_after(self) -> int:
        return self.size + len(self.rows)


class _Hint(threading.local):
    state: tuple[str, int, bytes] | None = None  # (connection alias, size, frontier)
    contended: bool = False  # this thread's last append found another writer's rows first


_hint = _Hint()


def state_hint() -> State | None:
    """Return the log state this thread's last append left, if any: a guess `write` checks."""
    if _hint.state is None or _hint.state[0] != DEFAULT_DB_ALIAS:
        return None
    _, size, frontier = _hint.state
    return State(size, frontier)


def state_locked() -> State:
    """Return the log state row, locked until the transaction ends (made on first use)."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT size, frontier FROM {_STATE} WHERE id = 1{lock}")  # noqa: S608
        row = cursor.fetchone()
        if row is None:
            # Plain SQL rather than the ORM, whose writes would open a transaction of
            # their own inside the append's (`transaction`).
            top = LogEntry.objects.aggregate(top=Max("seq"))["top"]
            cursor.execute(
                f"INSERT INTO {_STATE} (id, size, frontier) VALUES (1, %s, %s) "  # noqa: S608
                "ON CONFLICT DO NOTHING", [0 if top is None else top + 1, b""],
            )
            return state_locked()
    return State(row[0], bytes(row[1] or b""))


def commits_alone() -> bool:
    """Say whether one statement is a transaction of its own: PostgreSQL in autocommit.

    Outside any caller's transaction on PostgreSQL, an append whose hint is right is one
    statement with no `BEGIN` or `COMMIT` around it: one round trip instead of three
    (docs/benchmarks.md). The statement either moves the state and writes every row or
    writes nothing, so it needs no transaction around it to stay all-or-nothing.
    """
    if _hint.contended:
        # Others are writing: a statement on its own would most likely miss and cost a
        # round trip before the locked path, so take that path at once until an append
        # meets no other writer again (`note_contention`).
        return False
    db = connections[DEFAULT_DB_ALIAS]
    return (db.vendor == "postgresql" and db.connection is not None and db.autocommit
            and not db.in_atomic_block)


def note_contention(missed: bool) -> None:
    """Remember whether this thread's last append missed, i.e. another writer moved the log."""
    _hint.contended = missed


def transaction():
    """Return the transaction an append runs in: the caller's, or on SQLite its own.

    Inside a caller's transaction (every personal-data read), Django's `atomic` without a
    savepoint: a failed append dooms the caller's change. Outside one, on SQLite, the
    append opens `BEGIN IMMEDIATE` and commits on the sqlite3 connection itself: Django's
    `atomic` around it cost ~45 µs, as much as the append's SQL (docs/benchmarks.md).
    """
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: each `connection.x` looks it up
    if (db.vendor == "sqlite" and db.connection is not None and db.autocommit
            and not db.in_atomic_block):
        return _OwnSQLiteTransaction(db)
    return django_transaction.atomic(savepoint=False)


class _OwnSQLiteTransaction:
    """`BEGIN IMMEDIATE` … `COMMIT` on the driver's connection, rolled back on any error.

    Only for a connection in autocommit outside any `atomic` block, so Django has no
    transaction state to keep; database errors reach the caller as Django's own.
    """

    def __init__(self, wrapper):
        self.wrapper = wrapper

    @async_unsafe  # as Django's own cursor and transaction are
    def __enter__(self) -> None:
        self.wrapper.validate_thread_sharing()
        with self.wrapper.wrap_database_errors:
            self.wrapper.connection.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, error, traceback) -> bool:
        raw = self.wrapper.connection
        with self.wrapper.wrap_database_errors:
            if kind is None:
                try:
                    raw.execute("COMMIT")
                    return False
                except BaseException:
                    if raw.in_transaction:
                        raw.execute("ROLLBACK")
                    raise
            if raw.in_transaction:
                raw.execute("ROLLBACK")
        return False


def write(batch: Batch) -> State | None:
    """Store the batch if the log is still where it was hashed; else return the state found.

    The state returned is locked until the transaction ends, so a batch rebuilt on it is
    written by the next call. Nothing is written when the state has moved.
    """
    db = connections[DEFAULT_DB_ALIAS]
    found = _write_postgresql(batch) if db.vendor == "postgresql" else _write_sqlite(batch, db)
    _hint.state = (
        None if found is not None else (DEFAULT_DB_ALIAS, batch.size_after, batch.frontier)
    )
    return found


# --- PostgreSQL: one statement ------------------------------------------------------------


# `found` locks the state row (waiting for a writer that holds it, then seeing what that
# writer left); `moved` updates it only if it is what the batch was hashed against; the
# inserts take their rows only through `moved`, so a stale batch writes nothing at all.
# Rows travel as one JSON document per table, read back into the table's own row type:
# psycopg's adaptation of one array per column cost ~220 µs an append, more than the
# statement itself (~120 µs on the server).
_POSTGRESQL_APPEND = f"""
    WITH found AS MATERIALIZED (
        SELECT size, frontier FROM {_STATE} WHERE id = 1 FOR UPDATE
    ), moved AS (
        UPDATE {_STATE} SET size = %(size_after)s, frontier = %(frontier)s
        WHERE id = 1 AND (SELECT size = %(size)s AND frontier = %(stored)s FROM found)
        RETURNING 1
    ), entries AS (
        INSERT INTO {_ENTRY}
        SELECT e.* FROM moved, json_populate_recordset(NULL::{_ENTRY}, %(entries)s::json) AS e
    ), nodes AS (
        INSERT INTO {_NODE}
        SELECT n.* FROM moved, json_populate_recordset(NULL::{_NODE}, %(nodes)s::json) AS n
    )
    SELECT size, frontier, EXISTS (SELECT FROM moved) FROM found
"""  # noqa: S608 (table names from the models; every value is a parameter)
_ENTRY_KEYS = [field.column for field in ENTRY_FIELDS]
_BYTES = [n for n, field in enumerate(ENTRY_FIELDS) if field.get_internal_type() == "BinaryField"]


def _bytea(value: bytes) -> str:
    """Return bytes as PostgreSQL's bytea input reads them from a JSON string."""
    return "\\x" + value.hex()


def _entries_json(rows: list[tuple]) -> str:
    """Return the entries as a JSON array of objects keyed by column, for the statement."""
    stamp = rows[0][_CREATED_AT].isoformat()  # timestamptz input; one time per batch
    documents = []
    for row in rows:
        document = dict(zip(_ENTRY_KEYS, row, strict=True))
        document[_ENTRY_KEYS[_CREATED_AT]] = stamp
        for n in _BYTES:
            document[_ENTRY_KEYS[n]] = _bytea(row[n])
        documents.append(document)
    return json.dumps(documents, ensure_ascii=False, separators=(",", ":"))


def _nodes_json(nodes: list[tuple[int, bytes]]) -> str:
    return json.dumps([{"key": key, "hash": _bytea(digest)} for key, digest in nodes],
                      separators=(",", ":"))


def _write_postgresql(batch: Batch) -> State | None:
    params = {
        "size": batch.size, "stored": batch.stored,
        "size_after": batch.size_after, "frontier": batch.frontier,
        "entries": _entries_json(batch.rows),
        "nodes": _nodes_json(batch.nodes),
    }
    with connection.cursor() as cursor:
        cursor.execute(_POSTGRESQL_APPEND, params)
        row = cursor.fetchone()
    if row is None:  # no state row yet: make it
        return state_locked()
    size, frontier, written = row
    return None if written else State(size, bytes(frontier or b""))


# --- SQLite: the transaction holds the write lock -----------------------------------------

@cache
def _sqlite_statements() -> tuple[str, str, str]:
    """Return the statements of an append: move the state if unchanged, insert the rows."""
    columns = ", ".join(connection.ops.quote_name(field.column) for field in ENTRY_FIELDS)
    placeholders = ", ".join(["?"] * len(ENTRY_FIELDS))
    # Table and column names come from the models, values are parameters.
    return (
        f"UPDATE {_STATE} SET size = ?, frontier = ? "  # noqa: S608
        "WHERE id = 1 AND size = ? AND frontier = ?",
        f"INSERT INTO {_ENTRY} ({columns}) VALUES ({placeholders})",  # noqa: S608
        f"INSERT INTO {_NODE} (key, hash) VALUES (?, ?)",  # noqa: S608
    )


def _write_sqlite(batch: Batch, db) -> State | None:
    """Run the statements on the sqlite3 connection itself, with `?` placeholders.

    Django's cursor wrapper cost ~8 µs a statement, about what SQLite took to run it.
    """
    move, insert_entry, insert_node = _sqlite_statements()
    stamp = db.ops.adapt_datetimefield_value(batch.rows[0][_CREATED_AT])
    raw = db.connection
    with db.wrap_database_errors:
        if raw.execute(move, (batch.size_after, batch.frontier, batch.size, batch.stored)
                       ).rowcount != 1:
            return state_locked()
        raw.executemany(insert_entry, [
            (*row[:_CREATED_AT], stamp, *row[_CREATED_AT + 1:]) for row in batch.rows
        ])
        raw.executemany(insert_node, batch.nodes)
    return None
