"""A real worker process killed in the middle of a batch: another worker delivers it all.

`agora worker` runs as a process of its own on the test database. While it is posting a
batch of deliveries to a slow receiver, it is killed with SIGKILL: no handler runs, its
task stays marked as running and its leases on the deliveries in flight stay held. A
second worker, started once those leases have run out, finds the work again (its
start-up recovery) and delivers it. Every committed event arrives at least once, verified
with the subscription's secret; none is lost.

The worker's time-outs, lease margin and recovery grace are set short through their
settings (AGORA_WEBHOOK_*, AGORA_OUTBOX_GRACE) so the test waits seconds, not minutes.
The same on both task backends: the database one, and RQ on a real Redis (the worker's
whole process group is killed there, since RQ runs each job in a forked child).
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import django_rq.connection_utils
import django_rq.queues
import pytest
import redis
from django.db import connection
from django.utils import timezone

from agora.cases.services import case_create, case_status_change
from agora.notifications.models import Delivery, Event
from tests.cases.helpers import resident, service_make, staff_of
from tests.factories import OrganizationFactory
from tests.notifications.helpers import subscribe
from tests.notifications.receiver import Receiver

pytestmark = pytest.mark.django_db(transaction=True)

PROJECT = Path(__file__).resolve().parents[2]
REQUESTS = 8  # each makes two events: created, then a status change


def database_url() -> str:
    """The test database, as DATABASE_URL names it for another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(params=["database", "redis"])
def backend(request, settings, monkeypatch) -> dict[str, str]:
    """Queue this test's tasks where the worker processes will look: their environment."""
    if request.param == "database":
        return {"AGORA_TASKS_BACKEND": "database"}
    port = request.getfixturevalue("redis_server")
    if port is None:
        pytest.skip("no redis-server installed: a worker process needs a real Redis")
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis(port=port)
    client.flushdb()
    for module in (django_rq.queues, django_rq.connection_utils):
        monkeypatch.setattr(module, "get_redis_connection", lambda *a, **k: client)
    settings.RQ_QUEUES = {"default": {"URL": url}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    return {"AGORA_TASKS_BACKEND": "redis", "AGORA_REDIS_URL": url}


def start_worker(log: Path, backend: dict[str, str]) -> subprocess.Popen:
    env = {
        **os.environ, "AGORA_ENV_FILE": "", "DATABASE_URL": database_url(), **backend,
        "AGORA_WEBHOOK_ALLOW_LOOPBACK": "1",
        "AGORA_WEBHOOK_CONNECT_TIMEOUT": "1", "AGORA_WEBHOOK_READ_TIMEOUT": "3",
        "AGORA_WEBHOOK_LEASE_MARGIN": "1", "AGORA_OUTBOX_GRACE": "1",
        "AGORA_WEBHOOK_RETRY_BASE": "0.2", "AGORA_WEBHOOK_RETRY_CAP": "0.5",
        "PYTHONPATH": f"{PROJECT / 'src'}{os.pathsep}{PROJECT}",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the shipped settings, as `agora worker` runs
    return subprocess.Popen(
        [sys.executable, "-m", "agora.cli", "worker"], cwd=PROJECT, env=env,
        stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)


def kill(process: subprocess.Popen, sig: int) -> None:
    """Signal the worker and whatever it forked (RQ's job processes), then reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    process.wait(timeout=20)


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting for {what}")
        time.sleep(0.05)


def test_a_worker_killed_mid_batch_loses_nothing(tmp_path, settings, backend):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    council = OrganizationFactory(slug="riverton-council")
    subscription, secret = subscribe(council, "http://127.0.0.1:9/hook",
                                     types=["request.created", "request.status_changed"])
    receiver = Receiver(secret, delay=0.5).start()  # each post takes half a second
    subscription.url = receiver.url
    subscription.save()
    service, me, staff = service_make(council), resident(), staff_of(council)
    for _ in range(REQUESTS):
        case = case_create(viewer=me, service=service)
        case_status_change(viewer=staff, reference=case.reference, status="in-progress")
    committed = {str(pk) for pk in Event.objects.values_list("pk", flat=True)}
    assert len(committed) == 2 * REQUESTS

    first = start_worker(tmp_path / "first.log", backend)
    try:
        wait_until(lambda: receiver.requests >= 3, 60, "the first worker's posts")
    finally:
        kill(first, signal.SIGKILL)  # mid-batch: posts in flight, nothing recorded
    assert first.returncode == -signal.SIGKILL
    assert len(receiver.unique) < len(committed)  # it died with work in hand
    held = Delivery.objects.filter(status="pending", lease_until__gt=timezone.now())
    assert held.exists(), "the killed worker held no delivery: it was not mid-batch"

    # Its leases run out (time-outs plus margin: 5 s here, 70 s with the defaults).
    wait_until(lambda: not Delivery.objects.filter(lease_until__gt=timezone.now()).exists(),
               15, "the dead worker's leases to run out")
    time.sleep(1.1)  # and the recovery grace
    second = start_worker(tmp_path / "second.log", backend)
    try:
        wait_until(lambda: receiver.unique >= committed, 60, "every event to arrive")
        wait_until(lambda: not Delivery.objects.exclude(status="delivered").exists(), 15,
                   "the second worker to record its deliveries")
    finally:
        kill(second, signal.SIGTERM)
        receiver.stop()

    assert receiver.rejected == []  # every post verified with the subscription's secret
    assert receiver.unique == committed  # none lost, nothing extra
    assert len(receiver.received) >= len(committed)  # at least once: repeats are allowed
