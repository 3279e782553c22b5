"""The daily statistics refresh on the worker: one chain, at 02:00 UTC, superseded runs idle."""

from datetime import UTC, datetime, timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from agora.opendata.models import StatisticsSchedule
from agora.opendata.tasks import next_run, statistics_daily, statistics_daily_start
from tests.api.helpers import make_organization
from tests.cases.helpers import service_make
from tests.opendata.test_statistics import requests

pytestmark = pytest.mark.django_db


def pending() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=statistics_daily.module_path,
                                            status="READY"))


def test_the_next_run_is_the_next_two_in_the_morning():
    assert next_run(datetime(2026, 3, 15, 1, 0, tzinfo=UTC)) == datetime(2026, 3, 15, 2,
                                                                         tzinfo=UTC)
    assert next_run(datetime(2026, 3, 15, 2, 0, tzinfo=UTC)) == datetime(2026, 3, 16, 2,
                                                                         tzinfo=UTC)


def test_one_chain_and_a_run_publishes_and_schedules_tomorrow():
    assert statistics_daily_start()
    assert not statistics_daily_start()
    (run,) = pending()
    token = run.args_kwargs["args"][0]
    council = make_organization("riverton-council")
    requests(service_make(council), 10, month=1, status="closed", days=3)
    assert statistics_daily.call(token) == 1
    assert statistics_daily.call(token) is None  # superseded by tomorrow's
    schedule = StatisticsSchedule.objects.get()
    assert schedule.token != token and schedule.next_run_at.hour == 2
    later = [task for task in pending() if task.args_kwargs["args"] == [schedule.token]]
    assert len(later) == 1 and later[0].run_after > run.run_after - timedelta(seconds=1)
