"""Webhook pages: an admin subscribes, sees the secret once, watches deliveries and replays."""

import re

import pytest
from django.urls import reverse

from agora.notifications.models import Delivery, Subscription
from agora.notifications.outbox import event_fan_out
from agora.organizations.models import Membership
from tests.console.test_views import error_summary, sign_in, success_banner
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.notifications.helpers import event_announce, subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _loopback(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True


@pytest.fixture
def council():
    return OrganizationFactory(name="Riverton Council", slug="council")


def admin_of(organization):
    return MembershipFactory(organization=organization, role=Membership.Role.ADMIN).user


def test_an_admin_adds_a_webhook_and_sees_its_secret_once(client, council):
    sign_in(client, admin_of(council))
    response = client.post(reverse("console:webhook_new", args=[council.slug]), {
        "url": "http://127.0.0.1:8999/agora", "event_types": ["request.created"],
        "description": "Case system"})
    assert response.status_code == 200 and "Copy this secret now" in response.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    listing = client.get(reverse("console:webhooks", args=[council.slug])).content.decode()
    detail = client.get(reverse("console:webhook", args=[council.slug,
                                                         subscription.public_id])).content.decode()
    assert "http://127.0.0.1:8999/agora" in listing and "Case system" in listing
    assert subscription.secret not in listing + detail


@pytest.mark.parametrize(("url", "types", "message"), [
    ("http://partner.example/hook", ["request.created"], "must use HTTPS"),
    ("https://10.0.0.5/hook", ["request.created"], "private, loopback or link-local"),
    ("https://no-such-host.invalid/hook", ["request.created"], "could not be found"),
    ("https://partner.example/hook", ["request.teleported"], "Select a valid choice"),
    ("https://partner.example/hook", [], "Select events to send"),
])
def test_bad_input_is_shown_in_the_error_summary(client, council, settings, url, types,
                                                 message):
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    sign_in(client, admin_of(council))
    response = client.post(reverse("console:webhook_new", args=[council.slug]),
                           {"url": url, "event_types": types})
    assert response.status_code == 200
    assert message in error_summary(response)
    assert not Subscription.objects.exists()


def test_only_the_organisations_admins_see_the_pages(client, council):
    subscription, _ = subscribe(council, "http://127.0.0.1:8999/agora")
    sign_in(client, MembershipFactory(organization=council, role="caseworker").user)
    for url in (reverse("console:webhooks", args=[council.slug]),
                reverse("console:webhook", args=[council.slug, subscription.public_id])):
        assert client.get(url).status_code == 404
    other = OrganizationFactory()
    sign_in(client, admin_of(other))
    response = client.get(reverse("console:webhook", args=[other.slug, subscription.public_id]))
    assert response.status_code == 404


def test_the_admin_sees_the_last_error_and_replays_given_up_events(client, council):
    subscription, _ = subscribe(council, "http://127.0.0.1:8999/agora")
    for _ in range(2):
        event_fan_out(event_announce(council).pk)
    Delivery.objects.update(status="dead", last_error="The endpoint answered 503: busy")
    sign_in(client, admin_of(council))
    page = reverse("console:webhook", args=[council.slug, subscription.public_id])
    assert "The endpoint answered 503: busy" in client.get(page).content.decode()
    one = Delivery.objects.first()
    action = reverse("console:webhook_action", args=[council.slug, subscription.public_id,
                                                     "replay"])
    response = client.post(action, {"delivery": str(one.public_id)}, follow=True)
    assert "1 given-up events are being sent again" in success_banner(response)
    response = client.post(action, follow=True)
    assert "1 given-up events are being sent again" in success_banner(response)
    assert set(Delivery.objects.values_list("status", flat=True)) == {"pending"}


def test_the_admin_dismisses_given_up_events_one_or_all(client, council):
    subscription, _ = subscribe(council, "http://127.0.0.1:8999/agora")
    for _ in range(3):
        event_fan_out(event_announce(council).pk)
    Delivery.objects.update(status="dead", last_error="The endpoint answered 503: busy")
    sign_in(client, admin_of(council))
    one = Delivery.objects.first()
    action = reverse("console:webhook_action", args=[council.slug, subscription.public_id,
                                                     "dismiss"])
    response = client.post(action, {"delivery": str(one.public_id)}, follow=True)
    assert "1 given-up events were dismissed" in success_banner(response)
    assert str(one.event_id) not in response.content.decode()
    response = client.post(action, follow=True)
    assert "2 given-up events were dismissed" in success_banner(response)
    assert not Delivery.objects.exists()
    sign_in(client, UserFactory())
    assert client.post(action).status_code == 404


def test_rotating_shows_the_new_secret_and_pausing_and_resuming_work(client, council):
    subscription, old = subscribe(council, "http://127.0.0.1:8999/agora")
    sign_in(client, admin_of(council))

    def act(action):
        return client.post(reverse("console:webhook_action", args=[
            council.slug, subscription.public_id, action]), follow=True)

    rotated = act("rotate").content.decode()
    subscription.refresh_from_db()
    assert subscription.secret in rotated and old not in rotated
    assert re.search(r"signed with both the old and the new secret", rotated)
    assert "paused" in success_banner(act("pause"))
    subscription.refresh_from_db()
    assert subscription.status == "paused"
    assert "active again" in success_banner(act("resume"))
