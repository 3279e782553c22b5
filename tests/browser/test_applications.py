"""A resident applies for a service end to end in chromium, every page checked with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from agora.access.models import Consent, DataCategory, Purpose
from agora.access.vocabulary import load_vocabulary
from agora.cases.models import Case
from tests.applications.helpers import household_record, service
from tests.browser.axe import assert_no_axe_violations
from tests.browser.helpers import resident, sign_in_with_password
from tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
START = "/services/council-tax-reduction/apply/"


@pytest.fixture(autouse=True)
def vocabulary():
    """Load the standard categories and purposes (transactional tests flush the migration's)."""
    load_vocabulary(DataCategory, Purpose)


@pytest.fixture
def ann():
    user, _ = resident()
    person = PersonFactory(user=user, email=user.email, given_name="Ann", family_name="Lee")
    household_record(person)
    return person


def heading(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def answer(page, question: str, value: str) -> None:
    """Type an answer to the page's question and continue, after checking the page."""
    assert question in heading(page)
    assert_no_axe_violations(page)
    page.get_by_label(question).fill(value)
    page.get_by_role("button", name="Continue").click()


def choose(page, question: str, *options: str) -> None:
    assert question in heading(page)
    assert_no_axe_violations(page)
    for option in options:
        page.get_by_label(option, exact=True).check()
    page.get_by_role("button", name="Continue").click()


def test_a_resident_applies_with_prefill_errors_changes_and_a_saved_draft(
    live_server, page, ann,
):
    tax = service()

    # The start page is public; starting asks to sign in, then offers prefill.
    page.goto(live_server.url + START)
    assert heading(page) == "Apply for Council tax reduction"
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Email").fill(ann.user.email)
    page.get_by_label("Password", exact=True).fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/apply/use-your-information/")
    assert heading(page) == "Use information organisations already hold about you"
    assert_no_axe_violations(page)

    # No choice: the error summary, which links to the first option.
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    assert "Select yes if you want us to fill in your answers" in summary.inner_text()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_no_axe_violations(page)
    page.get_by_label("Yes, fill in my answers").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("We filled in 2 answers from your records")).to_be_visible()
    consent = Consent.objects.get(person=ann)
    assert consent.recipient == tax.provider and consent.receipt_signature

    answer(page, "What is your full name?", "Ann Lee")

    # A bad answer: the error summary at the top, the message at the question.
    answer(page, "What is your email address?", "ann-at-example")
    message = "Enter an email address in the correct format, like name@example.com"
    assert message in page.locator(".govuk-error-summary").inner_text()
    assert message in page.locator(".govuk-error-message").inner_text()
    assert_no_axe_violations(page)
    page.locator(".govuk-error-summary").get_by_role("link", name=message).click()
    page.get_by_label("What is your email address?").fill("ann@example.org")
    page.get_by_role("button", name="Continue").click()

    # Prefilled answers arrive filled in, saying where they came from.
    assert page.get_by_label("What is your address?").input_value() == (
        "4 Mill Lane, Riverton RV1 2AB")
    expect(page.get_by_text("We filled this in from your household")).to_be_visible()
    answer(page, "What is your address?", "4 Mill Lane, Riverton RV1 2AB")
    assert page.get_by_label("How many adults live in your home?").input_value() == "2"
    answer(page, "How many adults live in your home?", "2")
    answer(page, "What is your household's income each month, in pounds?", "1250.50")

    # Sign out half way; signing in again finds the draft where it was left.
    page.get_by_role("navigation", name="Menu").get_by_role("button", name="Sign out").click()
    page.wait_for_url(live_server.url + "/")
    page.goto(live_server.url + START)
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Email").fill(ann.user.email)
    page.get_by_label("Password", exact=True).fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/questions/payment_method/")  # the first question not answered
    page.goto(live_server.url + START)
    expect(page.get_by_text("You started an application on")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Continue your application").click()

    choose(page, "How do you pay your council tax?", "online")
    choose(page, "Which benefits do you get?", "Universal Credit", "Pension Credit")
    choose(page, "Do you live alone?", "No")
    assert heading(page).endswith("When did you move into your home?")
    assert_no_axe_violations(page)
    page.get_by_label("Day").fill("27")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2019")
    page.get_by_role("button", name="Continue").click()
    answer(page, "Is there anything else we should know?", "My hours at work were cut.")

    # Check your answers; change one; come back to the check page.
    page.wait_for_url("**/apply/check/")
    assert heading(page) == "Check your answers before sending your application"
    assert_no_axe_violations(page)
    rows = page.locator(".govuk-summary-list").inner_text()
    assert "Universal Credit, Pension Credit" in rows and "27 March 2019" in rows
    page.get_by_role("link", name="Change how many adults live in your home?").click()
    answer(page, "How many adults live in your home?", "3")
    page.wait_for_url("**/apply/check/")
    adults = page.locator(".govuk-summary-list__row", has_text="How many adults")
    assert adults.locator(".govuk-summary-list__value").inner_text().strip() == "3"

    # Send: the confirmation gives the request's reference.
    page.get_by_role("button", name="Accept and send").click()
    page.wait_for_url("**/apply/sent/")
    case = Case.objects.get(person=ann)
    assert heading(page) == "Application sent"
    assert case.reference in page.locator(".govuk-panel").inner_text()
    assert re.fullmatch(r"[A-Z]+-\d{4}-\d+", case.reference)
    assert case.answers["adults"] == 3 and case.answers["benefits"] == [
        "universal-credit", "pension-credit"]
    assert_no_axe_violations(page)
    page.get_by_role("link", name="follow your application").click()
    assert case.reference in page.locator("main").inner_text()


def test_the_flow_works_without_javascript(live_server, page_without_js, ann):
    page = page_without_js
    service()
    sign_in_with_password(page, live_server, email=ann.user.email,
                          start=START + "continue/")
    page.get_by_label("No, I will answer every question").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("What is your full name?").fill("x" * 101)
    page.get_by_role("button", name="Continue").click()
    assert "Your full name must be 100 characters or less" in page.locator(
        ".govuk-error-summary").inner_text()
    page.get_by_label("What is your full name?").fill("Ann Lee")
    page.get_by_role("button", name="Continue").click()
    assert heading(page).endswith("What is your email address?")
