"""Service statistics as open data: requests per service, status and month, and the time
they took to resolve, with small counts suppressed so nobody can be singled out.

Method (docs/opendata.md says it for readers):
- One dataset per organisation that handles requests, `requests-<organisation slug>`,
  with two CSV files, rebuilt from the requests table on each run (daily).
- Requests by service, status and month: the requests made in a month (by the month
  they were made, in UTC) that are now in each status. A count below K (10) is
  published as empty with `suppressed` = yes; no totals are published, so a suppressed
  cell cannot be worked out by subtraction.
- Time to resolution by service and month: for requests made in the month and closed
  since, the median and 90th percentile of the days from request to closing, only where
  at least K requests were closed; the number closed is not published (with the status
  counts it could reveal a suppressed cell).
- The current month is left out until it is over (its figures would still move).
"""

import csv
import io
import statistics
from datetime import datetime

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from agora.cases.models import Case
from agora.content.services import Upload
from agora.content.storage import content_hash
from agora.opendata import datastore, services
from agora.opendata.models import DatasetMeta, Resource
from agora.organizations.models import Organization

K = 10
COUNTS = "Requests by service, status and month"
TIMES = "Time to resolution by service and month"


def _month_start(now: datetime) -> datetime:
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _csv(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def request_counts(organization: Organization, *, before: datetime) -> bytes:
    """Return the counts CSV: service, status, month, requests (empty below K), suppressed."""
    groups = (
        Case.objects.filter(organization=organization, created_at__lt=before)
        .annotate(month=TruncMonth("created_at"))
        .values("service__code", "service__name", "status", "month")
        .annotate(requests=Count("pk"))
        .order_by("month", "service__code", "status")
    )
    rows = [[group["service__code"], group["service__name"], group["status"],
             group["month"].strftime("%Y-%m"),
             group["requests"] if group["requests"] >= K else "",
             "no" if group["requests"] >= K else "yes"] for group in groups]
    return _csv(["service", "service name", "status", "month", "requests", "suppressed"], rows)


def resolution_times(organization: Organization, *, before: datetime) -> bytes:
    """Return the resolution CSV: service, month, median and 90th percentile days (n ≥ K)."""
    closed = (
        Case.objects.filter(organization=organization, created_at__lt=before,
                            closed_at__isnull=False)
        .values_list("service__code", "service__name", "created_at", "closed_at")
        .order_by("created_at")
    )
    by_group: dict[tuple[str, str, str], list[float]] = {}
    for code, name, created, closed_at in closed.iterator():
        days = (closed_at - created).total_seconds() / 86400
        by_group.setdefault((created.strftime("%Y-%m"), code, name), []).append(days)
    rows = []
    for (month, code, name), days in sorted(by_group.items()):
        if len(days) < K:
            continue
        tenths = statistics.quantiles(days, n=10, method="inclusive")
        rows.append([code, name, month, round(statistics.median(days), 1), round(tenths[-1], 1)])
    return _csv(["service", "service name", "month", "median days", "90th percentile days"],
                rows)


def _replace(*, actor, document, name: str, data: bytes) -> bool:
    """Replace the dataset's resource called `name` with these bytes, unless unchanged."""
    old = Resource.objects.filter(dataset=document, name=name).select_related("datastore")
    if any(resource.content_hash == content_hash(data) for resource in old):
        return False
    with transaction.atomic():
        for resource in old:
            if hasattr(resource, "datastore"):
                datastore.table_drop(resource.datastore.table_name)
            resource.delete()
        services.resource_create(actor=actor, document=document, data=services.ResourceInput(
            name=name, format="CSV", upload=Upload(name=f"{name}.csv", data=data),
            description="Counts below 10 are suppressed; see the dataset's method."))
    return True


def statistics_publish(*, actor, organization: Organization,
                       now: datetime | None = None) -> tuple[str, bool]:
    """Publish (or refresh) the organisation's request statistics; return (name, changed)."""
    before = _month_start(now or timezone.now())
    name = f"requests-{organization.slug}"[:100]
    counts = request_counts(organization, before=before)
    times = resolution_times(organization, before=before)
    with transaction.atomic():
        meta = DatasetMeta.objects.filter(name=name).select_related("document").first()
        if meta is None:
            document = services.dataset_create(actor=actor, owner=organization,
                                               data=services.DatasetInput(
                name=name, title=f"Requests to {organization.name}",
                notes=f"How many requests {organization.name} received for each service, "
                      "by status and month, and how long they took to resolve. Counts "
                      f"below {K} are suppressed so that nobody can be singled out.",
                tags=("requests", "statistics"), license_id="CC-BY-4.0",
                frequency="DAILY", spatial="Riverton"))
        else:
            document = meta.document
        changed = _replace(actor=actor, document=document, name=COUNTS, data=counts)
        changed = _replace(actor=actor, document=document, name=TIMES, data=times) or changed
    return name, changed


def statistics_publish_all(*, actor, now: datetime | None = None) -> list[tuple[str, bool]]:
    """Refresh the statistics of every organisation that handles requests (run daily)."""
    organizations = Organization.objects.filter(
        is_active=True, pk__in=Case.objects.values("organization")).order_by("slug")
    return [statistics_publish(actor=actor, organization=organization, now=now)
            for organization in organizations]
