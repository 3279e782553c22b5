"""Old delivered events are pruned; dead letters stay until replayed or dismissed."""

from datetime import timedelta

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from agora.cli import app
from agora.core.exceptions import PermissionDenied
from agora.notifications.models import Attempt, Delivery, Event, ResidentEmail
from agora.notifications.outbox import event_fan_out
from agora.notifications.retention import outbox_prune
from agora.notifications.services import deliveries_dismiss, deliveries_replay
from tests.factories import MembershipFactory, OrganizationFactory, PersonFactory, UserFactory
from tests.notifications.helpers import event_announce, subscribe

pytestmark = pytest.mark.django_db

URL = "http://127.0.0.1:9/hook"


def delivered(delivery: Delivery, *, days_ago: float) -> None:
    when = timezone.now() - timedelta(days=days_ago)
    Delivery.objects.filter(pk=delivery.pk).update(status="delivered", delivered_at=when,
                                                   attempts=1)
    Event.objects.filter(pk=delivery.event_id).update(occurred_at=when)
    Attempt.objects.create(delivery=delivery, number=1, started_at=when, status_code=204,
                           latency_ms=3)


def world(settings, count: int = 3):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    council = OrganizationFactory()
    subscription, _ = subscribe(council, URL)
    for _ in range(count):
        event_fan_out(event_announce(council).pk)
    return council, subscription, list(Delivery.objects.order_by("id"))


def test_delivered_events_older_than_the_keep_period_go_with_their_history(settings):
    settings.OUTBOX_KEEP_DAYS = 30
    _, _, (old, recent, waiting) = world(settings)
    delivered(old, days_ago=31)
    delivered(recent, days_ago=29)
    Event.objects.filter(pk=waiting.event_id).update(
        occurred_at=timezone.now() - timedelta(days=40))  # still being retried
    pruned = outbox_prune()
    assert (pruned.deliveries, pruned.events) == (1, 1)
    assert set(Delivery.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert set(Event.objects.values_list("pk", flat=True)) == {recent.event_id,
                                                               waiting.event_id}
    assert list(Attempt.objects.values_list("delivery_id", flat=True)) == [recent.pk]
    assert outbox_prune() == type(pruned)(0, 0)  # nothing more to do


def test_dead_letters_stay_until_replayed_or_dismissed(settings):
    settings.OUTBOX_KEEP_DAYS = 1
    council, subscription, (one, two, three) = world(settings)
    long_ago = timezone.now() - timedelta(days=60)
    Delivery.objects.update(status="dead", last_error="The endpoint answered 500")
    Event.objects.update(occurred_at=long_ago)
    assert outbox_prune() == type(outbox_prune())(0, 0)
    assert Delivery.objects.filter(status="dead").count() == 3
    admin = MembershipFactory(organization=council, role="admin").user
    with pytest.raises(PermissionDenied):
        deliveries_dismiss(actor=UserFactory(), subscription=subscription)
    assert deliveries_dismiss(actor=admin, subscription=subscription,
                              delivery_ids=[str(one.public_id)]) == 1
    assert deliveries_replay(actor=admin, subscription=subscription,
                             delivery_ids=[str(two.public_id)]) == 1
    delivered(two, days_ago=2)  # the replay got through, long enough ago
    pruned = outbox_prune()
    assert (pruned.deliveries, pruned.events) == (1, 2)  # one's event had nothing left
    assert list(Delivery.objects.values_list("pk", "status")) == [(three.pk, "dead")]
    assert list(Event.objects.values_list("pk", flat=True)) == [three.event_id]


def test_an_event_waits_for_its_residents_email(settings):
    settings.OUTBOX_KEEP_DAYS = 1
    council = OrganizationFactory()
    person = PersonFactory(user=UserFactory())
    event = event_announce(council)
    Event.objects.filter(pk=event.pk).update(person=person)
    event_fan_out(event.pk)
    email = ResidentEmail.objects.get()
    Event.objects.update(occurred_at=timezone.now() - timedelta(days=5))
    assert outbox_prune().events == 0  # not sent yet
    ResidentEmail.objects.update(status="sent", sent_at=timezone.now() - timedelta(days=2))
    assert outbox_prune().events == 1
    assert not ResidentEmail.objects.filter(pk=email.pk).exists()


def test_the_sweep_prunes_a_bounded_batch_and_the_command_the_rest(settings, monkeypatch):
    settings.OUTBOX_KEEP_DAYS = 30
    monkeypatch.setattr("agora.notifications.retention.CHUNK", 2)
    _, _, deliveries = world(settings, count=5)
    for delivery in deliveries:
        delivered(delivery, days_ago=45)
    pruned = outbox_prune(limit=3)
    assert (pruned.deliveries, pruned.events) == (3, 3)
    assert Delivery.objects.count() == 2
    result = CliRunner().invoke(app, ["notifications", "prune"])
    assert result.exit_code == 0, result.output
    assert "Deleted 2 deliveries and 2 events delivered more than 30 days ago." in result.output
    assert not Event.objects.exists()


def test_the_recovery_sweep_prunes(settings):
    from agora.notifications.models import RecoverySchedule
    from agora.notifications.recovery import recovery_start, recovery_tick

    settings.OUTBOX_KEEP_DAYS = 30
    _, _, (old,) = world(settings, count=1)
    delivered(old, days_ago=31)
    recovery_start()
    assert recovery_tick.call(RecoverySchedule.objects.get().token) == [0, 0]
    assert not Delivery.objects.exists() and not Event.objects.exists()
