"""Telling residents by email that their request changed, if they want to be told.

When a request's status changes, the handling organisation sends a message or asks for
a document, the resident it is about gets a short email in plain language: what kind of
thing happened, the request's reference, and a link to the request's page. Nothing else:
not the service, the organisation, the status or the message (an inbox is not always
private, and the page is behind the sign-in). Only residents with an account are told
(the link leads to their signed-in page). Each resident chooses by default and per
request (`email_preference_set`); without a choice, they are told.

The email is planned in the fan-out's transaction (one `ResidentEmail` per event) and
sent by its own task: leased, retried with the webhooks' backoff, given up after the
same window; `outbox_recover` queues overdue ones again. At least once, like webhooks.
"""

import smtplib
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from agora.core.exceptions import PermissionDenied
from agora.notifications.models import (
    EmailPreference,
    Event,
    EventType,
    RequestSeen,
    ResidentEmail,
)
from agora.people.models import Person

TOLD = {
    EventType.REQUEST_STATUS_CHANGED: "The status of your request has changed.",
    EventType.REQUEST_MESSAGE_ADDED: "You have a new message about your request.",
    EventType.REQUEST_DOCUMENT_REQUESTED: "We need a document from you for your request.",
    EventType.CHALLENGE_PHASE_CHANGED: "A challenge you follow has moved to its next phase.",
    EventType.CHALLENGE_PROPOSAL_ANSWERED: "A proposal to a challenge you follow was answered.",
    EventType.CHALLENGE_MILESTONE_CHANGED:
        "A result of a challenge you follow has reached a milestone.",
}
"""The events a resident is told about, and the one sentence that tells them."""

CHALLENGE_EVENTS = frozenset({EventType.CHALLENGE_PHASE_CHANGED,
                              EventType.CHALLENGE_PROPOSAL_ANSWERED,
                              EventType.CHALLENGE_MILESTONE_CHANGED})
"""Told to each follower of a challenge: one event per follower, its page in `data`."""


def email_wanted(person: Person, request_id: UUID | str | None) -> bool:
    """Return whether the person wants email about this request (their choice, or yes)."""
    choices = dict(EmailPreference.objects.filter(
        Q(request_id=request_id) | Q(request_id=None), person=person,
    ).values_list("request_id", "enabled"))
    for key in (UUID(str(request_id)) if request_id else None, None):
        if key in choices:
            return choices[key]
    return True


def email_preference_set(*, actor, person: Person, enabled: bool,
                         request_id: UUID | str | None = None) -> EmailPreference:
    """Record whether the person wants email about one request (or by default)."""
    if getattr(actor, "pk", None) is None or person.user_id != actor.pk:
        raise PermissionDenied("Only the person themselves may choose their emails.")
    with transaction.atomic():
        preference, _ = EmailPreference.objects.update_or_create(
            person=person, request_id=UUID(str(request_id)) if request_id else None,
            defaults={"enabled": enabled, "updated_at": timezone.now()},
        )
    return preference


def request_seen_mark(*, actor, person: Person, request_id: UUID | str,
                      now: datetime | None = None) -> None:
    """Note that the person opened the request's page now: what came before is not new."""
    if getattr(actor, "pk", None) is None or person.user_id != actor.pk:
        raise PermissionDenied("Only the person themselves marks their requests as seen.")
    with transaction.atomic():
        RequestSeen.objects.update_or_create(
            person=person, request_id=UUID(str(request_id)),
            defaults={"seen_at": now or timezone.now()})


def requests_seen(*, person: Person | None) -> dict[UUID, datetime]:
    """Return when the person last opened each of their requests' pages (by request id)."""
    if person is None:
        return {}
    return dict(RequestSeen.objects.filter(person=person).values_list("request_id", "seen_at"))


def _told(event: Event) -> bool:
    if event.type not in TOLD:
        return False
    return event.type != EventType.REQUEST_MESSAGE_ADDED or \
        event.data.get("author") == "organisation"


def resident_email_plan(event: Event, now: datetime) -> ResidentEmail | None:
    """Plan the email about this event, in the fan-out's transaction (None if none is due)."""
    person = event.person
    if person is None or person.user_id is None or not _told(event):
        return None
    if not email_wanted(person, event.data.get("request")):
        return None
    email, _ = ResidentEmail.objects.get_or_create(
        event=event, defaults={"person": person, "next_attempt_at": now, "created_at": now})
    return email


def _message(email: ResidentEmail) -> EmailMultiAlternatives:
    event, user = email.event, email.person.user
    if event.type in CHALLENGE_EVENTS:
        return _challenge_message(event, user)
    reference = event.data.get("reference", "")
    context = {
        "what": TOLD[event.type], "reference": reference, "service_name": settings.SERVICE_NAME,
        "url": settings.BASE_URL + reverse("portal:request", args=[reference]),
        "settings_url": settings.BASE_URL + reverse("portal:account"),
    }
    message = EmailMultiAlternatives(
        subject=f"[{settings.SERVICE_NAME}] News about your request {reference}",
        body=render_to_string("notifications/email/resident_update.txt", context),
        to=[user.email],
    )
    message.attach_alternative(
        render_to_string("notifications/email/resident_update.html", context), "text/html")
    return message


def _challenge_message(event: Event, user) -> EmailMultiAlternatives:
    """The email to a follower of a challenge: what happened and a link to its public page."""
    context = {
        "what": TOLD[event.type], "reference": event.data.get("title", ""),
        "service_name": settings.SERVICE_NAME,
        "url": settings.BASE_URL + event.data.get("page", "/"),
        "settings_url": settings.BASE_URL + reverse("portal:account"),
    }
    message = EmailMultiAlternatives(
        subject=f"[{settings.SERVICE_NAME}] News about a challenge you follow",
        body=render_to_string("notifications/email/challenge_update.txt", context),
        to=[user.email],
    )
    message.attach_alternative(
        render_to_string("notifications/email/challenge_update.html", context), "text/html")
    return message


def resident_email_send(public_id: str, *, now: datetime | None = None) -> str:
    """Send a planned email once; return sent, retry, failed or skipped."""
    from agora.notifications.delivery import backoff
    from agora.notifications.outbox import email_enqueue

    now = now or timezone.now()
    claimed = ResidentEmail.objects.filter(
        public_id=public_id, status=ResidentEmail.Status.PENDING, next_attempt_at__lte=now,
    ).filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now)).update(
        lease_until=now + timedelta(minutes=2))
    if not claimed:
        return "skipped"
    email = ResidentEmail.objects.select_related("event", "person__user").get(
        public_id=public_id)
    error = ""
    try:
        _message(email).send()
    except (smtplib.SMTPException, OSError) as failure:  # the mail server: retried
        error = f"{type(failure).__name__}: {failure}"[:500]
    email.attempts += 1
    email.lease_until = None
    email.last_error = error
    if not error:
        email.status, email.sent_at, result = ResidentEmail.Status.SENT, now, "sent"
    elif now - email.created_at >= timedelta(seconds=settings.WEBHOOK_RETRY_WINDOW):
        email.status, result = ResidentEmail.Status.FAILED, "failed"
    else:
        email.next_attempt_at = now + backoff(email.attempts)
        result = "retry"
    email.save()
    if result == "retry":
        email_enqueue(email.public_id, email.next_attempt_at)
    return result
