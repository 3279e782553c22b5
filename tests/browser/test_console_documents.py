"""The console's document pages and topic curation in a real browser, with and without
JavaScript: a publisher uploads (a wrong file first), versions and compares a document; an
operator adds and hides a topic; axe-core finds no WCAG 2.2 AA violation on any page."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from agora.organizations.models import Membership
from agora.topics.models import Topic
from tests.browser.test_console_sharing import signed_in
from tests.content.helpers import markdown
from tests.factories import OrganizationFactory, TotpAuthenticatorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def topics():
    """The few starting topics these journeys use (a transactional test starts empty)."""
    bills, _ = Topic.objects.get_or_create(slug="struggling-with-bills",
                                           defaults={"name": "Struggling with bills"})
    Topic.objects.get_or_create(slug="council-tax",
                                defaults={"name": "Council tax", "parent": bills})
    Topic.objects.get_or_create(slug="bereavement", defaults={"name": "Bereavement",
                                                              "position": 1})


def choose_file(page, name: str, data: bytes) -> None:
    page.get_by_label("File").set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}])


def test_a_publisher_uploads_versions_and_compares_a_document(live_server, any_page,
                                                              check_axe, topics):
    page = any_page
    council = OrganizationFactory(name="Riverton Council", slug="council")
    signed_in(page, live_server, council, Membership.Role.PUBLISHER)
    page.goto(f"{live_server.url}/console/organisations/council/documents/")
    assert page.get_by_role("heading", level=1).inner_text() == "Documents"
    check_axe(page)

    page.get_by_role("button", name="Upload a document").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Upload a document"
    check_axe(page)
    choose_file(page, "setup.exe", b"MZ\x90\x00")
    page.get_by_role("button", name="Publish").click()
    summary = page.locator(".govuk-error-summary")
    assert "Unsupported file type" in summary.inner_text()
    check_axe(page)

    choose_file(page, "tax.md", markdown("Council tax discounts", {
        "Single person discount": "If you live alone you get 25% off."}))
    page.get_by_label("Struggling with bills \u203a Council tax").check()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url("**/documents/*/")
    expect(page.get_by_text("Council tax discounts has been published.")).to_be_visible()
    check_axe(page)

    page.get_by_role("button", name="Upload a new version").click()
    choose_file(page, "tax.md", markdown("Council tax discounts", {
        "Single person discount": "If you live alone you get 30% off."}))
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url("**/documents/*/")
    published = "Version 2 of Council tax discounts has been published."
    expect(page.get_by_text(published)).to_be_visible()

    page.get_by_role("button", name="Compare versions").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Changes from version 1 to version 2")
    table = page.get_by_role("table")
    assert "Removed" in table.inner_text() and "Added" in table.inner_text()
    assert page.locator("del").inner_text() == "If you live alone you get 25% off."
    assert page.locator("ins").inner_text() == "If you live alone you get 30% off."
    check_axe(page)


def test_an_operator_adds_and_hides_a_topic(live_server, any_page, check_axe, topics,
                                            settings):
    page = any_page
    operator = get_user_model().objects.create_user(email="operator@riverton.example",
                                                    password="unused-here", is_staff=True)
    TotpAuthenticatorFactory(user=operator)
    client = Client()
    client.force_login(operator)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                               "url": live_server.url}])
    page.goto(f"{live_server.url}/console/topics/")
    assert page.get_by_role("heading", level=1).inner_text() == "Topics"
    check_axe(page)

    page.get_by_role("button", name="Add a topic").click()
    page.get_by_label("Name", exact=True).fill("Funeral costs")
    page.get_by_role("button", name="Save topic").click()
    assert "Enter short name in web addresses" in page.locator(
        ".govuk-error-summary").inner_text()
    check_axe(page)
    page.get_by_label("Short name in web addresses").fill("funeral-costs")
    page.get_by_label("Where it sits").select_option(label="Under Bereavement")
    page.get_by_role("button", name="Save topic").click()
    page.wait_for_url("**/console/topics/")
    expect(page.get_by_role("link", name="Funeral costs")).to_be_visible()

    page.get_by_role("link", name="Funeral costs").click()
    check_axe(page)
    page.get_by_label("Show this topic to residents").uncheck()
    page.get_by_role("button", name="Save topic").click()
    page.wait_for_url("**/console/topics/")
    expect(page.get_by_text("Hidden")).to_be_visible()
    assert not Topic.objects.get(slug="funeral-costs").is_active
