"""The catalogue in a real browser: a publisher adds a service (a bad rule first), a
resident finds it on its topic and checks what they can get, with and without JavaScript;
no axe violations on any page."""

import importlib
import json
import re

import pytest
from playwright.sync_api import expect

from agora.catalog.models import Service
from agora.organizations.models import Membership
from tests.browser.test_console_sharing import signed_in
from tests.catalog.helpers import FORM, RULE, add_service
from tests.factories import OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def vocabularies():
    """Load the starting topics and questions: a transactional test's flush removes the rows
    their data migrations put there."""
    from django.apps import apps

    from agora.catalog.models import Question
    from agora.catalog.questions import questions_load

    importlib.import_module("agora.topics.migrations.0002_starting_topics").load(apps, None)
    questions_load(Question)


@pytest.fixture
def council():
    return OrganizationFactory(name="Riverton Council", slug="council")


def test_a_publisher_fixes_a_bad_rule_and_publishes_a_service(live_server, any_page,
                                                             check_axe, council):
    page = any_page
    signed_in(page, live_server, council, Membership.Role.PUBLISHER)
    page.goto(f"{live_server.url}/console/organisations/council/services/")
    assert page.get_by_role("heading", level=1).inner_text() == "Services"
    check_axe(page)
    page.get_by_role("button", name="Add a service").click()
    check_axe(page)
    page.get_by_label("Name of the service").fill("School uniform grant")
    page.get_by_label("Code").fill("school-uniform-grant")
    page.get_by_label("Schools: Free school meals").check()
    page.get_by_label("Eligibility rule (JSON Logic)").fill(
        json.dumps({">=": [{"var": "shoe_size"}, 1]}))
    page.get_by_label("Application form (JSON Schema)").fill(json.dumps(FORM))
    page.get_by_label("Published: residents see it").check()
    page.get_by_role("button", name="Add service").click()
    summary = page.locator(".govuk-error-summary")
    assert "No question asks for shoe_size" in summary.inner_text()
    expect(page).to_have_title(re.compile(r"^Error: "))
    check_axe(page)
    assert not Service.objects.exists()
    page.get_by_label("Eligibility rule (JSON Logic)").fill(json.dumps(RULE))
    page.get_by_role("button", name="Add service").click()
    assert "“School uniform grant” has been added." in page.inner_text("main")
    check_axe(page)
    assert Service.objects.get().status == "published"


def test_a_resident_finds_services_on_a_topic_and_checks_what_they_can_get(
        live_server, any_page, check_axe, council):
    add_service(council, "school-uniform-grant", "School uniform grant",
                topics=["free-school-meals"], rule=RULE, form=FORM,
                summary="Help with the cost of school uniform.")
    add_service(council, "bus-pass", "Older person's bus pass", topics=["schools"],
                rule={">=": [{"var": "age"}, 66]})
    page = any_page
    page.goto(f"{live_server.url}/topics/schools/")
    page.get_by_role("link", name="School uniform grant").click()
    assert page.get_by_role("heading", level=1).inner_text() == "School uniform grant"
    assert "You live in Riverton" in page.inner_text("main")
    check_axe(page)
    page.get_by_role("link", name="Check what you can get").click()
    check_axe(page)
    page.get_by_role("button", name="Start now").click()
    answers = {"Do you live in Riverton?": "Yes", "How old are you?": "40",
               "How many children under 16 live with you?": "2"}
    for _ in range(3):
        heading = page.get_by_role("heading", level=1).inner_text()
        check_axe(page)
        if heading == "How old are you?":
            page.get_by_role("button", name="Continue").click()  # nothing entered
            assert "Answer the question: How old are you?" in page.locator(
                ".govuk-error-summary").inner_text()
            check_axe(page)
        answer = answers[heading]
        if answer in ("Yes", "No"):
            page.get_by_label(answer, exact=True).check()
        else:
            page.get_by_label(heading).fill(answer)
        page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", level=1).inner_text() == "What you may be able to get"
    main = page.inner_text("main")
    may, _, unlikely = main.partition("Services that probably do not apply")
    assert "School uniform grant" in may
    assert "You told us you have 2 children under 16 (needs at least 1) — met" in may
    assert "You told us you are 40 (needs at least 66) — not met" in unlikely
    check_axe(page)
