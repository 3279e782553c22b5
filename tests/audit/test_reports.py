"""Reports on the log for data protection officers: scope, filters, counts, CSV."""

import csv
import io
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from agora.audit.models import LogEntry
from agora.audit.reports import (
    CSV_COLUMNS,
    ReportFilter,
    acting_organizations,
    entries_concerning,
    entries_counts,
    entries_csv,
    entries_filter,
    refused_count,
    report_read_log,
    resource_history,
    resource_key,
)
from agora.audit.services import AuditActor, log_append
from agora.core.exceptions import InvalidInput

pytestmark = pytest.mark.django_db

STAFF = AuditActor("staff", str(uuid.uuid4()), "ann@example.org")
PERMIT, DENY = LogEntry.Decision.PERMIT, LogEntry.Decision.DENY


def entry(*, organization="", purpose="benefit-assessment", decision=PERMIT,
          resource_id="", action=LogEntry.Action.RECORD_READ, reason="read", subject=None):
    return log_append(
        actor=STAFF, action=action, decision=decision, reason=reason,
        organization=organization, purpose=purpose, resource_type="record",
        resource_id=resource_id, subject=subject,
    )


@pytest.fixture
def log():
    """Entries by council staff, by a food bank on a council record, and unrelated ones."""
    council_record = str(uuid.uuid4())
    entries = {
        "own": entry(organization="council"),
        "own_refused": entry(organization="council", decision=DENY, purpose="fraud-prevention"),
        "partner_on_ours": entry(organization="foodbank", resource_id=council_record,
                                 purpose="emergency-food-support"),
        "partner_refused": entry(organization="foodbank", resource_id=council_record,
                                 decision=DENY, purpose="debt-advice"),
        "elsewhere": entry(organization="foodbank", resource_id=str(uuid.uuid4())),
        "other": entry(organization="clinic", purpose="healthcare-provision"),
    }
    return council_record, entries


def seqs(entries):
    return {e.seq for e in entries}


def test_concerning_holds_own_actions_and_others_on_our_resources(log):
    record, entries = log
    found = entries_concerning(organization="council", owned=[[record]])
    assert seqs(found) == seqs(
        [entries["own"], entries["own_refused"], entries["partner_on_ours"],
         entries["partner_refused"]]
    )
    assert [e.seq for e in found] == sorted(seqs(found), reverse=True)  # newest first


def test_concerning_accepts_a_query_of_ids(log):
    _, entries = log
    ids = LogEntry.objects.filter(seq=entries["partner_on_ours"].seq).values(
        key=resource_key("resource_id")
    )
    found = entries_concerning(organization="nobody", owned=[ids])
    assert seqs(found) == {entries["partner_on_ours"].seq, entries["partner_refused"].seq}


def test_ids_match_with_or_without_dashes(log):
    record, entries = log
    found = entries_concerning(organization="nobody", owned=[[record.replace("-", "").upper()]])
    assert seqs(found) == {entries["partner_on_ours"].seq, entries["partner_refused"].seq}


def test_concerning_fails_closed_without_an_organisation(log):
    record, _ = log
    assert not entries_concerning(organization="", owned=[[record]]).exists()


def test_filters_narrow_by_purpose_result_actor_and_time(log):
    record, entries = log
    base = entries_concerning(organization="council", owned=[[record]])

    by_purpose = entries_filter(base, ReportFilter(purpose="debt-advice"))
    assert seqs(by_purpose) == {entries["partner_refused"].seq}

    refused = entries_filter(base, ReportFilter(decision=DENY))
    assert seqs(refused) == {entries["own_refused"].seq, entries["partner_refused"].seq}

    by_actor = entries_filter(base, ReportFilter(actor_organization="foodbank"))
    assert seqs(by_actor) == {entries["partner_on_ours"].seq, entries["partner_refused"].seq}

    now = timezone.now()
    assert entries_filter(base, ReportFilter(start=now + timedelta(minutes=1))).count() == 0
    assert entries_filter(base, ReportFilter(end=now - timedelta(days=1))).count() == 0
    assert entries_filter(
        base, ReportFilter(start=now - timedelta(days=1), end=now + timedelta(days=1))
    ).count() == 4


@pytest.mark.parametrize(
    "report_filter",
    [
        ReportFilter(decision="maybe"),
        ReportFilter(start=timezone.now(), end=timezone.now() - timedelta(days=1)),
    ],
)
def test_bad_filters_are_refused(log, report_filter):
    with pytest.raises(InvalidInput):
        entries_filter(LogEntry.objects.all(), report_filter)


def test_counts_group_by_organisation_purpose_and_result(log, django_assert_num_queries):
    record, _ = log
    base = entries_concerning(organization="council", owned=[[record]])
    with django_assert_num_queries(1):
        rows = entries_counts(base)
    assert [(r.organization, r.purpose, r.decision, r.count) for r in rows] == [
        ("council", "benefit-assessment", PERMIT, 1),
        ("council", "fraud-prevention", DENY, 1),
        ("foodbank", "debt-advice", DENY, 1),
        ("foodbank", "emergency-food-support", PERMIT, 1),
    ]
    assert [r.refused for r in rows] == [False, True, True, False]
    assert refused_count(base) == 2
    assert acting_organizations(base) == ["council", "foodbank"]


def test_csv_has_a_header_and_one_row_per_entry(log):
    record, _ = log
    base = entries_concerning(organization="council", owned=[[record]])
    rows = list(csv.reader(io.StringIO("".join(entries_csv(base)))))
    assert rows[0] == list(CSV_COLUMNS)
    assert len(rows) == 5
    assert {int(row[0]) for row in rows[1:]} == seqs(base)
    first = dict(zip(CSV_COLUMNS, rows[1], strict=True))
    assert first["decision"] in {PERMIT, DENY}


def test_csv_neutralises_spreadsheet_formulas():
    entry(organization="council", reason="=HYPERLINK(\"http://evil\")")
    text = "".join(entries_csv(entries_concerning(organization="council")))
    assert "'=HYPERLINK" in text


def test_reading_a_report_is_logged():
    before = LogEntry.objects.count()
    logged = report_read_log(
        actor=STAFF, actor_organization="council", organization="council",
        report_filter=ReportFilter(decision=DENY), exported=True,
    )
    assert LogEntry.objects.count() == before + 1
    assert logged.action == LogEntry.Action.LOG_READ
    assert logged.organization == "council"
    assert "Exported the access report of council (result deny)" in logged.reason


def test_resource_history_lists_one_resources_entries_oldest_first(log):
    record, entries = log
    history = list(resource_history(resource_type="record", resource_id=record))
    assert [e.seq for e in history] == [
        entries["partner_on_ours"].seq, entries["partner_refused"].seq
    ]
    assert not resource_history(resource_type="", resource_id=record).exists()
