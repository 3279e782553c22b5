"""Reports on the transparency log for data protection officers.

A data protection officer of an organisation sees the entries that concern it:

- what its own staff and machine clients did (`organization` is its slug), and
- what anyone did to its resources (its records, its agreements): the caller names
  those by public id, as a list or a query of strings, because `audit` knows no other
  domain app.

Everything here reads; the one write, `report_read_log`, records that a report was
read, since the entries name the people they are about.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db.models import CharField, Count, Func, Q, QuerySet, Value
from django.db.models.functions import Cast, Lower, Replace

from agora.audit.models import LogEntry
from agora.audit.services import AuditActor, log_append
from agora.core.exceptions import InvalidInput

CSV_COLUMNS = (
    "seq", "created_at", "actor_kind", "actor_id", "actor_label", "organization",
    "on_behalf_of", "purpose", "legal_basis", "action", "subject", "resource_type",
    "resource_id", "decision", "reason",
)
"""The columns of the CSV export, in order; the header row uses these names."""

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, kw_only=True)
class ReportFilter:
    """Which entries to show: every field narrows; empty means "any"."""

    purpose: str = ""
    decision: str = ""  # "permit", "deny" or "" for both
    actor_organization: str = ""
    start: datetime | None = None  # inclusive
    end: datetime | None = None  # exclusive

    def check(self) -> None:
        """Refuse a decision outside permit/deny and a time range that ends before it starts."""
        problems = []
        if self.decision and self.decision not in LogEntry.Decision.values:
            problems.append({"field": "decision", "message": "Choose permitted or refused."})
        if self.start and self.end and self.end <= self.start:
            problems.append(
                {"field": "end", "message": "The end of the period must be after its start."}
            )
        if problems:
            raise InvalidInput(" ".join(p["message"] for p in problems), errors=problems)


def resource_key(field: str) -> Func:
    """Return a query expression spelling a UUID column as the log compares resource ids.

    UUIDs have two spellings (with and without dashes; SQLite stores them without), so
    ids are compared lower case without dashes. Use it on the caller's side of an
    `owned` query: ``Record.objects.filter(...).values(key=resource_key("public_id"))``.
    """
    return Replace(Cast(field, CharField()), Value("-"), Value(""))


def _compact(value) -> str:
    return str(value).replace("-", "").lower()


def entries_concerning(
    *, organization: str, owned: Iterable[Iterable[str] | QuerySet] = ()
) -> QuerySet[LogEntry]:
    """Return the entries about this organisation, newest first.

    Those are the entries of its staff and clients (the entry's organisation is its
    slug) and the entries about the resources it owns. `owned` lists where their public
    ids come from: lists of ids, or queries yielding `resource_key(...)` values. With no
    organisation, nothing (fail closed).
    """
    if not organization:
        return LogEntry.objects.none()
    entries = LogEntry.objects.all()
    concerning = Q(organization=organization)
    ids: list[str] = []
    queries: list[QuerySet] = []
    for source in owned:
        if isinstance(source, QuerySet):
            queries.append(source)
        else:
            ids.extend(_compact(value) for value in source if value)
    if ids or queries:
        entries = entries.alias(
            resource_key=Replace(Lower("resource_id"), Value("-"), Value(""))
        )
        if ids:
            concerning |= Q(resource_key__in=ids)
        for query in queries:
            concerning |= Q(resource_key__in=query)
    return entries.filter(concerning).order_by("-seq")


def entries_filter(entries: QuerySet[LogEntry], report_filter: ReportFilter) -> QuerySet[LogEntry]:
    """Narrow entries to a purpose, a result, an acting organisation and a time range."""
    report_filter.check()
    if report_filter.purpose:
        entries = entries.filter(purpose=report_filter.purpose)
    if report_filter.decision:
        entries = entries.filter(decision=report_filter.decision)
    if report_filter.actor_organization:
        entries = entries.filter(organization=report_filter.actor_organization)
    if report_filter.start:
        entries = entries.filter(created_at__gte=report_filter.start)
    if report_filter.end:
        entries = entries.filter(created_at__lt=report_filter.end)
    return entries


@dataclass(frozen=True)
class CountRow:
    """How many entries one acting organisation made for one purpose with one result."""

    organization: str
    purpose: str
    decision: str
    count: int

    @property
    def refused(self) -> bool:
        return self.decision == LogEntry.Decision.DENY


def entries_counts(entries: QuerySet[LogEntry]) -> list[CountRow]:
    """Return the number of entries per acting organisation, purpose and result, in one query."""
    rows = (
        entries.order_by()
        .values("organization", "purpose", "decision")
        .annotate(count=Count("seq"))
        .order_by("organization", "purpose", "decision")
    )
    return [CountRow(**row) for row in rows]


def refused_count(entries: QuerySet[LogEntry]) -> int:
    """Return how many of the entries record a refused attempt."""
    return entries.filter(decision=LogEntry.Decision.DENY).count()


def acting_organizations(entries: QuerySet[LogEntry]) -> list[str]:
    """Return the distinct slugs of the organisations that acted in these entries."""
    return list(
        entries.order_by().exclude(organization="")
        .values_list("organization", flat=True).distinct().order_by("organization")
    )


def _cell(value) -> str:
    """Return a CSV cell; text that a spreadsheet would run as a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def entries_csv(entries: QuerySet[LogEntry], *, chunk_size: int = 2000) -> Iterator[str]:
    """Yield the entries as CSV text, header row first, reading the rows in chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return text

    writer.writerow(CSV_COLUMNS)
    yield flush()
    rows = entries.values_list(*CSV_COLUMNS).iterator(chunk_size=chunk_size)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
        yield flush()


def report_read_log(
    *,
    actor: AuditActor,
    actor_organization: str,
    organization: str,
    report_filter: ReportFilter,
    exported: bool = False,
) -> LogEntry:
    """Record in the log that someone read (or exported) an organisation's access report.

    `actor_organization` is the slug the reader acts for ("" for a platform operator);
    `organization` is the organisation whose report it is.
    """
    described = ", ".join(
        f"{name} {value}"
        for name, value in (
            ("purpose", report_filter.purpose),
            ("result", report_filter.decision),
            ("acting organisation", report_filter.actor_organization),
            ("from", report_filter.start.isoformat() if report_filter.start else ""),
            ("before", report_filter.end.isoformat() if report_filter.end else ""),
        )
        if value
    )
    what = "Exported" if exported else "Read"
    reason = f"{what} the access report of {organization}" + (
        f" ({described})." if described else "."
    )
    return log_append(
        actor=actor,
        action=LogEntry.Action.LOG_READ,
        decision=LogEntry.Decision.PERMIT,
        reason=reason,
        organization=actor_organization,
        resource_type="access-report",
        resource_id=organization,
    )


def resource_history(*, resource_type: str, resource_id: str) -> QuerySet[LogEntry]:
    """Return the entries about one resource (an agreement, say), oldest first.

    With no type or id, nothing (fail closed). Callers show this only to people who may
    see the resource itself.
    """
    if not (resource_type and resource_id):
        return LogEntry.objects.none()
    return LogEntry.objects.filter(
        resource_type=resource_type, resource_id=str(resource_id)
    ).order_by("seq")
