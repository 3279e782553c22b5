"""Mail that the notifications app sends: a paused endpoint to its organisation's admins."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from agora.notifications.models import Subscription
from agora.organizations.models import Membership

logger = logging.getLogger(__name__)


def subscription_paused_mail(subscription_id: int) -> int:
    """Email the organisation's admins that a failing endpoint was paused; return how many."""
    subscription = Subscription.objects.select_related("organization").get(pk=subscription_id)
    admins = list(Membership.objects.filter(
        organization=subscription.organization, role=Membership.Role.ADMIN,
        user__is_active=True).values_list("user__email", flat=True))
    if not admins:
        logger.warning("Webhook %s was paused; its organisation has no admin to tell.",
                       subscription.public_id)
        return 0
    last = subscription.deliveries.exclude(last_error="").order_by("-next_attempt_at").first()
    text = render_to_string("notifications/email/subscription_paused.txt", {
        "subscription": subscription, "service_name": settings.SERVICE_NAME,
        "base_url": settings.BASE_URL, "last_error": last.last_error if last else "",
    })
    send_mail(f"[{settings.SERVICE_NAME}] Webhook paused: {subscription.url[:80]}", text,
              None, admins)
    return len(admins)
