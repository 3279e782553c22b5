"""Benchmark answering questions on SQLite and PostgreSQL (figures in docs/benchmarks.md).

Targets (issue 12), on this 2-core machine: p95 answer time under 300 ms without
embeddings and under 1 s with them, at 100k sections.

For each engine this script loads the demo town's information hub (the eight
organisations and their ~160 documents in every format, published through the real
service, as `agora demo load` does) into a throwaway database, then asks the project's
question sets (src/agora/demo/answer_questions.jsonl and answer_questions_fresh.jsonl:
answerable, unanswerable and personal questions, written the way residents write) as an
anonymous resident through `answers.selectors.answer_question`, the call behind the ask
page and the API: spelling correction, the access-respecting search, scoring every
section of the best documents, sentence extraction and calibration. Each question is
asked WARMUP times unmeasured, then ROUNDS times measured, in a shuffled order.

At size, synthetic documents are added beside the town's until the hub holds that many
sections (`add_sections`): documents of 1-9 sections drawn with a fixed seed from the
search benchmark's vocabulary (made-up words with a Zipf distribution and the town's
words at middling ranks, so "council", "tax", "housing" match thousands of sections),
60% public, written by bulk insert as content rows (document, version, sections) and
search rows (indexed sections, topics, "did you mean" counts), then indexed as
`bench.search` does. The town's documents are still there to be found among them.

Each round times three things per question, in the same run:

    lexical     `answer_question` with the embeddings off (the default the suite tests)
    embeddings  the same with the `embeddings` extra on (only when it is installed)
    bare search `search.query.search` on the question's words, limit 6: the one
                statement every answer makes, its baseline

    .venv/bin/python -m bench answers               # both engines and sizes, fresh processes
    .venv/bin/python -m bench.answers sqlite        # one engine, in this process

AGORA_BENCH_ANSWERS_SIZES (default "0,100000") lists the sizes in sections (0: the town's
hub alone); AGORA_BENCH_ANSWERS_ROUNDS (default 5) sets how many times each question is
timed; AGORA_BENCH_ANSWERS_DB names the PostgreSQL database (default agora_bench_answers).
"""

import json
import os
import random
import statistics
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.throwaway import Throwaway

DATABASES = Throwaway(sqlite_name="answers.sqlite3",
                      postgres_db=os.environ.get("AGORA_BENCH_ANSWERS_DB", "agora_bench_answers"))
ROUNDS = int(os.environ.get("AGORA_BENCH_ANSWERS_ROUNDS", "5"))
SIZES = [int(n) for n in os.environ.get("AGORA_BENCH_ANSWERS_SIZES", "0,100000").split(",")]
SIZE = int(os.environ.get("AGORA_BENCH_ANSWERS_SECTIONS", "0"))  # this process's size
WARMUP = 1
TARGET_P95_MS = 300.0
TARGET_EMBEDDINGS_P95_MS = 1000.0
SEED = 12
NOW = datetime(2026, 6, 1, tzinfo=UTC)
PUBLIC_SHARE = 0.6
QUESTIONS = Path(__file__).resolve().parents[1] / "src/agora/demo/answer_questions.jsonl"
FRESH = QUESTIONS.with_name("answer_questions_fresh.jsonl")


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    at = lambda share: ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]  # noqa: E731
    return {"p50_ms": round(statistics.median(ordered), 2), "p95_ms": round(at(0.95), 2),
            "p99_ms": round(at(0.99), 2), "max_ms": round(ordered[-1], 2), "n": len(ordered)}


def add_sections(target: int, rng: random.Random) -> dict:
    """Add synthetic documents until the hub holds `target` sections; return counts."""
    from django.db import connection, transaction

    from agora.content.models import Section
    from agora.organizations.models import Organization
    from agora.search.models import Term
    from agora.topics.models import Topic
    from bench.bulk import bulk_rows
    from bench.search import Writer, vocabulary

    began = time.perf_counter()
    missing = target - Section.objects.count()
    if missing <= 0:
        return {"added_sections": 0, "added_documents": 0, "build_seconds": 0.0}
    # "the" and "and" lead the made-up words, as in any prose: their counts stand for the
    # number of public documents when words are weighted (answers.retrieval.vocabulary).
    words = ["the", "and", *vocabulary(rng)]
    writer = Writer(rng, words)
    org_ids = list(Organization.objects.values_list("pk", flat=True))
    topic_ids = list(Topic.objects.values_list("pk", flat=True))
    documents, total = [], 0
    while total < missing:
        count = min(rng.randint(1, 9), missing - total)
        total += count
        level = "public" if rng.random() < PUBLIC_SHARE else "internal"
        documents.append((
            rng.choice(org_ids), level, NOW - timedelta(days=rng.uniform(0, 4 * 365)),
            " ".join(writer.text(3, 6)).capitalize(),
            [(" ".join(writer.text(1, 3)).capitalize(), " ".join(writer.text(40, 120)))
             for _ in range(count)], rng.sample(topic_ids, rng.randint(1, 2))))
    with transaction.atomic(), connection.cursor() as cursor:
        bulk_rows("content_document",
                   ["public_id", "owner_id", "source_key", "title", "summary", "kind",
                    "classification", "restricted_roles", "source_url", "publisher",
                    "licence", "created_at", "updated_at"],
                   ((uuid.UUID(int=rng.getrandbits(128)), owner, f"bench/{n}", title, "",
                     "guidance", level, "", "", "", "", updated, updated)
                    for n, (owner, level, updated, title, _, _) in enumerate(documents)))
        cursor.execute("SELECT MIN(id) FROM content_document WHERE source_key = 'bench/0'")
        first_document = cursor.fetchone()[0]
        bulk_rows("content_version",
                   ["document_id", "number", "content_hash", "file_name", "original_name",
                    "media_type", "size", "title", "text", "metadata", "published_at",
                    "published_by"],
                   ((first_document + n, 1, f"{n:064x}", f"bench/{n}.md", f"{n}.md",
                     "text/markdown", 1, title, "", "{}", updated, "bench")
                    for n, (_, _, updated, title, _, _) in enumerate(documents)))
        cursor.execute("SELECT MIN(id) FROM content_version WHERE file_name = 'bench/0.md'")
        first_version = cursor.fetchone()[0]
        cursor.execute("UPDATE content_document SET current_version_id = id - %s + %s "
                       "WHERE id >= %s", [first_document, first_version, first_document])
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM content_section")
        section_id = cursor.fetchone()[0] + 1
        sections = []
        for n, (owner, level, updated, title, parts, _) in enumerate(documents):
            for position, (heading, body) in enumerate(parts):
                sections.append((section_id, first_version + n, position, heading, body,
                                 first_document + n, owner, level, updated, title))
                section_id += 1
        bulk_rows("content_section",
                   ["id", "version_id", "position", "anchor", "heading_path", "text"],
                   ((sid, version, position, f"section-{position}", json.dumps([heading]),
                     body) for sid, version, position, heading, body, *_ in sections))
        bulk_rows("search_indexedsection",
                   ["document_key", "section_key", "owner_id", "classification",
                    "restricted_roles", "kind", "updated_at", "title", "heading", "anchor",
                    "body"],
                   ((document, sid, owner, level, "", "guidance", updated, title, heading,
                     f"section-{position}", body)
                    for sid, _, position, heading, body, document, owner, level, updated,
                    title in sections))
        bulk_rows("search_indexedtopic", ["document_key", "topic_id"],
                   ((first_document + n, topic) for n, document in enumerate(documents)
                    for topic in document[5]))
        # "Did you mean" counts the words of public documents, one per document.
        frequency: Counter = Counter()
        for _, level, _, title, parts, _ in documents:
            if level == "public":
                frequency.update({w.lower() for text in [title] + [f"{h} {b}" for h, b in parts]
                                  for w in text.split()})
        known = {t.term: t for t in Term.objects.filter(term__in=list(frequency))}
        for word, term in known.items():
            term.frequency += frequency[word]
        Term.objects.bulk_update(list(known.values()), ["frequency"], batch_size=5000)
        Term.objects.bulk_create(
            [Term(term=w, initial=w[0], length=len(w), frequency=c)
             for w, c in frequency.items() if w not in known and len(w) <= 60],
            batch_size=5000)
        if connection.vendor == "postgresql":
            from agora.search.engines.postgres import VECTORS_SQL, vectors_params

            cursor.execute(f"UPDATE search_indexedsection SET {VECTORS_SQL} "  # noqa: S608
                           "WHERE document_key >= %s", [*vectors_params(), first_document])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    return {"added_sections": len(sections), "added_documents": len(documents),
            "build_seconds": round(time.perf_counter() - began, 1)}


def run(which: str) -> dict:
    """Load the demo hub (and synthetic sections up to SIZE), time every question, here."""
    DATABASES.setup(which)
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from agora.access.documents import anonymous_reader
    from agora.answers import embeddings
    from agora.answers.evaluation import questions_read
    from agora.answers.phrasing import content_words
    from agora.answers.selectors import answer_question
    from agora.content.models import Section
    from agora.core.actors import SYSTEM
    from agora.demo.hub import hub_load
    from agora.demo.names import ORGANISATIONS
    from agora.organizations.models import Organization
    from agora.organizations.services import organization_create
    from agora.search.query import search

    started = time.perf_counter()
    for spec in ORGANISATIONS:
        if not Organization.objects.filter(slug=spec["slug"]).exists():
            organization_create(actor=SYSTEM, name=spec["name"], kind=spec["kind"],
                                slug=spec["slug"])
    hub_load(step=lambda label: None)
    load_seconds = time.perf_counter() - started
    rng = random.Random(SEED)  # noqa: S311 (a synthetic corpus and an order, not a secret)
    built = add_sections(SIZE, rng) if SIZE else {}
    questions = [q.question for path in (QUESTIONS, FRESH) for q in questions_read(path)]
    reader = anonymous_reader()
    settings.ANSWERS_EMBEDDINGS = True
    modes = ["lexical", "embeddings"] if embeddings.enabled() else ["lexical"]

    def bare(question: str) -> None:
        search(reader=reader, query=" ".join(content_words(question)) or question, limit=6)

    def call(question: str):
        return answer_question(reader=reader, question=question)

    samples: dict[str, list[float]] = {"bare search": []}
    by_status: dict[str, dict[str, list[float]]] = {}
    outcomes: dict[str, dict[str, str]] = {}
    for mode in modes:
        settings.ANSWERS_EMBEDDINGS = mode == "embeddings"
        samples[mode], by_status[mode], outcomes[mode] = [], {}, {}
        for question in questions * WARMUP:
            call(question)
        for _ in range(ROUNDS):
            order = questions[:]
            rng.shuffle(order)
            for question in order:
                began = time.perf_counter()
                result = call(question)
                elapsed = (time.perf_counter() - began) * 1000
                samples[mode].append(elapsed)
                by_status[mode].setdefault(result.status, []).append(elapsed)
                outcomes[mode][question] = f"{result.status}:{result.answer}"
                if mode == "lexical":
                    began = time.perf_counter()
                    bare(question)
                    samples["bare search"].append((time.perf_counter() - began) * 1000)
    return {"database": which, "questions": len(questions), "rounds": ROUNDS,
            "sections": Section.objects.count(), **built,
            "load_seconds": round(load_seconds, 1), "load_average": os.getloadavg(),
            "modes": {mode: _percentiles(values) for mode, values in samples.items()},
            "by_status": {mode: {status: _percentiles(values)
                                 for status, values in statuses.items()}
                          for mode, statuses in by_status.items()},
            "answered": {mode: sum(o.startswith("answered") for o in found.values())
                         for mode, found in outcomes.items()},
            "changed_by_embeddings": sum(
                outcomes["lexical"][q] != outcomes["embeddings"][q] for q in questions)
            if "embeddings" in outcomes else None}


def report(result: dict) -> str:
    added = (f", {result['added_sections']:,} of them synthetic, built in "
             f"{result['build_seconds']} s" if result.get("added_sections") else "")
    lines = [f"== {result['database']}: {result['sections']:,} sections{added}; "
             f"{result['questions']} questions x {result['rounds']} (hub loaded in "
             f"{result['load_seconds']} s, load average "
             f"{', '.join(f'{x:.2f}' for x in result['load_average'])})"]
    bare = result["modes"]["bare search"]["p95_ms"]
    for mode, figures in result["modes"].items():
        target = {"lexical": TARGET_P95_MS, "embeddings": TARGET_EMBEDDINGS_P95_MS}.get(mode)
        verdict = (f" ({'meets' if figures['p95_ms'] < target else 'MISSES'} p95 < "
                   f"{target:.0f} ms; {figures['p95_ms'] / bare:.1f}x the bare search)"
                   if target else "")
        lines.append(f"   {mode}: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, "
                     f"p99 {figures['p99_ms']} ms, max {figures['max_ms']} ms{verdict}")
        for status, values in sorted(result["by_status"].get(mode, {}).items()):
            lines.append(f"      {status}: p50 {values['p50_ms']} ms, p95 {values['p95_ms']} ms "
                         f"({values['n']} answers)")
    lines.append(f"   answered: {result['answered']}; answers the embeddings change: "
                 f"{result['changed_by_embeddings']}")
    return "\n".join(lines)


def main() -> list[dict]:
    """Run on each engine and size, each in a fresh process and a fresh database."""
    print(f"Answers benchmark: sizes {SIZES}, {ROUNDS} rounds of the question sets")
    figures = []
    for size in SIZES:
        os.environ["AGORA_BENCH_ANSWERS_SECTIONS"] = str(size)
        for result in DATABASES.run_each("bench.answers"):
            print(report(result), flush=True)
            figures.append(result)
    return figures


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(json.dumps(run(sys.argv[1])))
    else:
        main()
