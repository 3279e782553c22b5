"""Background tasks of the outbox (django-tasks): fan an event out, send a delivery.

Both are safe to run twice and on any backend: the database one, or RQ on Redis.
"""

from django.utils import timezone
from django_tasks import task

from agora.notifications.delivery import deliveries_send_held, delivery_send, lease_new
from agora.notifications.models import Event
from agora.notifications.outbox import dispatch_enqueue, dispatch_started, event_fan_out_held
from agora.notifications.residents import resident_email_send

FAN_OUT_BATCH = 50
"""Events one fan-out task takes at most: its own and those still waiting."""


@task()
def event_dispatch(event_id: str) -> int:
    """Fan out a committed event (and others waiting) and send their deliveries at once.

    Sending here saves a task per delivery; only retries get tasks of their own. Returns
    how many deliveries were tried.
    """
    dispatch_started()
    now = timezone.now()
    lease = lease_new(now)
    held = event_fan_out_held(event_id or None, lease=lease, now=now, batch=FAN_OUT_BATCH)
    if Event.objects.filter(dispatched_at__isnull=True).exists():
        dispatch_enqueue(None)  # the next batch, for another worker while this one sends
    deliveries_send_held(held, lease, now)
    return len(held)


@task()
def delivery_attempt(delivery_id: str) -> str:
    """Try one delivery once (retries are queued by the attempt that fails)."""
    return delivery_send(delivery_id)


@task()
def resident_email(email_id: str) -> str:
    """Send one planned email to a resident (a failure queues its own retry)."""
    return resident_email_send(email_id)
