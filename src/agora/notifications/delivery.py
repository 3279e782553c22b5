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
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
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


def _lease(delivery_id: str, now: datetime) -> datetime | None:
    """Take the delivery for this worker if it is pending, due and free; return the lease."""
    until = now + timedelta(seconds=settings.WEBHOOK_CONNECT_TIMEOUT
                            + settings.WEBHOOK_READ_TIMEOUT + 60)
    claimed = (
        Delivery.objects.filter(public_id=delivery_id, status=Delivery.Status.PENDING,
                                next_attempt_at__lte=now + EARLY)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=until)
    )
    return until if claimed else None


def delivery_send(delivery_id: str, *, now: datetime | None = None) -> str:
    """Try a due delivery once; return what became of it (delivered, retry, dead, skipped)."""
    now = now or timezone.now()
    lease = _lease(delivery_id, now)
    if lease is None:
        return "skipped"  # done, not due, or another worker is sending it
    delivery = Delivery.objects.select_related("event", "subscription").get(
        public_id=delivery_id)
    if delivery.subscription.status != Subscription.Status.ACTIVE:
        Delivery.objects.filter(pk=delivery.pk, lease_until=lease).update(lease_until=None)
        return "skipped"  # paused: it waits for the resume
    body, headers = wire.message_for(delivery.event, delivery.subscription, now)
    outcome = endpoints.post(delivery.subscription.url, body, headers)
    return _record(delivery, lease, outcome, now)


def _record(delivery: Delivery, lease: datetime, outcome: endpoints.Outcome,
            started: datetime) -> str:
    """Record the attempt and what follows from it, if this worker still holds the lease."""
    now = started + timedelta(milliseconds=outcome.latency_ms)
    number = delivery.attempts + 1
    first = delivery.first_attempt_at or started
    fields = {"attempts": number, "first_attempt_at": first, "lease_until": None,
              "last_status_code": outcome.status_code, "last_error": outcome.error}
    subscription = delivery.subscription
    subscriptions = Subscription.objects.filter(pk=subscription.pk)
    with transaction.atomic():
        if outcome.ok:
            fields.update(status=Delivery.Status.DELIVERED, delivered_at=now)
            if subscription.failing_since is not None:
                subscriptions.filter(failing_since__isnull=False).update(failing_since=None)
            result = "delivered"
        else:
            if subscription.failing_since is None:
                subscriptions.filter(failing_since__isnull=True).update(failing_since=started)
            window = timedelta(seconds=settings.WEBHOOK_RETRY_WINDOW)
            if now - first >= window:
                fields["status"] = Delivery.Status.DEAD
                _pause_if_failing(subscription.pk, now - window)
                result = "dead"
            else:
                run_after = fields["next_attempt_at"] = now + backoff(number)
                transaction.on_commit(
                    lambda: attempt_enqueue(delivery.public_id, run_after), robust=True)
                result = "retry"
        if not Delivery.objects.filter(pk=delivery.pk, lease_until=lease).update(**fields):
            # The lease ran out and another worker took the delivery over: it records.
            transaction.set_rollback(True)
            return "superseded"
        Attempt.objects.create(delivery=delivery, number=number, started_at=started,
                               status_code=outcome.status_code, latency_ms=outcome.latency_ms,
                               error=outcome.error)
    return result


def _pause_if_failing(subscription_id: int, since: datetime) -> None:
    """Pause a subscription that has not had one success since `since`, and tell its admins."""
    from agora.notifications.mail import subscription_paused_mail

    paused = Subscription.objects.filter(
        pk=subscription_id, status=Subscription.Status.ACTIVE, failing_since__lte=since,
    ).update(status=Subscription.Status.PAUSED, updated_at=timezone.now(),
             paused_reason="Paused by Agora: every delivery failed for a whole retry window.")
    if paused:
        transaction.on_commit(lambda: subscription_paused_mail(subscription_id), robust=True)
