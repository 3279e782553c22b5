"""Writes of webhook subscriptions: create, rotate the secret, pause, resume, replay.

Only an admin of the subscribing organisation (or an operator, or the system) may
change its subscriptions. The secret is returned by `subscription_create` and
`subscription_secret_rotate` only; it is never logged and no read shows it again.
"""

import base64
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from agora.core.exceptions import InvalidInput, PermissionDenied
from agora.notifications.endpoints import endpoint_check
from agora.notifications.exceptions import UnknownEventType
from agora.notifications.models import Delivery, EventType, Subscription
from agora.notifications.outbox import attempt_enqueue
from agora.notifications.permissions import may_manage_webhooks
from agora.organizations.models import Organization
from agora.people.models import User

MAX_SUBSCRIPTIONS = 20
"""Per organisation: enough for every partner system, few enough to send to quickly."""


def _admin_check(actor, organization: Organization) -> None:
    if not may_manage_webhooks(actor, organization):
        raise PermissionDenied("Only an administrator of this organisation can manage its "
                               "webhooks.")


def secret_new() -> str:
    """Return a new Standard Webhooks secret (`whsec_` and 32 random bytes in base64)."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _event_types_check(event_types: list[str]) -> list[str]:
    chosen = list(dict.fromkeys(str(t).strip() for t in event_types or []))
    if not chosen:
        raise InvalidInput("Choose at least one event type.",
                           errors=[{"field": "event_types", "message": "Choose at least one."}])
    unknown = [t for t in chosen if t not in EventType.values]
    if unknown:
        known = ", ".join(EventType.values)
        message = f"Unknown event type {', '.join(unknown)[:200]}; choose from {known}."
        raise UnknownEventType(message, errors=[{"field": "event_types", "message": message}])
    return chosen


def subscription_create(
    *,
    actor,
    organization: Organization,
    url: str,
    event_types: list[str],
    description: str = "",
    now: datetime | None = None,
) -> tuple[Subscription, str]:
    """Subscribe an HTTPS endpoint of the organisation to event types; return it and its secret.

    The URL is checked now (HTTPS, resolvable, public addresses only) and again before
    every delivery, since what a name resolves to can change.
    """
    _admin_check(actor, organization)
    chosen = _event_types_check(event_types)
    endpoint_check(url)
    description = (description or "").strip()[:200]
    if Subscription.objects.filter(organization=organization).count() >= MAX_SUBSCRIPTIONS:
        raise InvalidInput(f"An organisation can have at most {MAX_SUBSCRIPTIONS} webhooks; "
                           "remove one first.")
    now = now or timezone.now()
    secret = secret_new()
    with transaction.atomic():
        subscription = Subscription.objects.create(
            organization=organization, url=url.strip(), event_types=chosen,
            description=description, secret=secret, created_at=now, updated_at=now,
            created_by=actor if isinstance(actor, User) else None,
        )
    return subscription, secret


def subscription_secret_rotate(*, actor, subscription: Subscription,
                               now: datetime | None = None) -> str:
    """Give the subscription a new secret; the old one also signs until the overlap ends."""
    _admin_check(actor, subscription.organization)
    now = now or timezone.now()
    secret = secret_new()
    with transaction.atomic():
        locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
        locked.previous_secret, locked.secret = locked.secret, secret
        locked.previous_secret_expires_at = now + timedelta(
            seconds=settings.WEBHOOK_SECRET_OVERLAP)
        locked.updated_at = now
        locked.save()
    return secret


def subscription_pause(*, actor, subscription: Subscription, reason: str = "") -> Subscription:
    """Stop sending to the endpoint; events keep arriving and wait for the resume."""
    _admin_check(actor, subscription.organization)
    with transaction.atomic():
        Subscription.objects.filter(pk=subscription.pk).update(
            status=Subscription.Status.PAUSED, updated_at=timezone.now(),
            paused_reason=(reason or "Paused by an administrator.")[:300])
    subscription.refresh_from_db()
    return subscription


def subscription_resume(*, actor, subscription: Subscription,
                        now: datetime | None = None) -> int:
    """Send to the endpoint again, starting with the deliveries that waited; return how many."""
    _admin_check(actor, subscription.organization)
    now = now or timezone.now()
    with transaction.atomic():
        Subscription.objects.filter(pk=subscription.pk).update(
            status=Subscription.Status.ACTIVE, paused_reason="", failing_since=None,
            updated_at=now)
        waiting = Delivery.objects.filter(subscription=subscription,
                                          status=Delivery.Status.PENDING)
        ids = list(waiting.values_list("public_id", flat=True))
        # A fresh retry window: the endpoint was paused, not failing, while they waited.
        waiting.update(next_attempt_at=now, first_attempt_at=None, lease_until=None)
        transaction.on_commit(lambda: [attempt_enqueue(i) for i in ids], robust=True)
    subscription.refresh_from_db()
    return len(ids)


def deliveries_replay(*, actor, subscription: Subscription, delivery_ids: list[str] | None = None,
                      now: datetime | None = None) -> int:
    """Send dead-lettered deliveries again (those named, or all); return how many."""
    _admin_check(actor, subscription.organization)
    now = now or timezone.now()
    with transaction.atomic():
        dead = Delivery.objects.select_for_update().filter(
            subscription=subscription, status=Delivery.Status.DEAD)
        if delivery_ids is not None:
            dead = dead.filter(public_id__in=delivery_ids)
        ids = list(dead.values_list("public_id", flat=True))
        Delivery.objects.filter(public_id__in=ids).update(
            status=Delivery.Status.PENDING, next_attempt_at=now, first_attempt_at=None,
            lease_until=None)
        transaction.on_commit(lambda: [attempt_enqueue(i) for i in ids], robust=True)
    return len(ids)


def deliveries_dismiss(*, actor, subscription: Subscription,
                       delivery_ids: list[str] | None = None) -> int:
    """Delete dead-lettered deliveries (those named, or all), with their attempts; return how many.

    For events the partner will never need (they fixed it by hand, or it is too old to
    matter): pruning keeps a dead letter until it is replayed or dismissed.
    """
    _admin_check(actor, subscription.organization)
    with transaction.atomic():
        dead = Delivery.objects.filter(subscription=subscription, status=Delivery.Status.DEAD)
        if delivery_ids is not None:
            dead = dead.filter(public_id__in=delivery_ids)
        pks = list(dead.values_list("pk", flat=True))
        Delivery.objects.filter(pk__in=pks).delete()  # and their attempts
    return len(pks)
