"""Load on the running server: a fixed mix of pages and API calls (docs/benchmarks.md).

`agora serve` (gunicorn, the shipped settings, `--no-worker`) on PostgreSQL with the
access benchmark's world (50 organisations, 300k people, 1M records, agreements, consents;
`bench.access_filter.build_world`) plus what a running town has: residents with accounts
and a real, verifiable log (entries appended through `log_append_many`, so the Merkle
nodes are stored and `log_verify` can check every one), caseworkers with a second factor,
people with national identifiers, API clients with keys. Sessions are written straight
into the session table (one per simulated user, as if each had signed in once).

Locust (headless, on 127.0.0.1, `bench/locust_load.py`) then sends a fixed mix: residents'
pages (home, who has seen my data, consents), caseworkers' pages (find a person, single
view), the exchange API (whoami, a person's records, lookup), the public log API (tree
head, inclusion proofs), and a share of bad requests (expired and replayed tokens,
unknown ids, an oversize body), each of which must get its own problem. Two phases:

    throughput  users without pauses, as fast as the server answers (target >= 300/s,
                no errors)
    paced       users at a fixed rate adding up to 150 requests/s (target: p95 < 50 ms
                for every endpoint)

Each phase reports requests per second, p50/p95/p99 per endpoint, the error rate and
every gunicorn worker's memory (RSS, sampled each second with psutil), and draws the
latency over time (`docs/load-latency.png`, `bench/pngplot.py`). The run ends with
`log_verify` over the whole log. The database is kept (`agora_bench_load`, the scale
appended when not 1): the next run uses its world again, with fresh sessions and clients.

    AGORA_BENCH_LOAD_SIZE=small      the world at 1 % (AGORA_BENCH_SCALE=0.01), to develop
    AGORA_BENCH_LOAD_SECONDS=30      seconds per phase (default 60)
    AGORA_BENCH_LOAD_PHASES=paced    only these phases (comma-separated)
    AGORA_BENCH_LOAD_USERS=40        locust users in the throughput phase
    AGORA_BENCH_LOAD_RATE=150        requests per second in the paced phase
    AGORA_BENCH_LOAD_WORKERS=4       gunicorn workers (default 4: two per core)
    AGORA_BENCH_LOAD_DROP=1          drop the kept database after the run
    AGORA_BENCH_LOAD_PNG=name.png    the chart's name under docs/ (load-latency.png; a
                                     small world's goes to var/bench/load_0_01/)

    .venv/bin/python -m bench load
"""

import json
import os
import random
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

from bench.throwaway import BENCH_DIR, PROJECT, Throwaway

# The small world is the access world at 1 %: the scale is set before `access_filter`
# reads it (in the process that builds the world, `python -m bench.load`, it is).
if os.environ.get("AGORA_BENCH_LOAD_SIZE") == "small":
    os.environ["AGORA_BENCH_SCALE"] = "0.01"
SCALE = float(os.environ.get("AGORA_BENCH_SCALE", "1"))

from bench import access_filter, httpload  # noqa: E402 (after the scale)
from bench.audit_log import machine  # noqa: E402

_SUFFIX = "" if SCALE == 1 else f"_{str(SCALE).replace('.', '_')}"
DATABASES = Throwaway(sqlite_name="load-unused.sqlite3", postgres_db=f"agora_bench_load{_SUFFIX}")
PORT = 8766
SECONDS = int(os.environ.get("AGORA_BENCH_LOAD_SECONDS", "60"))
USERS = int(os.environ.get("AGORA_BENCH_LOAD_USERS", "40"))
RATE = float(os.environ.get("AGORA_BENCH_LOAD_RATE", "150"))
WORKERS = int(os.environ.get("AGORA_BENCH_LOAD_WORKERS", "4"))
PHASES = [name for name in os.environ.get("AGORA_BENCH_LOAD_PHASES", "throughput,paced")
          .split(",") if name]
RESIDENTS = max(20, int(2_000 * SCALE))
HEAVY = 10  # residents with thousands of entries in the log
PER_ORG = 200  # people per organisation the caseworkers and clients look at
CLIENT_ORGS = 10  # organisations whose API clients take part
LOG_PRELOAD = max(5_000, int(200_000 * SCALE))
OVERSIZE = b'{"national_id": "' + b"9" * 1_100_000 + b'"}'  # over the 1 MB limit
TARGETS = {"per_s": 300, "p95_ms": 50, "rss_mb": 250}
PURPOSE = "benefit-assessment"  # every organisation has declared it
OUT = BENCH_DIR / f"load{_SUFFIX}"
# The chart goes into docs/ at full size only, so a small run never replaces it.
PNG = (PROJECT / "docs" / os.environ.get("AGORA_BENCH_LOAD_PNG", "load-latency.png")
       if SCALE == 1 else OUT / "latency.png")


# --- the world ------------------------------------------------------------------------


def _national_id(person_pk: int) -> str:
    return f"BENCH{person_pk:09d}"


def _built() -> bool:
    from agora.people.models import User

    return User.objects.filter(email="resident-0@load.example").exists()


def build() -> dict:
    """Build the world unless the kept database has it; return how long it took."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if _built():
        print("load: using the kept world", file=sys.stderr, flush=True)
        return {"load_seconds": 0.0, "kept": True}
    from agora.records.models import Record

    began = time.perf_counter()
    rng = random.Random(4)  # noqa: S311 (the world's shape, not a secret)
    if not Record.objects.exists():
        print(f"load: loading {access_filter.SIZES}…", file=sys.stderr, flush=True)
        access_filter.build_world(rng)
    print("load: residents, identifiers, second factors, the log…", file=sys.stderr,
          flush=True)
    _town(rng)
    return {"load_seconds": time.perf_counter() - began, "kept": False}


def _town(rng: random.Random) -> None:
    """Add what a running town has: residents' accounts, national identifiers, caseworkers'
    second factors, and a verifiable log with thousands of entries about some residents."""
    from allauth.mfa.models import Authenticator
    from django.db import connection, transaction

    from agora.audit.services import AuditActor, EntryDraft, log_append_many, tree_head_sign
    from agora.organizations.models import Membership, Organization
    from agora.people.identifiers import national_id_hash
    from agora.people.models import User

    orgs = list(Organization.objects.order_by("pk"))
    with connection.cursor() as cursor:
        looked_at: set[int] = set()
        for org in orgs:
            cursor.execute("SELECT DISTINCT subject_id FROM records_record WHERE owner_id = %s "
                           "AND subject_id IS NOT NULL LIMIT %s", [org.pk, PER_ORG])
            looked_at.update(row[0] for row in cursor.fetchall())
        cursor.executemany("UPDATE people_person SET national_id_hash = %s WHERE id = %s",
                           [(national_id_hash(_national_id(pk)), pk) for pk in looked_at])
        # Residents: people with records, the heavy users first.
        cursor.execute("SELECT subject_id FROM records_record WHERE subject_id IS NOT NULL "
                       "GROUP BY subject_id ORDER BY COUNT(*) DESC, subject_id LIMIT %s",
                       [RESIDENTS])
        resident_ids = [row[0] for row in cursor.fetchall()]
    with transaction.atomic():
        users = User.objects.bulk_create(
            [User(email=f"resident-{n}@load.example") for n in range(len(resident_ids))])
        with connection.cursor() as cursor:
            cursor.executemany("UPDATE people_person SET user_id = %s WHERE id = %s",
                               [(user.pk, pk) for user, pk in zip(users, resident_ids,
                                                                  strict=True)])
        Authenticator.objects.bulk_create([
            Authenticator(user_id=m.user_id, type=Authenticator.Type.TOTP,
                          data={"secret": "JBSWY3DPEHPK3PXP"})
            for m in Membership.objects.all()])
    # A real log: appended through the service, so its nodes are stored and it verifies.
    from agora.people.models import Person

    public = dict(Person.objects.filter(pk__in=resident_ids).values_list("pk", "public_id"))
    subjects = [str(public[pk]) for pk in resident_ids]  # the most records first
    heavy, light = subjects[:HEAVY], subjects[HEAVY:]
    slugs = [org.slug for org in orgs]
    actions = ["record.read"] * 7 + ["record.list", "person.lookup", "person.view"]
    heavy_share = 0.3  # of the preload: 30 % about the heavy residents, 20 % the others
    batch = []
    for n in range(LOG_PRELOAD):
        draw = rng.random()
        subject = (rng.choice(heavy) if draw < heavy_share else
                   rng.choice(light) if draw < 0.5 and light else str(uuid.UUID(
                       int=rng.getrandbits(128))))
        org = rng.choice(slugs)
        batch.append(EntryDraft(
            actor=AuditActor(kind="staff", id=f"user-{org}", label="Caseworker"),
            action=rng.choice(actions), decision="deny" if rng.random() < 0.05 else "permit",
            reason="Read under an agreement.", organization=org, purpose=PURPOSE,
            legal_basis="6.1.e", subject=subject, resource_type="record",
            resource_id=str(uuid.UUID(int=rng.getrandbits(128)))))
        if len(batch) == 500 or n == LOG_PRELOAD - 1:
            log_append_many(batch)
            batch = []
    tree_head_sign()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# --- what the load generator is handed ------------------------------------------------


def _session(user, store_class) -> str:
    """Write a signed-in session for the user straight into the session table."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = store_class()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def handout(run_id: str) -> dict:
    """Sessions, API clients with fresh keys, the people to ask for: the locust users' data."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from agora.access.filters import readable_records_filter
    from agora.access.models import Purpose
    from agora.access.viewers import viewer_for_client, viewer_for_staff
    from agora.audit.models import LogEntry, TreeHead
    from agora.core.actors import SYSTEM
    from agora.organizations.keys import keypair_generate
    from agora.organizations.models import Membership, Organization
    from agora.organizations.services import apiclient_create
    from agora.people.models import User
    from agora.records.models import Record

    orgs = list(Organization.objects.order_by("pk"))
    purpose = Purpose.objects.get(code=PURPOSE)
    candidates: dict[int, dict[int, tuple[str, str]]] = {}
    with connection.cursor() as cursor:
        for org in orgs:  # people the organisation holds records about, with an identifier
            cursor.execute(
                "SELECT DISTINCT p.id, p.public_id FROM records_record r JOIN people_person p "
                "ON p.id = r.subject_id WHERE r.owner_id = %s AND p.national_id_hash IS NOT "
                "NULL LIMIT %s", [org.pk, PER_ORG])
            candidates[org.pk] = {pk: (str(public), _national_id(pk)) for pk, public in cursor}

    def readable(viewer, org) -> list[tuple[str, str]]:
        """The candidates of whom this viewer may read something: a page, not a 404."""
        found = set(Record.objects.filter(subject_id__in=list(candidates[org.pk])).filter(
            readable_records_filter(viewer=viewer, purpose=purpose, now=timezone.now()))
            .values_list("subject_id", flat=True).distinct())
        return [candidates[org.pk][pk] for pk in sorted(found)]

    caseworkers = []
    for membership in Membership.objects.filter(role="caseworker").select_related(
            "user", "organization"):
        org = membership.organization
        people = readable(viewer_for_staff(membership.user, org), org)
        if people:
            caseworkers.append({"session": _session(membership.user, SessionStore),
                                "org": org.slug, "purpose": PURPOSE, "people": people})
    # The residents with the most log entries first: the first locust users are the
    # heavy residents (thousands of entries), the others have a few dozen.
    accounts = list(User.objects.filter(email__endswith="@load.example")
                    .select_related("person").order_by("pk"))
    entries = dict(LogEntry.objects.filter(subject__in=[str(u.person.public_id)
                                                        for u in accounts])
                   .values("subject").annotate(n=Count("seq")).values_list("subject", "n"))
    accounts.sort(key=lambda user: -entries.get(str(user.person.public_id), 0))
    residents = [_session(user, SessionStore) for user in accounts]
    clients = []
    biggest = sorted(orgs, key=lambda org: -len(candidates[org.pk]))[:CLIENT_ORGS]
    for org in biggest:
        private_pem, public_jwk = keypair_generate("EdDSA")
        client = apiclient_create(actor=SYSTEM, organization=org, name=f"Load {run_id}",
                                  public_jwk=public_jwk,
                                  scopes=["whoami", "records:read", "people:lookup"])
        people = readable(viewer_for_client(client), org)
        if not people:
            continue
        key_file = OUT / f"key-{org.slug}.pem"
        key_file.write_bytes(private_pem)
        clients.append({"client_id": str(client.client_id), "key_file": str(key_file),
                        "purpose": PURPOSE, "people": people})
    head = TreeHead.objects.order_by("-size").first()
    return {"residents": residents, "caseworkers": caseworkers, "clients": clients,
            "tree_size": head.size}


# --- measuring ------------------------------------------------------------------------


class MemorySampler(threading.Thread):
    """Sample the RSS of every gunicorn worker (the server's children) once a second."""

    def __init__(self, master_pid: int):
        super().__init__(daemon=True)
        self.master_pid = master_pid
        self.samples: list[tuple[float, int, int]] = []  # (time, worker pid, rss bytes)
        self.cpu: dict[str, list[float]] = {}  # process -> [first, last] CPU seconds
        self.stopped = threading.Event()

    def _cpu(self, name: str, process) -> None:
        import psutil

        try:
            times = process.cpu_times()
        except psutil.Error:
            return
        used = times.user + times.system
        self.cpu.setdefault(name, [used, used])[1] = used

    def run(self) -> None:
        """Sample memory each second; CPU time of the workers, locust and PostgreSQL too."""
        import psutil

        master = psutil.Process(self.master_pid)
        began = time.time()
        machine_began = psutil.cpu_times()
        while not self.stopped.wait(1.0):
            now = time.time()
            for child in master.children(recursive=True):
                try:
                    self.samples.append((now, child.pid, child.memory_info().rss))
                except psutil.Error:
                    continue
                self._cpu(f"worker {child.pid}", child)
            for process in psutil.Process().children(recursive=True):
                if "locust" in " ".join(process.cmdline()[:2]):
                    self._cpu("locust", process)
            for process in psutil.process_iter(["name"]):
                if process.info["name"] == "postgres":
                    self._cpu(f"postgres {process.pid}", process)
        spent = psutil.cpu_times()
        self.wall = time.time() - began
        self.machine_busy = sum(
            getattr(spent, f) - getattr(machine_began, f) for f in ("user", "system", "nice"))

    def cpu_figures(self) -> dict:
        """CPU seconds used during the phase: the workers, locust, PostgreSQL, the machine."""
        def total(prefix: str) -> float:
            return round(sum(last - first for name, (first, last) in self.cpu.items()
                             if name.startswith(prefix)), 1)

        return {"wall_s": round(getattr(self, "wall", 0.0), 1), "workers_s": total("worker"),
                "locust_s": total("locust"), "postgres_s": total("postgres"),
                "machine_s": round(getattr(self, "machine_busy", 0.0), 1)}

    def figures(self) -> dict:
        by_pid: dict[int, list[tuple[float, int]]] = {}
        for at, pid, rss in self.samples:
            by_pid.setdefault(pid, []).append((at, rss))
        out = {}
        for pid, series in by_pid.items():
            mb = [rss / 2**20 for _, rss in series]
            tenth = max(1, len(mb) // 10)
            out[str(pid)] = {"first_mb": round(mb[0], 1), "max_mb": round(max(mb), 1),
                             "last_mb": round(mb[-1], 1),
                             # growth: the last tenth of the run against the second tenth
                             "growth_mb": round(statistics.mean(mb[-tenth:])
                                                - statistics.mean(mb[tenth:2 * tenth]), 1)
                             if len(mb) >= 3 else 0.0,
                             "samples": len(mb),
                             # the mean of each minute, to see whether growth levels off
                             "per_minute_mb": [round(statistics.mean(mb[i:i + 60]), 1)
                                               for i in range(0, len(mb), 60)]}
        return out


def _percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def summarise(samples_file: Path) -> dict:
    """Per endpoint and in all: count, rate, failures, p50/p95/p99 (from every request)."""
    rows = json.loads(samples_file.read_text())  # [started, name, ms, ok]
    if not rows:
        return {"endpoints": {}, "all": {"requests": 0}}
    # From the first request to the last: locust's clock also counts the start (tokens
    # minted, users spawned).
    start = min(row[0] for row in rows)
    span = max(1.0, max(row[0] + row[2] / 1000 for row in rows) - start)
    names = sorted({row[1] for row in rows})
    endpoints = {}
    for name in [*names, "all good", "all"]:
        picked = [row for row in rows if row[1] == name or name == "all"
                  or (name == "all good" and not row[1].startswith("bad:"))]
        ordered = sorted(row[2] for row in picked)
        failures = sum(1 for row in picked if not row[3])
        endpoints[name] = {
            "requests": len(picked), "per_s": round(len(picked) / span, 1),
            "failures": failures, "error_rate": round(failures / len(picked), 4),
            "p50_ms": round(_percentile(ordered, 0.5), 1),
            "p95_ms": round(_percentile(ordered, 0.95), 1),
            "p99_ms": round(_percentile(ordered, 0.99), 1),
        }
    return {"endpoints": endpoints, "start": start, "span_s": round(span, 1)}


def timeline(samples_file: Path, start: float) -> dict:
    """Per second of the run: p50 and p95 of each kind of endpoint (pages, API, log, bad)."""
    rows = json.loads(samples_file.read_text())
    series: dict[str, dict[int, list[float]]] = {}
    for started, name, ms, _ in rows:
        kind = name.split(":")[0]
        series.setdefault(kind, {}).setdefault(int(started - start), []).append(ms)
    out = {}
    for kind, seconds in series.items():
        out[kind] = [(second, _percentile(sorted(v), 0.5), _percentile(sorted(v), 0.95))
                     for second, v in sorted(seconds.items())]
    return out


def phase(name: str, data_file: Path, run_id: str) -> dict:
    """Serve, drive one phase with locust, sample the workers' memory; return its figures."""
    from django.db import connections

    connections.close_all()
    users = USERS if name == "throughput" else max(10, int(RATE // 5))
    per_user = 0.0 if name == "throughput" else RATE / users
    samples = OUT / f"{name}-samples.json"
    samples.unlink(missing_ok=True)
    host = f"http://127.0.0.1:{PORT}"
    loads = []
    with httpload.served(port=PORT, workers=WORKERS, log_path=OUT / f"{name}-serve.log") as srv:
        sampler = MemorySampler(srv.pid)
        sampler.start()
        loads.append(os.getloadavg())
        httpload.run_locust(
            PROJECT / "bench" / "locust_load.py", host=host, users=users, seconds=SECONDS,
            csv_prefix=OUT / name, log_path=OUT / f"{name}-locust.log", spawn_rate=users,
            env={"BENCH_LOAD_DATA": str(data_file), "BENCH_LOAD_SAMPLES": str(samples),
                 "BENCH_LOAD_RATE": str(per_user), "BENCH_LOAD_SECONDS": str(SECONDS),
                 "BENCH_LOAD_RUN": run_id})
        loads.append(os.getloadavg())
        sampler.stopped.set()
        sampler.join()
    figures = summarise(samples)
    figures.update({"users": users, "per_user_rate": round(per_user, 2), "workers": WORKERS,
                    "seconds": SECONDS, "memory": sampler.figures(), "cpu": sampler.cpu_figures(),
                    "load_average": [round(x, 2) for pair in loads for x in pair[:1]],
                    "timeline": timeline(samples, figures.get("start", 0))})
    return figures


def verify() -> dict:
    from agora.audit.services import tree_head_sign
    from agora.audit.verify import log_verify

    tree_head_sign()
    began = time.perf_counter()
    report = log_verify()
    return {"ok": report.ok, "entries": report.entries, "heads": report.heads,
            "seconds": round(time.perf_counter() - began, 1),
            "problem": str(report.problem) if report.problem else ""}


# The mix's weights (bench/locust_load.py): a replayed token is a whoami and its replay.
MIX = {"page: home": 10, "page: who has seen my data": 8, "page: consents": 7,
       "page: find a person": 6, "page: single view": 10, "api: whoami": 11,
       "api: person records": 14, "api: lookup": 8, "log: tree head": 8,
       "log: inclusion proof": 9, "bad: expired token": 3, "bad: replayed token": 3,
       "bad: unknown person": 2, "bad: unknown entry": 2, "bad: oversize body": 1}


def profile(data: dict, *, count: int = 60, top: int = 14,
            only: tuple[str, ...] = ()) -> dict:
    """Profile every endpoint of the mix in this process through Django's test client.

    For each: `count` requests (after 10 warm-ups) timed without the profiler, as wall
    time and as this process's CPU time (`time.process_time`: Python's share, which the
    machine's other work hardly changes; PostgreSQL's own CPU is not in it), then
    `count` more under cProfile, whose functions with the most cumulative time are
    returned: where a request's time goes, without the network, gunicorn or locust.
    The mix's mean CPU per request is the endpoints' weighted by the mix.
    """
    import cProfile
    import io
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from agora.organizations.keys import private_key_load

    base = os.environ["AGORA_BASE_URL"]
    client = Client(HTTP_HOST=base.split("//")[1])
    partner = data["clients"][0]
    key, alg = private_key_load(Path(partner["key_file"]).read_bytes())
    caseworker = data["caseworkers"][0]
    rng = random.Random(5)  # noqa: S311 (which people to ask for, not a secret)
    csrf = uuid.uuid4().hex

    def token(**kwargs) -> str:
        return httpload.sign_token(key, alg, client_id=partner["client_id"], audience=base,
                                   purpose=partner["purpose"], **kwargs)

    def bearer(value: str | None = None) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {value or token()}"}

    def as_resident(heavy: bool = False) -> None:
        client.cookies["sessionid"] = rng.choice(data["residents"][:HEAVY] if heavy
                                                 else data["residents"])

    def as_caseworker() -> None:
        client.cookies["sessionid"] = caseworker["session"]
        client.cookies["csrftoken"] = csrf

    def home():
        as_resident()
        return client.get("/")

    def activity():  # a resident with thousands of entries (the first in the hand-out)
        as_resident(heavy=True)
        return client.get("/account/activity/")

    def consents():
        as_resident()
        return client.get("/account/consents/")

    def find():
        _, national_id = rng.choice(caseworker["people"])
        as_caseworker()
        return client.post(f"/console/organisations/{caseworker['org']}/people/",
                           urlencode({"purpose": caseworker["purpose"],
                                      "national_id": national_id}),
                           content_type="application/x-www-form-urlencoded",
                           HTTP_X_CSRFTOKEN=csrf)

    def single_view():
        person_id, _ = rng.choice(caseworker["people"])
        as_caseworker()
        return client.get(f"/console/organisations/{caseworker['org']}/people/{person_id}/",
                          {"purpose": caseworker["purpose"]})

    def whoami():
        return client.get("/api/v1/whoami", **bearer())

    def records():
        person_id, _ = rng.choice(partner["people"])
        return client.get(f"/api/v1/people/{person_id}/records", **bearer())

    def lookup():
        _, national_id = rng.choice(partner["people"])
        return client.post("/api/v1/people/lookup", {"national_id": national_id},
                           content_type="application/json", **bearer())

    def tree_head():
        return client.get("/api/v1/audit/tree-head")

    def inclusion():
        return client.get("/api/v1/audit/proofs/inclusion",
                          {"seq": rng.randrange(data["tree_size"]),
                           "tree_size": data["tree_size"]})

    def expired():
        return client.get("/api/v1/whoami", **bearer(token(issued=int(time.time()) - 400)))

    used = token()
    assert client.get("/api/v1/whoami", **bearer(used)).status_code == 200

    def replayed():
        return client.get("/api/v1/whoami", **bearer(used))

    def unknown_person():
        return client.get(f"/api/v1/people/{uuid.uuid4()}/records", **bearer())

    def unknown_entry():
        return client.get("/api/v1/audit/proofs/inclusion",
                          {"seq": data["tree_size"] + 10, "tree_size": data["tree_size"]})

    def oversize():
        return client.post("/api/v1/people/lookup", data=OVERSIZE,
                           content_type="application/json", **bearer())

    endpoints = [
        ("page: home", home, 200), ("page: who has seen my data", activity, 200),
        ("page: consents", consents, 200), ("page: find a person", find, 302),
        ("page: single view", single_view, 200), ("api: whoami", whoami, 200),
        ("api: person records", records, 200), ("api: lookup", lookup, 200),
        ("log: tree head", tree_head, 200), ("log: inclusion proof", inclusion, 200),
        ("bad: expired token", expired, 401), ("bad: replayed token", replayed, 401),
        ("bad: unknown person", unknown_person, 404),
        ("bad: unknown entry", unknown_entry, 404), ("bad: oversize body", oversize, 413)]
    results = {}
    for name, call, status in endpoints:
        if only and not any(word in name for word in only):
            continue
        for _ in range(10):
            answer = call()
            assert answer.status_code == status, (name, answer.status_code)
        with CaptureQueriesContext(connection) as captured:
            call()
        queries = len(captured.captured_queries)
        began, cpu_began = time.perf_counter(), time.process_time()
        for _ in range(count):
            call()
        plain = (time.perf_counter() - began) / count
        cpu = (time.process_time() - cpu_began) / count
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(count):
            call()
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(r"src/agora/(?!core/middleware)", top)
        # The templates' share: Django's render() and ninja's response rendering.
        stats.print_stats(r"django/shortcuts.py|ninja/operation.py.*_result_to_response|"
                          r"django/test/client.py.*request\b")
        stats.sort_stats("tottime").print_stats(top)
        calls = sum(row[1] for row in stats.stats.values()) / count  # primitive + recursive
        results[name] = {"mean_ms": round(plain * 1000, 2), "cpu_ms": round(cpu * 1000, 2),
                         "queries": queries, "calls": round(calls),
                         "profile": out.getvalue()}
    weights = {name: MIX[name] for name in results}
    if weights:
        results["mix"] = {
            "cpu_ms": round(sum(results[n]["cpu_ms"] * w for n, w in weights.items())
                            / sum(weights.values()), 2),
            "mean_ms": round(sum(results[n]["mean_ms"] * w for n, w in weights.items())
                             / sum(weights.values()), 2),
            "queries": round(sum(results[n]["queries"] * w for n, w in weights.items())
                             / sum(weights.values()), 1),
            "calls": round(sum(results[n]["calls"] * w for n, w in weights.items())
                           / sum(weights.values())),
            "profile": ""}
    return results


def run(which: str = "postgres") -> dict:
    DATABASES.setup(which)
    OUT.mkdir(parents=True, exist_ok=True)
    results = {"database": which, "sizes": access_filter.SIZES, "log_preload": LOG_PRELOAD,
               "machine": machine(), **build()}
    run_id = uuid.uuid4().hex[:8]
    data_file = OUT / "handout.json"
    data_file.write_text(json.dumps(handout(run_id)))
    from agora.audit.models import LogState

    results["log_before"] = LogState.objects.get(pk=1).size
    results["phases"] = {}
    for name in PHASES:
        print(f"load: {name} for {SECONDS} s…", file=sys.stderr, flush=True)
        results["phases"][name] = phase(name, data_file, run_id)
        print(f"load: {name} " + json.dumps(results["phases"][name]["endpoints"].get("all")),
              file=sys.stderr, flush=True)
    print("load: verifying the log…", file=sys.stderr, flush=True)
    results["verify"] = verify()
    from bench import pngplot

    chosen = "paced" if "paced" in results["phases"] else next(iter(results["phases"]), "")
    if chosen:
        pngplot.latency_chart(results["phases"][chosen]["timeline"], PNG)
        results["png"] = f"{PNG} ({chosen})"
    (OUT / "figures.json").write_text(json.dumps(results, indent=1))
    return results


def main(databases: tuple[str, ...] = ("postgres",)) -> list[dict]:
    print(f"Load on the running server (AGORA_BENCH_SCALE={SCALE}, log preload "
          f"{LOG_PRELOAD:,})")
    print(f"Machine: {machine()}")
    figures = DATABASES.run_each("bench.load", databases, keep=True)
    if os.environ.get("AGORA_BENCH_LOAD_DROP") == "1":
        DATABASES.postgres("drop")
    for result in figures:
        print(report(result))
    return figures


def report(result: dict) -> str:
    lines = [f"== {result['database']}: world " + ("kept from an earlier run" if result["kept"]
             else f"built in {result['load_seconds']:.0f} s")
             + f"; log {result['log_before']:,} entries before the run"]
    for name, figures in result["phases"].items():
        everything = figures["endpoints"].get("all", {})
        lines.append(f"-- {name}: {figures['users']} users"
                     + (f" at {figures['per_user_rate']}/s each" if figures["per_user_rate"]
                        else " without pauses")
                     + f", {figures['workers']} workers, {figures['seconds']} s, load average "
                     f"{figures['load_average']}: {everything.get('per_s')} requests/s, "
                     f"error rate {everything.get('error_rate')}")
        for endpoint, row in figures["endpoints"].items():
            lines.append(f"   {endpoint:<28} {row['requests']:>7} {row['per_s']:>7}/s  p50 "
                         f"{row['p50_ms']:>7} p95 {row['p95_ms']:>7} p99 {row['p99_ms']:>7} ms"
                         f"  failures {row['failures']}")
        cpu = figures["cpu"]
        lines.append(f"   CPU seconds over {cpu['wall_s']} s: gunicorn workers {cpu['workers_s']}, "
                     f"locust {cpu['locust_s']}, PostgreSQL {cpu['postgres_s']} (all its "
                     f"processes), the whole machine {cpu['machine_s']} of "
                     f"{round(cpu['wall_s'] * (os.cpu_count() or 1), 1)}")
        for pid, memory in figures["memory"].items():
            lines.append(f"   worker {pid}: RSS {memory['first_mb']} → {memory['last_mb']} MB, "
                         f"max {memory['max_mb']} MB, growth {memory['growth_mb']} MB")
    check = result["verify"]
    lines.append(f"log_verify: {'every entry verifies' if check['ok'] else check['problem']} "
                 f"({check['entries']:,} entries, {check['seconds']} s)")
    if result.get("png"):
        lines.append(f"latency over time: {result['png']}")
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:2] == ["profile"]:  # the kept world, every endpoint of the mix profiled
        # `profile [words…]`: only the endpoints whose names hold one of the words.
        os.environ["AGORA_BASE_URL"] = f"http://127.0.0.1:{PORT}"
        DATABASES.setup("postgres")
        OUT.mkdir(parents=True, exist_ok=True)
        print(f"load average {os.getloadavg()[0]:.1f}", flush=True)
        # AGORA_BENCH_PROFILE_REUSE=1: the last hand-out again (its sessions and clients).
        kept = OUT / "handout.json"
        data = (json.loads(kept.read_text())
                if os.environ.get("AGORA_BENCH_PROFILE_REUSE") == "1" and kept.exists()
                else handout(uuid.uuid4().hex[:8]))
        kept.write_text(json.dumps(data))
        found_all = profile(data, only=tuple(sys.argv[2:]),
                            count=int(os.environ.get("AGORA_BENCH_PROFILE_COUNT", "60")))
        for endpoint, found in found_all.items():
            print(f"=== {endpoint}: {found['mean_ms']} ms per request without the profiler, "
                  f"{found['cpu_ms']} ms of CPU, {found['queries']} SQL statements, "
                  f"{found['calls']:,} Python function calls")
            print(found["profile"])
        print(f"load average {os.getloadavg()[0]:.1f}")
    elif len(sys.argv) > 1:
        print(json.dumps(run(sys.argv[1])))
    else:
        main()
