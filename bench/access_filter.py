"""Benchmark the access filter on SQLite and PostgreSQL (figures in docs/benchmarks.md).

Target (issue 4): on a 1M-record table the access filter costs at most 1.5x the
unfiltered query at p95. For each database this script builds a world (50 organisations,
300k people, 1M records, a few hundred agreements, 50k consents; bulk-loaded, then
ANALYZE), and times the same realistic queries with and without
`readable_records_filter`, over random viewers, people, categories and purposes:

    single-view     a caseworker of organisation X lists one person's records for a
                    purpose (a page of 50, newest first, as `records_for_person` does)
    category-page   a caseworker of X: the newest 50 records of one category, whole table
    client-count    an API client of X counts the records of one of X's clients

Each database is throwaway: var/bench/access.sqlite3, and `agora_bench_access` on the
local PostgreSQL (created and dropped here; skipped when PostgreSQL is unreachable).
AGORA_BENCH_SCALE (default 1) scales the people, records and consents, e.g. 0.01 for a
quick run. The query plans of one filtered and one unfiltered run of each query are
written to var/bench/access-plans-<database>.txt. On PostgreSQL every query is measured
twice: with Agora's settings (JIT off, `AGORA_PG_JIT`), and again with `SET jit = on` for
the session, as `AGORA_PG_JIT=1` would run it.

    .venv/bin/python -m bench.access_filter            # both databases
    .venv/bin/python -m bench.access_filter sqlite     # one, in this process
"""

import json
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

from bench.bulk import bulk_rows
from bench.throwaway import BENCH_DIR, SCALE, Throwaway

DATABASES = Throwaway(sqlite_name="access.sqlite3", postgres_db="agora_bench_access")
SQLITE_FILE = DATABASES.sqlite_file

SIZES = {
    "organizations": 50,
    "people": max(1_000, int(300_000 * SCALE)),
    "records": max(3_000, int(1_000_000 * SCALE)),
    "agreements": 300,
    "consents": max(200, int(50_000 * SCALE)),
}
# 60 warm-up iterations: PostgreSQL plans a prepared statement afresh for its first five
# executions on a connection (~0.5 ms each for the filtered count) before it settles on
# a generic plan, and the rarer statement variants (a purpose with an Art. 9 condition)
# were still being planned in the measured iterations after 20. A web process keeps its
# connection (`AGORA_DB_CONN_MAX_AGE`), so the settled state is what its users see.
ITERATIONS, WARMUP = 200, 60
BATCH = 10_000
TARGET = 1.5
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)  # the world is dated around this moment

# Organisation kinds, how many of each, and how many records each holds (relative).
KINDS = [("government", 15, 10.0), ("ngo", 20, 2.0), ("business", 10, 4.0), ("community", 5, 1.0)]
# Categories by code, relative frequency among personal records.
CATEGORY_WEIGHTS = {
    "identity": 8, "contact": 8, "household": 5, "housing": 8, "income-and-benefits": 10,
    "health": 5, "case-history": 12, "employment": 4, "education": 3, "energy": 4,
}
AGREEMENT_STATUS = [("active", 65), ("draft", 10), ("suspended", 10), ("ended", 15)]


def setup(which: str) -> None:
    DATABASES.setup(which)


# --- the world ------------------------------------------------------------------------


def _when(rng: random.Random, days_back: float, days_forward: float = 0) -> datetime:
    return NOW + timedelta(days=rng.uniform(-days_back, days_forward))


def build_world(rng: random.Random) -> dict:
    """Create the organisations, people, records, agreements and consents; return handles."""
    from django.db import connection, transaction

    from agora.access.grants import refresh_agreement_grants
    from agora.access.models import Agreement, Consent, DataCategory, Purpose, PurposeDeclaration
    from agora.organizations.models import ApiClient, Membership, Organization
    from agora.people.models import User

    categories = {c.code: c for c in DataCategory.objects.all()}
    purposes = list(Purpose.objects.all())
    with transaction.atomic():
        orgs, weights = [], []
        for kind, count, weight in KINDS:
            for number in range(count):
                orgs.append(Organization(slug=f"{kind}-{number}", name=f"{kind.title()} {number}",
                                         kind=kind))
                weights.append(weight)
        Organization.objects.bulk_create(orgs)
        orgs = list(Organization.objects.order_by("pk"))
        users = User.objects.bulk_create(
            [User(email=f"caseworker@{org.slug}.example") for org in orgs])
        users = list(User.objects.order_by("pk"))
        Membership.objects.bulk_create(
            [Membership(user=user, organization=org, role="caseworker")
             for user, org in zip(users, orgs, strict=True)])
        ApiClient.objects.bulk_create(
            [ApiClient(organization=org, name="Case system", public_jwk={}) for org in orgs])

    began = time.perf_counter()
    people = SIZES["people"]
    with transaction.atomic():
        bulk_rows("people_person",
                   ["public_id", "given_name", "family_name", "email", "phone",
                    "household_role", "created_at"],
                   ((uuid.UUID(int=rng.getrandbits(128)), f"Given{n}", f"Family{n % 5000}",
                     "", "", "", _when(rng, 2000)) for n in range(people)))
    person_ids = list(range(*_id_range("people_person")))

    org_ids = [org.pk for org in orgs]
    category_ids = [categories[code].pk for code in CATEGORY_WEIGHTS]
    category_weights = list(CATEGORY_WEIGHTS.values())
    clients: dict[int, list[int]] = {org_id: [] for org_id in org_ids}  # a sample of each's

    def records():
        heavy = len(person_ids) // 10  # a tenth of the people use services much more
        for number in range(SIZES["records"]):
            owner = rng.choices(org_ids, weights)[0]
            category = rng.choices(category_ids, category_weights)[0]
            roles = "[]"
            if rng.random() < 0.9:  # personal data
                subject = person_ids[rng.randrange(heavy) if rng.random() < 0.3
                                     else rng.randrange(len(person_ids))]
                level = rng.choices(["internal", "restricted", "public"], [85, 10, 5])[0]
                if len(clients[owner]) < 2_000:
                    clients[owner].append(subject)
            else:
                subject = None
                level = rng.choices(["open", "public", "internal", "restricted"],
                                    [30, 30, 30, 10])[0]
            if level == "restricted":
                roles = json.dumps(rng.choice([["caseworker"], ["dpo"], ["admin", "dpo"]]))
            updated = _when(rng, 1100)
            yield (uuid.UUID(int=rng.getrandbits(128)), owner, subject, category, level, roles,
                   f"Record {number}", json.dumps({"reference": f"R{number}", "status": "open",
                                                   "amount": number % 977}),
                   f"ext-{number}" if number % 2 else "",
                   updated - timedelta(days=rng.random() * 90), updated)

    with transaction.atomic():
        bulk_rows("records_record",
                   ["public_id", "owner_id", "subject_id", "category_id", "classification",
                    "restricted_roles", "title", "fields", "external_ref", "created_at",
                    "updated_at"], records())
    loaded_records = time.perf_counter() - began

    with transaction.atomic():
        agreements = []
        for number in range(SIZES["agreements"]):
            provider, recipient = rng.sample(org_ids, 2)
            valid_from = _when(rng, 1100)
            agreements.append(Agreement(
                title=f"Agreement {number}", provider_id=provider, recipient_id=recipient,
                legal_basis="6.1.e", fields_allowed=["reference", "status"],
                valid_from=valid_from, valid_to=valid_from + timedelta(days=rng.uniform(180, 1800)),
                status=rng.choices(*zip(*AGREEMENT_STATUS, strict=True))[0],
            ))
        Agreement.objects.bulk_create(agreements)
        agreements = list(Agreement.objects.all())
        Agreement.categories.through.objects.bulk_create([
            Agreement.categories.through(agreement_id=a.pk, datacategory_id=c)
            for a in agreements for c in rng.sample(category_ids, rng.randint(1, 4))])
        Agreement.purposes.through.objects.bulk_create([
            Agreement.purposes.through(agreement_id=a.pk, purpose_id=p.pk)
            for a in agreements for p in rng.sample(purposes, rng.randint(1, 3))])
        # bulk_create sends no signals: write the grant rows as a change would.
        refresh_agreement_grants([a.pk for a in agreements])

    consent_recipients = [org.pk for org in orgs if org.kind in ("ngo", "community", "business")]
    with transaction.atomic():
        consents = []
        for _ in range(SIZES["consents"]):
            given = _when(rng, 1000)
            consents.append(Consent(
                person_id=rng.choice(person_ids), recipient_id=rng.choice(consent_recipients),
                purpose=rng.choice(purposes), given_at=given,
                expires_at=given + timedelta(days=rng.uniform(30, 1500)),
                withdrawn_at=given + timedelta(days=20) if rng.random() < 0.1 else None,
            ))
        for offset in range(0, len(consents), BATCH):
            Consent.objects.bulk_create(consents[offset:offset + BATCH])
        through = Consent.categories.through
        rows = [through(consent_id=pk, datacategory_id=c)
                for pk in Consent.objects.values_list("pk", flat=True)
                for c in rng.sample(category_ids, rng.randint(1, 3))]
        through.objects.bulk_create(rows, batch_size=BATCH)

    with transaction.atomic():
        # Every organisation has declared every purpose (so each viewer's purpose counts),
        # each for most categories: the filter's `category IN (…)` runs at a typical size.
        declarations = PurposeDeclaration.objects.bulk_create([
            PurposeDeclaration(organization_id=org_id, purpose=purpose,
                               legal_basis=purpose.legal_basis, status="approved",
                               special_condition=purpose.special_condition or "9.2.h",
                               serves="Residents.", proposed_at=NOW, decided_at=NOW)
            for org_id in org_ids for purpose in purposes])
        PurposeDeclaration.categories.through.objects.bulk_create([
            PurposeDeclaration.categories.through(purposedeclaration_id=d.pk,
                                                  datacategory_id=c)
            for d in declarations
            for c in rng.sample(category_ids, max(1, len(category_ids) - rng.randint(0, 3)))])

    with connection.cursor() as cursor:
        # The steady state autovacuum keeps on a live PostgreSQL: statistics, and the
        # visibility map that lets a count be read from an index alone.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {"organizations": orgs, "users": users, "clients": clients,
            "categories": [categories[code] for code in CATEGORY_WEIGHTS], "purposes": purposes,
            "person_ids": person_ids, "load_seconds": time.perf_counter() - began,
            "records_seconds": loaded_records}


def _id_range(table: str) -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(id), MAX(id) FROM {table}")  # noqa: S608 (fixed names)
        low, high = cursor.fetchone()
    return low, high + 1


# --- the queries ----------------------------------------------------------------------


def _purpose_for(rng: random.Random, world: dict, org) -> object:
    """A purpose this organisation works under: mostly one its active agreements name."""
    from agora.access.models import Purpose

    named = world["purposes_received"].get(org.pk)
    if named and rng.random() < 0.7:
        return Purpose.objects.get(pk=rng.choice(named))
    return rng.choice(world["purposes"])


def _filtered(plain, viewer, purpose):
    """Return a builder of the plain query narrowed by the filter, built afresh each time."""
    from agora.access.filters import readable_records_filter

    def build():
        return plain().filter(readable_records_filter(viewer=viewer, purpose=purpose, now=NOW))

    return build


def scenarios(world: dict):
    """Return name -> function(rng) giving (build unfiltered queryset, build filtered, kind).

    Each builder makes the queryset from nothing, as a selector does on every call.
    """
    from agora.access.viewers import viewer_for_client, viewer_for_staff
    from agora.organizations.models import ApiClient
    from agora.records.models import Record

    orgs, users = world["organizations"], world["users"]
    staff = {org.pk: viewer_for_staff(user, org) for org, user in zip(orgs, users, strict=True)}
    machine = {client.organization_id: viewer_for_client(client)
               for client in ApiClient.objects.select_related("organization")}

    def single_view(rng):
        org = rng.choice(orgs)
        clients = world["clients"][org.pk]
        person = (rng.choice(clients) if clients and rng.random() < 0.5
                  else rng.choice(world["person_ids"]))
        viewer, purpose = staff[org.pk], _purpose_for(rng, world, org)

        def plain():
            return Record.objects.filter(subject_id=person).order_by("-updated_at", "-pk")

        return plain, _filtered(plain, viewer, purpose), "page"

    def category_page(rng):
        org = rng.choice(orgs)
        viewer, purpose = staff[org.pk], _purpose_for(rng, world, org)
        category = rng.choice(world["categories"])

        def plain():
            return Record.objects.filter(category=category).order_by("-updated_at", "-pk")

        return plain, _filtered(plain, viewer, purpose), "page"

    def client_count(rng):
        org = rng.choice([o for o in orgs if world["clients"][o.pk]])
        viewer, purpose = machine[org.pk], _purpose_for(rng, world, org)
        person = rng.choice(world["clients"][org.pk])

        def plain():
            return Record.objects.filter(subject_id=person)

        return plain, _filtered(plain, viewer, purpose), "count"

    return {"single-view": single_view, "category-page": category_page,
            "client-count": client_count}


def _percentiles(samples: list[float]) -> dict:
    samples = sorted(samples)
    return {"p50_ms": statistics.median(samples) * 1000,
            "p95_ms": samples[int(len(samples) * 0.95) - 1] * 1000}


def _orm(queryset, kind: str):
    """Run the query as the application does: through the ORM, SQL compiled each time."""
    return queryset.count() if kind == "count" else list(queryset[:50])


def _sql(queryset, kind: str) -> tuple[str, tuple]:
    """Compile the query to SQL once, so the database's own time can be taken apart."""
    if kind == "count":
        inner, params = queryset.order_by().values("pk").query.sql_with_params()
        return f"SELECT COUNT(*) FROM ({inner}) counted", params  # noqa: S608 (compiled SQL)
    return queryset[:50].query.sql_with_params()


def measure(make, seed: int) -> dict:
    """Time the unfiltered and filtered query, alternating which goes first.

    Each iteration times the query through the ORM (what a caller waits for: building the
    queryset and the filter's Q, compiling the SQL, the database, making model instances)
    and the compiled SQL alone on a cursor (execute and fetch every row: the database's
    share).
    """
    from django.db import connection

    rng = random.Random(seed)  # noqa: S311 (which people and viewers to time, not a secret)
    samples = {key: [] for key in ("orm_plain", "orm_filtered", "db_plain", "db_filtered")}
    rows = []
    for number in range(WARMUP + ITERATIONS):
        plain, filtered, kind = make(rng)
        order = [("plain", plain), ("filtered", filtered)]
        if number % 2:
            order.reverse()
        for label, build in order:
            sql, params = _sql(build(), kind)
            began = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                result = cursor.fetchall()
            db_time = time.perf_counter() - began
            began = time.perf_counter()
            _orm(build(), kind)
            orm_time = time.perf_counter() - began
            if number >= WARMUP:
                samples[f"db_{label}"].append(db_time)
                samples[f"orm_{label}"].append(orm_time)
                if label == "filtered":
                    rows.append(result[0][0] if kind == "count" else len(result))
    figures = {key: _percentiles(values) for key, values in samples.items()}
    for layer in ("orm", "db"):
        low, high = figures[f"{layer}_plain"], figures[f"{layer}_filtered"]
        figures[f"{layer}_ratio_p50"] = high["p50_ms"] / low["p50_ms"]
        figures[f"{layer}_ratio_p95"] = high["p95_ms"] / low["p95_ms"]
    figures["filtered_rows_mean"] = statistics.mean(rows)
    return figures


def explain(name: str, make, seed: int) -> str:
    """Return the plans of one unfiltered and one filtered instance of the query."""
    from django.db import connection

    plain, filtered, kind = make(random.Random(seed))  # noqa: S311 (not a secret)
    parts = []
    for label, build in (("unfiltered", plain), ("filtered", filtered)):
        sql, params = _sql(build(), kind)
        prefix = ("EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql"
                  else "EXPLAIN QUERY PLAN ")
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql, params)
            plan = "\n".join(" ".join(str(column) for column in row)
                             for row in cursor.fetchall())
        parts.append(f"--- {name}, {label}\n{sql}\n{params}\n\n{plan}\n")
    return "\n".join(parts)


def run(which: str) -> dict:
    """Build the world and measure every query on one database, in this process."""
    setup(which)
    from django.core.management import call_command
    from django.db import connection

    from agora.access.models import Agreement

    call_command("migrate", verbosity=0)
    rng = random.Random(4)  # noqa: S311 (the world's shape, not a secret)
    print(f"{which}: loading {SIZES}…", file=sys.stderr, flush=True)
    world = build_world(rng)
    print(f"{which}: loaded in {world['load_seconds']:.0f} s", file=sys.stderr, flush=True)
    received: dict[int, list[int]] = {}
    for agreement in Agreement.objects.filter(status="active", valid_from__lte=NOW,
                                              valid_to__gt=NOW).prefetch_related("purposes"):
        received.setdefault(agreement.recipient_id, []).extend(
            p.pk for p in agreement.purposes.all())
    world["purposes_received"] = received
    results = {"database": which, "sizes": SIZES, "load_seconds": world["load_seconds"],
               "records_seconds": world["records_seconds"]}
    passes = [("queries", "")]
    if which == "postgres":  # again with JIT compilation on for the session (see the docs)
        passes.append(("queries_jit_on", "SET jit = on"))
    plans = []
    for key, statement in passes:
        if statement:
            with connection.cursor() as cursor:
                cursor.execute(statement)
        results[key] = {}
        for seed, (name, make) in enumerate(scenarios(world).items()):
            print(f"{which}: {name} ({key})…", file=sys.stderr, flush=True)
            results[key][name] = measure(make, seed)
            print(f"{which}: {name} {json.dumps(results[key][name])}", file=sys.stderr,
                  flush=True)
            plans.append(f"=== {key}\n" + explain(name, make, seed))
    (BENCH_DIR / f"access-plans-{which}.txt").write_text("\n".join(plans))
    return results


def _postgres(action: str) -> bool:
    return DATABASES.postgres(action)


def main(databases: tuple[str, ...] = ("sqlite", "postgres")) -> list[dict]:
    """Run the benchmark on SQLite and (if reachable) PostgreSQL, each in a fresh process."""
    print(f"Access filter benchmarks (AGORA_BENCH_SCALE={SCALE}): {SIZES}")
    figures = DATABASES.run_each("bench.access_filter", databases)
    for result in figures:
        print(report(result))
    return figures


def report(result: dict) -> str:
    lines = [f"== {result['database']} (world loaded in {result['load_seconds']:.0f} s; "
             f"target: filtered p95 <= {TARGET}x unfiltered p95)"]
    rows = [(name, "", figures) for name, figures in result["queries"].items()]
    rows += [(name, ", JIT on", figures)
             for name, figures in result.get("queries_jit_on", {}).items()]
    for name, note, figures in rows:
        lines.append(f"{name}{note} ({figures['filtered_rows_mean']:.1f} rows readable "
                     "on average):")
        for layer, label in (("orm", "through the ORM"), ("db", "SQL alone     ")):
            low, high = figures[f"{layer}_plain"], figures[f"{layer}_filtered"]
            ratio = figures[f"{layer}_ratio_p95"]
            lines.append(
                f"  {label}: unfiltered p50 {low['p50_ms']:.2f} / p95 {low['p95_ms']:.2f} ms; "
                f"filtered p50 {high['p50_ms']:.2f} / p95 {high['p95_ms']:.2f} ms; "
                f"ratio p50 {figures[f'{layer}_ratio_p50']:.2f}x, p95 {ratio:.2f}x "
                f"({'meets' if ratio <= TARGET else 'MISSES'} the target)"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(json.dumps(run(sys.argv[1])))
    else:
        main()
