"""Benchmark the transparency log on SQLite and PostgreSQL (figures in docs/benchmarks.md).

For each database it measures: batched appends from 4 writer processes, appends one
entry per transaction, `log_verify` over a log of 1M entries, and inclusion proofs at
10M entries (p50/p95 of 1,000 random proofs, through the selector and through the API).

Each database is throwaway: var/bench/audit.sqlite3, and `agora_bench` on the local
PostgreSQL (created and dropped here; skipped when PostgreSQL is unreachable).
AGORA_BENCH_SCALE (default 1) scales every size, e.g. 0.01 for a quick run.

    .venv/bin/python -m bench.audit_log            # both databases
    .venv/bin/python -m bench.audit_log sqlite     # one, in this process
"""

import json
import multiprocessing
import random
import statistics
import sys
import time

from bench.throwaway import SCALE, Throwaway

DATABASES = Throwaway(sqlite_name="audit.sqlite3", postgres_db="agora_bench")
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


def bench_single() -> dict:
    from agora.audit.services import log_append_many

    count = SIZES["single"]
    began = time.perf_counter()
    for number in range(count):
        log_append_many([draft(number)])  # one transaction per entry
    seconds = time.perf_counter() - began
    return {"entries": count, "seconds": seconds, "per_second": count / seconds}


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


def run(which: str) -> dict:
    """Run every benchmark on one database, in this process; return the figures."""
    setup(which)
    from django.core.management import call_command

    call_command("migrate", "audit", verbosity=0)
    results = {"database": which}
    for name, bench in (("batched", lambda: bench_batched(which)), ("single", bench_single),
                        ("verify", bench_verify), ("proofs", bench_proofs)):
        settle(which)
        print(f"{which}: {name}…", file=sys.stderr, flush=True)
        results[name] = bench()
        print(f"{which}: {name} {json.dumps(results[name])}", file=sys.stderr, flush=True)
    return results


def _postgres(action: str) -> bool:
    return DATABASES.postgres(action)


def main() -> list[dict]:
    """Run the benchmarks on SQLite and (if reachable) PostgreSQL, each in a fresh process."""
    print(f"Transparency log benchmarks (AGORA_BENCH_SCALE={SCALE}): {SIZES}")
    figures = DATABASES.run_each("bench.audit_log")
    for result in figures:
        print(report(result))
    return figures


def report(result: dict) -> str:
    batched, single = result["batched"], result["single"]
    verify, proofs = result["verify"], result["proofs"]
    return "\n".join([
        f"== {result['database']}",
        f"batched appends, {WRITERS} writers x {BATCH}/transaction: "
        f"{batched['per_second']:,.0f} entries/s ({batched['entries']:,} in "
        f"{batched['seconds']:.1f} s; target >= 2,000)",
        f"single appends, 1 per transaction: {single['per_second']:,.0f} entries/s "
        f"({single['entries']:,} in {single['seconds']:.1f} s; target >= 500)",
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
