"""Riverton's past: what a resident and a data protection officer see on the first visit."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from agora.audit.models import LogEntry
from agora.demo import records as r
from agora.demo.history import READS_FROM, SETUP_AT
from agora.demo.services import demo_load
from agora.demo.sharing import ADVICE_CONSENT_WITHDRAWN, withdrawn_consent_person
from agora.people.models import User
from tests.console.test_views import sign_in

READS = ("record.read", "record.list", "person.view")


@pytest.fixture
def town(db):
    return demo_load(hub=False, requests=False).plan


def entries_about(public_id) -> list[LogEntry]:
    return list(LogEntry.objects.filter(subject=str(public_id)).order_by("seq"))


def test_the_log_runs_in_time_order_from_the_setup_to_yesterday(town):
    times = list(LogEntry.objects.order_by("seq").values_list("created_at", flat=True))
    assert times == sorted(times)
    assert times[0].date() == SETUP_AT.date()
    yesterday = datetime.now(tz=UTC).date() - timedelta(days=1)
    assert READS_FROM.date() <= times[-1].date() <= yesterday


def test_months_of_reads_by_caseworkers_and_partner_systems_for_named_purposes(town):
    reads = LogEntry.objects.filter(action__in=READS, decision="permit")
    months = {(e.year, e.month) for e in reads.dates("created_at", "month")}
    assert len(months) >= 12
    assert reads.filter(actor_kind="staff").exists() and reads.filter(actor_kind="client").exists()
    assert reads.values("organization").distinct().count() >= 7
    assert not reads.filter(purpose="").exists()  # every read names why
    assert reads.values("purpose").distinct().count() >= 6


def test_a_few_attempts_are_refused(town):
    refused = LogEntry.objects.filter(action__in=READS, decision="deny")
    assert 3 <= refused.count() <= 30
    assert refused.filter(organization=r.TENANTS).exists()  # not one of its members
    # Purposes never declared (purpose limitation): refused whoever holds the records.
    assert refused.filter(organization=r.FOOD_BANK, purpose="healthcare-provision").exists()
    assert refused.filter(organization=r.ENERGY, purpose="fraud-prevention").exists()


def test_a_consent_is_withdrawn_and_the_next_read_is_refused(town):
    person = withdrawn_consent_person(town)
    advice = [e for e in entries_about(person) if e.organization == r.ADVICE]
    withdrawal = next(e for e in advice if e.action == "consent.withdraw")
    assert withdrawal.created_at == ADVICE_CONSENT_WITHDRAWN
    before = [e for e in advice if e.action in READS and e.seq < withdrawal.seq]
    after = [e for e in advice if e.action in READS and e.seq > withdrawal.seq]
    assert before and all(e.decision == "permit" for e in before)
    assert after and after[0].decision == "deny"
    assert after[0].created_at - withdrawal.created_at < timedelta(days=8)


def test_the_first_resident_in_the_sign_in_table_sees_who_has_seen_their_data(client, town):
    head = town.households[0].members[0]
    user = User.objects.get(email=head.email)
    client.force_login(user)
    html = client.get(reverse("portal:activity")).content.decode()
    readers = LogEntry.objects.filter(subject=str(head.public_id), action__in=READS)
    organisations = set(readers.values_list("organization", flat=True))
    assert len(organisations) >= 3
    for organisation in {o.name for o in town.organisations if o.slug in organisations}:
        assert organisation.replace("'", "&#x27;") in html


def test_the_councils_data_protection_officer_sees_a_month_of_access(client, town):
    dpo = next(a for a in town.staff if a.organisation == r.COUNCIL and "dpo" in a.roles)
    sign_in(client, User.objects.get(email=dpo.email))
    month = READS_FROM + timedelta(days=120)
    params = {"start_0": 1, "start_1": month.month, "start_2": month.year,
              "end_0": 28, "end_1": month.month, "end_2": month.year}
    html = client.get(reverse("console:dpo_access", args=[r.COUNCIL]), params).content.decode()
    assert "No entries match." not in html
    assert "benefit-assessment" in html or "Benefit assessment" in html
