"""Errors of webhook subscriptions, on the one hierarchy (problem+json codes)."""

from agora.core.exceptions import InvalidInput


class EndpointRefused(InvalidInput):
    """The URL cannot receive webhooks (not HTTPS, a private address, not found)."""

    code = "webhook-endpoint-refused"
    title = "This address cannot receive webhooks"


class UnknownEventType(InvalidInput):
    code = "unknown-event-type"
    title = "Unknown event type"
