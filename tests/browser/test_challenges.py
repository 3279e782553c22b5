"""Challenges in a real browser: a resident reads a challenge, proposes with a saved query
(after a named mistake), supports a proposal and comments; the organisation answers in the
console and the answer shows on the public page. With and without JavaScript; no axe
violations on any page."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from agora.challenges.models import Challenge, Phase
from agora.organizations.models import Membership
from tests.browser.test_console_sharing import signed_in
from tests.challenges.helpers import challenge, council, propose, resident
from tests.opendata.helpers import dataset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def resident_session(page, live_server):
    """Give the page the session of a resident linked to their person."""
    client = Client()
    client.force_login(resident())
    page.context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url,
    }])


def test_a_resident_proposes_supports_and_comments(live_server, any_page, check_axe):
    organization = council()
    data = dataset(organization)
    opened = challenge(organization)
    Challenge.objects.filter(pk=opened.pk).update(phase=Phase.PROPOSE)
    propose(opened, resident(), title="A crossing on Mill Lane")
    page = any_page
    page.goto(f"{live_server.url}/challenges/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Challenges")
    check_axe(page)
    page.get_by_role("link", name="Safer crossings near schools").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Safer crossings near schools")
    check_axe(page)

    resident_session(page, live_server)
    page.reload()
    page.get_by_role("link", name="Make a proposal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Make a proposal")
    check_axe(page)
    page.get_by_label("Title of your proposal").fill("More bins in North ward")
    page.get_by_label("Your proposal", exact=True).fill("Missed collections are highest there.")
    page.get_by_label("A query of a dataset's rows").fill("https://example.org/elsewhere")
    page.get_by_role("button", name="Publish proposal").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Paste a link to datastore_search")).to_be_visible()
    check_axe(page)
    resource = data.resources.get()
    page.get_by_label("A query of a dataset's rows").fill(
        f"/api/3/action/datastore_search?resource_id={resource.public_id}"
        '&filters={"ward":"North"}')
    page.get_by_label("A dataset that supports it").select_option(label="Bin collections by ward")
    page.get_by_role("button", name="Publish proposal").click()
    expect(page.get_by_role("heading", name="More bins in North ward")).to_be_visible()
    expect(page.get_by_role("link", name="The rows of Collections where ward is North"))\
        .to_be_visible()

    page.get_by_role("button", name="Support A crossing on Mill Lane").click()
    expect(page.get_by_text("You support this proposal.")).to_be_visible()
    page.get_by_label("Your comment", exact=True).fill("Mill Lane is the worst at 8am.")
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_text("Mill Lane is the worst at 8am.")).to_be_visible()
    check_axe(page)


def test_the_organisation_answers_in_the_console(live_server, any_page, check_axe):
    organization = council()
    opened = challenge(organization)
    proposal = propose(opened, resident(), title="A crossing on Mill Lane")
    Challenge.objects.filter(pk=opened.pk).update(phase=Phase.RESPOND)
    page = any_page
    signed_in(page, live_server, organization, Membership.Role.PUBLISHER)
    page.goto(f"{live_server.url}/console/organisations/council/challenges/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Challenges")
    check_axe(page)
    page.get_by_role("link", name="Safer crossings near schools").click()
    check_axe(page)
    page.get_by_role("link", name=f"Answer {proposal.title}").click()
    page.get_by_label("Accepted").check()
    page.get_by_role("button", name="Publish answer").click()
    expect(page.locator(".govuk-error-summary").get_by_role("link", name="Enter the reason"))\
        .to_be_visible()
    check_axe(page)
    page.get_by_label("The reason").fill("We will build it in spring.")
    page.get_by_role("button", name="Publish answer").click()
    expect(page.get_by_text("Accepted: We will build it in spring.")).to_be_visible()
    page.get_by_role("link", name="Add a milestone to A crossing on Mill Lane").click()
    check_axe(page)
    page.goto(f"{live_server.url}/console/organisations/council/challenges/")
    page.get_by_role("link", name="Open a challenge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open a challenge")
    check_axe(page)
    page.goto(f"{live_server.url}/challenges/safer-crossings/")
    expect(page.get_by_text("We will build it in spring.")).to_be_visible()
    check_axe(page)
