"""Time the reads people wait for, at size, through the application (docs/benchmarks.md).

Target (issue 15): with 1M records, 300k people and 10M log entries, on SQLite and on
PostgreSQL, each of these answers at p95 in under 50 ms in the application, and the
access filter costs at most 1.5x the same query without it:

    category-page       a caseworker of X: the newest 50 records of one category it may
                        read (`records.selectors.records_in_category`, each read logged)
    category-sparse     the same where the caseworker may read only a small share of the
                        category: case history, whose records about no one are internal
                        here, read by caseworkers of the smaller organisations
    person-records      a caseworker of X: one person's records for a purpose
                        (`records_for_person`, as the single view and the API call it)
    who-has-seen-me     a resident with thousands of log entries opens "who has seen my
                        data" (`portal.activity.activity_list`'s selectors: the
                        organisations named, the count and one page of 25, newest first)
    dpo-month           a data protection officer's access report for one month
                        (`console.views_dpo.access_report`'s selectors: the organisations
                        that acted, the count and first page, the counts per organisation,
                        purpose and result, the refused count)

Each is timed three ways in the same run, taking turns: the **application** call (what a
page or API handler waits for, log appends included); the **filtered** query through the
ORM (the records queries only: the query the selector runs, without the decisions and the
log); and the **bare** baseline, the same query without the access filter (for the log's
reads, which have no access filter, the page query's SQL alone on a cursor).

The world is `bench.access_filter`'s (50 organisations, 300k people, 1M records,
agreements, consents; AGORA_BENCH_SCALE scales it), plus a log of 10M entries over a
year, bulk-loaded (the Merkle nodes are not: nothing here verifies, and the appends hash
against a stand-in frontier). AGORA_BENCH_KEEP=1 keeps the databases
(var/bench/latency.sqlite3, `agora_bench_latency`; the scale appended when not 1) and
uses a built world again on the
next run (migrations new since then are applied first). The plans of every query of one
application call of each scenario go to var/bench/latency-plans-<database>.txt
(`EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN (ANALYZE, BUFFERS)` on PostgreSQL).

    .venv/bin/python -m bench.latency            # both databases
    .venv/bin/python -m bench.latency sqlite     # one, in this process
"""

import json
import os
import random
import statistics
import sys
import time
import uuid
from datetime import timedelta
from types import SimpleNamespace

from bench import access_filter
from bench.audit_log import machine
from bench.bulk import bulk_rows
from bench.throwaway import BENCH_DIR, SCALE, Throwaway

# A kept world is kept per scale, so a small one is never taken for the full one.
_SUFFIX = "" if SCALE == 1 else f"_{str(SCALE).replace('.', '_')}"
DATABASES = Throwaway(sqlite_name=f"latency{_SUFFIX}.sqlite3",
                      postgres_db=f"agora_bench_latency{_SUFFIX}")
KEEP = os.environ.get("AGORA_BENCH_KEEP") == "1"
NOW = access_filter.NOW
SIZES = {**access_filter.SIZES, "log_entries": max(50_000, int(10_000_000 * SCALE))}
LOG_DAYS = 365  # the log covers the year up to NOW
HEAVY_RESIDENTS = 20  # each gets about 0.05 % of the log: 5,000 entries at full size
ITERATIONS, WARMUP = 200, 30
# Each scenario stops early after this many seconds (at least 20 measured iterations, and
# at least 6 warm-ups: PostgreSQL settles on a generic plan after five executions).
BUDGET = float(os.environ.get("AGORA_BENCH_BUDGET", "240"))
TARGET_MS, TARGET_RATIO = 50.0, 1.5
SPARSE_CATEGORY = "case-history"
ACTIONS = [  # (action, share, has a record, has a subject)
    ("record.read", 70, True, True), ("record.list", 8, False, True),
    ("person.lookup", 12, False, True), ("agreement.activate", 2, False, False),
    ("consent.give", 4, False, True), ("log.read", 4, False, False),
]


# --- the world ------------------------------------------------------------------------


def _world_built() -> bool:
    from agora.audit.models import LogState

    state = LogState.objects.filter(pk=1).first()
    return state is not None and state.size >= SIZES["log_entries"]


def _sparse_category() -> None:
    """Make the records about no one in one category internal, so that a caseworker of a
    small organisation may read only a small share of it (its own, and what is shared)."""
    from django.db import connection

    from agora.access.models import DataCategory
    from agora.records.models import Record

    category = DataCategory.objects.get(code=SPARSE_CATEGORY)
    Record.objects.filter(category=category, subject__isnull=True).update(
        classification="internal")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE records_record")


def _log_rows(rng: random.Random):
    """Return a generator of the log's rows, seq and time rising together over LOG_DAYS.

    What it draws from is read here, before the generator runs: on PostgreSQL it runs
    inside a COPY, when the connection can send nothing else.
    """
    from django.db import connection

    from agora.access.models import Purpose
    from agora.organizations.models import Organization

    slugs = dict(Organization.objects.values_list("pk", "slug"))
    org_ids = list(slugs)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, public_id FROM people_person")
        people = {pk: str(uuid.UUID(str(public))) for pk, public in cursor.fetchall()}
        cursor.execute("SELECT public_id, owner_id, subject_id FROM records_record "
                       "WHERE subject_id IS NOT NULL")
        records = [(str(uuid.UUID(str(public))), owner, subject)
                   for public, owner, subject in cursor.fetchall()]
    heavy = rng.sample(sorted(people), HEAVY_RESIDENTS)
    heavy_records: dict[int, list] = {pk: [] for pk in heavy}
    for record in records:
        if record[2] in heavy_records:
            heavy_records[record[2]].append(record)
    person_keys = list(people)
    purposes = list(Purpose.objects.values_list("code", flat=True))
    actions = [a for a, *_ in ACTIONS]
    weights = [w for _, w, *_ in ACTIONS]
    details = {a: (r, s) for a, _, r, s in ACTIONS}
    size = SIZES["log_entries"]
    start = NOW - timedelta(days=LOG_DAYS)
    step = timedelta(days=LOG_DAYS) / size
    leaf = b"\x00" * 32  # not a real leaf hash: nothing here verifies the log
    heavy_share = HEAVY_RESIDENTS * 0.0005
    return _rows(rng, size, start, step, leaf, heavy_share, actions, weights, details,
                 slugs, org_ids, heavy, heavy_records, records, people, person_keys,
                 purposes)


def _rows(rng, size, start, step, leaf, heavy_share, actions, weights, details, slugs,
          org_ids, heavy, heavy_records, records, people, person_keys, purposes):
    for seq in range(size):
        action = rng.choices(actions, weights)[0]
        has_record, has_subject = details[action]
        organization = slugs[rng.choice(org_ids)]
        subject, resource_type, resource_id = "", "", ""
        if has_subject:
            if rng.random() < heavy_share:
                person = rng.choice(heavy)
                mine = heavy_records[person]
                record = rng.choice(mine) if mine and has_record else None
            else:
                record = rng.choice(records) if has_record else None
                person = record[2] if record else rng.choice(person_keys)
            subject = people[person]
            if record is not None:
                resource_type, resource_id = "record", record[0]
                if rng.random() < 0.6:  # most reads are by the owner
                    organization = slugs[record[1]]
        elif action == "log.read":
            resource_type, resource_id = "access-report", organization
        decision = "deny" if rng.random() < 0.05 else "permit"
        yield (seq, start + step * seq, "staff", f"user-{organization}", "Caseworker",
               organization, "", rng.choice(purposes), "6.1.e", action, subject,
               subject.replace("-", "") * 2 if subject else "", resource_type,
               resource_id, decision, "Read under an agreement.", leaf)


def _load_log(rng: random.Random) -> None:
    """Bulk-load the log with its indexes dropped and made again afterwards (faster), all
    in one transaction: a load cut short leaves the table as it was, indexes included."""
    from django.db import connection, transaction

    from agora.audit import merkle

    columns = ["seq", "created_at", "actor_kind", "actor_id", "actor_label", "organization",
               "on_behalf_of", "purpose", "legal_basis", "action", "subject",
               "subject_pseudonym", "resource_type", "resource_id", "decision", "reason",
               "leaf_hash"]
    size = SIZES["log_entries"]
    # A stand-in frontier of the right length: appends hash against it; nothing verifies.
    frontier = bytes(rng.getrandbits(8) for _ in range(
        merkle.HASH_SIZE * len(merkle.perfect_nodes(0, size))))
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = "
                           "'audit_logentry' AND indexname NOT LIKE '%%pkey'")
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                           "tbl_name = 'audit_logentry' AND sql IS NOT NULL")
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        # Entries appended by an earlier run of the records' scenarios (AGORA_BENCH_NO_LOG).
        for table in ("audit_treehead", "audit_lognode", "audit_logentry"):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed names)
        bulk_rows("audit_logentry", columns, _log_rows(rng))
        for _, sql in indexes:
            cursor.execute(sql)
        cursor.execute("DELETE FROM audit_logstate")
        cursor.execute("INSERT INTO audit_logstate (id, size, frontier) VALUES (1, %s, %s)",
                       [size, frontier])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def build(which: str) -> dict:
    """Build the world unless a kept one is there; return how long it took."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if os.environ.get("AGORA_BENCH_NO_LOG") == "1":  # the records' scenarios only
        return {"load_seconds": 0.0, "kept": True}
    if _world_built():
        print(f"{which}: using the kept world", file=sys.stderr, flush=True)
        return {"load_seconds": 0.0, "kept": True}
    began = time.perf_counter()
    rng = random.Random(4)  # noqa: S311 (the world's shape, not a secret)
    print(f"{which}: loading {SIZES}…", file=sys.stderr, flush=True)
    from agora.records.models import Record

    if Record.objects.exists():  # a load of the log cut short: the records are there
        print(f"{which}: records kept from an earlier run", file=sys.stderr, flush=True)
    else:
        access_filter.build_world(rng)
        _sparse_category()
    records = time.perf_counter() - began
    print(f"{which}: records in {records:.0f} s; the log…", file=sys.stderr, flush=True)
    _load_log(rng)
    return {"load_seconds": time.perf_counter() - began, "records_seconds": records,
            "kept": False}


def handles() -> dict:
    """Read back what the scenarios draw from: organisations, viewers, people, purposes."""
    from django.db import connection

    from agora.access.models import Agreement, DataCategory, Purpose
    from agora.access.viewers import viewer_for_staff
    from agora.organizations.models import Membership, Organization

    orgs = list(Organization.objects.order_by("pk"))
    members = {m.organization_id: m.user for m in
               Membership.objects.filter(role="caseworker").select_related("user")}
    received: dict[int, list[int]] = {}
    for agreement in Agreement.objects.filter(status="active", valid_from__lte=NOW,
                                              valid_to__gt=NOW).prefetch_related("purposes"):
        received.setdefault(agreement.recipient_id, []).extend(
            p.pk for p in agreement.purposes.all())
    clients: dict[int, list[int]] = {}
    with connection.cursor() as cursor:
        for org in orgs:  # a sample of each organisation's clients, as the access bench
            cursor.execute("SELECT subject_id FROM records_record WHERE owner_id = %s AND "
                           "subject_id IS NOT NULL LIMIT 2000", [org.pk])
            clients[org.pk] = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT subject FROM audit_logentry WHERE subject <> '' "
                       "GROUP BY subject ORDER BY COUNT(*) DESC LIMIT %s", [HEAVY_RESIDENTS])
        heavy = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT MIN(id), MAX(id) FROM people_person")
        low, high = cursor.fetchone()
    return {
        "organizations": orgs, "users": members, "clients": clients,
        "viewers": {org.pk: viewer_for_staff(members[org.pk], org) for org in orgs},
        "categories": list(DataCategory.objects.filter(
            code__in=list(access_filter.CATEGORY_WEIGHTS))),
        "sparse": DataCategory.objects.get(code=SPARSE_CATEGORY),
        "small": [org for org in orgs if org.kind in ("community", "ngo")],
        "purposes": list(Purpose.objects.all()), "purposes_received": received,
        "heavy": heavy, "person_range": (low, high + 1),
    }


# --- the scenarios --------------------------------------------------------------------


def _purpose(rng, world, org):
    named = world["purposes_received"].get(org.pk)
    if named and rng.random() < 0.7:
        chosen = rng.choice(named)
        return next(p for p in world["purposes"] if p.pk == chosen)
    return rng.choice(world["purposes"])


def _category_case(rng, world, *, sparse: bool):
    from agora.records.models import Record
    from agora.records.selectors import category_readable, records_in_category

    org = rng.choice(world["small"] if sparse else world["organizations"])
    viewer, purpose = world["viewers"][org.pk], _purpose(rng, world, org)
    category = world["sparse"] if sparse else rng.choice(world["categories"])

    def bare():
        return list(Record.objects.filter(category=category)
                    .order_by("-updated_at", "-pk")[:51])

    def filtered():  # the query the selector runs: by route, then the filter
        return list(category_readable(viewer=viewer, purpose=purpose, category=category,
                                      now=NOW, newest=51)[:51])

    def app():
        return len(records_in_category(viewer=viewer, purpose=purpose, category=category,
                                       now=NOW).items)

    return {"app": app, "filtered": filtered, "bare": bare}


def category_page(rng, world):
    return _category_case(rng, world, sparse=False)


def category_sparse(rng, world):
    return _category_case(rng, world, sparse=True)


def person_records(rng, world):
    from agora.access.filters import readable_records_filter
    from agora.people.models import Person
    from agora.records.models import Record
    from agora.records.selectors import MAX_PAGE, records_for_person

    org = rng.choice(world["organizations"])
    viewer, purpose = world["viewers"][org.pk], _purpose(rng, world, org)
    clients = world["clients"][org.pk]
    person_id = (rng.choice(clients) if clients and rng.random() < 0.5
                 else rng.randrange(*world["person_range"]))
    person = Person.objects.get(pk=person_id)

    def bare():
        return list(Record.objects.filter(subject=person).order_by("-updated_at", "-pk")[:50])

    def filtered():
        return list(Record.objects.filter(subject=person)
                    .filter(readable_records_filter(viewer=viewer, purpose=purpose, now=NOW,
                                                    subject=person))
                    .order_by("-updated_at", "-pk")[:50])

    def app():  # as the single view asks: a page of the most it shows
        return records_for_person(viewer=viewer, person=person, purpose=purpose,
                                  limit=MAX_PAGE, now=NOW).total

    return {"app": app, "filtered": filtered, "bare": bare}


def _sql_alone(queryset):
    """Return a function running the queryset's compiled SQL on a cursor, fetching all."""
    from django.db import connection

    sql, params = queryset.query.sql_with_params()

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def who_has_seen_me(rng, world):
    from django.core.paginator import Paginator

    from agora.audit.person_log import (
        log_entries_for_subject,
        log_organizations_for_subject,
        signed_size,
    )

    subject = rng.choice(world["heavy"])
    page_asked = 1 if rng.random() < 0.5 else rng.randint(1, 40)

    def app():  # what `portal.activity.activity_list` asks, in its order
        organizations = log_organizations_for_subject(subject=subject)
        entries = log_entries_for_subject(subject=subject)
        page = Paginator(entries, 25).get_page(page_asked)
        rows = list(page.object_list)
        signed_size()
        return len(organizations) + len(rows)

    offset = (page_asked - 1) * 25
    return {"app": app,
            "bare": _sql_alone(log_entries_for_subject(subject=subject)[offset:offset + 25])}


def dpo_month(rng, world):
    from agora.audit.reports import ReportFilter, acting_organizations, entries_filter
    from agora.console import views_dpo

    org = rng.choice(world["organizations"])
    request = SimpleNamespace(user=world["users"][org.pk])
    month = rng.randrange(12)
    start = NOW - timedelta(days=LOG_DAYS) + timedelta(days=30 * month)
    report_filter = ReportFilter(start=start, end=start + timedelta(days=30))

    def app():  # what `console.views_dpo.access_report` asks (not the read's own entry)
        concerning = views_dpo._concerning(request, org)
        acting_organizations(concerning)
        page, _, _ = views_dpo.report_page(concerning, report_filter, 1)
        return len(list(page.object_list))

    concerning = views_dpo._concerning(request, org)
    page_query = entries_filter(concerning, report_filter)[:views_dpo.PAGE_SIZE]
    return {"app": app, "bare": _sql_alone(page_query)}


SCENARIOS = {
    "category-page": category_page, "category-sparse": category_sparse,
    "person-records": person_records, "who-has-seen-me": who_has_seen_me,
    "dpo-month": dpo_month,
}


# --- measuring ------------------------------------------------------------------------


def _percentiles(samples: list[float]) -> dict:
    samples = sorted(samples)
    return {"p50_ms": statistics.median(samples) * 1000,
            "p95_ms": samples[int(len(samples) * 0.95) - 1] * 1000}


# Scenarios too slow for the full count: (warm-ups, measured iterations). The DPO's
# report over the whole log takes seconds at 10M entries (see docs/benchmarks.md).
FEW = {"dpo-month": (1, 5)}


def measure(make, world, seed: int, iterations: int, warmup: int = WARMUP) -> dict:
    """Time each way of one scenario, taking turns in every iteration (order rotating)."""
    rng = random.Random(seed)  # noqa: S311 (which people and viewers to time, not a secret)
    samples: dict[str, list[float]] = {}
    rows = []
    began_all, warmups, number = time.perf_counter(), warmup, 0
    while True:
        elapsed = time.perf_counter() - began_all
        if min(6, warmup) <= number < warmups and elapsed > BUDGET * 0.2:
            warmups = number  # the warm-up has had its share of the time: measure from here
        if number >= warmups + iterations or (
                number >= warmups + min(20, iterations) and elapsed > BUDGET):
            break
        ways = list(make(rng, world).items())
        ways = ways[number % len(ways):] + ways[:number % len(ways)]
        for name, call in ways:
            began = time.perf_counter()
            result = call()
            spent = time.perf_counter() - began
            if number >= warmups:
                samples.setdefault(name, []).append(spent)
                if name == "filtered":
                    rows.append(len(result))
        number += 1
    figures = {name: _percentiles(values) for name, values in samples.items()}
    figures["samples"] = len(samples["app"])
    if "filtered" in figures:
        figures["ratio_p95"] = figures["filtered"]["p95_ms"] / figures["bare"]["p95_ms"]
        figures["filtered_rows_mean"] = statistics.mean(rows)
    return figures


def explain(name: str, make, world, seed: int) -> str:
    """Return the plans of every query one application call of the scenario runs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    calls = make(random.Random(seed), world)  # noqa: S311 (not a secret)
    with CaptureQueriesContext(connection) as captured:
        calls["app"]()
    prefix = ("EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql"
              else "EXPLAIN QUERY PLAN ")
    parts = [f"=== {name}"]
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT") or "audit_logstate" in sql:
            continue
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            plan = "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())
        parts.append(f"--- {sql}\n{plan}\n")
    return "\n".join(parts)


def _server() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def run(which: str) -> dict:
    """Build (or reuse) the world and time every scenario on one database, in this process."""
    DATABASES.setup(which)
    results = {"database": which, "server": _server(), "sizes": SIZES, **build(which)}
    world = handles()
    print(f"{which}: {len(world['heavy'])} residents with many entries",
          file=sys.stderr, flush=True)
    iterations = int(os.environ.get("AGORA_BENCH_ITERATIONS", ITERATIONS))
    plans = []
    results["scenarios"] = {}
    only = os.environ.get("AGORA_BENCH_ONLY", "")
    for seed, (name, make) in enumerate(SCENARIOS.items()):
        if only and name not in only.split(","):
            continue
        print(f"{which}: {name}…", file=sys.stderr, flush=True)
        warmup, count = FEW.get(name, (WARMUP, iterations))
        results["scenarios"][name] = measure(make, world, seed, min(count, iterations), warmup)
        print(f"{which}: {name} {json.dumps(results['scenarios'][name])}", file=sys.stderr,
              flush=True)
        plans.append(explain(name, make, world, seed))
    (BENCH_DIR / f"latency-plans-{which}.txt").write_text("\n".join(plans))
    return results


def main(databases: tuple[str, ...] = ("sqlite", "postgres")) -> list[dict]:
    """Run the benchmark on SQLite and (if reachable) PostgreSQL, each in a fresh process."""
    print(f"Latency at size (AGORA_BENCH_SCALE={SCALE}): {SIZES}")
    print(f"Machine: {machine()}")
    figures = DATABASES.run_each("bench.latency", databases, keep=KEEP)
    for result in figures:
        print(report(result))
    return figures


def report(result: dict) -> str:
    lines = [f"== {result['database']} ({result['server']}; world "
             + ("kept from an earlier run" if result["kept"]
                else f"loaded in {result['load_seconds']:.0f} s")
             + f"; target: application p95 < {TARGET_MS:.0f} ms, filtered p95 <= "
             f"{TARGET_RATIO}x bare)"]
    for name, figures in result["scenarios"].items():
        app = figures["app"]
        line = (f"{name}: application p50 {app['p50_ms']:.1f} / p95 {app['p95_ms']:.1f} ms "
                f"({'meets' if app['p95_ms'] < TARGET_MS else 'MISSES'})")
        bare = figures["bare"]
        if "filtered" in figures:
            high = figures["filtered"]
            line += (f"; bare query p50 {bare['p50_ms']:.1f} / p95 {bare['p95_ms']:.1f} ms, "
                     f"filtered p50 {high['p50_ms']:.1f} / p95 {high['p95_ms']:.1f} ms: "
                     f"{figures['ratio_p95']:.2f}x "
                     f"({'meets' if figures['ratio_p95'] <= TARGET_RATIO else 'MISSES'}; "
                     f"{figures['filtered_rows_mean']:.1f} rows on average)")
        else:
            line += (f"; its page query's SQL alone p50 {bare['p50_ms']:.1f} / "
                     f"p95 {bare['p95_ms']:.1f} ms")
        lines.append(line)
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(json.dumps(run(sys.argv[1])))
    else:
        main()
