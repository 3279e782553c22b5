"""Subscriptions: made by the organisation's admins, with a secret shown once and rotatable."""

import pytest
from standardwebhooks import Webhook

from agora.core.actors import SYSTEM
from agora.core.exceptions import InvalidInput, PermissionDenied
from agora.notifications.exceptions import EndpointRefused, UnknownEventType
from agora.notifications.models import Delivery, Subscription
from agora.notifications.outbox import event_fan_out
from agora.notifications.services import (
    deliveries_replay,
    subscription_create,
    subscription_pause,
    subscription_resume,
    subscription_secret_rotate,
)
from agora.notifications.wire import message_for
from tests.factories import MembershipFactory, OrganizationFactory
from tests.notifications.helpers import event_announce, subscribe

pytestmark = pytest.mark.django_db

URL = "http://127.0.0.1:9/hook"


@pytest.fixture(autouse=True)
def _loopback(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True


def test_an_admin_subscribes_and_gets_a_secret_that_no_read_shows_again():
    council = OrganizationFactory()
    admin = MembershipFactory(organization=council, role="admin").user
    subscription, secret = subscription_create(
        actor=admin, organization=council, url=URL,
        event_types=["request.created", "consent.withdrawn", "request.created"])
    assert secret.startswith("whsec_") and len(secret) > 40
    assert subscription.event_types == ["request.created", "consent.withdrawn"]
    assert subscription.created_by == admin and subscription.status == "active"
    assert secret not in repr(subscription) and secret not in str(subscription)


def test_only_the_organisations_admins_may_subscribe():
    council = OrganizationFactory()
    caseworker = MembershipFactory(organization=council, role="caseworker").user
    other_admin = MembershipFactory(role="admin").user
    for actor in (caseworker, other_admin):
        with pytest.raises(PermissionDenied, match="administrator"):
            subscription_create(actor=actor, organization=council, url=URL,
                                event_types=["request.created"])
    assert not Subscription.objects.exists()


def test_bad_input_is_refused_with_a_clear_reason(settings):
    council = OrganizationFactory()
    with pytest.raises(UnknownEventType, match=r"teleported; choose from request\.created"):
        subscribe(council, URL, types=["request.teleported"])
    with pytest.raises(InvalidInput, match="at least one"):
        subscribe(council, URL, types=[])
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    with pytest.raises(EndpointRefused, match="must use HTTPS"):
        subscribe(council, URL)
    with pytest.raises(EndpointRefused, match="private"):
        subscribe(council, "https://192.168.1.20/hook")
    assert not Subscription.objects.exists()


def test_after_a_rotation_both_secrets_sign_until_the_overlap_ends(settings):
    council = OrganizationFactory()
    subscription, old = subscribe(council, URL)
    new = subscription_secret_rotate(actor=SYSTEM, subscription=subscription)
    subscription.refresh_from_db()
    event = event_announce(council)
    body, headers = message_for(event, subscription, subscription.updated_at)
    assert headers["webhook-id"] == str(event.id)
    for secret in (old, new):
        Webhook(secret).verify(body.decode(), headers)  # raises if it does not verify
    later = subscription.previous_secret_expires_at
    body, headers = message_for(event, subscription, later)
    assert len(headers["webhook-signature"].split()) == 1
    assert new != old


def test_a_paused_subscription_keeps_its_deliveries_and_resume_releases_them():
    council = OrganizationFactory()
    admin = MembershipFactory(organization=council, role="admin").user
    subscription, _ = subscribe(council, URL)
    subscription_pause(actor=admin, subscription=subscription, reason="Maintenance")
    event_fan_out(event_announce(council).pk)
    (waiting,) = Delivery.objects.all()
    assert waiting.status == "pending"
    assert subscription_resume(actor=admin, subscription=subscription) == 1
    subscription.refresh_from_db()
    assert subscription.status == "active" and subscription.paused_reason == ""


def test_replay_sends_dead_letters_again_one_or_all():
    council = OrganizationFactory()
    admin = MembershipFactory(organization=council, role="admin").user
    subscription, _ = subscribe(council, URL)
    for _ in range(3):
        event_fan_out(event_announce(council).pk)
    Delivery.objects.update(status="dead", last_error="The endpoint answered 500")
    first = Delivery.objects.first()
    assert deliveries_replay(actor=admin, subscription=subscription,
                             delivery_ids=[str(first.public_id)]) == 1
    assert deliveries_replay(actor=admin, subscription=subscription) == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {"pending"}
    assert deliveries_replay(actor=admin, subscription=subscription) == 0
