"""The same cadence on the Redis (RQ) backend that larger deployments choose.

Redis is fakeredis here (no server to run); the queue, the scheduled job and the worker
are RQ's own, and the worker runs in-process (`SimpleWorker`) so it sees the test database.
"""

import django_rq.connection_utils
import django_rq.queues
import fakeredis
import pytest
from django_tasks_rq.backend import Job
from rq import SimpleWorker
from rq.scheduler import RQScheduler

from agora.audit.cadence import cadence_start
from agora.audit.models import TreeHead, TreeHeadSchedule
from tests.audit.helpers import append

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis(settings, monkeypatch):
    connection = fakeredis.FakeRedis()
    for module in (django_rq.queues, django_rq.connection_utils):
        monkeypatch.setattr(module, "get_redis_connection", lambda *a, **k: connection)
    settings.RQ_QUEUES = {"default": {"URL": "redis://fake:6379/0"}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    return connection


def run_due_jobs(connection) -> None:
    """Do what `rqworker --with-scheduler --burst` does: move due jobs to the queue, run them."""
    queue = django_rq.queues.get_queue("default", job_class=Job)
    scheduler = RQScheduler([queue], connection=connection)
    scheduler.acquire_locks()
    scheduler.enqueue_scheduled_jobs()
    scheduler.release_locks()
    SimpleWorker([queue], connection=connection, job_class=Job).work(burst=True)


def test_the_cadence_runs_on_rq_and_schedules_one_next_tick(redis, settings):
    settings.TREE_HEAD_INTERVAL = 60
    append(5)
    assert cadence_start()
    assert not cadence_start()
    run_due_jobs(redis)
    assert list(TreeHead.objects.values_list("size", flat=True)) == [5]
    queue = django_rq.queues.get_queue("default")
    (following,) = queue.scheduled_job_registry.get_job_ids()
    assert Job.fetch(following, connection=redis).args == (TreeHeadSchedule.objects.get().token,)
