"""The work queue, a request's changes and "Your requests" pass axe-core in a real browser."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from agora.access.viewers import viewer_for_resident
from agora.cases.models import Case
from agora.cases.services import case_create, case_message_send
from agora.organizations.models import Membership
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_console_sharing import signed_in
from tests.cases.helpers import service_make, staff_of
from tests.factories import OrganizationFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def as_resident(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                               "url": live_server.url}])


def test_a_caseworker_works_the_queue_and_the_resident_sees_it(live_server, page, browser):
    council = OrganizationFactory(name="Riverton Council", slug="riverton-council")
    service = service_make(council, name="Council Tax Reduction", target_days=10)
    user = UserFactory(email="ann@example.org")
    PersonFactory(user=user, given_name="Ann", family_name="Lee")
    late = case_create(viewer=viewer_for_resident(user), service=service,
                       now=timezone.now() - timedelta(days=12))
    signed_in(page, live_server, council, Membership.Role.CASEWORKER)
    page.goto(f"{live_server.url}/console/organisations/riverton-council/requests/")
    expect(page.get_by_role("link", name=late.reference)).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=late.reference).click()
    page.get_by_role("link", name="Change status").click()
    page.get_by_role("button", name="Change status").click()  # nothing chosen
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Waiting for the resident").check()
    page.get_by_label("Note for the resident").fill("Please send your latest payslip.")
    page.get_by_role("button", name="Change status").click()
    assert "Status changed" in page.locator(".govuk-notification-banner").inner_text()
    assert_no_axe_violations(page)
    assert Case.objects.get(pk=late.pk).status == "waiting-for-you"

    resident_page = browser.new_page()
    as_resident(resident_page, live_server, user)
    resident_page.goto(f"{live_server.url}/requests/")
    expect(resident_page.get_by_role("heading", name="Your requests", level=1)).to_be_visible()
    assert "We need something from you" in resident_page.content()
    assert_no_axe_violations(resident_page)
    resident_page.get_by_role("link", name=f"Open request {late.reference}").click()
    resident_page.get_by_role("button", name="Send message").click()  # empty
    expect(resident_page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_axe_violations(resident_page)
    resident_page.get_by_label("Your reply").fill("Sent by post yesterday.")
    resident_page.get_by_role("button", name="Send message").click()
    assert "Your reply has been sent." in resident_page.content()
    assert_no_axe_violations(resident_page)
    resident_page.close()


def test_the_menu_counts_new_updates_until_the_resident_opens_the_request(live_server, page):
    council = OrganizationFactory(name="Riverton Council", slug="riverton-council")
    user = UserFactory(email="ann@example.org")
    PersonFactory(user=user, given_name="Ann", family_name="Lee")
    case = case_create(viewer=viewer_for_resident(user), service=service_make(council))
    case_message_send(viewer=staff_of(council), reference=case.reference,
                      text="Please send your latest payslip.")
    as_resident(page, live_server, user)
    page.goto(f"{live_server.url}/")
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Your requests (1 new)")).to_be_visible()
    assert_no_axe_violations(page)
    menu.get_by_role("link", name="Your requests (1 new)").click()
    expect(page.get_by_role("heading", name="Your requests", level=1)).to_be_visible()
    expect(page.locator("#unread")).to_have_text("You have 1 new update since you last looked.")
    assert_no_axe_violations(page)
    page.get_by_role("link", name=f"Open request {case.reference}").click()
    expect(page.get_by_text("Please send your latest payslip.")).to_be_visible()
    expect(menu.get_by_role("link", name="Your requests", exact=True)).to_be_visible()
    assert_no_axe_violations(page)
