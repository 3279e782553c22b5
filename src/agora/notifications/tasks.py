"""Background tasks of the outbox (django-tasks): fan an event out, send a delivery.

Both are safe to run twice and on any backend: the database one, or RQ on Redis.
"""

from django_tasks import task

from agora.notifications.delivery import delivery_send
from agora.notifications.outbox import event_fan_out
from agora.notifications.residents import resident_email_send


@task()
def event_dispatch(event_id: str) -> int:
    """Make the deliveries of a committed event and queue each; return how many."""
    return event_fan_out(event_id)


@task()
def delivery_attempt(delivery_id: str) -> str:
    """Try one delivery once (retries are queued by the attempt that fails)."""
    return delivery_send(delivery_id)


@task()
def resident_email(email_id: str) -> str:
    """Send one planned email to a resident (a failure queues its own retry)."""
    return resident_email_send(email_id)
