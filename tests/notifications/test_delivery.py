"""Delivering to a real receiver: signed CloudEvents, history, retries, dead letters, pausing."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from agora.notifications.delivery import SENDERS, backoff, deliveries_send, delivery_send
from agora.notifications.models import Delivery
from agora.notifications.outbox import event_fan_out
from tests.factories import MembershipFactory, OrganizationFactory
from tests.notifications.helpers import event_announce, subscribe
from tests.notifications.receiver import Receiver, free_port

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    settings.WEBHOOK_CONNECT_TIMEOUT = 1.0
    settings.WEBHOOK_READ_TIMEOUT = 2.0
    settings.WEBHOOK_RETRY_BASE = 30.0
    settings.WEBHOOK_RETRY_CAP = 4 * 3600.0
    settings.WEBHOOK_RETRY_WINDOW = 26 * 3600.0


@pytest.fixture
def council():
    return OrganizationFactory(slug="riverton-council")


@pytest.fixture
def receiver():
    receivers = []

    def make(secret, **options) -> Receiver:
        receivers.append(Receiver(secret, **options).start())
        return receivers[-1]

    yield make
    for r in receivers:
        r.stop()


def fanned_out(council, **data) -> Delivery:
    event = event_announce(council, **data)
    event_fan_out(event.pk)
    return Delivery.objects.get(event=event)


def test_a_delivery_is_a_signed_cloudevent_and_its_attempt_is_kept(council, receiver):
    subscription, secret = subscribe(council, "http://127.0.0.1:9/placeholder")
    endpoint = receiver(secret)
    subscription.url = endpoint.url
    subscription.save()
    delivery = fanned_out(council, status_to="in-progress")
    assert delivery_send(str(delivery.public_id)) == "delivered"
    (event,) = endpoint.events
    assert (event.get_id(), event.get_type(), event.get_specversion()) == (
        str(delivery.event_id), "request.status_changed", "1.0")
    assert event.get_subject() == delivery.event.subject
    assert event.get_data()["status_to"] == "in-progress"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 204)
    assert delivery.first_attempt_at <= delivery.delivered_at
    (attempt,) = delivery.history.all()
    assert (attempt.number, attempt.status_code, attempt.error) == (1, 204, "")
    assert delivery_send(str(delivery.public_id)) == "skipped"  # never sent twice
    assert endpoint.requests == 1


@pytest.mark.parametrize("keep_alive", [True, False], ids=["http/1.1", "http/1.0"])
def test_a_batch_to_one_endpoint_shares_its_connections(council, receiver, keep_alive):
    subscription, secret = subscribe(council, "http://127.0.0.1:9/placeholder")
    endpoint = receiver(secret, keep_alive=keep_alive, fail_share=0.3)
    subscription.url = endpoint.url
    subscription.save()
    ids = [str(fanned_out(council).public_id) for _ in range(40)]
    results = deliveries_send(ids)
    assert endpoint.requests == 40 and endpoint.unique == {
        str(d.event_id) for d in Delivery.objects.filter(status="delivered")}
    assert results.count("delivered") == len(endpoint.unique) and \
        results.count("retry") == endpoint.answered_500 > 0
    if keep_alive:  # a connection per sending thread at most, each used again
        assert endpoint.connections <= SENDERS
    else:  # the server closes each one: a new one per post, and nothing fails for it
        assert endpoint.connections == 40


def test_events_of_other_types_or_organisations_are_not_delivered(council):
    subscribe(council, "http://127.0.0.1:9/hook", types=["consent.withdrawn"])
    event_fan_out(event_announce(council).pk)  # a status change: not subscribed
    event_fan_out(event_announce(OrganizationFactory(), type="consent.withdrawn").pk)
    assert not Delivery.objects.exists()


def test_a_failure_is_retried_later_with_the_error_kept(council):
    subscribe(council, f"http://127.0.0.1:{free_port()}/hook")  # nobody listens
    delivery = fanned_out(council)
    now = timezone.now()
    assert delivery_send(str(delivery.public_id), now=now) == "retry"
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.attempts == 1
    assert "refused" in delivery.last_error.lower() and delivery.last_status_code is None
    wait = delivery.next_attempt_at - now
    assert timedelta(seconds=15) <= wait <= timedelta(seconds=31)
    assert delivery_send(str(delivery.public_id), now=now) == "skipped"  # not due yet


def test_the_backoff_doubles_with_jitter_up_to_its_cap():
    rng = random.Random(3)
    waits = [backoff(n, rng=rng).total_seconds() for n in range(1, 15)]
    assert 15 <= waits[0] <= 30 and 30 <= waits[1] <= 60 and 60 <= waits[2] <= 120
    assert all(2 * 3600 <= w <= 4 * 3600 for w in waits[10:])
    assert len(set(waits)) == len(waits)  # jittered: no two the same


def test_a_delivery_failing_for_the_whole_window_is_dead_lettered_and_the_endpoint_paused(
        council, smtp_server, django_capture_on_commit_callbacks):
    admin = MembershipFactory(organization=council, role="admin").user
    subscription, _ = subscribe(council, f"http://127.0.0.1:{free_port()}/hook")
    delivery = fanned_out(council)
    clock, started, results = timezone.now(), timezone.now(), []
    while not results or results[-1] == "retry":
        with django_capture_on_commit_callbacks(execute=True):  # the mail goes after commit
            results.append(delivery_send(str(delivery.public_id), now=clock))
        delivery.refresh_from_db()
        clock = delivery.next_attempt_at
    assert results[-1] == "dead"
    assert delivery.history.last().started_at - started >= timedelta(hours=24)
    assert 8 <= delivery.attempts <= 25
    assert "refused" in delivery.last_error.lower()
    subscription.refresh_from_db()
    assert subscription.status == "paused" and "whole retry window" in subscription.paused_reason
    mail = smtp_server.wait_for_message(to=admin.email)
    assert subscription.url in mail.body and "Webhook paused" in mail.subject
    assert subscription.secret not in mail.body


def test_an_endpoint_that_sometimes_succeeds_is_not_paused_when_one_delivery_dies(council):
    subscription, _ = subscribe(council, f"http://127.0.0.1:{free_port()}/hook")
    delivery = fanned_out(council)
    clock = timezone.now()
    for _ in range(40):
        if delivery_send(str(delivery.public_id), now=clock) != "retry":
            break
        delivery.refresh_from_db()
        clock = delivery.next_attempt_at
        if clock - delivery.first_attempt_at > timedelta(hours=20):
            # another delivery to the same endpoint succeeded meanwhile
            type(subscription).objects.filter(pk=subscription.pk).update(failing_since=None)
    delivery.refresh_from_db()
    subscription.refresh_from_db()
    assert delivery.status == "dead" and subscription.status == "active"


def test_a_fan_out_batch_costs_the_same_statements_however_many_events(council, receiver):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from agora.notifications.tasks import event_dispatch

    subscription, secret = subscribe(council, "http://127.0.0.1:9/placeholder")
    endpoint = receiver(secret)
    subscription.url = endpoint.url
    subscription.save()
    statements = []
    for count in (3, 30):
        events = [event_announce(council) for _ in range(count)]
        with CaptureQueriesContext(connection) as queries:
            assert event_dispatch.call("") == count
        statements.append(len(queries))
        assert endpoint.unique >= {str(e.pk) for e in events}
    assert statements[0] == statements[1], statements
    assert Delivery.objects.filter(status="delivered", lease_until=None).count() == 33
