"""What an append's SQL alone costs on SQLite, beside a bare insert and commit.

`bench.audit_log` times whole appends (Python and SQL) against a bare insert-and-commit.
This one leaves Python out: it times only the statements of one append per transaction,
straight through the sqlite3 module, for the log's own table layout and for simpler
layouts it could have, each taking turns with a bare commit on the same file (as in
`bench.audit_log`). The ratio it prints is the most an append could reach with that
layout if building its rows in Python cost nothing (docs/benchmarks.md, "Transparency log").

Each layout starts from a copy of the same log of 40,000 entries (AGORA_BENCH_SCALE
scales it), made once by Agora's own appends.

    .venv/bin/python -m bench.audit_sqlite_floor
"""

import shutil
import sqlite3
import sys
import time
from pathlib import Path

from bench.throwaway import SCALE, Throwaway

DATABASES = Throwaway(sqlite_name="floor.sqlite3", postgres_db="")
COPY = DATABASES.sqlite_file.with_name("floor-copy.sqlite3")
ENTRIES = int(40_000 * SCALE)
ROUNDS, PER_ROUND = 50, 100
BARE_ROW = "x" * 200

# name: (what it is, SQL run on the copy before timing)
LAYOUTS = {
    "agora": ("Agora's: state row, entry (created_at and subject indexes), nodes", []),
    "one-row": ("one row per append in one table (entry and its nodes), no index", [
        "CREATE TABLE one (seq integer PRIMARY KEY, entry blob, nodes blob)"]),
    "one-row+subject": ("the same, with the subject index", [
        "CREATE TABLE one (seq integer PRIMARY KEY, entry blob, nodes blob, subject text)",
        "CREATE INDEX one_subject ON one (subject)"]),
}


def make_log() -> None:
    """Make the log once, through Agora's appends (batches of 2,000)."""
    DATABASES.remove_sqlite()
    DATABASES.setup("sqlite")
    from django.core.management import call_command
    from django.db import connection

    from bench.audit_log import fill

    call_command("migrate", "audit", verbosity=0)
    fill(ENTRIES)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def _connect() -> sqlite3.Connection:
    """A connection as Agora's settings make them: WAL, synchronous=NORMAL, autocommit."""
    connection = sqlite3.connect(COPY, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


def measure(layout: str) -> dict:
    """Time one layout's appends against bare commits, in turns, on a fresh copy."""
    from django.utils import timezone

    from agora.audit import appends
    from agora.audit.services import _batch
    from bench.audit_log import draft

    for suffix in ("", "-wal", "-shm"):
        Path(f"{COPY}{suffix}").unlink(missing_ok=True)
    shutil.copy(DATABASES.sqlite_file, COPY)
    log, bare = _connect(), _connect()
    for sql in LAYOUTS[layout][1]:
        log.execute(sql)
    bare.execute("CREATE TABLE bench_bare (id integer PRIMARY KEY, data text NOT NULL)")
    move, insert_entry, insert_node = appends._sqlite_statements()
    size, stored = log.execute("SELECT size, frontier FROM audit_logstate").fetchone()
    state = appends.State(size, stored)
    spent = {"append": 0.0, "bare": 0.0}
    key = 0
    for _ in range(ROUNDS):
        began = time.perf_counter()
        for _ in range(PER_ROUND):
            key += 1
            bare.execute("BEGIN IMMEDIATE")
            bare.execute("INSERT INTO bench_bare (id, data) VALUES (?, ?)", (key, BARE_ROW))
            bare.execute("COMMIT")
        spent["bare"] += time.perf_counter() - began
        for _ in range(PER_ROUND):  # rows built in Python, outside the timed statements
            batch = _batch([draft(state.size)], state, timezone.now())
            row = list(batch.rows[0])
            row[1] = str(row[1].replace(tzinfo=None))  # created_at as Django stores it
            began = time.perf_counter()
            log.execute("BEGIN IMMEDIATE")
            if layout == "agora":
                log.execute(move, (batch.size_after, batch.frontier, batch.size, batch.stored))
                log.execute(insert_entry, row)
                log.executemany(insert_node, batch.nodes)
            else:
                values = [row[0], repr(row[1:-1]).encode(), b"".join(h for _, h in batch.nodes)]
                if layout == "one-row+subject":
                    values.append(row[10])
                log.execute(f"INSERT INTO one VALUES ({', '.join('?' * len(values))})",  # noqa: S608
                            values)  # (placeholders only)
            log.execute("COMMIT")
            spent["append"] += time.perf_counter() - began
            state = appends.State(batch.size_after, batch.frontier)
    log.close()
    bare.close()
    done = ROUNDS * PER_ROUND
    return {"layout": layout, "append_us": spent["append"] / done * 1e6,
            "bare_us": spent["bare"] / done * 1e6, "ratio": spent["bare"] / spent["append"]}


def main(repeats: int = 2) -> list[dict]:
    print(f"SQLite append statements alone vs a bare commit, log of {ENTRIES:,} entries, "
          f"{ROUNDS} rounds of {PER_ROUND} each, SQLite {sqlite3.sqlite_version}")
    make_log()
    results = []
    for _ in range(repeats):
        for layout in LAYOUTS:  # layouts take turns too, so a burst of load hits each
            result = measure(layout)
            results.append(result)
            print(f"{layout:16} append {result['append_us']:6.1f} µs, bare commit "
                  f"{result['bare_us']:5.1f} µs: {result['ratio']:.0%}  "
                  f"({LAYOUTS[layout][0]})", flush=True)
    return results


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
