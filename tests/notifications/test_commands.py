"""`agora notifications recover` queues lost work again, and is safe to re-run."""

from datetime import timedelta

import pytest
from django_tasks_db.models import DBTaskResult
from typer.testing import CliRunner

from agora.cli import app
from agora.notifications.models import Event
from agora.notifications.tasks import event_dispatch
from tests.factories import OrganizationFactory
from tests.notifications.helpers import event_announce

pytestmark = pytest.mark.django_db


def test_recover_queues_an_event_whose_fan_out_was_lost():
    event = event_announce(OrganizationFactory())  # on_commit never ran: its task is lost
    Event.objects.filter(pk=event.pk).update(occurred_at=event.occurred_at - timedelta(minutes=5))
    fresh = event_announce(OrganizationFactory())  # too recent: its task may still be queued
    result = CliRunner().invoke(app, ["notifications", "recover"])
    assert result.exit_code == 0, result.output
    assert "Queued 1 events and 0 deliveries again." in result.output
    (queued,) = DBTaskResult.objects.filter(task_path=event_dispatch.module_path)
    assert queued.args_kwargs["args"] == [str(event.pk)] != [str(fresh.pk)]
