"""Benchmark answering questions on SQLite and PostgreSQL (figures in docs/benchmarks.md).

Target (issue 12), on this 2-core machine: p95 answer time under 300 ms without
embeddings.

For each engine this script loads the demo town's information hub (the eight
organisations and their ~160 documents in every format, published through the real
service, as `agora demo load` does) into a throwaway database, then asks the project's
question sets (src/agora/demo/answer_questions.jsonl and answer_questions_fresh.jsonl:
answerable, unanswerable and personal questions, written the way residents write) as an
anonymous resident through `answers.selectors.answer_question`, the call behind the ask
page and the API: spelling correction, the access-respecting search, scoring every
section of the best documents, sentence extraction and calibration. Each question is
asked WARMUP times unmeasured, then ROUNDS times measured, in a shuffled order.

    .venv/bin/python -m bench answers               # both engines, each in a fresh process
    .venv/bin/python -m bench.answers sqlite        # one engine, in this process

AGORA_BENCH_ANSWERS_ROUNDS (default 10) sets how many times each question is timed;
AGORA_BENCH_ANSWERS_DB names the PostgreSQL database (default agora_bench_answers).
"""

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

from bench.throwaway import Throwaway

DATABASES = Throwaway(sqlite_name="answers.sqlite3",
                      postgres_db=os.environ.get("AGORA_BENCH_ANSWERS_DB", "agora_bench_answers"))
ROUNDS = int(os.environ.get("AGORA_BENCH_ANSWERS_ROUNDS", "10"))
WARMUP = 1
TARGET_P95_MS = 300.0
QUESTIONS = Path(__file__).resolve().parents[1] / "src/agora/demo/answer_questions.jsonl"
FRESH = QUESTIONS.with_name("answer_questions_fresh.jsonl")


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    at = lambda share: ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]  # noqa: E731
    return {"p50_ms": round(statistics.median(ordered), 2), "p95_ms": round(at(0.95), 2),
            "p99_ms": round(at(0.99), 2), "max_ms": round(ordered[-1], 2), "n": len(ordered)}


def run(which: str) -> dict:
    """Load the demo hub and time every question of the set, in this process."""
    DATABASES.setup(which)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from agora.access.documents import anonymous_reader
    from agora.answers.evaluation import questions_read
    from agora.answers.selectors import answer_question
    from agora.core.actors import SYSTEM
    from agora.demo.hub import hub_load
    from agora.demo.names import ORGANISATIONS
    from agora.organizations.models import Organization
    from agora.organizations.services import organization_create

    started = time.perf_counter()
    for spec in ORGANISATIONS:
        if not Organization.objects.filter(slug=spec["slug"]).exists():
            organization_create(actor=SYSTEM, name=spec["name"], kind=spec["kind"],
                                slug=spec["slug"])
    hub_load(step=lambda label: None)
    load_seconds = time.perf_counter() - started
    questions = [q.question for path in (QUESTIONS, FRESH) for q in questions_read(path)]
    reader = anonymous_reader()
    rng = random.Random(12)  # noqa: S311 (the order of questions, not a secret)
    for question in questions * WARMUP:
        answer_question(reader=reader, question=question)
    samples, by_status = [], {}
    for _ in range(ROUNDS):
        order = questions[:]
        rng.shuffle(order)
        for question in order:
            began = time.perf_counter()
            answer = answer_question(reader=reader, question=question)
            elapsed = (time.perf_counter() - began) * 1000
            samples.append(elapsed)
            by_status.setdefault(answer.status, []).append(elapsed)
    return {"database": which, "questions": len(questions), "rounds": ROUNDS,
            "load_seconds": round(load_seconds, 1), "load_average": os.getloadavg(),
            "all": _percentiles(samples),
            "by_status": {status: _percentiles(values) for status, values in by_status.items()}}


def report(result: dict) -> str:
    figures = result["all"]
    verdict = "meets" if figures["p95_ms"] < TARGET_P95_MS else "MISSES"
    lines = [f"== {result['database']}: {result['questions']} questions x {result['rounds']} "
             f"(hub loaded in {result['load_seconds']} s, load average "
             f"{result['load_average'][0]:.2f})",
             f"   all: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, p99 "
             f"{figures['p99_ms']} ms, max {figures['max_ms']} ms ({verdict} p95 < "
             f"{TARGET_P95_MS:.0f} ms)"]
    for status, values in sorted(result["by_status"].items()):
        lines.append(f"   {status}: p50 {values['p50_ms']} ms, p95 {values['p95_ms']} ms "
                     f"({values['n']} answers)")
    return "\n".join(lines)


def main() -> list[dict]:
    """Run on each engine, each in a fresh process and a fresh database."""
    print(f"Answers benchmark: {ROUNDS} rounds of the question set")
    figures = DATABASES.run_each("bench.answers")
    for result in figures:
        print(report(result), flush=True)
    return figures


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(json.dumps(run(sys.argv[1])))
    else:
        main()
