"""Webhooks in a real browser: an admin adds one, copies the secret, sees the error summary
for a bad address and the webhook's page, dismisses a given-up event; no axe violations."""

import pytest
from playwright.sync_api import expect

from agora.notifications.models import Delivery
from agora.notifications.outbox import event_fan_out
from agora.organizations.models import Membership
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_console_sharing import signed_in
from tests.factories import OrganizationFactory
from tests.notifications.helpers import event_announce, subscribe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_adds_a_webhook_and_copies_its_secret(live_server, any_page, check_axe,
                                                       settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    page = any_page
    council = OrganizationFactory(name="Riverton Council", slug="riverton-council")
    signed_in(page, live_server, council, Membership.Role.ADMIN)
    page.goto(f"{live_server.url}/console/organisations/riverton-council/webhooks/")
    assert page.get_by_role("heading", level=1).inner_text() == "Webhooks"
    check_axe(page)

    page.get_by_role("button", name="Add a webhook").click()
    page.get_by_label("Endpoint address").fill("https://10.0.0.7/agora")
    page.get_by_label("A request changed status (request.status_changed)").check()
    page.get_by_role("button", name="Add webhook").click()
    summary = page.locator(".govuk-error-summary")
    assert "private, loopback or link-local" in summary.inner_text()
    check_axe(page)

    page.get_by_label("Endpoint address").fill("http://127.0.0.1:8999/agora")
    page.get_by_role("button", name="Add webhook").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Webhook added"
    assert page.locator("#secret").inner_text().startswith("whsec_")
    check_axe(page)

    page.get_by_role("link", name="I have copied the secret").click()
    assert page.get_by_role("heading", level=1).inner_text() == "http://127.0.0.1:8999/agora"
    assert "No events have been sent" in page.content()
    assert "whsec_" not in page.content()
    check_axe(page)


def test_an_admin_sends_again_or_dismisses_given_up_events(live_server, page, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    council = OrganizationFactory(name="Riverton Council", slug="riverton-council")
    subscription, _ = subscribe(council, "http://127.0.0.1:8999/agora")
    events = [event_announce(council) for _ in range(2)]
    for event in events:
        event_fan_out(event.pk)
    Delivery.objects.update(status="dead", last_error="The endpoint answered 503: busy")
    signed_in(page, live_server, council, Membership.Role.ADMIN)
    page.goto(f"{live_server.url}/console/organisations/riverton-council/webhooks/"
              f"{subscription.public_id}/")
    expect(page.get_by_role("heading", name="Given up")).to_be_visible()
    expect(page.get_by_text("The endpoint answered 503: busy").first).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name=f"Dismiss event {events[0].pk}").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "1 given-up events were dismissed")
    expect(page.get_by_role("button", name=f"Dismiss event {events[0].pk}")).to_have_count(0)
    expect(page.get_by_role("button", name=f"Send again event {events[1].pk}")).to_be_visible()
    assert_no_axe_violations(page)
