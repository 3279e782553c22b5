"""Benchmark the hub's search on SQLite FTS5 and PostgreSQL (figures in docs/benchmarks.md).

Targets (issue 9), on this 2-core machine: p95 under 50 ms at 100k sections on both
engines and under 150 ms at 1M on PostgreSQL; access filtering at most 1.3x the same query
without it; Agora's search at most 1.3x a bare FTS5 / tsvector query on the same data;
ingest at least 100 text documents per second.

For each engine and size this script builds a synthetic corpus in a throwaway database:
20 organisations, the starting topics, documents of 1-9 sections (5 on average) whose
titles, headings and text are drawn with a fixed seed from a fixed vocabulary (20,000
made-up words with a Zipf distribution, plus about sixty words of the town's guidance at
middling ranks, so the queries below match a realistic share of sections). The rows go in
by bulk insert (COPY on PostgreSQL), not through ingest, then the engine's structures are
filled (FTS5 by its triggers, then `optimize`; the tsvectors by one UPDATE, then VACUUM
ANALYZE) and the "did you mean" vocabulary is counted.

Then it times a fixed mix of queries (`QUERIES`: one to three words, a misspelling, a
synonym, with owner, topic, kind and year filters) read by three readers in turn (an
anonymous visitor, a member of one organisation, a caseworker who may read restricted
documents), each three ways:

    agora       `content.selectors.hub_search`: what the search page and the API call
                (matching with access inside, total and four facets, the page of best
                sections per document, snippets, the documents' rows)
    no-access   the same call with the access condition replaced by `1 = 1`
    bare        the bare engine query on the words of the attempt that answered (the
                corrected words for a misspelling, any word when Agora fell back to
                that): the count of matching sections and the 20 best by rank with a
                snippet, no access, facets or grouping

Index size is the FTS5 shadow tables (dbstat) or the GIN index, beside the indexed table.
Ingest rate is `content.ingest.ingest` over 300 generated Markdown files, after the bulk
load, through the real path (extraction, storage, version, sections, index, log).

    .venv/bin/python -m bench.search                 # the plan (PLAN) on both engines
    .venv/bin/python -m bench.search postgres 100k   # one engine and size, in this process

AGORA_BENCH_SEARCH_PLAN overrides the plan, e.g. "sqlite:10k,100k;postgres:10k,100k,1m";
AGORA_BENCH_SEARCH_DB names the PostgreSQL database (default agora_bench_search).
AGORA_BENCH_KEEP=1 (one engine and size, run directly) uses a corpus already in that
database (or var/bench/search.sqlite3) instead of building one, and leaves it there:
a 1M corpus takes ten minutes or more to build.
The query plans of one instance of each query go to var/bench/search-plans-<engine>-<size>.txt.
"""

import contextlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.bulk import bulk_rows
from bench.throwaway import BENCH_DIR, Throwaway

DATABASES = Throwaway(sqlite_name="search.sqlite3",
                      postgres_db=os.environ.get("AGORA_BENCH_SEARCH_DB", "agora_bench_search"))
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
PLAN = os.environ.get("AGORA_BENCH_SEARCH_PLAN", "sqlite:10k,100k;postgres:10k,100k,1m")
TARGETS = {"p95_ms": {"100k": 50.0, "1m": 150.0}, "access_ratio": 1.3, "bare_ratio": 1.3,
           "ingest_per_second": 100.0}
ORGANIZATIONS = 20
VOCABULARY = 20_000
ITERATIONS, WARMUP = 150, 30
INGEST_FILES = 300
BATCH = 10_000
NOW = datetime(2026, 6, 1, tzinfo=UTC)
CLASSIFICATIONS = [("public", 60), ("open", 10), ("internal", 25), ("restricted", 5)]
KINDS = ["guidance", "policy", "form", "leaflet", "faq", "dataset", "notice"]
# Words of the town's guidance, placed among the made-up ones (see `vocabulary`).
TOWN_WORDS = """council tax housing repair bin collection school meals carer allowance
energy debt advice funeral birth register benefit rent arrears eviction damp mould
recycling garden waste pothole street light parking permit library swimming childcare
nursery admissions transport disability adaptation grant payment discount reduction
appeal complaint deadline application form licence noise nuisance food bank volunteer
training apprenticeship jobcentre pension winter fuel warm home""".split()  # noqa: SIM905
# (query, filters): filters name an owner index, a topic slug, a kind, or a year.
QUERIES = [
    ("council tax", {}),
    ("housing repair", {"topic": "housing-and-homelessness"}),
    ("bin collection", {"owner": 0}),
    ("school meals", {"kind": "guidance"}),
    ("funeral", {}),
    ("carer allowance", {"year": 2025}),
    ("energy debt advice", {}),
    ("counsil tax", {}),  # misspelt: a second attempt with the correction
    ("mould", {"topic": "housing-and-homelessness"}),  # a synonym group (mould | damp | …)
    ("parking permit appeal", {"owner": 1}),
    ("swimming", {"kind": "leaflet"}),
    ("winter fuel payment", {}),
]


def setup(which: str) -> None:
    DATABASES.setup(which)


# --- the corpus -----------------------------------------------------------------------


def vocabulary(rng: random.Random) -> list[str]:
    """Return the word list in Zipf rank order: made-up words with the town's mixed in."""
    syllables = [c + v for c in "bcdfghklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai",
                                                              "ou", "ee")]
    made, seen = [], set(TOWN_WORDS)
    while len(made) < VOCABULARY:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            made.append(word)
    # The first five town words ("council", "tax", "housing", …) rank 40-80, as common as
    # they are in a council's guidance; the others spread over ranks 100-2,500. In a
    # section of 80 words, rank 40 appears in about a fifth of sections, rank 2,500 in
    # about one in three hundred.
    words = made[:40]
    rest = iter(made[40:])
    for place, town in enumerate(TOWN_WORDS):
        words.append(town)
        gap = 9 if place < 5 else 40
        words.extend(next(rest) for _ in range(gap))
    words.extend(rest)
    return words


class Writer:
    """Draw text from the vocabulary with a Zipf (s = 1) distribution."""

    def __init__(self, rng: random.Random, words: list[str]):
        self.rng, self.words = rng, words
        total, self.cumulative = 0.0, []
        for rank in range(1, len(words) + 1):
            total += 1.0 / rank
            self.cumulative.append(total)

    def text(self, low: int, high: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative,
                                k=self.rng.randint(low, high))


def build_corpus(rng: random.Random, sections: int) -> dict:
    """Write organisations, members, documents and their indexed sections; return handles."""
    from django.db import connection, transaction

    from agora.organizations.models import Membership, Organization
    from agora.people.models import User
    from agora.search.models import Term
    from agora.topics.models import Topic

    began = time.perf_counter()
    with transaction.atomic():
        Organization.objects.bulk_create([
            Organization(slug=f"org-{n}", name=f"Organisation {n}", kind="government")
            for n in range(ORGANIZATIONS)])
        orgs = list(Organization.objects.order_by("pk"))
        User.objects.bulk_create([User(email=f"staff@{org.slug}.example") for org in orgs]
                                 + [User(email=f"caseworker@{org.slug}.example") for org in orgs])
        users = {user.email: user for user in User.objects.all()}
        Membership.objects.bulk_create(
            [Membership(user=users[f"staff@{org.slug}.example"], organization=org,
                        role="publisher") for org in orgs]
            + [Membership(user=users[f"caseworker@{org.slug}.example"], organization=org,
                          role="caseworker") for org in orgs])
    topic_ids = list(Topic.objects.values_list("pk", flat=True))
    words = vocabulary(rng)
    writer = Writer(rng, words)
    org_ids = [org.pk for org in orgs]
    levels, level_weights = zip(*CLASSIFICATIONS, strict=True)
    documents = []  # (owner, classification, roles, kind, updated, title, [sections], topics)
    total = 0
    while total < sections:
        count = min(rng.randint(1, 9), sections - total)
        total += count
        level = rng.choices(levels, level_weights)[0]
        documents.append((
            rng.choice(org_ids), level, ",caseworker," if level == "restricted" else "",
            rng.choice(KINDS), NOW - timedelta(days=rng.uniform(0, 4 * 365)),
            " ".join(writer.text(3, 6)).capitalize(),
            [(" ".join(writer.text(1, 3)).capitalize(), " ".join(writer.text(40, 120)))
             for _ in range(count)],
            rng.sample(topic_ids, rng.randint(1, 2)),
        ))
    generated = time.perf_counter() - began
    with transaction.atomic():
        bulk_rows(
            "content_document",
            ["public_id", "owner_id", "source_key", "title", "summary", "kind",
             "classification", "restricted_roles", "source_url", "publisher", "licence",
             "created_at", "updated_at"],
            ((uuid.UUID(int=rng.getrandbits(128)), owner, f"bench/{number}", title, "", kind,
              level, roles, "", "", "", updated, updated)
             for number, (owner, level, roles, kind, updated, title, _, _)
             in enumerate(documents)))
        with connection.cursor() as cursor:
            cursor.execute("SELECT MIN(id) FROM content_document")
            first = cursor.fetchone()[0]
        bulk_rows(
            "search_indexedsection",
            ["document_key", "section_key", "owner_id", "classification", "restricted_roles",
             "kind", "updated_at", "title", "heading", "anchor", "body"],
            ((first + number, position, owner, level, roles, kind, updated, title, heading,
              f"section-{position}", body)
             for number, (owner, level, roles, kind, updated, title, parts, _)
             in enumerate(documents) for position, (heading, body) in enumerate(parts)))
        bulk_rows("search_indexedtopic", ["document_key", "topic_id"],
                   ((first + number, topic) for number, document in enumerate(documents)
                    for topic in document[7]))
        # "Did you mean" counts the words of open and public documents, one per document.
        frequency: Counter = Counter()
        for document in documents:
            if document[1] in ("open", "public"):
                frequency.update({word.lower() for text in [document[5]] + [
                    f"{h} {b}" for h, b in document[6]] for word in text.split()})
        Term.objects.bulk_create(
            [Term(term=word, initial=word[0], length=len(word), frequency=count)
             for word, count in frequency.items() if len(word) <= 60], batch_size=BATCH)
    loaded = time.perf_counter() - began - generated
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from agora.search.engines.postgres import VECTORS_SQL, vectors_params

            cursor.execute(f"UPDATE search_indexedsection SET {VECTORS_SQL}",  # noqa: S608
                           vectors_params())
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    return {"organizations": orgs, "users": users, "documents": len(documents),
            "generate_seconds": generated, "load_seconds": loaded,
            "index_seconds": time.perf_counter() - began - generated - loaded}


def kept_corpus() -> dict | None:
    """Return the handles of a corpus an earlier run left in the database, or None."""
    from django.db import connection

    from agora.organizations.models import Organization
    from agora.people.models import User

    orgs = list(Organization.objects.filter(slug__startswith="org-").order_by("pk"))
    if len(orgs) < ORGANIZATIONS:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(DISTINCT document_key) FROM search_indexedsection")
        documents = cursor.fetchone()[0]
    return {"organizations": orgs, "users": {user.email: user for user in User.objects.all()},
            "documents": documents, "generate_seconds": 0.0, "load_seconds": 0.0,
            "index_seconds": 0.0}


def index_size() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_relation_size('search_section_vector_topics'), "
                           "pg_total_relation_size('search_indexedsection')")
            index, table = cursor.fetchone()
        else:
            cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search_fts%'")
            index = cursor.fetchone()[0]
            cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search_indexed%' "
                           "OR name LIKE 'search_section%' OR name LIKE 'search_topic%'")
            table = cursor.fetchone()[0]
    return {"full_text_mb": index / 2**20, "table_and_indexes_mb": table / 2**20}


# --- the queries ----------------------------------------------------------------------


def readers(corpus: dict) -> list:
    """An anonymous visitor, a publisher of one organisation, a caseworker of another."""
    from agora.access.documents import anonymous_reader, reader_for_user

    orgs, users = corpus["organizations"], corpus["users"]
    return [anonymous_reader(), reader_for_user(users[f"staff@{orgs[2].slug}.example"]),
            reader_for_user(users[f"caseworker@{orgs[3].slug}.example"])]


@contextlib.contextmanager
def access_off():
    """Replace the access condition by `1 = 1`: the same query without access filtering."""
    from agora.search import query

    original = query.readable_documents_sql
    query.readable_documents_sql = lambda reader, **columns: ("1 = 1", [])
    try:
        yield
    finally:
        query.readable_documents_sql = original


def agora_search(reader, text: str, filters: dict, corpus: dict):
    from agora.content.selectors import hub_search

    owner = corpus["organizations"][filters["owner"]].slug if "owner" in filters else ""
    return hub_search(reader=reader, query=text, topic=filters.get("topic", ""), owner=owner,
                      kind=filters.get("kind", ""), year=filters.get("year"), limit=20)


def answered_by(result) -> tuple[str, bool]:
    """Return the words and the every-word flag of the attempt that gave Agora's answer."""
    search = result.search
    return (search.corrected or search.query), search.matched_all


def bare_statements(text: str, every: bool = True) -> list[tuple[str, list]]:
    """Return the bare engine query for these words: a count, and the 20 best with snippets."""
    from django.db import connection

    from agora.search.words import query_groups, query_words

    groups = query_groups(query_words(text))
    if connection.vendor == "postgresql":
        from agora.search.engines.postgres import HEADLINE_OPTIONS, language, tsquery_text

        tsquery = tsquery_text(groups, every=every)
        return [
            ("SELECT COUNT(*) FROM search_indexedsection "
             "WHERE vector @@ to_tsquery(%s::regconfig, %s)", [language(), tsquery]),
            ("SELECT id, ts_headline(%s::regconfig, body, q, %s) FROM (SELECT id, body, q, "
             "ts_rank(vector, q) AS rank FROM search_indexedsection, "
             "to_tsquery(%s::regconfig, %s) q WHERE vector @@ q ORDER BY rank DESC LIMIT 20) "
             "best ORDER BY rank DESC",
             [language(), HEADLINE_OPTIONS, language(), tsquery]),
        ]
    from agora.search.engines.sqlite import WEIGHTS, match_expression

    expression = match_expression(groups, every=every)
    return [
        ("SELECT COUNT(*) FROM search_fts WHERE search_fts MATCH %s", [expression]),
        (f"SELECT rowid, snippet(search_fts, 2, '[', ']', '…', 30) FROM search_fts "  # noqa: S608
         f"WHERE search_fts MATCH %s ORDER BY bm25(search_fts, {WEIGHTS}) LIMIT 20",
         [expression]),
    ]


def bare_search(text: str, every: bool = True) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for sql, params in bare_statements(text, every):
            cursor.execute(sql, params)
            cursor.fetchall()


def _percentiles(samples: list[float]) -> dict:
    samples = sorted(samples)
    return {"p50_ms": statistics.median(samples) * 1000,
            "p95_ms": samples[max(0, int(len(samples) * 0.95) - 1)] * 1000,
            "max_ms": samples[-1] * 1000}


def measure(corpus: dict) -> dict:
    """Time the mix: each iteration one query, one reader, the three ways in rotating order."""
    everyone = readers(corpus)
    samples: dict[str, list[float]] = {"agora": [], "no-access": [], "bare": []}
    per_query: dict[str, list[float]] = {text: [] for text, _ in QUERIES}
    totals: dict[str, list[int]] = {text: [] for text, _ in QUERIES}
    # The bare query asks the engine what Agora's answering attempt asked it.
    bare_words = {text: answered_by(agora_search(everyone[0], text, filters, corpus))
                  for text, filters in QUERIES}
    for number in range(WARMUP + ITERATIONS):
        text, filters = QUERIES[number % len(QUERIES)]
        reader = everyone[(number // len(QUERIES)) % len(everyone)]
        ways = [
            ("agora", lambda r=reader, t=text, f=filters: agora_search(r, t, f, corpus)),
            ("no-access", lambda t=text, f=filters: _without_access(t, f, corpus)),
            ("bare", lambda t=text: bare_search(*bare_words[t])),
        ]
        ways = ways[number % 3:] + ways[:number % 3]
        for name, run in ways:
            began = time.perf_counter()
            result = run()
            elapsed = time.perf_counter() - began
            if number >= WARMUP:
                samples[name].append(elapsed)
                if name == "agora":
                    per_query[text].append(elapsed)
                    totals[text].append(result.search.total)
    figures = {name: _percentiles(values) for name, values in samples.items()}
    figures["access_ratio_p50"] = figures["agora"]["p50_ms"] / figures["no-access"]["p50_ms"]
    figures["access_ratio_p95"] = figures["agora"]["p95_ms"] / figures["no-access"]["p95_ms"]
    figures["bare_ratio_p50"] = figures["agora"]["p50_ms"] / figures["bare"]["p50_ms"]
    figures["bare_ratio_p95"] = figures["agora"]["p95_ms"] / figures["bare"]["p95_ms"]
    figures["per_query"] = {
        text: {**_percentiles(values), "documents_mean": statistics.mean(totals[text])}
        for text, values in per_query.items()}
    return figures


def broad_quality(corpus: dict) -> dict:
    """For each query: is it counted exactly, and how far is a broad page from the exact one?

    The exact page ranks every match (as before decision 45); the broad page ranks the
    title and heading matches. Reported: the share of the exact top 20 documents the broad
    page also shows, and whether both put the same document first.
    """
    from agora.search import query

    reader = readers(corpus)[0]
    quality = {}
    for text, filters in QUERIES:
        broad = agora_search(reader, text, filters, corpus)
        original, query.EXACT_UP_TO = query.EXACT_UP_TO, 10**9
        try:
            exact = agora_search(reader, text, filters, corpus)
        finally:
            query.EXACT_UP_TO = original
        shown = [hit.document.pk for hit in broad.hits]
        best = [hit.document.pk for hit in exact.hits]
        quality[text] = {
            "total_exact": broad.search.total_exact, "total_shown": broad.search.total,
            "total": exact.search.total,
            "top20_overlap": len(set(shown) & set(best)) / len(best) if best else 1.0,
            "same_first": shown[:1] == best[:1]}
    return quality


def _without_access(text: str, filters: dict, corpus: dict):
    from agora.access.documents import anonymous_reader

    with access_off():
        return agora_search(anonymous_reader(), text, filters, corpus)


def explain(corpus: dict) -> str:
    """Return the plans of Agora's statements for one instance of each query."""
    from django.db import connection

    reader = readers(corpus)[1]
    parts = []
    for text, filters in QUERIES:
        with connection.execute_wrapper(_plan_collector(parts, text)):
            agora_search(reader, text, filters, corpus)
    return "\n".join(parts)


def _plan_collector(parts: list[str], label: str):
    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.lstrip().startswith("WITH hits"):
            from django.db import connection

            prefix = ("EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql"
                      else "EXPLAIN QUERY PLAN ")
            with connection.cursor() as cursor:  # not the statement's: its rows are unread
                cursor.execute(prefix + sql, params)
                plan = "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())
            parts.append(f"--- {label}\n{sql}\n{params}\n\n{plan}\n")
        return result
    return wrapper


def ingest_rate(corpus: dict, rng: random.Random) -> dict:
    """Ingest generated Markdown files through the real path; return documents per second."""
    from agora.content.ingest import candidates, ingest
    from agora.content.services import Details
    from agora.core.actors import SYSTEM

    writer = Writer(rng, vocabulary(random.Random(1)))  # noqa: S311 (not a secret)
    with tempfile.TemporaryDirectory() as root:
        folder = Path(root) / f"run-{uuid.uuid4().hex[:12]}"  # a key of its own each run
        folder.mkdir()
        for number in range(INGEST_FILES):
            lines = ["---", f"title: Ingested {number} {' '.join(writer.text(2, 4))}", "---", ""]
            for _ in range(rng.randint(2, 8)):
                lines += [f"## {' '.join(writer.text(1, 3)).capitalize()}", "",
                          " ".join(writer.text(40, 120)), ""]
            (Path(folder) / f"doc-{number:04}.md").write_text("\n".join(lines))
        items = candidates([Path(root)])
        began = time.perf_counter()
        report = ingest(actor=SYSTEM, owner=corpus["organizations"][0], items=items,
                        details=Details(topics=("council-tax",)))
        elapsed = time.perf_counter() - began
    assert report.created == INGEST_FILES, report
    return {"documents": INGEST_FILES, "seconds": elapsed,
            "documents_per_second": INGEST_FILES / elapsed}


def run(which: str, size: str) -> dict:
    """Build the corpus and measure on one engine and size, in this process."""
    setup(which)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    rng = random.Random(9)  # noqa: S311 (the corpus's shape, not a secret)
    corpus = kept_corpus() if os.environ.get("AGORA_BENCH_KEEP") == "1" else None
    if corpus is None:
        print(f"{which} {size}: building {SIZES[size]:,} sections…", file=sys.stderr,
              flush=True)
        corpus = build_corpus(rng, SIZES[size])
    print(f"{which} {size}: generated {corpus['generate_seconds']:.0f} s, loaded "
          f"{corpus['load_seconds']:.0f} s, indexed {corpus['index_seconds']:.0f} s",
          file=sys.stderr, flush=True)
    results = {"database": which, "size": size, "sections": SIZES[size],
               "load_average_before": os.getloadavg(),
               "documents": corpus["documents"],
               **{key: corpus[key] for key in ("generate_seconds", "load_seconds",
                                                "index_seconds")},
               "index": index_size()}
    results["queries"] = measure(corpus)
    results["broad"] = broad_quality(corpus)
    print(f"{which} {size}: {json.dumps(results['queries'])}", file=sys.stderr, flush=True)
    (BENCH_DIR / f"search-plans-{which}-{size}.txt").write_text(explain(corpus))
    results["ingest"] = ingest_rate(corpus, rng)
    results["load_average_after"] = os.getloadavg()
    return results


def plan() -> list[tuple[str, str]]:
    steps = []
    for part in PLAN.split(";"):
        which, _, sizes = part.partition(":")
        steps += [(which.strip(), size.strip()) for size in sizes.split(",") if size.strip()]
    return steps


def main() -> list[dict]:
    """Run every step of the plan, each in a fresh process and a fresh database."""
    import subprocess

    from bench.throwaway import PROJECT

    print(f"Search benchmarks: {PLAN}")
    figures = []
    for which, size in plan():
        if which == "sqlite":
            DATABASES.remove_sqlite()
        elif not DATABASES.postgres("create"):
            continue
        try:
            done = subprocess.run(  # noqa: S603 (our own module, fixed arguments)
                [sys.executable, "-m", "bench.search", which, size], cwd=PROJECT,
                stdout=subprocess.PIPE, text=True, check=True)
            result = json.loads(done.stdout.strip().splitlines()[-1])
        finally:
            if which == "postgres":
                DATABASES.postgres("drop")
            else:
                DATABASES.remove_sqlite()
        figures.append(result)
        print(report(result), flush=True)
    (BENCH_DIR / "search-results.json").write_text(json.dumps(figures, indent=1))
    return figures


def _verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def report(result: dict) -> str:
    queries, size = result["queries"], result["size"]
    agora = queries["agora"]
    p95_target = TARGETS["p95_ms"].get(size)
    lines = [
        f"== {result['database']}, {result['sections']:,} sections in "
        f"{result['documents']:,} documents (bulk load {result['load_seconds']:.0f} s, "
        f"index {result['index_seconds']:.0f} s; full-text index "
        f"{result['index']['full_text_mb']:.1f} MB, table and its indexes "
        f"{result['index']['table_and_indexes_mb']:.1f} MB; machine load average "
        f"{result['load_average_before'][0]:.1f} before, {result['load_average_after'][0]:.1f} "
        "after, on 2 cores)",
        f"  agora      p50 {agora['p50_ms']:.1f} ms, p95 {agora['p95_ms']:.1f} ms"
        + (f" ({_verdict(agora['p95_ms'] < p95_target)} p95 < {p95_target:.0f} ms)"
           if p95_target and (size != "1m" or result["database"] == "postgres") else ""),
        f"  no-access  p50 {queries['no-access']['p50_ms']:.1f} ms, "
        f"p95 {queries['no-access']['p95_ms']:.1f} ms; access ratio p50 "
        f"{queries['access_ratio_p50']:.2f}x, p95 {queries['access_ratio_p95']:.2f}x "
        f"({_verdict(queries['access_ratio_p95'] <= TARGETS['access_ratio'])} "
        f"<= {TARGETS['access_ratio']}x)",
        f"  bare       p50 {queries['bare']['p50_ms']:.1f} ms, "
        f"p95 {queries['bare']['p95_ms']:.1f} ms; Agora / bare p50 "
        f"{queries['bare_ratio_p50']:.2f}x, p95 {queries['bare_ratio_p95']:.2f}x "
        f"({_verdict(queries['bare_ratio_p95'] <= TARGETS['bare_ratio'])} "
        f"<= {TARGETS['bare_ratio']}x)",
        "  broad queries (anonymous; exact top 20 also shown, same first): " + "; ".join(
            f"“{text}” {figures['total_shown']:,}+ of {figures['total']:,} docs, "
            f"{figures['top20_overlap']:.0%}, {'yes' if figures['same_first'] else 'no'}"
            for text, figures in result.get("broad", {}).items()
            if not figures["total_exact"]) or "none",
        f"  ingest     {result['ingest']['documents_per_second']:.0f} documents/s "
        f"({_verdict(result['ingest']['documents_per_second'] >= 100)} >= 100/s)",
        "  per query (agora): " + "; ".join(
            f"“{text}” p50 {figures['p50_ms']:.1f} / p95 {figures['p95_ms']:.1f} ms, "
            f"{figures['documents_mean']:.0f} docs"
            for text, figures in queries["per_query"].items()),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) > 2:
        print(json.dumps(run(sys.argv[1], sys.argv[2])))
    else:
        main()
