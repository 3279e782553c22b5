"""Background tasks of the outbox (django-tasks): fan an event out, send a delivery.

Both are safe to run twice and on any backend: the database one, or RQ on Redis.
"""

from django_tasks import task

from agora.notifications.delivery import delivery_send
from agora.notifications.outbox import event_fan_out


@task()
def event_dispatch(event_id: str) -> int:
    """Make the deliveries of a committed event and queue each; return how many."""
    return event_fan_out(event_id)


@task()
def delivery_attempt(delivery_id: str) -> str:
    """Try one delivery once (retries are queued by the attempt that fails)."""
    return delivery_send(delivery_id)
