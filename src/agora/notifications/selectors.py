"""Reads of webhook subscriptions and their delivery history, for the organisation's admins.

With no viewer, or one who does not manage the organisation, they return nothing; a
subscription of another organisation is `NotFound`, like one that does not exist.
"""

from django.db.models import Count, Prefetch, Q, QuerySet

from agora.core.exceptions import NotFound
from agora.notifications.models import Attempt, Delivery, Subscription
from agora.notifications.permissions import may_manage_webhooks
from agora.organizations.models import Organization

HISTORY_LIMIT = 50


def subscriptions_for(*, viewer, organization: Organization) -> QuerySet[Subscription]:
    """Return the organisation's subscriptions with counts of waiting and dead deliveries."""
    if not may_manage_webhooks(viewer, organization):
        return Subscription.objects.none()
    return Subscription.objects.filter(organization=organization).annotate(
        waiting=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.PENDING)),
        dead=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.DEAD)),
    ).order_by("created_at")


def subscription_get(*, viewer, organization: Organization, public_id) -> Subscription:
    """Return one subscription of the organisation, or raise NotFound."""
    subscription = subscriptions_for(viewer=viewer, organization=organization).filter(
        public_id=public_id).select_related("organization").first()
    if subscription is None:
        raise NotFound("No such webhook.")
    return subscription


def deliveries_for(*, subscription: Subscription, status: str = "",
                   limit: int = HISTORY_LIMIT) -> list[Delivery]:
    """Return the newest deliveries of a subscription (of one status), with their attempts."""
    deliveries = Delivery.objects.filter(subscription=subscription).select_related("event")
    if status:
        deliveries = deliveries.filter(status=status)
    return list(deliveries.order_by("-created_at", "-id").prefetch_related(
        Prefetch("history", queryset=Attempt.objects.order_by("number")))[:limit])
