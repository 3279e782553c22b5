"""Background tasks of the outbox (django-tasks): fan an event out, send a delivery.

Both are safe to run twice and on any backend: the database one, or RQ on Redis.
"""

from django_tasks import task

from agora.notifications.delivery import delivery_send
from agora.notifications.outbox import attempt_enqueue, event_fan_out
from agora.notifications.residents import resident_email_send


@task()
def event_dispatch(event_id: str) -> int:
    """Make the deliveries of a committed event and send them; return how many.

    The usual event has one delivery (one organisation, one endpoint): it is tried here
    at once, which saves a task. Several are queued one task each, so a slow endpoint
    does not hold up the others.
    """
    ids = event_fan_out(event_id, enqueue=False)
    if len(ids) == 1:
        delivery_send(ids[0])
    else:
        for delivery_id in ids:
            attempt_enqueue(delivery_id)
    return len(ids)


@task()
def delivery_attempt(delivery_id: str) -> str:
    """Try one delivery once (retries are queued by the attempt that fails)."""
    return delivery_send(delivery_id)


@task()
def resident_email(email_id: str) -> str:
    """Send one planned email to a resident (a failure queues its own retry)."""
    return resident_email_send(email_id)
