"""The daily refresh of the request statistics, run by `agora worker`.

`statistics_daily_start` (on `worker_starting`) seeds one run at the next 02:00 UTC
unless one is pending; each run first schedules the next day's, then refreshes. Like the
tree-head cadence (audit.cadence): the `StatisticsSchedule` row holds the token of the
one pending run, and a run whose token is not the row's does nothing.
"""

import logging
import uuid
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from agora.core.actors import SYSTEM
from agora.opendata.models import StatisticsSchedule
from agora.opendata.statistics import statistics_publish_all

logger = logging.getLogger(__name__)
RUN_AT_HOUR = 2  # UTC: after the day's requests have settled


def next_run(now: datetime) -> datetime:
    """Return the next 02:00 UTC after `now`."""
    run = now.astimezone(UTC).replace(hour=RUN_AT_HOUR, minute=0, second=0, microsecond=0)
    return run if run > now else run + timedelta(days=1)


def _enqueue(schedule: StatisticsSchedule, run_after: datetime) -> None:
    schedule.token = uuid.uuid4().hex
    schedule.next_run_at = run_after
    schedule.save(update_fields=["token", "next_run_at"])
    statistics_daily.using(run_after=run_after).enqueue(schedule.token)


def _locked() -> StatisticsSchedule:
    StatisticsSchedule.objects.get_or_create(pk=1)
    return StatisticsSchedule.objects.select_for_update().get(pk=1)


def statistics_daily_start(*, now: datetime | None = None) -> bool:
    """Seed the daily run unless one is pending (or only just overdue); return whether it did."""
    now = now or timezone.now()
    with transaction.atomic():
        schedule = _locked()
        if schedule.token and schedule.next_run_at and \
                schedule.next_run_at + timedelta(hours=1) > now:
            return False
        _enqueue(schedule, next_run(now))
    return True


@task()
def statistics_daily(token: str) -> int | None:
    """Schedule tomorrow's run, then refresh every organisation's request statistics.

    Returns how many datasets changed, or None when this run was superseded.
    """
    now = timezone.now()
    with transaction.atomic():
        schedule = _locked()
        if schedule.token != token:
            logger.info("Statistics run %s was superseded.", token)
            return None
        _enqueue(schedule, next_run(now))
    return sum(changed for _, changed in statistics_publish_all(actor=SYSTEM, now=now))
