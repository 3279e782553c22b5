"""Benchmark the transparency log on SQLite and PostgreSQL (figures in docs/benchmarks.md).

For each database it measures: batched appends from 4 writer processes, appends one
entry per transaction beside a bare insert-and-commit on the same database (the ratio of
the two is the figure that travels between machines), `log_verify` over a log of 1M
entries, and inclusion proofs at 10M entries (p50/p95 of 1,000 random proofs, through the
selector and through the API).

Each database is throwaway: var/bench/audit.sqlite3, and `agora_bench` on the local
PostgreSQL (created and dropped here, `AGORA_BENCH_PG_DB` to name another; skipped when
PostgreSQL is unreachable).
AGORA_BENCH_SCALE (default 1) scales every size, e.g. 0.01 for a quick run.

    .venv/bin/python -m bench.audit_log            # both databases
    .venv/bin/python -m bench.audit_log sqlite     # one, in this process
"""

import datetime
import json
import multiprocessing
import os
import platform
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

from bench.throwaway import SCALE, Throwaway

# AGORA_BENCH_PG_DB names the PostgreSQL database, for engineers sharing one server.
DATABASES = Throwaway(sqlite_name="audit.sqlite3",
                      postgres_db=os.environ.get("AGORA_BENCH_PG_DB", "agora_bench"))
SQLITE_FILE = DATABASES.sqlite_file

WRITERS, BATCH = 4, 100
SIZES = {
    "batched": int(40_000 * SCALE),  # split over the 4 writers
    "single": int(5_000 * SCALE),
    "verify": int(1_000_000 * SCALE),
    "proofs_at": int(10_000_000 * SCALE),
}
PROOFS = 1_000


def setup(which: str) -> None:
    DATABASES.setup(which)


def draft(number: int):
    from agora.audit.services import AuditActor, EntryDraft

    return EntryDraft(
        actor=AuditActor(kind="client", id=f"client-{number % 13}", label="Housing app"),
        action="record.read", decision="permit" if number % 5 else "deny",
        reason=f"agreement A-{number % 97}: housing support", organization="riverton-council",
        purpose="case-management", legal_basis="Art. 6(1)(e)", subject=f"p-{number % 5000}",
        resource_type="record", resource_id=f"rec-{number}",
    )


def _writer(which: str, count: int, start_at: float, done) -> None:
    setup(which)
    from agora.audit.services import log_append_many

    while time.time() < start_at:
        time.sleep(0.001)
    for offset in range(0, count, BATCH):
        log_append_many([draft(n) for n in range(offset, min(count, offset + BATCH))])
    done.put(time.time())


def bench_batched(which: str) -> dict:
    total = SIZES["batched"]
    context = multiprocessing.get_context("spawn")
    done = context.Queue()
    start_at = time.time() + 6  # after every writer has set Django up
    writers = [context.Process(target=_writer, args=(which, total // WRITERS, start_at, done))
               for _ in range(WRITERS)]
    for writer in writers:
        writer.start()
    finished = max(done.get() for _ in writers)
    for writer in writers:
        writer.join()
    return {"entries": total, "seconds": finished - start_at,
            "per_second": total / (finished - start_at)}


ROUNDS = 50  # single appends and bare commits take turns, so load from others hits all
BARE_ROW = "x" * 200
# The cheapest keyed table each database has: SQLite's rowid, as Django's own auto keys.
BARE_TABLE = {
    "sqlite": "CREATE TABLE bench_bare (id integer PRIMARY KEY, data text NOT NULL)",
    "postgres": "CREATE TABLE bench_bare (id bigint PRIMARY KEY, data text NOT NULL)",
}


def _bare_driver(which: str):
    """Return (insert one row and commit, close), straight through the database's driver.

    Same server and settings as Agora's: psycopg with a transaction per row (BEGIN, INSERT,
    COMMIT); the sqlite3 module on the same file in WAL with synchronous=NORMAL and
    `BEGIN IMMEDIATE`, as Agora's SQLite settings make every transaction.
    """
    if which == "postgres":
        import psycopg

        connection = psycopg.connect(DATABASES.url(which))

        def insert(key: int) -> None:
            connection.execute("INSERT INTO bench_bare (id, data) VALUES (%s, %s)",
                               [key, BARE_ROW])
            connection.commit()
    else:
        connection = sqlite3.connect(SQLITE_FILE, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")

        def insert(key: int) -> None:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("INSERT INTO bench_bare (id, data) VALUES (?, ?)",
                               (key, BARE_ROW))
            connection.execute("COMMIT")
    return insert, connection.close


def _bare_django(key: int) -> None:
    """Insert one row and commit through Django's connection, as a service would."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_bare (id, data) VALUES (%s, %s)", [key, BARE_ROW])


def _change_with_append(key: int) -> None:
    """Insert one row and append its entry in one transaction, as a personal-data read does.

    Every caller appends inside its own transaction, so this, beside `_bare_django`, is
    what an append adds to a request: one statement and its hashing, never a commit.
    """
    from django.db import connection, transaction

    from agora.audit.services import log_append_many

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_bare (id, data) VALUES (%s, %s)", [key, BARE_ROW])
        log_append_many([draft(key)])


def _rate(count: int, seconds: float) -> dict:
    return {"entries": count, "seconds": seconds, "per_second": count / seconds}


def bench_single(which: str) -> dict:
    """Time appends of one entry per transaction against bare inserts and commits.

    The four take turns in ROUNDS rounds on the same database, so a burst of load from
    elsewhere slows all of them rather than one: the bare insert through the driver and
    through Django, the append on its own, and the Django insert with an append in its
    transaction (what a personal-data read pays for its entry).
    """
    from django.db import connection

    from agora.audit.services import log_append_many

    count = SIZES["single"]
    with connection.cursor() as cursor:
        cursor.execute(BARE_TABLE[which])
    driver_insert, driver_close = _bare_driver(which)
    per_round = count // ROUNDS
    spent = {"append": 0.0, "driver": 0.0, "django": 0.0, "in_transaction": 0.0}
    offset = {"driver": 0, "append": 0, "django": count, "in_transaction": 2 * count}
    for turn in range(ROUNDS):
        first = turn * per_round
        for name, step in (("driver", driver_insert), ("django", _bare_django),
                           ("append", lambda n: log_append_many([draft(n)])),
                           ("in_transaction", _change_with_append)):
            key = first + offset[name]
            began = time.perf_counter()
            for number in range(key, key + per_round):
                step(number)  # one transaction each
            spent[name] += time.perf_counter() - began
    driver_close()
    done = per_round * ROUNDS
    appends, driver, django, within = (
        _rate(done, spent[name]) for name in ("append", "driver", "django", "in_transaction"))
    return {**appends, "bare_driver": driver, "bare_django": django,
            "ratio": appends["per_second"] / driver["per_second"],
            "ratio_django": appends["per_second"] / django["per_second"],
            "in_transaction": within,
            "ratio_in_transaction": within["per_second"] / django["per_second"]}


def fill(target: int) -> None:
    """Append entries (batches of 2,000) until the log holds `target`."""
    from agora.audit.selectors import log_size
    from agora.audit.services import log_append_many

    size = log_size()
    while size < target:
        step = min(2_000, target - size)
        log_append_many([draft(n) for n in range(size, size + step)])
        size += step
        if size % 100_000 < step:
            print(f"  … {size:,} entries", file=sys.stderr, flush=True)


def bench_verify() -> dict:
    from agora.audit.services import tree_head_sign
    from agora.audit.verify import log_verify

    fill(SIZES["verify"] // 2)
    tree_head_sign()
    fill(SIZES["verify"])
    tree_head_sign()
    began = time.perf_counter()
    report = log_verify()
    seconds = time.perf_counter() - began
    assert report.ok, report.problem
    return {"entries": report.entries, "nodes": report.nodes, "heads": report.heads,
            "seconds": seconds}


def _nodes(size: int):
    """Yield (key, hash) of every perfect subtree of `size` synthetic leaves, in key order."""
    from agora.audit import merkle

    stack: list[bytes] = []
    for leaf in range(size):
        current = merkle.leaf_hash(leaf.to_bytes(8, "big"))
        yield merkle.node_key(0, leaf), current
        level, index = 0, leaf
        while index & 1:
            current = merkle.node_hash(stack.pop(), current)
            level, index = level + 1, index >> 1
            yield merkle.node_key(level, index), current
        stack.append(current)


def bulk_load_nodes(size: int) -> None:
    """Empty the log and load the nodes of `size` synthetic leaves directly (fast path)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for table in ("audit_treehead", "audit_lognode", "audit_logentry", "audit_logstate"):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed names)
        if connection.vendor == "postgresql":
            with cursor.cursor.copy("COPY audit_lognode (key, hash) FROM STDIN") as copy:
                for row in _nodes(size):
                    copy.write_row(row)
        else:
            rows = _nodes(size)
            while chunk := [row for _, row in zip(range(50_000), rows, strict=False)]:
                cursor.executemany("INSERT INTO audit_lognode (key, hash) VALUES (%s, %s)", chunk)
        cursor.execute("INSERT INTO audit_logstate (id, size, frontier) VALUES (1, %s, %s)",
                       [size, b""])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE audit_lognode")


def _percentiles(samples: list[float]) -> dict:
    samples = sorted(samples)
    return {"p50_ms": statistics.median(samples) * 1000,
            "p95_ms": samples[int(len(samples) * 0.95) - 1] * 1000}


def bench_proofs() -> dict:
    from django.test import Client

    from agora.audit import merkle
    from agora.audit.selectors import inclusion_proof, tree_root

    size = SIZES["proofs_at"]
    began = time.perf_counter()
    bulk_load_nodes(size)
    load_seconds = time.perf_counter() - began
    root = tree_root(size)
    rng = random.Random(10)  # noqa: S311 (which proofs to time, not a secret)
    selector, api = [], []
    client = Client()
    for _ in range(PROOFS):
        seq = rng.randrange(size)
        began = time.perf_counter()
        proof = inclusion_proof(seq=seq, tree_size=size)
        selector.append(time.perf_counter() - began)
        assert merkle.verify_inclusion(seq, size, proof.leaf_hash, proof.proof, root)
        began = time.perf_counter()
        response = client.get("/api/v1/audit/proofs/inclusion", {"seq": seq, "tree_size": size})
        api.append(time.perf_counter() - began)
        assert response.status_code == 200
    return {"tree_size": size, "load_seconds": load_seconds,
            "selector": _percentiles(selector), "api": _percentiles(api)}


def settle(which: str) -> None:
    """Let the database finish the previous phase's background work before the next.

    Right after 40,000 batched appends, autovacuum and the checkpointer were still busy
    and the single-append phase measured 373/s instead of about 650/s. Each phase is
    measured from the same quiet state instead.
    """
    if which != "postgres":
        return
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) audit_logentry, audit_lognode, audit_logstate")
        cursor.execute("CHECKPOINT")


def _server() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def run(which: str) -> dict:
    """Run every benchmark on one database, in this process; return the figures."""
    setup(which)
    from django.core.management import call_command

    call_command("migrate", "audit", verbosity=0)
    results = {"database": which, "server": _server()}
    for name, bench in (("batched", lambda: bench_batched(which)),
                        ("single", lambda: bench_single(which)),
                        ("verify", bench_verify), ("proofs", bench_proofs)):
        settle(which)
        print(f"{which}: {name}…", file=sys.stderr, flush=True)
        results[name] = bench()
        print(f"{which}: {name} {json.dumps(results[name])}", file=sys.stderr, flush=True)
    return results


def _postgres(action: str) -> bool:
    return DATABASES.postgres(action)


def machine() -> str:
    """Return what the figures depend on: cores, CPU, the date and the load at the start."""
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    model = next((line.split(":", 1)[1].strip() for line in lines
                  if line.startswith("model name")), platform.processor() or "unknown CPU")
    now = datetime.datetime.now(datetime.UTC)
    return (f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}, "
            f"{now:%Y-%m-%d %H:%M} UTC, load average {os.getloadavg()[0]:.1f} at the start")


def main() -> list[dict]:
    """Run the benchmarks on SQLite and (if reachable) PostgreSQL, each in a fresh process."""
    print(f"Transparency log benchmarks (AGORA_BENCH_SCALE={SCALE}): {SIZES}")
    print(f"Machine: {machine()}")
    figures = DATABASES.run_each("bench.audit_log")
    for result in figures:
        print(report(result))
    return figures


def report(result: dict) -> str:
    batched, single = result["batched"], result["single"]
    verify, proofs = result["verify"], result["proofs"]
    return "\n".join([
        f"== {result['database']} ({result['server']})",
        f"batched appends, {WRITERS} writers x {BATCH}/transaction: "
        f"{batched['per_second']:,.0f} entries/s ({batched['entries']:,} in "
        f"{batched['seconds']:.1f} s; target >= 2,000)",
        f"single appends, 1 per transaction: {single['per_second']:,.0f} entries/s "
        f"({single['entries']:,} in {single['seconds']:.1f} s; target >= 500)",
        f"bare insert and commit: {single['bare_driver']['per_second']:,.0f}/s through the "
        f"driver, {single['bare_django']['per_second']:,.0f}/s through Django; single appends "
        f"at {single['ratio']:.0%} of the driver's rate (target >= 50%), "
        f"{single['ratio_django']:.0%} of Django's",
        f"an insert and its append in one transaction (as a personal-data read): "
        f"{single['in_transaction']['per_second']:,.0f}/s, "
        f"{single['ratio_in_transaction']:.0%} of the insert alone through Django",
        f"log_verify: {verify['entries']:,} entries, {verify['nodes']:,} nodes, "
        f"{verify['heads']} heads in {verify['seconds']:.1f} s (target < 60 s)",
        f"inclusion proof at {proofs['tree_size']:,}: selector p50 "
        f"{proofs['selector']['p50_ms']:.2f} ms, p95 {proofs['selector']['p95_ms']:.2f} ms; "
        f"API p50 {proofs['api']['p50_ms']:.2f} ms, p95 {proofs['api']['p95_ms']:.2f} ms "
        f"(target < 5 ms; nodes loaded in {proofs['load_seconds']:.0f} s)",
    ])


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(json.dumps(run(sys.argv[1])))
    else:
        main()
