"""Benchmark the open data API: package_search and datastore_search (docs/benchmarks.md).

Targets (issue 13), on this 2-core machine: package_search p95 under 50 ms at 100k
datasets with three facets; deep paging (start = 50,000) as fast as the first page;
datastore_search p95 under 50 ms on a 1M-row resource with one filter.

For each database this builds a world in a throwaway database: 20 organisations, the
starting topics, 100k open datasets (each a hub document with a version, CKAN details,
three of 300 tags, one or two topics, one resource in CSV, JSON or XLSX) by bulk insert,
and one DataStore table of 1M rows (ward: 8 values, street: 2,000, month, two numbers)
through `datastore.table_load`, the path a real upload takes. Then it times the actions
as the API runs them (the action function with its serialisation, not HTTP):

    search-facets      no q, three facets (organization, groups, tags), 10 rows
    search-fq-facets   fq on one organisation, three facets
    search-q-facets    q of one word, three facets
    page-first         no facets, start 0 (sorted by name)
    page-deep          no facets, start 50,000 (sorted by name)
    datastore-ward     one filter matching 1/8 of the rows, 100 records, with the total
    datastore-street   one filter matching 1/2000 of the rows, 100 records, with the total
    bare-pk            baseline: one dataset's row by primary key, straight through the
                       database cursor (what any read costs on this machine, this minute)
    bare-ward          baseline: the DataStore's own two statements for datastore-ward
                       (the page and the count) straight through the cursor

The baselines are timed in the same run, right after the measures; the load average
at the end of the run is printed with the figures.

    .venv/bin/python -m bench opendata          # both databases
    .venv/bin/python -m bench.opendata sqlite   # one, in this process

AGORA_BENCH_SCALE scales the sizes (0.01: 1,000 datasets and 10,000 rows, a smoke run).
"""

import json
import os
import random
import statistics
import sys
import time

from bench.throwaway import SCALE, Throwaway

DATABASES = Throwaway(sqlite_name="opendata.sqlite3", postgres_db=os.environ.get(
    "AGORA_BENCH_OPENDATA_DB", "agora_bench_opendata"))
DATASETS = max(100, int(100_000 * SCALE))
ROWS = max(1000, int(1_000_000 * SCALE))
REPEATS = int(os.environ.get("AGORA_BENCH_REPEATS", "40"))
TARGET_MS = 50.0
WORDS = ["parking", "recycling", "schools", "libraries", "housing", "repairs", "transport",
         "budget", "spending", "air", "quality", "trees", "planning", "licences", "council"]
WARDS = ["Northbank", "Riverside", "Castle", "Millfield", "Eastgate", "Westmoor", "Hilltop",
         "Old Town"]


def build(rng: random.Random) -> dict:
    """Fill the database by bulk insert; return what the queries need."""
    from django.db import connection, transaction
    from django.utils import timezone

    from agora.content.models import Document, Version
    from agora.core.actors import SYSTEM
    from agora.opendata import datastore
    from agora.opendata.models import DatasetMeta, DatastoreTable, Resource, Tag
    from agora.organizations.services import organization_create
    from agora.topics.models import Topic

    started = time.perf_counter()
    organizations = [organization_create(actor=SYSTEM, name=f"Publisher {n}",
                                         slug=f"publisher-{n}", kind="government")
                     for n in range(20)]
    topics = list(Topic.objects.all()) or [Topic.objects.create(slug="misc", name="Misc")]
    tags = Tag.objects.bulk_create(Tag(name=f"tag-{n}") for n in range(300))
    now = timezone.now()
    batch = 5000
    with transaction.atomic():
        for start in range(0, DATASETS, batch):
            count = min(batch, DATASETS - start)
            titles = [" ".join(rng.choices(WORDS, k=4)).capitalize() + f" {start + n}"
                      for n in range(count)]
            documents = Document.objects.bulk_create(
                Document(owner=rng.choice(organizations), source_key=f"bench/{start + n}",
                         title=titles[n], summary=f"{titles[n]} in Riverton.", kind="dataset",
                         classification="open", licence="CC-BY-4.0")
                for n in range(count))
            versions = Version.objects.bulk_create(
                Version(document=document, number=1, content_hash="0" * 64, file_name="x",
                        original_name="x.md", media_type="text/markdown", size=1,
                        title=document.title, text="", published_at=now)
                for document in documents)
            for document, version in zip(documents, versions, strict=True):
                document.current_version = version
            Document.objects.bulk_update(documents, ["current_version"])
            metas = DatasetMeta.objects.bulk_create(
                DatasetMeta(document=document, name=f"dataset-{start + n}",
                            license_id="CC-BY-4.0", frequency="MONTHLY")
                for n, document in enumerate(documents))
            DatasetMeta.tags.through.objects.bulk_create(
                DatasetMeta.tags.through(datasetmeta_id=meta.pk, tag_id=tag.pk)
                for meta in metas for tag in rng.sample(tags, 3))
            Document.topics.through.objects.bulk_create(
                Document.topics.through(document_id=document.pk, topic_id=topic.pk)
                for document in documents for topic in rng.sample(topics, rng.choice((1, 2))))
            Resource.objects.bulk_create(
                Resource(dataset=document, name="Data", format=rng.choice(("CSV", "JSON", "XLSX")))
                for document in documents)
    datasets_seconds = time.perf_counter() - started
    started = time.perf_counter()
    document = Document.objects.order_by("pk").first()
    resource = Resource.objects.filter(dataset=document).first()
    streets = [f"{rng.choice(WORDS).capitalize()} Street {n}" for n in range(2000)]
    parsed = datastore.Parsed(
        headers=["ward", "street", "month", "reports", "days"],
        rows=[[WARDS[n % 8], streets[n % 2000], f"2025-{n % 12 + 1:02d}", str(n % 97),
               str(n % 31)] for n in range(ROWS)])
    fields = datastore.fields_infer(parsed)
    with transaction.atomic():
        table_name = f"datastore_{resource.public_id.hex}"
        datastore.table_load(table_name, fields, parsed)
        DatastoreTable.objects.create(resource=resource, table_name=table_name, fields=fields,
                                      row_count=ROWS)
    # The steady state: after a bulk load PostgreSQL's autovacuum sets the visibility map
    # (so counts can read the indexes alone) and the statistics; do it now, not later.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {"resource_id": str(resource.public_id), "streets": streets,
            "organizations": [org.slug for org in organizations],
            "datasets_seconds": round(datasets_seconds, 1),
            "datastore_seconds": round(time.perf_counter() - started, 1)}


def timed(function, repeats: int = REPEATS) -> dict:
    function()  # warm the caches once
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {"p50_ms": round(statistics.median(samples), 1),
            "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 1)}


def run(which: str) -> dict:
    DATABASES.setup(which)
    from django.core.management import call_command
    from django.test import RequestFactory

    from agora.opendata.action_api import ACTIONS, Call

    call_command("migrate", verbosity=0)
    rng = random.Random(13)  # noqa: S311 (benchmark data)
    world = build(rng)
    factory = RequestFactory()

    def action(name: str, params: dict):
        request = factory.get(f"/api/3/action/{name}")
        return lambda: ACTIONS[name](Call(request, dict(params), {}))

    facets = json.dumps(["organization", "groups", "tags"])
    ward = iter(rng.choices(WARDS, k=10_000))
    street = iter(rng.choices(world["streets"], k=10_000))
    figures = {
        "search-facets": timed(action("package_search", {"facet.field": facets})),
        "search-fq-facets": timed(action("package_search", {
            "fq": f"organization:{world['organizations'][3]}", "facet.field": facets})),
        "search-q-facets": timed(action("package_search", {"q": "recycling",
                                                           "facet.field": facets})),
        "page-first": timed(action("package_search", {"sort": "name asc", "start": 0})),
        "page-deep": timed(action("package_search", {
            "sort": "name asc", "start": min(50_000, DATASETS - 10)})),
    }
    request = factory.get("/api/3/action/datastore_search")
    for name, values, field in (("datastore-ward", ward, "ward"),
                                ("datastore-street", street, "street")):
        figures[name] = timed(lambda values=values, field=field: ACTIONS["datastore_search"](
            Call(request, {"resource_id": world["resource_id"],
                           "filters": {field: next(values)}}, {})))
    from django.db import connection

    from agora.content.models import Document
    from agora.opendata.models import DatastoreTable

    ids = list(Document.objects.values_list("pk", flat=True)[:1000])
    pick = iter(rng.choices(ids, k=10_000))
    table = DatastoreTable.objects.get(resource__public_id=world["resource_id"]).table_name
    bare_ward = iter(rng.choices(WARDS, k=10_000))

    def bare_pk() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT title FROM content_document WHERE id = %s", [next(pick)])
            cursor.fetchall()

    def bare_datastore() -> None:
        ward_value = next(bare_ward)
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT * FROM "{table}" WHERE "c0" IN (%s) '  # noqa: S608
                           'ORDER BY "_id" LIMIT 100 OFFSET 0', [ward_value])
            cursor.fetchall()
            cursor.execute(f'SELECT COUNT(*) FROM "{table}" WHERE "c0" IN (%s)',  # noqa: S608
                           [ward_value])
            cursor.fetchall()

    figures["bare-pk"] = timed(bare_pk)
    figures["bare-ward"] = timed(bare_datastore)

    return {"database": which, "server": connection.vendor, "datasets": DATASETS,
            "loadavg": [round(value, 2) for value in os.getloadavg()],
            "rows": ROWS, "load": {"datasets_s": world["datasets_seconds"],
                                   "datastore_s": world["datastore_seconds"]},
            "figures": figures}


def report(result: dict) -> str:
    lines = [f"== {result['database']}: {result['datasets']:,} datasets "
             f"(built in {result['load']['datasets_s']} s), DataStore {result['rows']:,} rows "
             f"(loaded in {result['load']['datastore_s']} s); load average "
             f"{' '.join(str(value) for value in result['loadavg'])}"]
    for name, figures in result["figures"].items():
        mark = "" if figures["p95_ms"] < TARGET_MS else "  (over the 50 ms target)"
        lines.append(f"{name:<18} p50 {figures['p50_ms']:>7} ms   p95 {figures['p95_ms']:>7} ms"
                     f"{mark}")
    return "\n".join(lines)


def main(databases: tuple[str, ...] = ("sqlite", "postgres")) -> list[dict]:
    print(f"Open data benchmarks (AGORA_BENCH_SCALE={SCALE}): {DATASETS:,} datasets, "
          f"{ROWS:,} DataStore rows")
    figures = DATABASES.run_each("bench.opendata", databases)
    for result in figures:
        print(report(result))
    return figures


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1])))

