"""Events from commit to a partner's 2xx: throughput and latency on the database backend.

On a throwaway database each (bench/throwaway.py), with `AGORA_BENCH_WORKERS` worker
processes running what `agora worker` runs (`db_worker --no-reload --no-startup-delay`,
polling every second when idle) and a local receiver (a threaded HTTP server on
127.0.0.1 that answers 204 and notes when each `webhook-id` arrived):

- paced: events committed at 50 per second for `AGORA_BENCH_SECONDS` (30 s), each
  through `core.events.announce` in its own transaction, as a service commits one; the
  figure is the time from each commit to its 2xx (p50, p95, max);
- flood: events committed as fast as one process can for `AGORA_BENCH_SECONDS`, then the
  time until the last one is delivered: events per second from the first commit to the
  last 2xx, sustained over the whole run;
- beside them, a bare baseline from the same run: INSERT + COMMIT of one small row.

Prints one JSON line per database. Needs `uptime` load under 2.5 to mean much (2 cores).
"""

import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.throwaway import BENCH_DIR, PROJECT, Throwaway

DATABASES = Throwaway(sqlite_name="notifications.sqlite3", postgres_db=os.environ.get(
    "AGORA_BENCH_NOTIFICATIONS_DB", "agora_bench_notifications"))
SECONDS = int(os.environ.get("AGORA_BENCH_SECONDS", "30"))
WORKERS = int(os.environ.get("AGORA_BENCH_WORKERS", "2"))
PACED_RATE = 50
BARE = 2000


class Arrivals:
    """What the receiver saw: the first arrival time of each event id."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.first: dict[str, float] = {}
        self.requests = 0

    def note(self, event_id: str) -> None:
        now = time.time()
        with self.lock:
            self.requests += 1
            self.first.setdefault(event_id, now)


def _receiver(arrivals: Arrivals) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            arrivals.note(self.headers.get("webhook-id", ""))
            self.send_response(204)
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _workers(env: dict[str, str]) -> list[subprocess.Popen]:
    command = [sys.executable, "-m", "django", "db_worker", "--no-reload",
               "--no-startup-delay"]
    return [subprocess.Popen(command, cwd=PROJECT, env=env,  # noqa: S603 (fixed arguments)
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(WORKERS)]


def _commit(organization) -> tuple[str, float]:
    from django.db import transaction

    from agora.core.events import announce

    subject = str(uuid.uuid4())
    with transaction.atomic():
        announce("request.status_changed", organizations=[organization], source="/requests",
                 subject=subject, data={"request": subject, "status_to": "in-progress"})
    return subject, time.time()


def _wait_for(arrivals: Arrivals, count: int, timeout: float) -> None:
    deadline = time.time() + timeout
    while len(arrivals.first) < count and time.time() < deadline:
        time.sleep(0.05)


def _committed_ids(subjects: dict[str, float]) -> dict[str, float]:
    from agora.notifications.models import Event

    ids = dict(Event.objects.filter(subject__in=list(subjects)).values_list("subject", "id"))
    return {str(ids[s]): t for s, t in subjects.items()}


def _bare_commits() -> float:
    """Return bare INSERT + COMMIT per second (one small row each), the baseline."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_bare (id integer PRIMARY KEY, v varchar(40))")
    started = time.perf_counter()
    for n in range(BARE):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_bare (id, v) VALUES (%s, %s)", [n, str(n)])
    return BARE / (time.perf_counter() - started)


def run(which: str) -> dict:
    DATABASES.setup(which)
    os.environ["AGORA_WEBHOOK_ALLOW_LOOPBACK"] = "1"
    from django.conf import settings
    from django.core.management import call_command

    settings.WEBHOOK_ALLOW_LOOPBACK = True
    call_command("migrate", verbosity=0)
    from agora.core.actors import SYSTEM
    from agora.notifications.services import subscription_create
    from agora.organizations.models import Organization

    arrivals = Arrivals()
    server = _receiver(arrivals)
    organization = Organization.objects.create(slug="bench-council", name="Bench council",
                                               kind="government")
    subscription_create(actor=SYSTEM, organization=organization,
                        url=f"http://127.0.0.1:{server.server_port}/hook",
                        event_types=["request.status_changed"])
    bare = _bare_commits()
    env = {**os.environ, "PYTHONPATH": f"{PROJECT / 'src'}:{PROJECT}"}
    workers = _workers(env)
    try:
        time.sleep(2)  # the workers start
        # Paced: 50 per second, each commit timed against its own arrival.
        paced: dict[str, float] = {}
        started = time.time()
        for n in range(PACED_RATE * SECONDS):
            due = started + n / PACED_RATE
            if (pause := due - time.time()) > 0:
                time.sleep(pause)
            subject, at = _commit(organization)
            paced[subject] = at
        paced = _committed_ids(paced)
        _wait_for(arrivals, len(paced), 120)
        latencies = sorted(arrivals.first[i] - t for i, t in paced.items()
                           if i in arrivals.first)
        delivered_paced = len(latencies)
        # Flood: as fast as one process commits, for the same time; then until delivered.
        before = len(arrivals.first)
        flood: dict[str, float] = {}
        started = time.time()
        while time.time() - started < SECONDS:
            subject, at = _commit(organization)
            flood[subject] = at
        committed_for = time.time() - started
        flood = _committed_ids(flood)
        _wait_for(arrivals, before + len(flood), 600)
        last = max(arrivals.first[i] for i in flood if i in arrivals.first)
        delivered_flood = sum(1 for i in flood if i in arrivals.first)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
        server.shutdown()
    from django.db import connection

    connection.close()
    return {
        "database": which, "workers": WORKERS, "seconds": SECONDS,
        "bare_commits_per_s": round(bare),
        "paced_rate_per_s": PACED_RATE, "paced_committed": len(paced),
        "paced_delivered": delivered_paced,
        "paced_p50_s": round(statistics.median(latencies), 3),
        "paced_p95_s": round(latencies[int(0.95 * (len(latencies) - 1))], 3),
        "paced_max_s": round(latencies[-1], 3),
        "flood_committed": len(flood),
        "flood_commits_per_s": round(len(flood) / committed_for),
        "flood_delivered": delivered_flood,
        "flood_delivered_per_s": round(delivered_flood / (last - started)),
        "receiver_requests": arrivals.requests,
        "load": os.getloadavg()[0],
    }


def main() -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    print(f"load before: {os.getloadavg()}", flush=True)
    for figures in DATABASES.run_each("bench.notifications"):
        print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(json.dumps(run(sys.argv[1])))
    else:
        main()
