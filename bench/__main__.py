"""Run the benchmarks in bench/; each prints its figures (recorded in docs/benchmarks.md).

    .venv/bin/python -m bench                  # every benchmark
    .venv/bin/python -m bench access audit     # only those named
"""

import sys

from bench import (
    access_filter,
    answers,
    audit_log,
    audit_sqlite_floor,
    latency,
    load,
    notifications,
    opendata,
    requests,
    search,
)

BENCHMARKS = {"audit": audit_log.main, "audit-floor": audit_sqlite_floor.main,
              "access": access_filter.main, "requests": requests.main, "search": search.main,
              "latency": latency.main, "load": load.main, "notifications": notifications.main,
              "answers": answers.main,
              "opendata": opendata.main}

if __name__ == "__main__":
    names = sys.argv[1:] or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        sys.exit(f"Unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}.")
    for name in names:
        BENCHMARKS[name]()
