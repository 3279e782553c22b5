"""Builders for the notifications tests: an announced event, a subscription to a receiver."""

import uuid

from django.db import transaction

from agora.core.actors import SYSTEM
from agora.core.events import announce
from agora.notifications.models import Event
from agora.notifications.services import subscription_create


def event_announce(organization, type: str = "request.status_changed", **data) -> Event:
    """Announce an event for the organisation, as a service would, and return it."""
    subject = str(uuid.uuid4())
    with transaction.atomic():
        announce(type, organizations=[organization], source="/requests", subject=subject,
                 data={"request": subject, **data})
    return Event.objects.get(subject=subject)


def subscribe(organization, url: str, types=("request.status_changed",)):
    """Subscribe `url` for the organisation; return (subscription, secret)."""
    return subscription_create(actor=SYSTEM, organization=organization, url=url,
                               event_types=list(types))
