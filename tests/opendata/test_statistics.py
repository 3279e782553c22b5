"""Service statistics as open data: counts by service, status and month, resolution times,
small counts suppressed, refreshed without churn."""

import csv
import io
import itertools
from datetime import UTC, datetime, timedelta

import pytest

from agora.cases.models import Case
from agora.content.storage import source_open
from agora.core.actors import SYSTEM
from agora.opendata import selectors
from agora.opendata.models import Resource
from agora.opendata.statistics import COUNTS, TIMES, statistics_publish_all
from tests.api.helpers import make_organization
from tests.cases.helpers import service_make

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 15, tzinfo=UTC)
_numbers = itertools.count(1)


def requests(service, count: int, *, month: int, status: str, days: float | None):
    made = datetime(2026, month, 3, tzinfo=UTC)
    for n in range(count):
        Case.objects.create(
            reference=f"R-{next(_numbers)}", service=service,
            organization=service.provider, status=status, status_changed_at=made,
            created_at=made, updated_at=made, is_open=days is None,
            closed_at=made + timedelta(days=days + n % 3) if days is not None else None)


def rows(name: str) -> list[dict]:
    data = Resource.objects.get(name=name)
    return list(csv.DictReader(io.StringIO(source_open(data.file_name).decode())))


def test_counts_below_ten_are_suppressed_and_resolution_needs_ten(client):
    council = make_organization("riverton-council")
    tax = service_make(council, name="Council tax reduction")
    requests(tax, 12, month=1, status="closed", days=4)
    requests(tax, 3, month=1, status="rejected", days=1)
    requests(tax, 9, month=2, status="closed", days=2)
    requests(tax, 11, month=3, status="received", days=None)  # this month: not yet

    assert statistics_publish_all(actor=SYSTEM, now=NOW) == [("requests-riverton-council", True)]

    counts = rows(COUNTS)
    assert [(r["month"], r["status"], r["requests"], r["suppressed"]) for r in counts] == [
        ("2026-01", "closed", "12", "no"), ("2026-01", "rejected", "", "yes"),
        ("2026-02", "closed", "", "yes")]
    times = rows(TIMES)
    assert len(times) == 1 and times[0]["month"] == "2026-01"  # January's 15 closed; Feb's 9 not
    assert times[0]["median days"] == "5.0" and "requests" not in times[0]
    package = client.get("/api/3/action/package_show", {"id": "requests-riverton-council"})
    assert [r["name"] for r in package.json()["result"]["resources"]] == [COUNTS, TIMES]
    assert statistics_publish_all(actor=SYSTEM, now=NOW) == [
        ("requests-riverton-council", False)]
    requests(tax, 1, month=2, status="closed", days=2)
    assert statistics_publish_all(actor=SYSTEM, now=NOW) == [("requests-riverton-council", True)]
    assert rows(COUNTS)[2]["requests"] == "10"
    assert Resource.objects.count() == 2
    assert "requests-riverton-council" in selectors.dataset_names()
