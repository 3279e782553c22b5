"""The recovery sweep runs on a cadence: one chain however often workers start."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from agora.core.signals import worker_starting
from agora.notifications.models import Event, RecoverySchedule
from agora.notifications.outbox import GRACE
from agora.notifications.recovery import recovery_start, recovery_tick
from agora.notifications.tasks import event_dispatch
from tests.factories import OrganizationFactory
from tests.notifications.helpers import event_announce

pytestmark = pytest.mark.django_db


def pending_ticks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=recovery_tick.module_path,
                                            status="READY"))


def test_workers_starting_seed_one_sweep_and_a_tick_schedules_the_next(settings):
    settings.OUTBOX_RECOVER_INTERVAL = 90
    worker_starting.send(sender=None)
    assert not recovery_start()
    (tick,) = pending_ticks()
    lost = event_announce(OrganizationFactory())
    Event.objects.filter(pk=lost.pk).update(occurred_at=timezone.now() - timedelta(minutes=2))
    assert recovery_tick.call(tick.args_kwargs["args"][0]) == [1, 0]
    assert DBTaskResult.objects.filter(task_path=event_dispatch.module_path).count() == 1
    schedule = RecoverySchedule.objects.get()
    assert schedule.next_run_at > timezone.now() + timedelta(seconds=85)
    assert recovery_tick.call(tick.args_kwargs["args"][0]) is None  # superseded: does nothing


def test_an_overdue_tick_is_replaced_by_a_new_chain():
    assert recovery_start()
    assert recovery_start(now=timezone.now() + GRACE + timedelta(seconds=1))
    old, new = sorted(pending_ticks(), key=lambda t: t.enqueued_at)
    assert recovery_tick.call(old.args_kwargs["args"][0]) is None
    assert recovery_tick.call(new.args_kwargs["args"][0]) == [0, 0]
