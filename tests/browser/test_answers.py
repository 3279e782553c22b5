"""Asking a question in a real browser, with and without JavaScript: from the home page to
an answer with its quoted source and the linked section; an abstention handed over to a
person, which then shows in "Your requests"; no axe violations on any page."""

import importlib

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.content.helpers import publish
from tests.factories import OrganizationFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def topics():
    """Load the starting topics: a transactional test's flush removes the migration's rows."""
    from django.apps import apps

    importlib.import_module("agora.topics.migrations.0002_starting_topics").load(apps, None)


@pytest.fixture
def guidance(topics):
    council = OrganizationFactory(name="Riverton Council", slug="council")
    publish(council, "bins", "Bin collections", {
        "Garden waste": "Garden waste collection costs £45 a year. Subscribe online.",
        "Missed collections": "Report a missed bin within 2 working days online.",
    }, topics=("bin-collections",))
    return council


def test_a_resident_asks_from_the_home_page_and_follows_the_source(
        live_server, any_page, check_axe, guidance):
    page = any_page
    page.goto(live_server.url + "/")
    check_axe(page)
    page.get_by_label("Ask a question").fill("how much is the garden waste bin")
    page.get_by_role("button", name="Ask", exact=True).click()
    expect(page.get_by_role("heading", level=2, name="Answer")).to_be_visible()
    assert "£45 a year" in page.locator(".agora-answer").inner_text()
    assert "Garden waste collection costs £45 a year." in page.locator(".agora-quote").inner_text()
    check_axe(page)
    page.get_by_role("link", name="Bin collections: Garden waste").click()
    assert page.url.endswith("#garden-waste")
    expect(page.get_by_role("heading", name="Garden waste")).to_be_visible()


def test_an_unanswered_question_is_handed_to_a_person_and_tracked(
        live_server, any_page, check_axe, guidance):
    page = any_page
    user = UserFactory(email="ann@example.org")
    PersonFactory(user=user)
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                               "url": live_server.url}])
    page.goto(live_server.url + "/topics/bin-collections/")
    page.get_by_label("Ask a question about").fill("bin day in leeds")
    page.get_by_role("button", name="Ask", exact=True).click()
    expect(page.get_by_role(
        "heading", name="We cannot answer that from the published guidance")).to_be_visible()
    check_axe(page)
    page.get_by_role("button", name="Ask a person").click()
    check_axe(page)
    page.get_by_role("button", name="Send your question").click()
    assert "Your question has been sent to Riverton Council" in page.content()
    check_axe(page)
    page.goto(live_server.url + "/requests/")
    assert "Ask Riverton Council a question" in page.content()
    page.goto(live_server.url + "/ask/")
    page.get_by_label("Your question").fill("whats happening with my question to the council")
    page.get_by_role("button", name="Ask", exact=True).click()
    expect(page.get_by_role("heading", name="This is about your own requests")).to_be_visible()
    assert "Ask Riverton Council a question" in page.locator("main").inner_text()
    check_axe(page)


def test_a_personal_question_asks_an_anonymous_resident_to_sign_in(
        live_server, any_page, check_axe, guidance):
    page = any_page
    page.goto(live_server.url + "/ask/?question=when+is+my+next+payment")
    assert page.get_by_role("link", name="Sign in", exact=True).count() >= 1
    check_axe(page)
    page.goto(live_server.url + "/ask/?question=")
    assert "Enter your question." in page.locator(".govuk-error-summary").inner_text()
    check_axe(page)
