"""Webhooks in the console: an organisation's admins subscribe endpoints and watch deliveries.

The list shows each endpoint with its waiting and given-up deliveries; a new endpoint
(or a rotated secret) shows its secret on the answer page only, never again. The detail
page shows the delivery history (status code, time taken, try) and the dead letters with
their last error, which can be replayed one by one or all together. Admins only (and
operators); to anyone else the pages do not exist.
"""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from agora.console.forms import add_agora_error
from agora.console.forms_webhooks import ReplayForm, SubscriptionForm
from agora.console.views import GET_POST, _organization_or_404, _posted
from agora.core import exceptions as errors
from agora.notifications.models import Delivery, Subscription
from agora.notifications.selectors import deliveries_for, subscription_get, subscriptions_for
from agora.notifications.services import (
    deliveries_dismiss,
    deliveries_replay,
    subscription_create,
    subscription_pause,
    subscription_resume,
    subscription_secret_rotate,
)
from agora.organizations.models import Organization
from agora.organizations.selectors import user_can_manage_members


def _manageable(request: HttpRequest, slug: str) -> Organization:
    organization = _organization_or_404(request, slug)
    if not user_can_manage_members(request.user, organization):
        raise Http404("No such page.")
    return organization


def _subscription(request: HttpRequest, organization: Organization, public_id: UUID):
    try:
        return subscription_get(viewer=request.user, organization=organization,
                                public_id=public_id)
    except errors.NotFound:
        raise Http404("No such webhook.") from None


@login_required
@require_safe
def webhook_index(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _manageable(request, slug)
    return render(request, "console/webhooks/index.html", {
        "organization": organization,
        "subscriptions": subscriptions_for(viewer=request.user, organization=organization),
    })


@login_required
@GET_POST
def webhook_new(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _manageable(request, slug)
    form = SubscriptionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            subscription, secret = subscription_create(
                actor=request.user, organization=organization, **form.cleaned_data)
        except errors.AgoraError as error:
            add_agora_error(form, error)
        else:
            return _secret_page(request, subscription, secret, created=True)
    return render(request, "console/webhooks/new.html",
                  {"organization": organization, "form": form})


def _secret_page(request: HttpRequest, subscription: Subscription, secret: str, *,
                 created: bool) -> HttpResponse:
    response = render(request, "console/webhooks/secret.html", {
        "organization": subscription.organization, "subscription": subscription,
        "secret": secret, "created": created,
    })
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def webhook_detail(request: HttpRequest, slug: str, public_id: UUID) -> HttpResponse:
    organization = _manageable(request, slug)
    subscription = _subscription(request, organization, public_id)
    return render(request, "console/webhooks/detail.html", {
        "organization": organization, "subscription": subscription,
        "dead": deliveries_for(subscription=subscription, status=Delivery.Status.DEAD),
        "history": deliveries_for(subscription=subscription),
    })


@login_required
@require_POST
def webhook_action(request: HttpRequest, slug: str, public_id: UUID,
                   action: str) -> HttpResponse:
    organization = _manageable(request, slug)
    subscription = _subscription(request, organization, public_id)
    actor = request.user
    if action == "rotate":
        secret = subscription_secret_rotate(actor=actor, subscription=subscription)
        return _secret_page(request, subscription, secret, created=False)
    if action == "pause":
        subscription_pause(actor=actor, subscription=subscription)
        messages.success(request, "The webhook is paused. Events are kept until you resume it.")
    elif action == "resume":
        waiting = subscription_resume(actor=actor, subscription=subscription)
        messages.success(request, f"The webhook is active again; {waiting} waiting events "
                                  "are being sent.")
    elif action == "replay":
        form = ReplayForm(request.POST)
        one = form.cleaned_data["delivery"] if form.is_valid() else None
        count = deliveries_replay(actor=actor, subscription=subscription,
                                  delivery_ids=[str(one)] if one else None)
        messages.success(request, f"{count} given-up events are being sent again.")
    elif action == "dismiss":
        form = ReplayForm(request.POST)
        one = form.cleaned_data["delivery"] if form.is_valid() else None
        count = deliveries_dismiss(actor=actor, subscription=subscription,
                                   delivery_ids=[str(one)] if one else None)
        messages.success(request, f"{count} given-up events were dismissed: they will not be "
                                  "sent.")
    else:
        raise Http404("No such action.")
    return redirect("console:webhook", slug=organization.slug, public_id=subscription.public_id)
