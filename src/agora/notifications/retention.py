"""Pruning the outbox: delivered events go after `AGORA_OUTBOX_KEEP_DAYS`, dead letters stay.

Deliveries and their attempts grow with traffic and nothing reads old ones but a
subscription's history page (the newest 50). A delivered delivery older than the keep
period is deleted with its attempts; then an event older than it is deleted when nothing
of it waits or failed (no pending or dead delivery, no unsent email), with its
organisations and its sent email. A dead letter is kept, with its event, until an admin
replays it (it is then delivered, and pruned in its turn) or dismisses it.

Work is bounded: rows go in chunks, each chunk in its own short transaction (on SQLite a
long write transaction would block every other writer), and the recovery sweep prunes
at most `SWEEP_LIMIT` rows of each kind a tick, so a backlog drains over several ticks.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from agora.notifications.models import Delivery, Event, ResidentEmail

CHUNK = 500
"""Rows deleted in one transaction."""

SWEEP_LIMIT = 5000
"""Rows of each kind one recovery tick prunes at most."""


@dataclass(frozen=True)
class Pruned:
    deliveries: int
    events: int


def _cutoff(now: datetime | None) -> datetime:
    return (now or timezone.now()) - timedelta(days=settings.OUTBOX_KEEP_DAYS)


def _in_chunks(queryset, limit: int | None) -> int:
    """Delete the rows of `queryset` a chunk at a time; return how many went."""
    done = 0
    while limit is None or done < limit:
        size = CHUNK if limit is None else min(CHUNK, limit - done)
        with transaction.atomic():
            pks = list(queryset.values_list("pk", flat=True)[:size])
            if not pks:
                break
            queryset.model.objects.filter(pk__in=pks).delete()
        done += len(pks)
        if len(pks) < size:
            break
    return done


def outbox_prune(*, now: datetime | None = None, limit: int | None = None) -> Pruned:
    """Delete what was delivered before the keep period; return how much went.

    With `limit`, at most that many deliveries and that many events (the sweep's bound);
    without, everything due (the command).
    """
    cutoff = _cutoff(now)
    deliveries = _in_chunks(
        Delivery.objects.filter(status=Delivery.Status.DELIVERED, delivered_at__lt=cutoff),
        limit)
    # What keeps an event: a delivery not delivered before the cutoff (waiting, dead, or
    # a replay delivered lately), an email not sent before it.
    kept = Delivery.objects.filter(event=OuterRef("pk")).exclude(
        status=Delivery.Status.DELIVERED, delivered_at__lt=cutoff)
    unsent = ResidentEmail.objects.filter(event=OuterRef("pk")).exclude(
        status=ResidentEmail.Status.SENT, sent_at__lt=cutoff)
    events = _in_chunks(
        Event.objects.filter(Q(dispatched_at__isnull=False), occurred_at__lt=cutoff)
        .exclude(Exists(kept)).exclude(Exists(unsent)).order_by(),
        limit)
    return Pruned(deliveries, events)
