"""Signed tree heads on a cadence: the worker's task signs when the log grew, never twice."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from agora.audit.cadence import GRACE, cadence_start, tree_head_tick
from agora.audit.models import TreeHead, TreeHeadSchedule
from tests.audit.helpers import append

pytestmark = pytest.mark.django_db

TICK = tree_head_tick.module_path


def pending() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=TICK, status="READY"))


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    """The worker closes idle connections between tasks; in-process, pytest owns them."""
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def run_due_tasks() -> None:
    """Run what a worker would run now, then stop (the next tick is not due yet)."""
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)


def test_a_starting_worker_seeds_one_tick_and_a_second_start_adds_none():
    assert cadence_start()
    assert not cadence_start()
    assert not cadence_start()
    (tick,) = pending()
    assert tick.args_kwargs["args"] == [TreeHeadSchedule.objects.get().token]


def test_the_tick_signs_the_grown_log_and_schedules_the_next_interval_later(settings):
    settings.TREE_HEAD_INTERVAL = 90
    append(7)
    cadence_start()
    started = timezone.now()
    run_due_tasks()
    assert list(TreeHead.objects.values_list("size", flat=True)) == [7]
    (following,) = pending()  # one, and not due yet: the batch run stopped before it
    assert started + timedelta(seconds=85) < following.run_after
    assert following.run_after < timezone.now() + timedelta(seconds=91)
    assert following.args_kwargs["args"] == [TreeHeadSchedule.objects.get().token]


def test_a_tick_on_a_log_that_did_not_grow_signs_no_new_head():
    append(3)
    cadence_start()
    run_due_tasks()
    schedule = TreeHeadSchedule.objects.get()
    assert tree_head_tick.call(schedule.token) == 3  # the next tick, run early
    assert TreeHead.objects.count() == 1
    append(2)
    assert tree_head_tick.call(TreeHeadSchedule.objects.get().token) == 5
    assert list(TreeHead.objects.values_list("size", flat=True)) == [3, 5]


def test_a_superseded_tick_does_nothing():
    append(4)
    cadence_start()
    (stale,) = pending()
    token = stale.args_kwargs["args"][0]
    cadence_start(now=timezone.now() + GRACE + timedelta(seconds=1))  # it looked lost
    assert len(pending()) == 2
    assert tree_head_tick.call(token) is None
    assert not TreeHead.objects.exists()
    assert len(pending()) == 2  # the stale chain ended; it scheduled nothing


def test_after_a_long_stop_the_overdue_tick_is_replaced_and_the_chains_do_not_double(settings):
    settings.TREE_HEAD_INTERVAL = 60
    append(2)
    cadence_start(now=timezone.now() - timedelta(hours=1))  # the worker stopped long ago
    assert cadence_start()  # the restarted worker seeds a new chain
    run_due_tasks()  # both ticks are due; only the newer chain goes on
    assert list(TreeHead.objects.values_list("size", flat=True)) == [2]
    assert len(pending()) == 1
