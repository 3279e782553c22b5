"""Signed tree heads on a cadence: a background task signs one every N seconds if the log grew.

`tree_head_tick` is a django-tasks task. Each run first schedules the next run
`AGORA_TREE_HEAD_INTERVAL` seconds later, then signs the current size if no head covers it
yet. `cadence_start` seeds the chain when a worker starts.

Never more than one chain: the `TreeHeadSchedule` row holds the token of the one pending
tick, and a tick whose token is not the row's does nothing (it was superseded). Seeding
leaves a pending tick alone, and replaces a tick that is overdue (its worker died, or the
queue lost it) by a new chain with a new token, so a stray old tick that still runs later
is harmless. Each tick is enqueued in the same transaction that records its token: on the
database backend they commit together; on Redis, a rolled-back record leaves a stray tick,
which does nothing.
"""

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from agora.audit.models import TreeHeadSchedule
from agora.audit.services import tree_head_sign

logger = logging.getLogger(__name__)

# How long past its time a pending tick may be before a starting worker replaces it.
GRACE = timedelta(seconds=30)


def _schedule_locked() -> TreeHeadSchedule:
    TreeHeadSchedule.objects.get_or_create(pk=1)
    return TreeHeadSchedule.objects.select_for_update().get(pk=1)


def _enqueue(schedule: TreeHeadSchedule, run_after: datetime) -> None:
    schedule.token = uuid.uuid4().hex
    schedule.next_run_at = run_after
    schedule.save(update_fields=["token", "next_run_at"])
    tree_head_tick.using(run_after=run_after).enqueue(schedule.token)


def cadence_start(*, now: datetime | None = None) -> bool:
    """Seed the cadence (a tick at once) unless a tick is pending; return whether it did."""
    now = now or timezone.now()
    with transaction.atomic():
        schedule = _schedule_locked()
        pending = schedule.token and schedule.next_run_at and schedule.next_run_at + GRACE > now
        if pending:
            return False
        _enqueue(schedule, now)
    return True


def cadence_advance(token: str, *, now: datetime | None = None) -> bool:
    """Schedule the tick after the one holding `token`; False if that tick was superseded."""
    now = now or timezone.now()
    with transaction.atomic():
        schedule = _schedule_locked()
        if schedule.token != token:
            return False
        _enqueue(schedule, now + timedelta(seconds=settings.TREE_HEAD_INTERVAL))
    return True


@task()
def tree_head_tick(token: str) -> int | None:
    """Schedule the next tick, then sign the log's current size if it has grown.

    Returns the signed size, or None when this tick was superseded. The next tick is
    scheduled first, so a failure to sign is retried on the next tick.
    """
    if not cadence_advance(token):
        logger.info("Tree head tick %s was superseded; not signing.", token)
        return None
    head = tree_head_sign()
    return head.size
