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


def _lease(delivery_id: str, now: datetime) -> bool:
    until = now + timedelta(seconds=settings.WEBHOOK_CONNECT_TIMEOUT
                            + settings.WEBHOOK_READ_TIMEOUT + 60)
    return bool(
        Delivery.objects.filter(public_id=delivery_id, status=Delivery.Status.PENDING,
                                next_attempt_at__lte=now + EARLY,
                                subscription__status=Subscription.Status.ACTIVE)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=until)
    )


def delivery_send(delivery_id: str, *, now: datetime | None = None) -> str:
    """Try a due delivery once; return what became of it (delivered, retry, dead, skipped)."""
    now = now or timezone.now()
    if not _lease(delivery_id, now):
        return "skipped"  # done, not due, paused, or another worker is sending it
    delivery = Delivery.objects.select_related("event", "subscription").get(
        public_id=delivery_id)
    body, headers = wire.message_for(delivery.event, delivery.subscription, now)
    outcome = endpoints.post(delivery.subscription.url, body, headers)
    return _record(delivery.pk, outcome, now)


def _record(pk: int, outcome: endpoints.Outcome, started: datetime) -> str:
    now = started + timedelta(milliseconds=outcome.latency_ms)
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=pk)
        delivery.attempts += 1
        Attempt.objects.create(delivery=delivery, number=delivery.attempts, started_at=started,
                               status_code=outcome.status_code, latency_ms=outcome.latency_ms,
                               error=outcome.error)
        delivery.first_attempt_at = delivery.first_attempt_at or started
        delivery.lease_until = None
        delivery.last_status_code, delivery.last_error = outcome.status_code, outcome.error
        subscriptions = Subscription.objects.filter(pk=delivery.subscription_id)
        if outcome.ok:
            delivery.status, delivery.delivered_at = Delivery.Status.DELIVERED, now
            subscriptions.filter(failing_since__isnull=False).update(failing_since=None)
            result = "delivered"
        else:
            subscriptions.filter(failing_since__isnull=True).update(failing_since=started)
            window = timedelta(seconds=settings.WEBHOOK_RETRY_WINDOW)
            if now - delivery.first_attempt_at >= window:
                delivery.status = Delivery.Status.DEAD
                _pause_if_failing(delivery.subscription_id, now - window)
                result = "dead"
            else:
                delivery.next_attempt_at = now + backoff(delivery.attempts)
                run_after = delivery.next_attempt_at
                transaction.on_commit(
                    lambda: attempt_enqueue(delivery.public_id, run_after), robust=True)
                result = "retry"
        delivery.save()
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
