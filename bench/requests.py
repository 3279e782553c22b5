"""Requests at scale: "Your requests", the first queue page, creations, status reads over HTTP.

On a throwaway database each (bench/throwaway.py): 1,000,000 requests on PostgreSQL and
100,000 on SQLite (times AGORA_BENCH_SCALE), with their timelines, loaded in bulk. Then:

- "Your requests" (`cases_for_resident`, with every request's timeline and its log entry)
  for random residents, and the caseworker's first queue page (`case_queue`: the page,
  the counts by status, the overdue count, one log entry per request shown) of the
  biggest organisation, unfiltered and with each filter: p50/p95 in the application;
- beside them, a bare baseline from the same run: the same page's SELECTs straight
  through the driver, and a bare INSERT + COMMIT;
- creations through the service layer (`case_create`, one process): requests per second;
- status reads over HTTP: `agora serve` (gunicorn) on 127.0.0.1 against this database,
  and locust (headless, FastHttpUser) sending `GET /api/v1/cases/{reference}/status`,
  each with a freshly signed token, for 30 s: requests per second, p50/p95, failures.
"""

import json
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import httpload
from bench.bulk import bulk_rows
from bench.throwaway import BENCH_DIR, PROJECT, SCALE, Throwaway

DATABASES = Throwaway(sqlite_name="requests.sqlite3", postgres_db=os.environ.get(
    "AGORA_BENCH_REQUESTS_DB", "agora_bench_requests"))
SIZES = {"postgres": int(1_000_000 * SCALE), "sqlite": int(100_000 * SCALE)}
NOW = datetime.now(tz=UTC).replace(microsecond=0)
ORGS = 8
SERVICES_PER_ORG = 3
REQUESTS_PER_PERSON = 5
OPEN_SHARE = 0.15
BATCH = 5000
SAMPLES = 300
CREATIONS = 2000
HTTP_SECONDS = int(os.environ.get("AGORA_BENCH_HTTP_SECONDS", "30"))
HTTP_USERS = int(os.environ.get("AGORA_BENCH_HTTP_USERS", "24"))
HTTP_WORKERS = int(os.environ.get("AGORA_BENCH_HTTP_WORKERS", "3"))
PORT = 8765
TARGETS = {"resident_p95_ms": 50, "queue_p95_ms": 50, "creations_per_s": 200,
           "http_reads_per_s": 300}

CASE_COLUMNS = [
    "public_id", "reference", "service_id", "organization_id", "person_id", "reporter_name",
    "reporter_email", "reporter_phone", "latitude", "longitude", "address", "description",
    "media_url", "answers", "channel", "external_ref", "status", "is_open",
    "status_changed_at", "deadline", "suspended_at", "paused_remaining", "closed_at",
    "version", "created_at", "updated_at",
]
EVENT_COLUMNS = [
    "public_id", "case_id", "kind", "created_at", "author_kind", "author_label",
    "organization_id", "status_from", "status_to", "text", "visible_to_resident",
    "document_name", "document_file", "document_type",
]
OPEN_STATUSES = [("received", 35), ("in-progress", 45), ("waiting-for-you", 20)]
CLOSED_STATUSES = [("approved", 50), ("refused", 20), ("completed", 25), ("withdrawn", 5)]


def _rng(seed: float) -> random.Random:
    return random.Random(seed)  # noqa: S311 (the benchmark's data, not secrets)


def _weighted(rng: random.Random, choices):
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights=weights)[0]


def build_world(which: str, rng: random.Random) -> dict:
    """Create organisations, services, people and the requests with their timelines."""
    from django.db import connection, transaction

    from agora.catalog.models import Service
    from agora.organizations.models import Organization
    from agora.people.models import Person, User

    started = time.monotonic()
    total = SIZES[which]
    people_count = max(10, total // REQUESTS_PER_PERSON)
    with transaction.atomic():
        orgs = Organization.objects.bulk_create(
            Organization(slug=f"bench-org-{n}", name=f"Bench organisation {n}",
                         kind="government") for n in range(ORGS))
        services = Service.objects.bulk_create(
            Service(provider=org, code=f"bench-{org.pk}-{k}", name=f"Service {k} of {org.name}",
                    target_days=[10, 20, 40][k], status="published")
            for org in orgs for k in range(SERVICES_PER_ORG))
        Person.objects.bulk_create(
            (Person(given_name="Resident", family_name=f"N{n}") for n in range(people_count)),
            batch_size=BATCH)
        User.objects.create_user("bench-resident@example.org")
    person_ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    # The first organisation handles 40% of the requests: its queue is the one measured.
    weights = [40] + [60 / (ORGS - 1)] * (ORGS - 1)
    by_org = {org.pk: [s for s in services if s.provider_id == org.pk] for org in orgs}

    def cases():
        for n in range(total):
            org = rng.choices(orgs, weights=weights)[0]
            service = by_org[org.pk][rng.randrange(SERVICES_PER_ORG)]
            is_open = rng.random() < OPEN_SHARE
            if is_open:
                created = NOW - timedelta(days=rng.uniform(0, 60))
                status = _weighted(rng, OPEN_STATUSES)
            else:
                created = NOW - timedelta(days=rng.uniform(30, 1100))
                status = _weighted(rng, CLOSED_STATUSES)
            due = created + timedelta(days=service.target_days)
            waiting = status == "waiting-for-you"
            changed = created + timedelta(days=rng.uniform(0, 20))
            yield (
                uuid.uuid4(), f"B{org.pk}-{created.year}-{n:07d}", service.pk, org.pk,
                person_ids[rng.randrange(len(person_ids))], "", "", "", None, None, "", "",
                "", '{"household_income": 14200, "children": 2}', "web", "", status,
                is_open, changed, None if waiting or not is_open else due,
                changed if waiting else None,
                (due - changed) if waiting else None, None if is_open else changed, 2,
                created, changed,
            )

    def events(first_id: int):
        for n in range(total):
            case_id = first_id + n
            yield (uuid.uuid4(), case_id, "status", NOW - timedelta(days=30), "person", "You",
                   None, "", "received", "", True, "", "", "")
            if n % 2 == 0:
                yield (uuid.uuid4(), case_id, "status", NOW - timedelta(days=20), "staff",
                       "A caseworker", None, "received", "in-progress", "Looking at it now.",
                       True, "", "", "")
            if n % 5 == 0:
                yield (uuid.uuid4(), case_id, "message-out", NOW - timedelta(days=10),
                       "staff", "A caseworker", None, "", "",
                       "Could you tell us your landlord's name?", True, "", "", "")

    with transaction.atomic():
        bulk_rows("cases_case", CASE_COLUMNS, cases())
    cases_seconds = time.monotonic() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id), MAX(id) FROM cases_case")
        first, last = cursor.fetchone()
    assert last - first + 1 == total, "case ids are not dense"
    with transaction.atomic():
        bulk_rows("cases_caseevent", EVENT_COLUMNS, events(first))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT COUNT(*) FROM cases_caseevent")
        event_count = cursor.fetchone()[0]
    return {
        "orgs": orgs, "services": services, "person_ids": person_ids,
        "load_seconds": time.monotonic() - started, "cases_seconds": cases_seconds,
        "events": event_count, "people": people_count,
    }


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2),
        "n": len(ordered),
    }


def _timed(make_call, rng: random.Random, n: int = SAMPLES, warm: int = 20) -> dict:
    samples = []
    for i in range(warm + n):
        call = make_call(rng)
        started = time.perf_counter()
        call()
        elapsed = time.perf_counter() - started
        if i >= warm:
            samples.append(elapsed)
    return _percentiles(samples)


def _bare_select(sql: str, params_of) -> callable:
    from django.db import connection

    def make(rng):
        params = params_of(rng)

        def run():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()
        return run
    return make


def measure_pages(world: dict) -> dict:
    from agora.access.viewers import Viewer
    from agora.cases.selectors import case_queue, cases_for_resident
    from agora.people.models import Person, User

    user = User.objects.get(email="bench-resident@example.org")
    staff_user = User.objects.create_user("bench-caseworker@example.org")
    big = world["orgs"][0]
    caseworker = Viewer(user=staff_user, organization=big, roles=frozenset({"caseworker"}))
    person_ids = world["person_ids"]

    def resident(rng):
        person = Person.objects.get(pk=person_ids[rng.randrange(len(person_ids))])
        viewer = Viewer(user=user, person=person)
        return lambda: cases_for_resident(viewer=viewer)

    def queue(**filters):
        def make(rng):
            return lambda: case_queue(viewer=caseworker, **filters)
        return make

    service = world["services"][0]
    results = {
        "resident": _timed(resident, _rng(1)),
        "queue_first_page": _timed(queue(), _rng(2)),
        "queue_status_filter": _timed(queue(status="in-progress"), _rng(3)),
        "queue_service_filter": _timed(queue(service_id=service.pk), _rng(4)),
        "queue_overdue": _timed(queue(overdue=True), _rng(5)),
        # The bare baseline: the page's main SELECTs through the driver, no application.
        "bare_resident_select": _timed(_bare_select(
            "SELECT c.id, c.reference, c.status, c.deadline, e.kind, e.created_at "
            "FROM cases_case c LEFT JOIN cases_caseevent e ON e.case_id = c.id "
            "WHERE c.person_id = %s ORDER BY c.created_at DESC, e.created_at",
            lambda rng: [person_ids[rng.randrange(len(person_ids))]]), _rng(1)),
        "bare_queue_select": _timed(_bare_select(
            "SELECT id, reference, status, deadline FROM cases_case WHERE organization_id = "
            "%s AND is_open AND deadline IS NOT NULL ORDER BY deadline, id "
            "LIMIT 25", lambda rng: [big.pk]), _rng(2)),
    }
    return results


def measure_commits(n: int = 1000) -> float:
    """Return bare INSERT + COMMIT per second through Django's connection (the floor)."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_bare (id INTEGER PRIMARY KEY, body TEXT)")
    started = time.perf_counter()
    for i in range(n):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_bare (id, body) VALUES (%s, %s)", [i, "x" * 200])
    return round(n / (time.perf_counter() - started), 1)


def measure_creations(world: dict, n: int = CREATIONS) -> dict:
    from agora.access.viewers import Viewer
    from agora.cases.services import case_create
    from agora.catalog.models import Service
    from agora.people.models import Person, User

    user = User.objects.get(email="bench-resident@example.org")
    rng = _rng(7)
    people = list(Person.objects.filter(pk__in=[
        world["person_ids"][rng.randrange(len(world["person_ids"]))] for _ in range(200)]))
    services = list(Service.objects.select_related("provider"))
    viewers = [Viewer(user=user, person=person) for person in people]
    started = time.perf_counter()
    for i in range(n):
        case_create(viewer=viewers[i % len(viewers)], service=services[i % len(services)],
                    answers={"household_income": 14200 + i, "children": 2})
    elapsed = time.perf_counter() - started
    return {"creations": n, "seconds": round(elapsed, 2), "per_s": round(n / elapsed, 1)}


def measure_http(which: str, world: dict) -> dict:
    """Serve this database with `agora serve` and read statuses through it with locust."""
    from django.db import connections

    from agora.core.actors import SYSTEM
    from agora.organizations.keys import keypair_generate
    from agora.organizations.services import apiclient_create

    big = world["orgs"][0]
    private_pem, public_jwk = keypair_generate("EdDSA")
    client = apiclient_create(actor=SYSTEM, organization=big, name="Bench status reader",
                              public_jwk=public_jwk, scopes=["cases:read"])
    from agora.cases.models import Case

    # 2,000 of its requests, drawn at random (ids are dense from 1 on a fresh database).
    drawn = _rng(9).sample(range(1, SIZES[which] + 1), min(SIZES[which], 20_000))
    references = list(Case.objects.filter(organization=big, id__in=drawn)
                      .values_list("reference", flat=True)[:2000])
    key_file = BENCH_DIR / "requests-http-key.pem"
    key_file.write_bytes(private_pem)
    refs_file = BENCH_DIR / "requests-http-references.json"
    refs_file.write_text(json.dumps(references))
    connections.close_all()
    base = f"http://127.0.0.1:{PORT}"
    with httpload.served(port=PORT, workers=HTTP_WORKERS,
                         log_path=BENCH_DIR / f"requests-serve-{which}.log"):
        csv = BENCH_DIR / f"requests-http-{which}"
        httpload.run_locust(
            PROJECT / "bench" / "locust_status.py", host=base, users=HTTP_USERS,
            seconds=HTTP_SECONDS, csv_prefix=csv,
            env={"BENCH_CLIENT_ID": str(client.client_id), "BENCH_KEY_FILE": str(key_file),
                 "BENCH_REFERENCES": str(refs_file)},
            log_path=BENCH_DIR / f"requests-locust-{which}.log")
        return _locust_figures(Path(f"{csv}_stats.csv"))


def _locust_figures(path: Path) -> dict:
    row = httpload.locust_rows(path)["Aggregated"]
    return {
        "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
        "per_s": round(float(row["Requests/s"]), 1), "p50_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]), "users": HTTP_USERS, "workers": HTTP_WORKERS,
        "seconds": HTTP_SECONDS,
    }


def _world_found(which: str) -> dict:
    """Return the world a previous run loaded (AGORA_BENCH_REUSE=1, to measure again)."""
    from agora.cases.models import Case, CaseEvent
    from agora.catalog.models import Service
    from agora.organizations.models import Organization
    from agora.people.models import Person

    return {
        "orgs": list(Organization.objects.filter(slug__startswith="bench-org-").order_by("pk")),
        "services": list(Service.objects.filter(code__startswith="bench-").order_by("pk")),
        "person_ids": list(Person.objects.order_by("pk").values_list("pk", flat=True)),
        "load_seconds": 0, "events": CaseEvent.objects.count(),
        "people": Person.objects.count(), "cases": Case.objects.count(),
    }


def _quiet(connection) -> None:
    """Start from a vacuumed, analysed database, as autovacuum leaves a live one."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM (ANALYZE)")
            cursor.execute("CHECKPOINT")
        else:
            cursor.execute("ANALYZE")


def run(which: str) -> dict:
    DATABASES.setup(which)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if os.environ.get("AGORA_BENCH_REUSE") == "1":
        world = _world_found(which)
        from agora.people.models import User

        User.objects.filter(email="bench-caseworker@example.org").delete()
    else:
        print(f"{which}: loading {SIZES[which]:,} requests…", file=sys.stderr, flush=True)
        world = build_world(which, _rng(4))
    _quiet(connection)
    print(f"{which}: loaded in {world['load_seconds']:.0f} s", file=sys.stderr, flush=True)
    result = {"database": which, "requests": SIZES[which], "people": world["people"],
              "events": world["events"], "load_seconds": round(world["load_seconds"])}
    result["pages"] = measure_pages(world)
    print(f"{which}: pages {json.dumps(result['pages'])}", file=sys.stderr, flush=True)
    result["bare_commits_per_s"] = measure_commits()
    result["creations"] = measure_creations(world)
    print(f"{which}: creations {json.dumps(result['creations'])}", file=sys.stderr, flush=True)
    if os.environ.get("AGORA_BENCH_HTTP", "1") != "0":
        try:
            result["http"] = measure_http(which, world)
        except Exception as error:  # reported in the figures, not hidden
            result["http"] = {"error": str(error)[:300]}
        print(f"{which}: http {json.dumps(result['http'])}", file=sys.stderr, flush=True)
    result["server"] = connection.vendor
    return result


def main(databases: tuple[str, ...] = ("sqlite", "postgres")) -> list[dict]:
    print(f"Requests benchmarks (AGORA_BENCH_SCALE={SCALE}): {SIZES}")
    figures = DATABASES.run_each("bench.requests", databases)
    for result in figures:
        print(report(result))
    return figures


def report(result: dict) -> str:
    pages = result["pages"]
    lines = [f"== {result['database']}: {result['requests']:,} requests, "
             f"{result['events']:,} timeline entries, {result['people']:,} people "
             f"(loaded in {result['load_seconds']} s)"]
    for name, figures in pages.items():
        lines.append(f"{name:<22} p50 {figures['p50_ms']:>7} ms   p95 {figures['p95_ms']:>7} ms")
    lines.append(f"creations through case_create: {result['creations']['per_s']}/s "
                 f"(target {TARGETS['creations_per_s']}); bare INSERT+COMMIT "
                 f"{result['bare_commits_per_s']}/s")
    http = result.get("http")
    if http and "error" not in http:
        lines.append(f"HTTP status reads: {http['per_s']}/s, p50 {http['p50_ms']} ms, p95 "
                     f"{http['p95_ms']} ms, {http['failures']} failures of {http['requests']} "
                     f"({http['users']} locust users, {http['workers']} gunicorn workers; "
                     f"target {TARGETS['http_reads_per_s']}/s)")
    elif http:
        lines.append(f"HTTP status reads: not measured ({http['error']})")
    return "\n".join(lines)


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1])))
