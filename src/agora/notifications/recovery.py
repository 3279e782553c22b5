"""The outbox's sweep on a cadence: lost fan-outs and deliveries queued again, old ones pruned.

A starting worker seeds one chain of `recovery_tick` tasks (unless one is pending); each
tick schedules the next `AGORA_OUTBOX_RECOVER_INTERVAL` seconds later, then runs
`outbox_recover`. A tick whose token is not the schedule row's was superseded and does
nothing, so restarts never multiply the chain; a tick overdue by more than `GRACE` (its
worker died, Redis lost it) is replaced by a new chain when a worker starts.
"""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from agora.notifications.models import RecoverySchedule
from agora.notifications.outbox import GRACE, outbox_recover
from agora.notifications.retention import SWEEP_LIMIT, outbox_prune


def _locked() -> RecoverySchedule:
    RecoverySchedule.objects.get_or_create(pk=1)
    return RecoverySchedule.objects.select_for_update().get(pk=1)


def _enqueue(schedule: RecoverySchedule, run_after: datetime) -> None:
    schedule.token, schedule.next_run_at = uuid.uuid4().hex, run_after
    schedule.save(update_fields=["token", "next_run_at"])
    recovery_tick.using(run_after=run_after).enqueue(schedule.token)


def recovery_start(*, now: datetime | None = None) -> bool:
    """Seed the sweep's chain unless a tick is pending; return whether it did."""
    now = now or timezone.now()
    with transaction.atomic():
        schedule = _locked()
        if schedule.token and schedule.next_run_at and schedule.next_run_at + GRACE > now:
            return False
        _enqueue(schedule, now)
    return True


def _advance(token: str, now: datetime) -> bool:
    with transaction.atomic():
        schedule = _locked()
        if schedule.token != token:
            return False
        _enqueue(schedule, now + timedelta(seconds=settings.OUTBOX_RECOVER_INTERVAL))
    return True


@task()
def recovery_tick(token: str) -> list[int] | None:
    """Schedule the next sweep, queue again what looks lost, prune what is old.

    Returns the events and deliveries queued again; None if superseded.
    """
    if not _advance(token, timezone.now()):
        return None
    recovered = list(outbox_recover())
    outbox_prune(limit=SWEEP_LIMIT)
    return recovered
