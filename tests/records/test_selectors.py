"""Reading a person's records: filtered in the query, reduced to the allowed fields, logged."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agora.access.models import DataCategory
from agora.records.models import Record
from agora.records.selectors import (
    person_lookup,
    purpose_find,
    records_for_person,
    records_in_category,
)
from tests.factories import PersonFactory
from tests.records.helpers import (
    BENEFIT_FIELDS,
    client_viewer,
    last_entries,
    log_count,
    make_agreement,
    make_consent,
    make_record,
    purpose,
    staff_viewer,
)


def read(viewer, person, code="benefit-assessment", **kwargs):
    return records_for_person(viewer=viewer, person=person, purpose=purpose_find(code),
                              purpose_code=code, **kwargs)


def test_owner_reads_every_field_and_each_read_is_logged(benefits, person):
    records = [make_record(benefits, person) for _ in range(3)]
    viewer = client_viewer(benefits)
    before = log_count()
    page = read(viewer, person)
    assert page.total == 3
    assert {item.record.pk for item in page.items} == {r.pk for r in records}
    assert all(item.fields == BENEFIT_FIELDS for item in page.items)
    assert all(item.decision.basis == "owner-client" for item in page.items)
    assert log_count() == before + 3
    entries = last_entries(3)
    assert {e.resource_id for e in entries} == {str(r.public_id) for r in records}
    assert {(e.action, e.decision, e.subject) for e in entries} == {
        ("record.read", "permit", str(person.public_id))}


def test_agreement_shares_only_the_allowed_fields(benefits, council, person):
    make_record(benefits, person)
    agreement = make_agreement(benefits, council, fields_allowed=("benefit", "status"))
    page = read(staff_viewer(council), person)
    (item,) = page.items
    assert item.fields == {"benefit": "Universal Credit", "status": "in payment"}
    assert (item.decision.basis, item.decision.basis_ref) == ("agreement", str(agreement.public_id))
    assert last_entries(1)[0].legal_basis == "6.1.e"


def test_nothing_readable_is_one_refused_entry(benefits, council, person):
    make_record(benefits, person)
    make_record(benefits, person)
    before = log_count()
    page = read(client_viewer(council), person)
    assert (page.items, page.total) == ([], 0)
    assert log_count() == before + 1
    (entry,) = last_entries(1)
    assert (entry.action, entry.decision, entry.subject) == (
        "record.list", "deny", str(person.public_id))
    assert entry.organization == "council"
    assert "benefits" not in entry.reason  # the reader's DPO sees it: name no holder


def test_unknown_person_and_unknown_purpose_are_refused_entries(benefits):
    viewer = client_viewer(benefits)
    before = log_count()
    assert read(viewer, None).total == 0
    assert read(viewer, PersonFactory(), code="curiosity").total == 0
    assert log_count() == before + 2
    unknown_person, unknown_purpose = last_entries(2)
    assert unknown_person.subject is None and unknown_person.decision == "deny"
    assert unknown_purpose.purpose == "curiosity" and unknown_purpose.decision == "deny"


def test_the_purpose_must_be_in_the_agreement(benefits, council, person):
    make_record(benefits, person)
    make_agreement(benefits, council, purposes=("fraud-prevention",))
    assert read(client_viewer(council), person).total == 0
    assert read(client_viewer(council), person, code="fraud-prevention").total == 1


def test_expired_and_suspended_agreements_share_nothing(benefits, council, foodbank, person):
    make_record(benefits, person)
    make_agreement(benefits, council, days_left=-1)
    make_agreement(benefits, foodbank, status="suspended")
    assert read(client_viewer(council), person).total == 0
    assert read(client_viewer(foodbank), person).total == 0
    assert [e.decision for e in last_entries(2)] == ["deny", "deny"]


def test_consent_shares_until_withdrawn_or_expired(benefits, foodbank, person):
    make_record(benefits, person)
    consent = make_consent(person, foodbank)
    viewer = client_viewer(foodbank)
    page = read(viewer, person, code="emergency-food-support")
    assert page.total == 1 and page.items[0].decision.basis == "consent"
    assert page.items[0].fields == BENEFIT_FIELDS  # consent covers the whole category
    assert last_entries(1)[0].legal_basis == "6.1.a"
    consent.withdrawn_at = consent.given_at
    consent.save()
    assert read(viewer, person, code="emergency-food-support").total == 0
    make_consent(person, foodbank, days_left=-1)
    assert read(viewer, person, code="emergency-food-support").total == 0


def test_health_needs_an_art9_purpose_and_restricted_is_never_shared(benefits, council, person):
    health_board = benefits  # any owner will do
    make_record(health_board, person, category="health", fields={"care_needs": "meals"})
    make_record(health_board, person, category="health", classification="restricted",
                restricted_roles=["caseworker"], fields={"clinical_note": "private"})
    make_agreement(health_board, council, categories=("health",),
                   purposes=("social-care-support", "benefit-assessment"),
                   fields_allowed=("care_needs",))
    viewer = staff_viewer(council)
    assert read(viewer, person).total == 0  # benefit-assessment has no Art. 9 condition
    page = read(viewer, person, code="social-care-support")
    (item,) = page.items
    assert item.fields == {"care_needs": "meals"}
    assert item.legal_basis == "6.1.e; 9.2.h"
    assert last_entries(1)[0].legal_basis == "6.1.e; 9.2.h"


def test_paging_logs_only_what_is_returned(benefits, person):
    for _ in range(5):
        make_record(benefits, person)
    viewer = client_viewer(benefits)
    before = log_count()
    page = read(viewer, person, limit=2, offset=1)
    assert (len(page.items), page.total) == (2, 5)
    assert log_count() == before + 2
    past_end = read(viewer, person, limit=2, offset=10)
    assert past_end.items == [] and past_end.total == 5
    (entry,) = last_entries(1)
    assert (entry.action, entry.decision) == ("record.list", "permit")


def test_listing_costs_a_bounded_number_of_queries(benefits, council, foodbank):
    """Many records cost no more queries than a few: filtered in SQL, decided per kind."""
    counts = []
    records_for_person(viewer=None, person=None, purpose=None)  # the log is not empty
    for n in (2, 25):
        person = PersonFactory()
        for i in range(n):
            make_record(benefits, person, category=("income-and-benefits", "household")[i % 2])
        make_agreement(benefits, council, categories=("income-and-benefits", "household"))
        viewer = client_viewer(council)
        the_purpose = purpose("benefit-assessment")
        with CaptureQueriesContext(connection) as queries:
            page = records_for_person(viewer=viewer, person=person, purpose=the_purpose,
                                      limit=200)
        assert len(page.items) == n
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 16, counts


def test_lookup_reveals_the_person_only_when_something_is_readable(benefits, council, person):
    make_record(benefits, person)
    owner, outsider = client_viewer(benefits), client_viewer(council)
    the_purpose = purpose("benefit-assessment")
    before = log_count()
    assert person_lookup(viewer=owner, person=person, purpose=the_purpose) == person
    assert person_lookup(viewer=outsider, person=person, purpose=the_purpose) is None
    assert person_lookup(viewer=outsider, person=None, purpose=the_purpose) is None
    assert log_count() == before + 3
    found, refused, unknown = last_entries(3)
    assert (found.action, found.decision) == ("person.lookup", "permit")
    assert (refused.decision, refused.subject) == ("deny", str(person.public_id))
    assert (unknown.decision, unknown.subject) == ("deny", None)


def test_no_viewer_reads_nothing(benefits, person):
    make_record(benefits, person)
    assert records_for_person(viewer=None, person=person,
                              purpose=purpose("benefit-assessment")).total == 0
    assert last_entries(1)[0].decision == "deny"


def test_a_person_reads_their_own_records_without_a_purpose(benefits, council, person):
    from agora.access.viewers import viewer_for_resident
    from tests.factories import UserFactory

    person.user = UserFactory()
    person.save()
    make_record(benefits, person)
    make_record(council, person, category="health", classification="restricted",
                restricted_roles=["dpo"], fields={"clinical_note": "mine to see"})
    make_record(benefits, PersonFactory())  # someone else's
    viewer = viewer_for_resident(person.user)
    page = records_for_person(viewer=viewer, person=person, purpose=None)
    assert page.total == 2
    assert {item.decision.basis for item in page.items} == {"own-data"}
    assert {e.actor_kind for e in last_entries(2)} == {"person"}
    other = PersonFactory()
    assert records_for_person(viewer=viewer, person=other, purpose=None).total == 0
    assert last_entries(1)[0].reason == "No purpose was stated."


def test_a_person_with_no_records_sees_their_own_request_as_permitted(person):
    """Asking for your own records is allowed even when nobody holds any."""
    from agora.access.viewers import viewer_for_resident
    from tests.factories import UserFactory

    person.user = UserFactory()
    person.save()
    page = records_for_person(viewer=viewer_for_resident(person.user), person=person, purpose=None)
    assert page.total == 0
    entry = last_entries(1)[0]
    assert (entry.action, entry.decision) == ("record.list", "permit")
    assert entry.reason == "No organisation holds a record about this person."


def list_category(viewer, code="income-and-benefits", purpose_code="benefit-assessment",
                  **kwargs):
    return records_in_category(viewer=viewer, purpose=purpose_find(purpose_code),
                               category=DataCategory.objects.get(code=code), **kwargs)


def test_category_listing_is_newest_first_and_logs_each_personal_read(benefits, person):
    older = make_record(benefits, person, title="Older")
    newer = make_record(benefits, person, title="Newer")
    about_no_one = make_record(benefits, None, title="Leaflet", classification="open")
    make_record(benefits, person, category="housing")  # another category: not listed
    Record.objects.filter(pk=older.pk).update(updated_at=timezone.now() - timedelta(days=2))
    Record.objects.filter(pk=about_no_one.pk).update(
        updated_at=timezone.now() - timedelta(days=1))
    before = log_count()
    page = list_category(staff_viewer(benefits))
    assert [item.record.title for item in page.items] == ["Newer", "Leaflet", "Older"]
    assert page.more is False
    assert log_count() == before + 2  # the leaflet is about no one: nothing to log
    assert {e.resource_id for e in last_entries(2)} == {str(newer.public_id),
                                                         str(older.public_id)}


def test_category_listing_shows_only_what_the_viewer_may_read(benefits, council, person):
    make_record(benefits, person, title="Benefits' own")
    make_record(council, person, title="Council's own")
    viewer = staff_viewer(council)
    assert [i.record.title for i in list_category(viewer).items] == ["Council's own"]
    make_agreement(benefits, council)  # income and benefits, for benefit assessment
    assert [i.record.title for i in list_category(viewer).items] == [
        "Council's own", "Benefits' own"]
    # Another purpose the agreement does not name: the council's own records only.
    assert [i.record.title for i in list_category(viewer, purpose_code="debt-advice").items
            ] == ["Council's own"]
    # No purpose: no personal record at all, not even its own.
    assert records_in_category(viewer=viewer, purpose=None, category=DataCategory.objects.get(
        code="income-and-benefits")).items == []


def test_category_listing_pages_and_fails_closed(benefits, person):
    for number in range(3):
        make_record(benefits, person, title=f"Claim {number}")
    viewer = staff_viewer(benefits)
    first = list_category(viewer, limit=2)
    second = list_category(viewer, limit=2, offset=2)
    assert (len(first.items), first.more, len(second.items), second.more) == (2, True, 1, False)
    assert {i.record.pk for i in first.items}.isdisjoint({i.record.pk for i in second.items})
    before = log_count()
    assert list_category(None).items == []
    assert records_in_category(viewer=viewer, purpose=None, category=None).items == []
    assert log_count() == before
