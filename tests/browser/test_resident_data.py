"""The resident's data pages pass axe-core's WCAG 2.2 AA rules in a real browser."""

import pytest

from agora.people.models import Person
from tests.browser.axe import assert_no_axe_violations
from tests.browser.helpers import resident, sign_in_with_password
from tests.factories import OrganizationFactory, PersonFactory
from tests.portal.helpers import staff_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ann():
    user, _ = resident()
    return PersonFactory(user=user, email=user.email, given_name="Ann", family_name="Lee")


def open_as(page, live_server, person, path: str) -> None:
    sign_in_with_password(page, live_server, email=person.user.email, start=path)
    page.wait_for_url(f"**{path}")


def heading(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def test_activity_list_is_accessible(live_server, page, ann):
    council = OrganizationFactory(name="Riverton Council")
    for _ in range(30):
        staff_entry(ann, organization=council, purpose="housing-allocation")
    staff_entry(ann, organization=council, decision="deny", reason="No agreement covers it")
    open_as(page, live_server, ann, "/account/activity/")
    assert heading(page) == "Who has seen your data"
    assert page.get_by_role("navigation", name="Pages of entries").is_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Result").select_option("deny")
    page.get_by_role("button", name="Apply filters").click()
    assert page.get_by_text("1 entry match your filters").is_visible()
    assert_no_axe_violations(page)


def test_activity_filters_and_pages_work_without_javascript(live_server, page_without_js, ann):
    page = page_without_js
    council = OrganizationFactory(name="Riverton Council")
    for _ in range(26):
        staff_entry(ann, organization=council)
    staff_entry(ann, organization=OrganizationFactory(name="Food bank"), label="Fran")
    open_as(page, live_server, ann, "/account/activity/")
    page.get_by_role("link", name="Next page").click()
    page.wait_for_url("**page=2")
    page.get_by_label("Organisation").select_option(label="Food bank")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**organization=*")
    assert page.get_by_text("1 entry match your filters").is_visible()


def test_verify_page_is_accessible(live_server, page, ann):
    entry = staff_entry(ann)
    staff_entry(ann)
    open_as(page, live_server, ann, "/account/activity/")
    page.get_by_role("link", name=f"Check this entry (number {entry.seq})").click()
    assert heading(page) == "Check this log entry"
    assert page.get_by_text("This entry is in the log the platform signed").is_visible()
    assert_no_axe_violations(page)


def test_verify_page_of_a_tampered_entry_is_accessible(live_server, page, ann):
    from tests.portal.helpers import tamper

    entry = staff_entry(ann, decision="deny")
    tamper(entry, reason="nothing to see")
    open_as(page, live_server, ann, f"/account/activity/{entry.seq}/verify/")
    assert page.get_by_role("alert").get_by_text("Not verified").is_visible()
    assert_no_axe_violations(page)


def test_download_page_is_accessible(live_server, page, ann):
    open_as(page, live_server, ann, "/account/download/")
    assert heading(page) == "Download your data"
    assert_no_axe_violations(page)


def test_download_works_without_javascript(live_server, page_without_js, ann):
    page = page_without_js
    open_as(page, live_server, ann, "/account/download/")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download your data (zip file)").click()
    assert info.value.suggested_filename.startswith("my-data-")
    assert info.value.suggested_filename.endswith(".zip")


def test_no_person_page_is_accessible(live_server, page):
    user, _ = resident(email="staff@example.org")
    sign_in_with_password(page, live_server, email=user.email)
    page.wait_for_url("**/account/")
    Person.objects.filter(user=user).update(user=None)  # signing in linked one: unlink it
    page.goto(live_server.url + "/account/activity/")
    assert heading(page) == "There is no personal data linked to this account"
    assert_no_axe_violations(page)
