"""The resident's data pages pass axe-core's WCAG 2.2 AA rules in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from agora.access.models import DataCategory, Purpose
from agora.access.vocabulary import load_vocabulary
from agora.audit.services import tree_head_sign
from agora.people.models import Person
from tests.browser.axe import assert_no_axe_violations
from tests.browser.helpers import resident, sign_in_with_password
from tests.factories import OrganizationFactory, PersonFactory, declare
from tests.portal.helpers import staff_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def vocabulary():
    """Load the standard categories and purposes (transactional tests flush the migration's)."""
    load_vocabulary(DataCategory, Purpose)


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
    expect(page.get_by_role("navigation", name="Pages of entries")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Result").select_option("deny")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("1 entry match your filters")).to_be_visible()
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
    expect(page.get_by_text("1 entry match your filters")).to_be_visible()


def test_verify_page_is_accessible(live_server, page, ann):
    entry = staff_entry(ann)
    staff_entry(ann)
    tree_head_sign()  # what the worker's cadence does
    open_as(page, live_server, ann, "/account/activity/")
    page.get_by_role("link", name=f"Check this entry (number {entry.seq})").click()
    assert heading(page) == "Check this log entry"
    expect(page.get_by_text("This entry is in the log the platform signed")).to_be_visible()
    assert_no_axe_violations(page)


def test_verify_page_of_a_tampered_entry_is_accessible(live_server, page, ann):
    from tests.portal.helpers import tamper

    entry = staff_entry(ann, decision="deny")
    tree_head_sign()
    tamper(entry, reason="nothing to see")
    open_as(page, live_server, ann, f"/account/activity/{entry.seq}/verify/")
    expect(page.get_by_role("alert").get_by_text("Not verified")).to_be_visible()
    assert_no_axe_violations(page)


def test_an_entry_waiting_for_the_next_signed_head_says_so_and_is_accessible(
    live_server, page, ann
):
    staff_entry(ann)
    tree_head_sign()
    newer = staff_entry(ann)
    open_as(page, live_server, ann, "/account/activity/")
    assert page.get_by_text("Waiting for the next signed head", exact=True).count() == 1
    assert_no_axe_violations(page)
    page.get_by_role("link", name=f"Check this entry (number {newer.seq})").click()
    expect(page.get_by_role("heading", name="Waiting for the next signed head")).to_be_visible()
    assert page.get_by_text("Not verified").count() == 0
    assert_no_axe_violations(page)
    tree_head_sign()  # the next head comes: the same page now verifies the entry
    page.reload()
    expect(page.get_by_text("This entry is in the log the platform signed")).to_be_visible()


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


@pytest.fixture
def food_bank():
    """A food bank that declared the purposes its residents' consents name."""
    organization = OrganizationFactory(name="Riverton Food Bank", kind="ngo")
    declare(organization, "emergency-food-support", ["housing"])
    declare(organization, "social-care-support", ["housing", "health"])
    return organization


def given_consent(person, recipient):
    import datetime

    from django.utils import timezone

    from agora.access.services import consent_give

    return consent_give(
        actor=person.user, person=person, recipient=recipient,
        categories=["housing", "health"], purpose="social-care-support",
        expires_at=timezone.now() + datetime.timedelta(days=90),
    )


def test_consents_list_is_accessible(live_server, page, ann, food_bank):
    given_consent(ann, food_bank)
    open_as(page, live_server, ann, "/account/consents/")
    assert heading(page) == "Your consents"
    expect(page.get_by_text("Active")).to_be_visible()
    assert_no_axe_violations(page)


def test_giving_consent_with_an_error_is_accessible(live_server, page, ann, food_bank):
    open_as(page, live_server, ann, "/account/consents/new/")
    assert heading(page) == "Give consent"
    assert_no_axe_violations(page)
    page.get_by_label("Which organisation can see your information?").select_option(
        label="Riverton Food Bank"
    )
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2001")
    page.get_by_role("button", name="Give consent").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role(
        "link", name="Select at least one kind of information")).to_be_visible()
    assert summary.get_by_role("link", name="Expiry date must be in the future").get_attribute(
        "href"
    ) == "#id_expires_on_day"
    expect(page).to_have_title(re.compile(r"^Error: Give consent"))
    assert_no_axe_violations(page)


def test_giving_consent_works_without_javascript(live_server, page_without_js, ann, food_bank):
    page = page_without_js
    open_as(page, live_server, ann, "/account/consents/new/")
    page.get_by_label("Which organisation can see your information?").select_option(
        label="Riverton Food Bank"
    )
    page.get_by_label("Housing", exact=True).check()
    page.get_by_label("Emergency food support").check()
    page.get_by_role("button", name="Give consent").click()
    expect(page.get_by_text("You have given consent to Riverton Food Bank")).to_be_visible()
    expect(page.get_by_text("Signature verified")).to_be_visible()


def test_receipt_is_accessible(live_server, page, ann, food_bank):
    consent = given_consent(ann, food_bank)
    open_as(page, live_server, ann, f"/account/consents/{consent.public_id}/")
    expect(page.get_by_text("Signature verified")).to_be_visible()
    assert_no_axe_violations(page)


def test_withdraw_confirmation_is_accessible(live_server, page, ann, food_bank):
    consent = given_consent(ann, food_bank)
    open_as(page, live_server, ann, f"/account/consents/{consent.public_id}/withdraw/")
    assert heading(page) == "Withdraw your consent for Riverton Food Bank?"
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Withdraw consent").click()
    page.wait_for_url("**/account/consents/")
    expect(page.get_by_role("alert").get_by_text("It takes effect at once")).to_be_visible()
    expect(page.get_by_text("Withdrawn", exact=True).first).to_be_visible()
    assert_no_axe_violations(page)
