"""The same rules as a query filter: refused records are simply not in the result."""

from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from agora.access.decisions import decide
from agora.access.filters import readable_records_filter, records_readable
from agora.access.viewers import anonymous_viewer, viewer_for_resident
from agora.people.models import Person
from agora.records.models import Record
from tests.access.conftest import category, client, purpose, staff
from tests.factories import (
    AgreementFactory,
    ConsentFactory,
    PersonFactory,
    RecordFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def readable(viewer, reason, **kwargs):
    return set(
        Record.objects.filter(readable_records_filter(viewer=viewer, purpose=reason, **kwargs))
    )


def assert_agrees(viewer, reason, **kwargs):
    """Check the filter keeps exactly what `decide` permits, record by record."""
    kept = readable(viewer, reason, **kwargs)
    for record in Record.objects.all():
        decision = decide(viewer=viewer, record=record, purpose=reason, **kwargs)
        assert decision.permitted == (record in kept), (record.title, decision.reason)
    return kept


def test_no_viewer_matches_nothing(council):
    RecordFactory(owner=council, subject=None, classification="open")
    assert readable(None, None) == set()
    assert readable_records_filter(viewer=None, purpose=None) == Q(pk__in=[])
    assert not records_readable(viewer=None, purpose=None, queryset=Record.objects.all()).exists()


def test_anonymous_visitor_sees_open_and_public_records_about_no_one(council):
    open_record = RecordFactory(owner=council, subject=None, classification="open")
    public = RecordFactory(owner=council, subject=None, classification="public")
    RecordFactory(owner=council, subject=None, classification="internal")
    RecordFactory(owner=council, classification="public")
    assert assert_agrees(anonymous_viewer(), None) == {open_record, public}


def test_restricted_roles_match_exactly(council):
    dpo_only = RecordFactory(
        owner=council, subject=None, classification="restricted", restricted_roles=["dpo"]
    )
    RecordFactory(
        owner=council,
        subject=None,
        classification="restricted",
        restricted_roles=["dpo-assistant", "DPO"],
    )
    RecordFactory(owner=council, subject=None, classification="restricted", restricted_roles=[])
    assert assert_agrees(staff(council, "dpo"), None) == {dpo_only}
    assert assert_agrees(staff(council, "admin", "caseworker"), None) == set()


def test_owner_staff_and_clients(council, foodbank):
    mine = RecordFactory(owner=council)
    named = RecordFactory(owner=council, classification="restricted", restricted_roles=["dpo"])
    RecordFactory(owner=foodbank)
    reason = purpose("benefit-assessment")
    assert assert_agrees(staff(council), reason) == {mine}
    assert assert_agrees(staff(council, "dpo"), reason) == {mine, named}
    assert assert_agrees(staff(council), None) == set()
    assert assert_agrees(staff(council, "analyst"), reason) == set()
    assert assert_agrees(client(council), reason) == {mine}


def test_own_data(council, foodbank):
    person = PersonFactory(user=UserFactory())
    mine = {
        RecordFactory(owner=council, subject=person),
        RecordFactory(owner=foodbank, subject=person, classification="restricted"),
    }
    RecordFactory(owner=council)
    assert assert_agrees(viewer_for_resident(person.user), None) == mine


def test_agreements_and_their_attacks(council, foodbank):
    now = timezone.now()
    housing, health = category("housing"), category("health")
    allocation, care = purpose("housing-allocation"), purpose("social-care-support")
    AgreementFactory(
        provider=council,
        recipient=foodbank,
        categories=[housing, health],
        purposes=[allocation, care],
    )
    AgreementFactory(
        provider=council,
        recipient=foodbank,
        status="suspended",
        categories=[category("income-and-benefits")],
        purposes=[allocation],
    )
    AgreementFactory(
        provider=council,
        recipient=foodbank,
        valid_to=now,
        categories=[category("employment")],
        purposes=[allocation],
    )
    shared = RecordFactory(owner=council, category=housing)
    health_record = RecordFactory(owner=council, category=health)
    RecordFactory(owner=council, category=category("income-and-benefits"))
    RecordFactory(owner=council, category=category("employment"))
    RecordFactory(
        owner=council,
        category=housing,
        classification="restricted",
        restricted_roles=["caseworker"],
    )
    own = RecordFactory(owner=foodbank, category=housing)
    viewer = staff(foodbank, "caseworker")
    assert assert_agrees(viewer, allocation, now=now) == {shared, own}
    assert assert_agrees(viewer, care, now=now) == {shared, health_record, own}
    assert assert_agrees(viewer, purpose("fraud-prevention"), now=now) == {own}
    assert assert_agrees(staff(foodbank, "publisher"), allocation, now=now) == set()
    assert assert_agrees(client(foodbank), allocation, now=now) == {shared, own}


def test_consents_and_withdrawal(council, foodbank):
    now = timezone.now()
    housing = category("housing")
    record = RecordFactory(owner=council, category=housing)
    consent = ConsentFactory(
        person=record.subject,
        recipient=foodbank,
        categories=[housing],
        purpose=purpose("debt-advice"),
    )
    expired = RecordFactory(owner=council, category=housing)
    ConsentFactory(
        person=expired.subject,
        recipient=foodbank,
        categories=[housing],
        purpose=purpose("debt-advice"),
        expires_at=now - timedelta(seconds=1),
    )
    viewer = client(foodbank)
    assert assert_agrees(viewer, purpose("debt-advice"), now=now) == {record}
    consent.withdrawn_at = now
    consent.save()
    assert assert_agrees(viewer, purpose("debt-advice"), now=now) == set()


def test_prefix_filters_through_a_relation(council, foodbank):
    housing = category("housing")
    record = RecordFactory(owner=council, category=housing)
    RecordFactory(owner=council, category=housing)
    ConsentFactory(
        person=record.subject,
        recipient=foodbank,
        categories=[housing],
        purpose=purpose("debt-advice"),
    )
    people = Person.objects.filter(
        readable_records_filter(
            viewer=client(foodbank), purpose=purpose("debt-advice"), prefix="records__"
        )
    ).distinct()
    assert list(people) == [record.subject]


def test_records_readable_narrows_a_queryset(council):
    mine = RecordFactory(owner=council)
    RecordFactory(owner=council, subject=None, classification="restricted")
    narrowed = records_readable(
        viewer=staff(council),
        purpose=purpose("debt-advice"),
        queryset=Record.objects.filter(owner=council),
    )
    assert list(narrowed) == [mine]


def test_subject_narrows_to_one_persons_records(council, foodbank):
    now = timezone.now()
    housing, health = category("housing"), category("health")
    debt = purpose("debt-advice")
    person, other = PersonFactory(user=UserFactory()), PersonFactory()
    consented = RecordFactory(owner=council, subject=person, category=housing)
    RecordFactory(owner=council, subject=person, category=health)
    RecordFactory(owner=council, subject=other, category=housing)
    RecordFactory(owner=council, subject=None, classification="open")
    own = RecordFactory(owner=foodbank, subject=person, category=health)
    ConsentFactory(person=person, recipient=foodbank, categories=[housing], purpose=debt)
    ConsentFactory(person=other, recipient=foodbank, categories=[housing], purpose=debt)
    for viewer, reason, expected in [
        (client(foodbank), debt, {consented, own}),
        (staff(foodbank), debt, {consented, own}),
        (staff(foodbank), None, set()),
        (staff(council), debt, {consented, *Record.objects.filter(
            owner=council, subject=person)}),
        (anonymous_viewer(), debt, set()),
        (viewer_for_resident(person.user), None, set(person.records.all())),
    ]:
        kept = readable(viewer, reason, now=now, subject=person)
        assert kept == expected
        # the same as the full filter on this person's records, and as `decide`
        assert kept == {r for r in readable(viewer, reason, now=now) if r.subject_id == person.pk}
        for record in Record.objects.filter(subject=person):
            decision = decide(viewer=viewer, record=record, purpose=reason, now=now)
            assert decision.permitted == (record in kept), (record.title, decision.reason)
    assert readable(client(foodbank), debt, now=now, subject=person.pk) == {consented, own}


def test_grants_are_read_when_the_query_runs(council, foodbank):
    """A withdrawal counts for a queryset built before it (the grants are in the SQL)."""
    now = timezone.now()
    housing = category("housing")
    record = RecordFactory(owner=council, category=housing)
    consent = ConsentFactory(person=record.subject, recipient=foodbank, categories=[housing],
                             purpose=purpose("debt-advice"))
    queryset = Record.objects.filter(readable_records_filter(
        viewer=client(foodbank), purpose=purpose("debt-advice"), now=now))
    assert list(queryset) == [record]
    consent.withdrawn_at = now
    consent.save()
    assert list(queryset.all()) == []


def test_anonymous_filter_is_only_open_data_about_no_one(council):
    sql = str(Record.objects.filter(
        readable_records_filter(viewer=anonymous_viewer(), purpose=None)).query)
    assert "access_agreement" not in sql
    assert "access_consent" not in sql


def test_prefix_reuses_one_join(council, foodbank):
    RecordFactory(owner=council, category=category("housing"))
    people = Person.objects.filter(readable_records_filter(
        viewer=client(foodbank), purpose=purpose("debt-advice"), prefix="records__"))
    joined = [j for j in people.query.alias_map.values() if j.table_name == "records_record"]
    assert len(joined) == 1


def test_a_query_about_one_person_looks_at_their_consents_only(council, foodbank):
    now = timezone.now()
    housing = category("housing")
    debt = purpose("debt-advice")
    record = RecordFactory(owner=council, category=housing)
    other = RecordFactory(owner=council, category=housing)
    ConsentFactory(person=record.subject, recipient=foodbank, categories=[housing],
                   purpose=debt)
    ConsentFactory(person=other.subject, recipient=foodbank, categories=[housing],
                   purpose=debt)
    viewer = client(foodbank)
    rule = readable_records_filter(viewer=viewer, purpose=debt, now=now)
    narrowed = Record.objects.filter(subject=record.subject).filter(rule)
    assert "agora_c.person_id = " in str(narrowed.query)
    assert list(narrowed) == [record]
    assert narrowed.count() == 1
    assert list(Record.objects.filter(subject=other.subject).filter(rule)) == [other]
    either = Record.objects.filter(
        Q(subject=record.subject) | Q(subject=other.subject)).filter(rule)
    assert "agora_c.person_id = " not in str(either.query)
    assert set(either) == {record, other}


def test_the_filter_works_inside_a_subquery_on_the_same_table(council, foodbank):
    """The inner query's columns are relabelled (U0…); the cached columns stay as they are."""
    now = timezone.now()
    housing = category("housing")
    debt = purpose("debt-advice")
    shared = RecordFactory(owner=council, category=housing)
    RecordFactory(owner=council, category=housing)
    ConsentFactory(person=shared.subject, recipient=foodbank, categories=[housing],
                   purpose=debt)
    rule = readable_records_filter(viewer=client(foodbank), purpose=debt, now=now)
    inner = Record.objects.filter(rule).values("pk")
    outer = Record.objects.filter(pk__in=inner)
    assert 'U0."category_id"' in str(outer.query)
    assert list(outer) == [shared]
    assert list(Record.objects.filter(rule)) == [shared]  # and used directly afterwards
