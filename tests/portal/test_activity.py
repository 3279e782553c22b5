"""“Who has seen my data”: the resident's log entries and the check of one entry."""

import re

import pytest
from django.urls import reverse

from agora.audit.models import LogEntry
from agora.audit.services import tree_head_sign
from agora.portal.activity import PAGE_SIZE
from tests.factories import OrganizationFactory, UserFactory
from tests.portal.helpers import resident_with_person, staff_entry, tamper

pytestmark = pytest.mark.django_db


def text(response) -> str:
    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def ann(client):
    user, person = resident_with_person(given_name="Ann", family_name="Lee")
    client.force_login(user)
    return person


def test_lists_every_entry_about_me_in_plain_words(client, ann):
    council = OrganizationFactory(name="Riverton Council")
    staff_entry(ann, organization=council, purpose="housing-allocation", label="Casey Worker")
    staff_entry(ann, organization=council, decision="deny", reason="No agreement covers it")
    response = client.get(reverse("portal:activity"))
    assert response.status_code == 200
    page = text(response)
    assert "2 entries" in page
    assert "Riverton Council" in page
    assert "Casey Worker" in page
    assert "Housing allocation" in page
    assert "Legal basis: part of a public task" in page
    assert "Read a record about you" in page
    assert "Refused" in page and "Permitted" in page
    assert "No agreement covers it" in page


def test_shows_newest_first_and_never_other_peoples_entries(client, ann):
    _, bob = resident_with_person()
    first = staff_entry(ann, label="First reader")
    staff_entry(bob, label="Reader of Bob")
    second = staff_entry(ann, label="Second reader")
    html = client.get(reverse("portal:activity")).content.decode()
    assert "Reader of Bob" not in html
    assert html.index("Second reader") < html.index("First reader")
    assert reverse("portal:activity_verify", args=[second.seq]) in html
    assert reverse("portal:activity_verify", args=[first.seq]) in html


def test_filters_by_organisation_and_result(client, ann):
    council, food_bank = OrganizationFactory(name="Council"), OrganizationFactory(name="Food bank")
    staff_entry(ann, organization=council, label="Council permit")
    staff_entry(ann, organization=council, decision="deny", label="Council refusal")
    staff_entry(ann, organization=food_bank, label="Food bank permit")
    html = client.get(reverse("portal:activity"), {"organization": council.slug}).content.decode()
    assert "Council permit" in html and "Council refusal" in html
    assert "Food bank permit" not in html
    html = client.get(reverse("portal:activity"), {"result": "deny"}).content.decode()
    assert "Council refusal" in html
    assert "Council permit" not in html and "Food bank permit" not in html
    assert "1 entry match your filters" in text(client.get(reverse("portal:activity"),
                                                           {"result": "deny"}))


def test_filters_are_not_marked_optional(client, ann):
    staff_entry(ann)
    html = client.get(reverse("portal:activity")).content.decode()
    assert "(optional)" not in html
    assert " required" not in html


def test_an_unknown_filter_value_is_an_error_not_a_crash(client, ann):
    staff_entry(ann, label="Someone")
    response = client.get(reverse("portal:activity"), {"result": "maybe"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert "Someone" in response.content.decode()  # shown unfiltered


def test_paginates(client, ann):
    organization = OrganizationFactory()
    for n in range(PAGE_SIZE + 3):
        staff_entry(ann, organization=organization, label=f"Reader {n:02d}")
    first = client.get(reverse("portal:activity")).content.decode()
    assert f"Reader {PAGE_SIZE + 2:02d}" in first and "Reader 00" not in first
    assert 'class="govuk-pagination"' in first
    second = client.get(reverse("portal:activity"), {"page": 2}).content.decode()
    assert "Reader 00" in second
    assert f"Reader {PAGE_SIZE + 2:02d}" not in second


def test_reading_my_log_appends_nothing(client, ann):
    entry = staff_entry(ann)
    before = LogEntry.objects.count()
    client.get(reverse("portal:activity"))
    client.get(reverse("portal:activity_verify", args=[entry.seq]))
    assert LogEntry.objects.count() == before


def test_list_query_count_does_not_grow_with_entries(client, ann, django_assert_max_num_queries):
    for _ in range(PAGE_SIZE):
        staff_entry(ann, organization=OrganizationFactory())
    with django_assert_max_num_queries(17):  # 3 of them the menu's count of new updates
        client.get(reverse("portal:activity"))


def test_verify_page_says_verified_for_a_real_entry(client, ann):
    entry = staff_entry(ann)
    for _ in range(4):
        staff_entry(ann)
    tree_head_sign()
    response = client.get(reverse("portal:activity_verify", args=[entry.seq]))
    assert response.status_code == 200
    page = text(response)
    assert "This entry is in the log the platform signed" in page
    assert "Not verified" not in page
    assert bytes(entry.leaf_hash).hex() in page
    assert "Valid" in page
    assert f"/api/v1/audit/proofs/inclusion?seq={entry.seq}&amp;tree_size=5" in (
        response.content.decode()
    )


def test_verify_page_says_not_verified_when_the_entry_was_edited(client, ann):
    entry = staff_entry(ann, decision="deny")
    staff_entry(ann)
    tree_head_sign()
    tamper(entry, decision="permit")
    page = text(client.get(reverse("portal:activity_verify", args=[entry.seq])))
    assert "Not verified" in page
    assert "This entry is in the log the platform signed" not in page
    assert "Differs" in page


def test_verify_page_of_someone_elses_entry_is_not_found(client, ann):
    _, bob = resident_with_person()
    entry = staff_entry(bob)
    assert client.get(reverse("portal:activity_verify", args=[entry.seq])).status_code == 404
    assert client.get(reverse("portal:activity_verify", args=[99999])).status_code == 404


def test_an_account_without_a_person_gets_a_clear_message(client):
    operator = UserFactory(operator=True, totp=True)
    client.force_login(operator)
    for name in ("portal:activity",):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "There is no personal data linked to this account" in text(response)


def test_signing_in_is_required(client):
    response = client.get(reverse("portal:activity"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_account_page_links_to_the_data_pages(client, ann):
    html = client.get(reverse("portal:account")).content.decode()
    assert reverse("portal:activity") in html
    assert reverse("portal:download") in html


def test_account_page_of_an_operator_has_no_data_links(client):
    client.force_login(UserFactory(operator=True, totp=True))
    assert reverse("portal:activity") not in client.get(reverse("portal:account")).content.decode()


def test_entries_newer_than_the_signed_head_say_they_are_waiting(client, ann, settings):
    settings.TREE_HEAD_INTERVAL = 60
    signed = staff_entry(ann)
    tree_head_sign()
    newer = staff_entry(ann)
    listing = text(client.get(reverse("portal:activity")))
    assert listing.count("Waiting for the next signed head") == 1
    page = text(client.get(reverse("portal:activity_verify", args=[newer.seq])))
    assert "Waiting for the next signed head" in page
    assert "every 60 seconds" in page
    assert "Not verified" not in page and "This entry is in the log" not in page
    page = text(client.get(reverse("portal:activity_verify", args=[signed.seq])))
    assert "This entry is in the log the platform signed" in page
    tree_head_sign()
    assert "Waiting" not in text(client.get(reverse("portal:activity")))
    page = text(client.get(reverse("portal:activity_verify", args=[newer.seq])))
    assert "This entry is in the log the platform signed" in page
