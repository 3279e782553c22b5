"""The webhooks API: a partner's system subscribes its own endpoints and watches deliveries.

Every operation acts for the token's client, on its own organisation's subscriptions
(scope `webhooks:manage`); another organisation's subscription is a 404 like a missing
one. Bad endpoints (not HTTPS, a private address, a name that does not resolve) and
unknown event types are 422 problems naming the field.
"""

from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from agora.notifications import selectors, services
from agora.notifications.models import Delivery, EventType, Subscription
from agora.notifications.permissions import SCOPE
from agora.notifications.schemas import (
    AttemptOut,
    DeliveryOut,
    DismissOut,
    EventTypeOut,
    ReplayIn,
    ReplayOut,
    SecretOut,
    SubscriptionCreatedOut,
    SubscriptionIn,
    SubscriptionOut,
)
from agora.organizations.auth import client_auth

router = Router(tags=["webhooks"])



def _get(request: HttpRequest, subscription_id: UUID) -> Subscription:
    """Return the client's organisation's subscription, with its delivery counts."""
    client = request.auth.client
    return selectors.subscription_get(viewer=client, organization=client.organization,
                                      public_id=subscription_id)


def _out(subscription: Subscription) -> dict[str, Any]:
    return {
        "id": subscription.public_id, "url": subscription.url,
        "event_types": subscription.event_types, "description": subscription.description,
        "status": subscription.status, "paused_reason": subscription.paused_reason,
        "failing_since": subscription.failing_since, "created_at": subscription.created_at,
        "waiting": subscription.waiting, "dead": subscription.dead,
    }


def _delivery_out(delivery: Delivery) -> DeliveryOut:
    return DeliveryOut(
        id=delivery.public_id, event_id=delivery.event_id, event_type=delivery.event.type,
        status=delivery.status,
        attempts=[AttemptOut(number=a.number, started_at=a.started_at,
                             status_code=a.status_code, latency_ms=a.latency_ms, error=a.error)
                  for a in delivery.history.all()],
        next_attempt_at=delivery.next_attempt_at if delivery.status == "pending" else None,
        delivered_at=delivery.delivered_at, last_error=delivery.last_error,
    )


@router.get("/webhooks/event-types", response=list[EventTypeOut], **client_auth(SCOPE),
            summary="List the event types")
def event_types(request: HttpRequest) -> list[EventTypeOut]:
    """Return every event type a subscription can choose."""
    return [EventTypeOut(type=value, description=label) for value, label in EventType.choices]


@router.get("/webhooks/subscriptions", response=list[SubscriptionOut], **client_auth(SCOPE),
            summary="List your webhooks")
def subscription_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Return your organisation's webhook subscriptions, oldest first."""
    client = request.auth.client
    return [_out(s) for s in selectors.subscriptions_for(viewer=client,
                                                         organization=client.organization)]


@router.post("/webhooks/subscriptions", response={201: SubscriptionCreatedOut},
             **client_auth(SCOPE, 422), summary="Subscribe an endpoint")
def subscription_create(request: HttpRequest, payload: SubscriptionIn):
    """Subscribe an HTTPS endpoint to event types; the answer holds its secret, once.

    Each event is posted as a CloudEvents 1.0 structured JSON document, signed by the
    Standard Webhooks scheme with the secret (`webhook-id` is the event id).
    """
    client = request.auth.client
    subscription, secret = services.subscription_create(
        actor=client, organization=client.organization, url=payload.url,
        event_types=payload.event_types, description=payload.description)
    return Status(201, {**_out(_get(request, subscription.public_id)), "secret": secret})


@router.get("/webhooks/subscriptions/{subscription_id}", response=SubscriptionOut,
            **client_auth(SCOPE, 404), summary="Read a webhook")
def subscription_read(request: HttpRequest, subscription_id: UUID) -> dict[str, Any]:
    return _out(_get(request, subscription_id))


@router.post("/webhooks/subscriptions/{subscription_id}/rotate-secret", response=SecretOut,
             **client_auth(SCOPE, 404), summary="Make a new secret")
def subscription_rotate(request: HttpRequest, subscription_id: UUID) -> SecretOut:
    """Make a new secret; until `previous_secret_expires_at` the old one signs too."""
    subscription = _get(request, subscription_id)
    secret = services.subscription_secret_rotate(actor=request.auth.client,
                                                 subscription=subscription)
    subscription.refresh_from_db()
    return SecretOut(secret=secret,
                     previous_secret_expires_at=subscription.previous_secret_expires_at)


@router.post("/webhooks/subscriptions/{subscription_id}/pause", response=SubscriptionOut,
             **client_auth(SCOPE, 404), summary="Pause a webhook")
def subscription_pause(request: HttpRequest, subscription_id: UUID) -> dict[str, Any]:
    """Stop sending to the endpoint; events are kept until it is resumed."""
    services.subscription_pause(actor=request.auth.client,
                                subscription=_get(request, subscription_id))
    return _out(_get(request, subscription_id))


@router.post("/webhooks/subscriptions/{subscription_id}/resume", response=SubscriptionOut,
             **client_auth(SCOPE, 404), summary="Resume a webhook")
def subscription_resume(request: HttpRequest, subscription_id: UUID) -> dict[str, Any]:
    """Send to the endpoint again, starting with the events that waited."""
    services.subscription_resume(actor=request.auth.client,
                                 subscription=_get(request, subscription_id))
    return _out(_get(request, subscription_id))


@router.get("/webhooks/subscriptions/{subscription_id}/deliveries",
            response=list[DeliveryOut], **client_auth(SCOPE, 404), summary="List recent deliveries")
def delivery_list(request: HttpRequest, subscription_id: UUID,
                  status: Literal["", "pending", "delivered", "dead"] = "") -> list[DeliveryOut]:
    """Return the newest 50 deliveries (of one status), each with every attempt."""
    subscription = _get(request, subscription_id)
    return [_delivery_out(d) for d in selectors.deliveries_for(subscription=subscription,
                                                               status=status)]


@router.post("/webhooks/subscriptions/{subscription_id}/replay", response=ReplayOut,
             **client_auth(SCOPE, 404, 422), summary="Send given-up deliveries again")
def delivery_replay(request: HttpRequest, subscription_id: UUID,
                    payload: ReplayIn) -> ReplayOut:
    """Send again the given-up (`dead`) deliveries named, or all of them."""
    subscription = _get(request, subscription_id)
    ids = [str(i) for i in payload.deliveries] if payload.deliveries is not None else None
    count = services.deliveries_replay(actor=request.auth.client, subscription=subscription,
                                       delivery_ids=ids)
    return ReplayOut(replayed=count)


@router.post("/webhooks/subscriptions/{subscription_id}/dismiss", response=DismissOut,
             **client_auth(SCOPE, 404, 422), summary="Dismiss given-up deliveries")
def delivery_dismiss(request: HttpRequest, subscription_id: UUID,
                     payload: ReplayIn) -> DismissOut:
    """Delete the given-up (`dead`) deliveries named, or all of them: they will not be sent."""
    subscription = _get(request, subscription_id)
    ids = [str(i) for i in payload.deliveries] if payload.deliveries is not None else None
    count = services.deliveries_dismiss(actor=request.auth.client, subscription=subscription,
                                        delivery_ids=ids)
    return DismissOut(dismissed=count)
