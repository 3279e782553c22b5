"""Send one delivery, record the attempt, and schedule the retry or give up.

A worker first takes a lease on the delivery (one conditional UPDATE), so two copies of
the same task never send at once, and no transaction is held open while the receiver
answers. Failures are retried with exponential backoff and full jitter, capped, until
`AGORA_WEBHOOK_RETRY_WINDOW` (at least a day) has passed since the first try; then the
delivery is dead-lettered with its last error. If the subscription has not had one
success in that whole window, it is paused and its organisation's admins are emailed.
"""

import logging
import random
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from agora.notifications import endpoints, wire
from agora.notifications.models import Attempt, Delivery, Subscription
from agora.notifications.outbox import attempt_enqueue

logger = logging.getLogger(__name__)

EARLY = timedelta(seconds=1)
"""How early a try may run and still count as due (clocks of workers differ a little)."""


def backoff(attempt: int, *, rng: random.Random | None = None) -> timedelta:
    """Return how long to wait after failed try number `attempt` (1, 2, …), jittered."""
    rng = rng or random
    ceiling = min(settings.WEBHOOK_RETRY_CAP, settings.WEBHOOK_RETRY_BASE * 2 ** (attempt - 1))
    return timedelta(seconds=rng.uniform(ceiling / 2, ceiling))


def lease_new(now: datetime) -> datetime:
    """Return a new lease taken at `now`: both when it runs out and the mark of its holder.

    Its microseconds are random, so two workers leasing at the same moment hold
    different leases.
    """
    lease = now + timedelta(seconds=settings.WEBHOOK_CONNECT_TIMEOUT
                            + settings.WEBHOOK_READ_TIMEOUT + settings.WEBHOOK_LEASE_MARGIN)
    return lease.replace(microsecond=secrets.randbelow(1_000_000))


def _lease(delivery_ids: list[str], now: datetime) -> datetime:
    """Take the deliveries that are pending, due and free for this worker; return the lease."""
    lease = lease_new(now)
    Delivery.objects.filter(public_id__in=delivery_ids, status=Delivery.Status.PENDING,
                            next_attempt_at__lte=now + EARLY) \
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now)) \
        .update(lease_until=lease)
    return lease


def delivery_send(delivery_id: str, *, now: datetime | None = None) -> str:
    """Try a due delivery once; return what became of it (delivered, retry, dead, skipped)."""
    return deliveries_send([delivery_id], now=now)[0]


def deliveries_send(delivery_ids: list[str], *, now: datetime | None = None) -> list[str]:
    """Try each due delivery once, at the same time; return what became of each, in order.

    A delivery that is done, not due, paused or held by another worker is "skipped". The
    posts run side by side (a thread each, up to `SENDERS`), so one slow endpoint costs
    the others its time-out at most; their results are recorded together afterwards.
    """
    if not delivery_ids:
        return []
    now = now or timezone.now()
    lease = _lease(delivery_ids, now)
    held = list(Delivery.objects.filter(public_id__in=delivery_ids, lease_until=lease)
                .select_related("event", "subscription"))
    results = deliveries_send_held(held, lease, now)
    return [results.get(str(i), "skipped") for i in delivery_ids]


def deliveries_send_held(held: list[Delivery], lease: datetime, now: datetime) -> dict[str, str]:
    """Send deliveries this worker holds by `lease` (with their event and subscription).

    Returns what became of each, by public id; those of a paused subscription are let go
    (they wait for the resume) and left out.
    """
    paused = [d.pk for d in held if d.subscription.status != Subscription.Status.ACTIVE]
    if paused:  # they wait for the resume
        Delivery.objects.filter(pk__in=paused, lease_until=lease).update(lease_until=None)
    sending = [d for d in held if d.pk not in paused]
    outcomes = _post_all(sending, now)
    return _record(sending, outcomes, lease, now)


SENDERS = 8
"""How many posts one worker makes at the same time."""


def _post(delivery: Delivery, now: datetime, connections: endpoints.Connections
          ) -> endpoints.Outcome:
    body, headers = wire.message_for(delivery.event, delivery.subscription, now)
    return endpoints.post(delivery.subscription.url, body, headers, connections=connections)


def _post_all(deliveries: list[Delivery], now: datetime) -> list[endpoints.Outcome]:
    """Post each delivery, up to `SENDERS` at once; posts to one endpoint share connections."""
    senders = min(SENDERS, len(deliveries))
    with endpoints.Connections(size=max(senders, 1)) as connections:
        if senders <= 1:
            return [_post(d, now, connections) for d in deliveries]
        with ThreadPoolExecutor(max_workers=senders) as pool:
            return list(pool.map(lambda d: _post(d, now, connections), deliveries))


def _record(deliveries: list[Delivery], outcomes: list[endpoints.Outcome], lease: datetime,
            started: datetime) -> dict[str, str]:
    """Record each attempt and what follows from it, where this worker still holds the lease.

    A delivery whose lease ran out and was taken over by another worker is left to that
    worker to record ("superseded").
    """
    window = timedelta(seconds=settings.WEBHOOK_RETRY_WINDOW)
    results: dict[str, str] = {}
    attempts, changed, retries = [], [], []
    succeeded, failed = set(), set()
    with transaction.atomic():
        still = set(Delivery.objects.select_for_update().filter(
            pk__in=[d.pk for d in deliveries], lease_until=lease).values_list("pk", flat=True))
        for delivery, outcome in zip(deliveries, outcomes, strict=True):
            if delivery.pk not in still:
                results[str(delivery.public_id)] = "superseded"
                continue
            now = started + timedelta(milliseconds=outcome.latency_ms)
            delivery.attempts += 1
            delivery.first_attempt_at = delivery.first_attempt_at or started
            delivery.lease_until = None
            delivery.last_status_code, delivery.last_error = outcome.status_code, outcome.error
            attempts.append(Attempt(delivery=delivery, number=delivery.attempts,
                                    started_at=started, status_code=outcome.status_code,
                                    latency_ms=outcome.latency_ms, error=outcome.error))
            if outcome.ok:
                delivery.status, delivery.delivered_at = Delivery.Status.DELIVERED, now
                succeeded.add(delivery.subscription_id)
                result = "delivered"
            else:
                failed.add(delivery.subscription_id)
                if now - delivery.first_attempt_at >= window:
                    delivery.status = Delivery.Status.DEAD
                    result = "dead"
                else:
                    delivery.next_attempt_at = now + backoff(delivery.attempts)
                    retries.append((delivery.public_id, delivery.next_attempt_at))
                    result = "retry"
            results[str(delivery.public_id)] = result
            changed.append(delivery)
        _save(changed, started)
        Attempt.objects.bulk_create(attempts)
        if succeeded:
            Subscription.objects.filter(pk__in=succeeded, failing_since__isnull=False) \
                .update(failing_since=None)
        if failed - succeeded:
            Subscription.objects.filter(pk__in=failed - succeeded, failing_since__isnull=True) \
                .update(failing_since=started)
        for subscription_id in {d.subscription_id for d in changed
                                if d.status == Delivery.Status.DEAD}:
            _pause_if_failing(subscription_id, started - window)
        if retries:
            transaction.on_commit(
                lambda: [attempt_enqueue(i, at) for i, at in retries], robust=True)
    return results


def _save(deliveries: list[Delivery], started: datetime) -> None:
    """Write the deliveries' new state: those delivered with one UPDATE per status code
    (the usual case, and far cheaper than a CASE per row), the others one by one."""
    delivered: dict[int, list[int]] = {}
    for delivery in deliveries:
        if delivery.status == Delivery.Status.DELIVERED:
            delivered.setdefault(delivery.last_status_code, []).append(delivery.pk)
        else:
            Delivery.objects.filter(pk=delivery.pk).update(
                attempts=delivery.attempts, first_attempt_at=delivery.first_attempt_at,
                lease_until=None, last_status_code=delivery.last_status_code,
                last_error=delivery.last_error, status=delivery.status,
                next_attempt_at=delivery.next_attempt_at)
    finished = max((d.delivered_at for d in deliveries if d.delivered_at), default=None)
    for status_code, pks in delivered.items():
        Delivery.objects.filter(pk__in=pks).update(
            status=Delivery.Status.DELIVERED, delivered_at=finished,
            attempts=F("attempts") + 1, first_attempt_at=Coalesce("first_attempt_at",
                                                                  Value(started)),
            lease_until=None, last_status_code=status_code, last_error="")


def _pause_if_failing(subscription_id: int, since: datetime) -> None:
    """Pause a subscription that has not had one success since `since`, and tell its admins."""
    from agora.notifications.mail import subscription_paused_mail

    paused = Subscription.objects.filter(
        pk=subscription_id, status=Subscription.Status.ACTIVE, failing_since__lte=since,
    ).update(status=Subscription.Status.PAUSED, updated_at=timezone.now(),
             paused_reason="Paused by Agora: every delivery failed for a whole retry window.")
    if paused:
        transaction.on_commit(lambda: subscription_paused_mail(subscription_id), robust=True)
