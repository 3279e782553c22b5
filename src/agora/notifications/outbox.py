"""The transactional outbox: record an announced event, fan it out, recover lost work.

`event_record` runs inside the announcing service's transaction (it receives
`core.events.event_announced`), so the event commits or rolls back with the change.
Only after commit is the fan-out task queued; if that queueing is lost (a crash between
commit and enqueue, a Redis restart), `outbox_recover` finds the event again: a worker
runs it when it starts and then every minute (`recovery`), and `agora notifications
recover` runs it on demand.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from agora.notifications.models import Delivery, Event, EventType, ResidentEmail, Subscription
from agora.notifications.residents import resident_email_plan

logger = logging.getLogger(__name__)

GRACE = timedelta(seconds=settings.OUTBOX_GRACE)
"""How long committed work may wait in the queue before recovery queues it again."""


def event_record(sender, *, type: str, organizations, person, source: str, subject: str,
                 data: dict, **kwargs) -> Event:
    """Write the outbox row of an announced event in the caller's transaction."""
    if type not in EventType.values:
        raise ValueError(f"{type!r} is not an event type; add it to EventType first.")
    event = Event.objects.create(type=type, source=source, subject=subject, person=person,
                                 data=data, occurred_at=timezone.now())
    if organizations:
        event.organizations.add(*organizations)
    transaction.on_commit(lambda: dispatch_enqueue(event.pk), robust=True)
    return event


DISPATCH_QUEUED = "agora:notifications:dispatch-queued"
"""On Redis: the key that says a fan-out task is queued and has not started."""


def dispatch_enqueue(event_id, *, force: bool = False) -> None:
    """Queue the fan-out of an event, unless a fan-out task waits that will take it.

    A fan-out task takes every event waiting (up to a batch) when it starts, and queues
    the next before it sends if more are waiting; so a commit that finds a fan-out task
    not yet started needs none of its own. On the database backend that is a READY task
    row; on Redis, a key set (if absent) when one is queued and deleted when it starts,
    expiring after `GRACE` in case its task was lost. `force` (recovery) queues anyway:
    the key may outlive a lost task.
    """
    from agora.notifications.tasks import event_dispatch

    if force or not _dispatch_waiting(event_dispatch):
        event_dispatch.enqueue(str(event_id or ""))


def _dispatch_waiting(event_dispatch) -> bool:
    """Whether a fan-out task is queued and not started (on Redis: or mark that one will be)."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = event_dispatch.get_backend()
    if isinstance(backend, DatabaseBackend):
        return DBTaskResult.objects.filter(task_path=event_dispatch.module_path,
                                           status="READY").exists()
    redis = _redis_of(backend, event_dispatch.queue_name)
    if redis is None:
        return False
    return not redis.set(DISPATCH_QUEUED, "1", nx=True, ex=max(1, int(GRACE.total_seconds())))


def dispatch_started() -> None:
    """Called by a fan-out task before it takes its batch: later commits queue a new one."""
    from agora.notifications.tasks import event_dispatch

    redis = _redis_of(event_dispatch.get_backend(), event_dispatch.queue_name)
    if redis is not None:
        redis.delete(DISPATCH_QUEUED)


def _redis_of(backend, queue_name: str):
    try:
        from django_tasks_rq.backend import RQBackend
    except ImportError:  # the Redis backend is not installed
        return None
    if not isinstance(backend, RQBackend):
        return None
    import django_rq

    return django_rq.get_queue(queue_name).connection


def attempt_enqueue(delivery_id, run_after: datetime | None = None) -> None:
    """Queue a try of the delivery, at `run_after` rounded up to the whole second.

    RQ's scheduler keeps whole seconds (rounded down); rounding up here means a retry
    never runs before the delivery is due.
    """
    from agora.notifications.tasks import delivery_attempt

    task = delivery_attempt.using(run_after=_whole_second(run_after)) if run_after else \
        delivery_attempt
    task.enqueue(str(delivery_id))


def _whole_second(moment: datetime) -> datetime:
    whole = moment.replace(microsecond=0)
    return whole + timedelta(seconds=1) if whole < moment else whole


def email_enqueue(email_id, run_after: datetime | None = None) -> None:
    from agora.notifications.tasks import resident_email

    task = resident_email.using(run_after=_whole_second(run_after)) if run_after else \
        resident_email
    task.enqueue(str(email_id))


def event_fan_out(event_id: str | None, *, now: datetime | None = None, enqueue: bool = True,
                  batch: int = 1) -> list[str]:
    """Make one delivery per subscription the event matches; return those to send now.

    With `batch` above one, other events waiting for their fan-out go in the same
    transaction, up to `batch` in all (oldest first; with no `event_id`, only those):
    under load, one task does the work of many, and the tasks of the others find nothing
    left to do. After commit, each delivery is
    queued (unless `enqueue` is false: the caller sends them). In the same transaction,
    the email that tells the resident is planned, if one is due.

    Runs once per event: the rows are locked (PostgreSQL skips those another worker holds)
    and a later run finds them dispatched. Paused subscriptions get their deliveries too;
    they are sent when it resumes.
    """
    held = _fan_out(event_id, now=now or timezone.now(), batch=batch, lease=None,
                    enqueue=enqueue)
    return [str(delivery.public_id) for delivery in held]


def event_fan_out_held(event_id: str | None, *, lease: datetime, now: datetime,
                       batch: int) -> list[Delivery]:
    """Fan out like `event_fan_out`, the deliveries to send made already leased by `lease`.

    For the worker that sends them at once: it needs neither a lease UPDATE nor to read
    them back with their events and subscriptions (they come with both attached).
    """
    return _fan_out(event_id, now=now, batch=batch, lease=lease, enqueue=False)


def _fan_out(event_id: str | None, *, now: datetime, batch: int, lease: datetime | None,
             enqueue: bool) -> list[Delivery]:
    with transaction.atomic():
        waiting = Event.objects.select_for_update(of=("self",), skip_locked=True) \
            .select_related("person").filter(dispatched_at__isnull=True)
        events = list(waiting.filter(pk=event_id)) if event_id else []
        if batch > len(events):
            events += list(waiting.exclude(pk__in=[e.pk for e in events])
                           .order_by("occurred_at")[:batch - len(events)])
        if not events:
            return []
        concerned: dict = {}
        for pk, organization_id in Event.organizations.through.objects.filter(
                event__in=events).values_list("event_id", "organization_id"):
            concerned.setdefault(pk, set()).add(organization_id)
        subscriptions = {s.pk: s for s in Subscription.objects.filter(
            organization_id__in={o for orgs in concerned.values() for o in orgs})}
        active = Subscription.Status.ACTIVE
        Delivery.objects.bulk_create(
            [Delivery(event=event, subscription=s, next_attempt_at=now, created_at=now,
                      lease_until=lease if s.status == active else None)
             for event in events for s in subscriptions.values()
             if s.organization_id in concerned.get(event.pk, ()) and event.type in s.event_types],
            ignore_conflicts=True,
        )
        Event.objects.filter(pk__in=[event.pk for event in events]).update(dispatched_at=now)
        made = Delivery.objects.filter(event__in=events, status=Delivery.Status.PENDING)
        made = made.filter(lease_until=lease) if lease is not None else \
            made.filter(subscription__status=active)
        held = list(made)
        if lease is not None:  # all made here, from these: no need to read them again
            by_pk = {event.pk: event for event in events}
            for delivery in held:
                delivery.event = by_pk[delivery.event_id]
                delivery.subscription = subscriptions[delivery.subscription_id]
        if enqueue:
            ids = [delivery.public_id for delivery in held]
            transaction.on_commit(lambda: [attempt_enqueue(i) for i in ids], robust=True)
        for event in events:
            email = resident_email_plan(event, now)
            if email is not None and email.status == ResidentEmail.Status.PENDING:
                transaction.on_commit(lambda e=email: email_enqueue(e.public_id), robust=True)
    return held


def outbox_settle(*, now: datetime | None = None) -> int:
    """Mark every event not yet fanned out as handled, sending nothing; return how many.

    For an invented past (the demo town's requests): its events are history, not news,
    so no resident is emailed about them and no partner hears of them.
    """
    now = now or timezone.now()
    with transaction.atomic():
        return Event.objects.filter(dispatched_at__isnull=True).update(dispatched_at=now)


def outbox_recover(*, now: datetime | None = None) -> tuple[int, int]:
    """Queue again the events and deliveries whose tasks look lost; return (events, deliveries).

    Queueing twice is harmless: a dispatched event is not fanned out again, and a
    delivery is sent only by the worker that holds its lease.
    """
    now = now or timezone.now()
    events = list(Event.objects.filter(dispatched_at__isnull=True, occurred_at__lt=now - GRACE)
                  .order_by("occurred_at").values_list("pk", flat=True))
    if events:
        # One task, not one per event: it takes the oldest 50 and queues the next batch
        # while more wait, so the chain drains any backlog. Queued even if one seems to
        # wait (on Redis the key that says so may outlive a lost task).
        dispatch_enqueue(events[0], force=True)
    deliveries = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING,
                                next_attempt_at__lt=now - GRACE,
                                subscription__status=Subscription.Status.ACTIVE)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .values_list("public_id", flat=True)
    )
    for delivery_id in deliveries:
        attempt_enqueue(delivery_id)
    for email_id in ResidentEmail.objects.filter(
            status=ResidentEmail.Status.PENDING, next_attempt_at__lt=now - GRACE).filter(
            Q(lease_until__isnull=True) | Q(lease_until__lt=now)).values_list("public_id",
                                                                               flat=True):
        email_enqueue(email_id)
    return len(events), len(deliveries)


def worker_started(sender, **kwargs) -> None:
    """Recover the outbox's lost work when a worker starts, and seed the recovery sweep."""
    from agora.notifications.recovery import recovery_start

    events, deliveries = outbox_recover()
    recovery_start()
    if events or deliveries:
        logger.info("Outbox: queued %s events and %s deliveries again.", events, deliveries)
