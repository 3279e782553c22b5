"""Events from commit to a partner's 2xx: throughput and latency on the database backend.

On a throwaway database each (bench/throwaway.py), with `AGORA_BENCH_WORKERS` worker
processes running what `agora worker` runs (`db_worker --no-reload --no-startup-delay`,
polling every second when idle) and a local receiver (a threaded HTTP server on
127.0.0.1, in a process of its own, speaking HTTP/1.1 with keep-alive, that answers 204
and notes when each `webhook-id` first arrived):

- paced: events committed at 50 per second for `AGORA_BENCH_SECONDS` (30 s), each
  through `core.events.announce` in its own transaction, as a service commits one; the
  figure is the time from each commit to its 2xx (p50, p95, max);
- sustained: events committed at `AGORA_BENCH_RATE` (200) per second for
  `AGORA_BENCH_SUSTAINED_SECONDS` (60): the rate achieved from the first commit to the
  last 2xx, and the same latencies (a backlog that grows shows as a growing latency);
- backlog: `AGORA_BENCH_BACKLOG` (12,000) events committed while no worker runs, then the
  workers start: events delivered per second until the last 2xx (a minute at 200/s), the
  delivery side's own capacity when the committing process cannot offer 200/s (a crowded
  machine); `AGORA_BENCH_PHASES` chooses the phases (paced,sustained,backlog);
- beside them, a bare baseline from the same run: INSERT + COMMIT of one small row.

Prints one JSON line per database. Needs `uptime` load under 2.5 to mean much (2 cores).
"""

import json
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.throwaway import BENCH_DIR, PROJECT, Throwaway

DATABASES = Throwaway(sqlite_name="notifications.sqlite3", postgres_db=os.environ.get(
    "AGORA_BENCH_NOTIFICATIONS_DB", "agora_bench_notifications"))
SECONDS = int(os.environ.get("AGORA_BENCH_SECONDS", "30"))
WORKERS = int(os.environ.get("AGORA_BENCH_WORKERS", "2"))
PACED_RATE = 50
SUSTAINED_RATE = int(os.environ.get("AGORA_BENCH_RATE", "200"))
SUSTAINED_SECONDS = int(os.environ.get("AGORA_BENCH_SUSTAINED_SECONDS", "60"))
BARE = 2000
BACKLOG = int(os.environ.get("AGORA_BENCH_BACKLOG", "12000"))
PHASES = os.environ.get("AGORA_BENCH_PHASES", "paced,sustained,backlog").split(",")
KEEP_ALIVE = os.environ.get("AGORA_BENCH_KEEP_ALIVE", "1") == "1"
"""The receiver speaks HTTP/1.1 and keeps connections open, as most servers do (0: HTTP/1.0,
a connection per request, as the receiver did before decision 50)."""
BACKEND = os.environ.get("AGORA_BENCH_BACKEND", "database")
"""`database` (SQLite and PostgreSQL) or `redis` (RQ on a Redis the benchmark starts,
PostgreSQL, the sustained and backlog phases with 1, 2 and 4 workers; paced is skipped)."""


def _serve(port: int, log: str) -> None:
    """Answer 204 to every post and append `<webhook-id> <time>` to `log` (a process)."""
    out = open(log, "a", buffering=1)  # noqa: SIM115 (open for the process's life)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1" if KEEP_ALIVE else "HTTP/1.0"

        def log_message(self, *args) -> None:
            pass

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            out.write(f"{self.headers.get('webhook-id', '')} {time.time()}\n")
            self.send_response(204)
            self.end_headers()

    class Server(ThreadingHTTPServer):
        request_queue_size = 128  # not 5: senders connect several at once

    server = Server(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    server.serve_forever()


class Receiver:
    """The receiver in a process of its own (so the committing loop does not slow it)."""

    def __init__(self) -> None:
        self.log = BENCH_DIR / "notifications-arrivals.log"
        self.log.unlink(missing_ok=True)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.process = multiprocessing.get_context("fork").Process(
            target=_serve, args=(self.port, str(self.log)), daemon=True)
        self.process.start()

    def first(self) -> dict[str, float]:
        """Return when each event id first arrived."""
        arrived: dict[str, float] = {}
        if self.log.exists():
            for line in self.log.read_text().splitlines():
                event_id, _, at = line.partition(" ")
                if at:
                    arrived.setdefault(event_id, float(at))
        return arrived

    def requests(self) -> int:
        return len(self.log.read_text().splitlines()) if self.log.exists() else 0

    def stop(self) -> None:
        self.process.terminate()
        self.process.join(10)


def _workers(env: dict[str, str]) -> list[subprocess.Popen]:
    """Start the workers `agora worker` would run on the chosen backend."""
    command = [sys.executable, "-m", "django", "db_worker", "--no-reload",
               "--no-startup-delay"]
    if BACKEND == "redis":
        command = [sys.executable, "-m", "django", "rqworker", "default", "--with-scheduler",
                   "--job-class", "django_tasks_rq.Job"]
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


def _wait_for(receiver: Receiver, ids, timeout: float) -> dict[str, float]:
    deadline = time.time() + timeout
    while True:
        arrived = receiver.first()
        if all(i in arrived for i in ids) or time.time() > deadline:
            return arrived
        time.sleep(0.2)


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


def _phase(receiver: Receiver, organization, rate: int, seconds: int) -> dict:
    """Commit `rate` events a second for `seconds`; return how they were delivered."""
    subjects: dict[str, float] = {}
    started = time.time()
    for n in range(rate * seconds):
        if (pause := started + n / rate - time.time()) > 0:
            time.sleep(pause)
        subject, at = _commit(organization)
        subjects[subject] = at
    committed_for = time.time() - started
    committed = _committed_ids(subjects)
    arrived = _wait_for(receiver, committed, 600)
    latencies = sorted(arrived[i] - t for i, t in committed.items() if i in arrived)
    last = max(arrived[i] for i in committed if i in arrived)
    return {
        "rate_offered_per_s": rate, "committed": len(committed),
        "commits_per_s": round(len(committed) / committed_for),
        "delivered": len(latencies),
        "delivered_per_s": round(len(latencies) / (last - started)),
        "p50_s": round(statistics.median(latencies), 3),
        "p95_s": round(latencies[int(0.95 * (len(latencies) - 1))], 3),
        "max_s": round(latencies[-1], 3),
    }


def _backlog(receiver: Receiver, organization, env: dict[str, str]) -> dict:
    """Commit `BACKLOG` events with no worker running, then start the workers: how fast
    they deliver, sustained over the whole backlog (a minute at 200/s), with the
    committing process out of the way (on a crowded machine it cannot offer 200/s)."""
    subjects = dict(_commit(organization) for _ in range(BACKLOG))
    committed = _committed_ids(subjects)
    workers = _workers(env)
    try:
        started = time.time()
        arrived = _wait_for(receiver, committed, 900)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    times = sorted(arrived[i] for i in committed if i in arrived)
    return {
        "committed": len(committed), "delivered": len(times),
        "seconds": round(times[-1] - started, 1),
        "delivered_per_s": round(len(times) / (times[-1] - started)),
        # the steady rate: between the first and the last tenth (startup and tail left out)
        "middle_per_s": round(0.8 * len(times) / (times[int(0.9 * len(times)) - 1]
                                                  - times[int(0.1 * len(times))])),
    }


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

    receiver = Receiver()
    organization = Organization.objects.create(slug="bench-council", name="Bench council",
                                               kind="government")
    subscription_create(actor=SYSTEM, organization=organization,
                        url=f"http://127.0.0.1:{receiver.port}/hook",
                        event_types=["request.status_changed"])
    bare = _bare_commits()
    env = {**os.environ, "PYTHONPATH": f"{PROJECT / 'src'}:{PROJECT}"}
    load_at_start = os.getloadavg()[0]
    backlog = None
    if "backlog" in PHASES:
        backlog = _backlog(receiver, organization, env)
    workers = _workers(env) if {"paced", "sustained"} & set(PHASES) else []
    paced = sustained = None
    try:
        time.sleep(2)  # the workers start
        if "paced" in PHASES and BACKEND == "database":
            paced = _phase(receiver, organization, PACED_RATE, SECONDS)
        if "sustained" in PHASES:
            sustained = _phase(receiver, organization, SUSTAINED_RATE, SUSTAINED_SECONDS)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
        requests = receiver.requests()
        receiver.stop()
    from django.db import connection

    connection.close()
    return {
        "database": which, "backend": BACKEND, "workers": WORKERS, "keep_alive": KEEP_ALIVE,
        "bare_commits_per_s": round(bare),
        "paced": paced, "sustained": sustained, "backlog": backlog,
        "receiver_requests": requests,
        "load_at_start": load_at_start, "load_at_end": os.getloadavg()[0],
    }


def main() -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    print(f"load before: {os.getloadavg()}", flush=True)
    if BACKEND == "redis":
        _main_redis()
        return
    for figures in DATABASES.run_each("bench.notifications"):
        print(json.dumps(figures), flush=True)


def _main_redis() -> None:
    """On RQ with a Redis of its own and PostgreSQL: the sustained phase, 1, 2, 4 workers."""
    import redis

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("The Redis benchmark needs redis-server on the PATH.")
    server = subprocess.Popen(  # noqa: S603 (fixed arguments)
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(BENCH_DIR)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.environ.update({"AGORA_TASKS_BACKEND": "redis",
                       "AGORA_REDIS_URL": f"redis://127.0.0.1:{port}/0"})
    try:
        time.sleep(1)
        for workers in (1, 2, 4):
            os.environ["AGORA_BENCH_WORKERS"] = str(workers)
            for figures in DATABASES.run_each("bench.notifications", ("postgres",)):
                print(json.dumps(figures), flush=True)
            redis.Redis(port=port).flushall()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(json.dumps(run(sys.argv[1])))
    else:
        main()
