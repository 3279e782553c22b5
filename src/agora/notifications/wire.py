"""What goes on the wire: a CloudEvents 1.0 structured JSON event, Standard Webhooks signed.

The CloudEvent id is the outbox event's id, and so is `webhook-id`: a receiver that has
seen the id has seen the event (the idempotency key). During a secret rotation the
message carries two signatures, one per secret, as the Standard Webhooks scheme allows.
"""

from datetime import datetime

from cloudevents.core.bindings.http import to_structured_event
from cloudevents.core.v1.event import CloudEvent
from standardwebhooks import Webhook

from agora.notifications.models import Event, Subscription


def cloudevent_of(event: Event) -> CloudEvent:
    """Return the CloudEvent of an outbox event."""
    return CloudEvent(attributes={
        "id": str(event.id), "source": event.source, "type": event.type,
        "subject": event.subject, "time": event.occurred_at,
        "datacontenttype": "application/json",
    }, data=event.data)


def secrets_signing(subscription: Subscription, now: datetime) -> list[str]:
    """Return the secrets that sign now: the current one, and the old one in its overlap."""
    secrets = [subscription.secret]
    expires = subscription.previous_secret_expires_at
    if subscription.previous_secret and expires is not None and expires > now:
        secrets.append(subscription.previous_secret)
    return secrets


def message_for(event: Event, subscription: Subscription, now: datetime) -> tuple[bytes,
                                                                                  dict[str, str]]:
    """Return the body and headers of the signed message of `event` for `subscription`."""
    message = to_structured_event(cloudevent_of(event))
    body, msg_id = message.body, str(event.id)
    signatures = [Webhook(secret).sign(msg_id, now, body.decode())
                  for secret in secrets_signing(subscription, now)]
    headers = {
        **message.headers,
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": " ".join(signatures),
    }
    return body, headers
