"""At least once, nothing lost: real services, a real worker, a receiver that misbehaves.

The receiver (a real HTTP server on 127.0.0.1) is down at first (connection refused),
then answers 500 to about half the requests at random, goes down again for a stretch,
and comes back. Every queued fan-out is lost before a worker runs (a crash after
commit), and a worker "dies" mid-batch: its tasks vanish and its leases are left behind;
a worker starting later recovers both. At the end every committed event has arrived,
verified with the subscription's secret; the receiver's de-duplicated count equals the
number committed; the event of a rolled-back change never arrives.

The same run on both task backends: the database one (`db_worker`, as `agora worker`
runs it) and RQ on a real Redis (a `redis-server` started for the session on a free
port; fakeredis where none is installed), with RQ's own scheduler and an in-process
worker (so it sees the test database).
"""

import time
from datetime import timedelta

import django_rq.connection_utils
import django_rq.queues
import fakeredis
import pytest
import redis
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from django_tasks_rq.backend import Job
from rq import SimpleWorker
from rq.scheduler import RQScheduler

from agora.cases.services import case_create, case_status_change
from agora.notifications import outbox
from agora.notifications.models import Delivery, Event
from agora.notifications.tasks import delivery_attempt, event_dispatch
from tests.cases.helpers import resident, service_make, staff_of
from tests.factories import OrganizationFactory
from tests.notifications.helpers import subscribe
from tests.notifications.receiver import Receiver

pytestmark = pytest.mark.django_db(transaction=True)

REQUESTS = 12  # each makes two events: created, then a status change


@pytest.fixture
def fast_retries(settings, monkeypatch):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    settings.WEBHOOK_CONNECT_TIMEOUT = 1.0
    settings.WEBHOOK_READ_TIMEOUT = 2.0
    settings.WEBHOOK_RETRY_BASE = 0.05
    settings.WEBHOOK_RETRY_CAP = 0.4
    settings.WEBHOOK_RETRY_WINDOW = 3600.0
    # The worker closes idle connections between tasks; in-process, pytest owns them.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


class DatabaseQueue:
    """Run what `agora worker --batch` runs on the database backend."""

    def run_due(self) -> None:
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)

    def lose(self, task, args: list[str] | None = None, *, count: int | None = None) -> None:
        """Forget the queued tasks of `task` (for these arguments), as a dying worker would."""
        ready = DBTaskResult.objects.filter(task_path=task.module_path, status="READY")
        lost = [r.pk for r in ready if args is None or r.args_kwargs["args"][0] in args]
        assert len(lost) == len(args) if args is not None else lost
        assert count is None or len(lost) == count
        DBTaskResult.objects.filter(pk__in=lost).delete()


class RedisQueue:
    """Run what `agora worker --batch` runs on RQ: due scheduled jobs moved, then worked."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.queue = django_rq.queues.get_queue("default", job_class=Job)

    def run_due(self) -> None:
        scheduler = RQScheduler([self.queue], connection=self.connection)
        scheduler.acquire_locks()
        scheduler.enqueue_scheduled_jobs()
        scheduler.release_locks()
        SimpleWorker([self.queue], connection=self.connection, job_class=Job).work(burst=True)

    def lose(self, task, args: list[str] | None = None, *, count: int | None = None) -> None:
        lost = 0
        for registry in (self.queue, self.queue.scheduled_job_registry):
            for job_id in registry.get_job_ids():
                job = Job.fetch(job_id, connection=self.connection)
                if job.func_name.endswith(task.name) and (args is None or job.args[0] in args):
                    registry.remove(job)
                    job.delete()
                    lost += 1
        assert lost == len(args) if args is not None else lost
        assert count is None or lost == count
        if task is event_dispatch:
            # What loses a queued job (Redis restarted, its data gone) loses the key that
            # says one is queued; a key left behind expires after the grace (see below).
            self.connection.delete(outbox.DISPATCH_QUEUED)


@pytest.fixture(params=["database", "redis"])
def queue(request, settings, monkeypatch):
    if request.param == "database":
        return DatabaseQueue()
    port = request.getfixturevalue("redis_server")
    connection = redis.Redis(port=port) if port else fakeredis.FakeRedis()
    connection.flushdb()
    for module in (django_rq.queues, django_rq.connection_utils):
        monkeypatch.setattr(module, "get_redis_connection", lambda *a, **k: connection)
    settings.RQ_QUEUES = {"default": {"URL": f"redis://127.0.0.1:{port or 6379}/0"}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    return RedisQueue(connection)


def test_every_committed_event_arrives_verified_and_none_is_lost(fast_retries, queue):
    council = OrganizationFactory(slug="riverton-council")
    subscription, secret = subscribe(council, "http://127.0.0.1:9/hook",
                                     types=["request.created", "request.status_changed"])
    receiver = Receiver(secret, fail_share=0.5, seed=11)  # not started: connections refused
    subscription.url = receiver.url
    subscription.save()
    service, me, staff = service_make(council), resident(), staff_of(council)

    for _ in range(REQUESTS):
        case = case_create(viewer=me, service=service)
        case_status_change(viewer=staff, reference=case.reference, status="in-progress")
    with pytest.raises(RuntimeError), transaction.atomic():
        rolled_back = case_create(viewer=me, service=service)
        raise RuntimeError("the caller gave up: everything above is rolled back")
    committed = {str(pk) for pk in Event.objects.values_list("pk", flat=True)}
    assert len(committed) == 2 * REQUESTS

    # The queued fan-outs are all lost before any worker runs (a crash after commit): a
    # worker starting later (as if 30 s on) finds the events again.
    queue.lose(event_dispatch)
    queue.run_due()
    assert not Delivery.objects.exists()
    later = timezone.now() + outbox.GRACE + timedelta(seconds=1)
    assert outbox.outbox_recover(now=later) == (2 * REQUESTS, 0)
    queue.run_due()  # the receiver is down: every delivery fails and is retried later
    assert receiver.requests == 0
    assert Delivery.objects.filter(status="pending").count() == 2 * REQUESTS
    assert not Delivery.objects.filter(attempts=0).exists()

    # A worker dies mid-batch: its tasks vanish and the leases it took are left behind.
    dying = list(Delivery.objects.values_list("public_id", flat=True)[:5])
    Delivery.objects.filter(public_id__in=dying).update(
        lease_until=timezone.now() + timedelta(milliseconds=300))
    queue.lose(delivery_attempt, [str(d) for d in dying])

    receiver.start()
    rounds = 0
    while len(receiver.unique) < len(committed) and rounds < 400:
        rounds += 1
        queue.run_due()
        if rounds == 5:  # down again for a stretch, then back on the same port
            receiver.stop()
        if rounds == 15:
            receiver.start()
        if rounds == 20:
            # A worker starting later recovers what the dead one held (as if 30 s on).
            later = timezone.now() + outbox.GRACE + timedelta(seconds=1)
            events, deliveries = outbox.outbox_recover(now=later)
            assert events == 0 and deliveries >= 5
        time.sleep(0.05)
    receiver.stop()

    assert receiver.rejected == []  # every request verified with the subscription's secret
    assert receiver.unique == committed  # none lost, nothing extra
    assert len(receiver.unique) == len(committed)
    assert receiver.answered_500 > 0  # the faults really happened
    assert str(rolled_back.public_id) not in {e.get_subject() for e in receiver.events}
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}
    assert not Event.objects.filter(dispatched_at__isnull=True).exists()


def test_commits_share_a_fan_out_task_that_has_not_started(fast_retries, queue):
    council = OrganizationFactory()
    subscribe(council, "http://127.0.0.1:9/hook", types=["request.created"])
    service, me = service_make(council), resident()
    for _ in range(3):
        case_create(viewer=me, service=service)
    queue.lose(event_dispatch, count=1)  # one queued for the three
    case_create(viewer=me, service=service)
    queue.run_due()  # it starts: a commit after this queues a new one
    case_create(viewer=me, service=service)
    queue.lose(event_dispatch, count=1)
    # The fourth's task took the four waiting; the fifth's task was lost, and it waits.
    assert Delivery.objects.count() == 4
    assert Event.objects.filter(dispatched_at__isnull=True).count() == 1


def test_on_redis_the_key_of_a_queued_fan_out_expires_with_the_grace(fast_retries, queue):
    if isinstance(queue, DatabaseQueue):
        pytest.skip("the database backend asks its task table, and keeps no key")
    council = OrganizationFactory()
    subscribe(council, "http://127.0.0.1:9/hook", types=["request.created"])
    case_create(viewer=resident(), service=service_make(council))
    assert 0 < queue.connection.ttl(outbox.DISPATCH_QUEUED) <= outbox.GRACE.total_seconds()
