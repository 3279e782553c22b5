"""The register of processing in a real browser: an admin proposes a purpose, the data
protection officer approves it, anyone reads it on the public page; no axe violations."""

import pytest
from playwright.sync_api import expect

from agora.access.models import DataCategory, Purpose
from agora.access.vocabulary import load_vocabulary
from agora.organizations.models import Membership
from tests.browser.test_console_sharing import signed_in
from tests.factories import OrganizationFactory, declare

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def vocabulary():
    load_vocabulary(DataCategory, Purpose)


@pytest.fixture
def foodbank():
    organization = OrganizationFactory(name="Riverton Food Bank", slug="riverton-food-bank",
                                       kind="ngo")
    declare(organization, "emergency-food-support", ["case-history"],
            serves="Households who ask for food parcels.")
    return organization


def test_admin_proposes_and_the_dpo_approves_a_purpose(live_server, any_page, check_axe,
                                                       foodbank):
    page = any_page
    base = f"{live_server.url}/console/organisations/riverton-food-bank/purposes/"
    signed_in(page, live_server, foodbank, Membership.Role.ADMIN)
    page.goto(base)
    assert page.get_by_role("heading", level=1).inner_text() == "Register of processing"
    expect(page.get_by_role("link", name="Emergency food support")).to_be_visible()
    check_axe(page)

    page.get_by_role("button", name="Propose a purpose").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Propose a purpose"
    check_axe(page)
    page.get_by_label("Debt advice").check()
    page.get_by_label("Art. 6(1)(a) consent").check()
    page.get_by_label("Health", exact=True).check()
    page.get_by_label("Whom the processing serves").fill("Clients who ask for debt advice.")
    page.get_by_role("button", name="Propose purpose").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Health is a special category")).to_be_visible()
    check_axe(page)

    page.get_by_label("Health", exact=True).uncheck()
    page.get_by_label("Case history").check()
    page.get_by_role("button", name="Propose purpose").click()
    page.wait_for_url("**/purposes/*/")
    expect(page.get_by_text("Proposed", exact=True).first).to_be_visible()
    check_axe(page)

    signed_in(page, live_server, foodbank, Membership.Role.DPO)
    page.reload()
    page.get_by_role("button", name="Approve").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Approve this declaration?"
    check_axe(page)
    page.get_by_role("button", name="Approve").click()
    page.wait_for_url("**/purposes/*/")
    expect(page.get_by_text("Approved a purpose declaration")).to_be_visible()

    page.goto(f"{live_server.url}/how-organisations-use-information/riverton-food-bank/")
    expect(page.get_by_role("heading", name="Debt advice")).to_be_visible()
    check_axe(page)


def test_the_public_page_is_accessible(live_server, any_page, check_axe, foodbank):
    page = any_page
    page.goto(f"{live_server.url}/how-organisations-use-information/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "How organisations use information")
    expect(page.get_by_role("link", name="Riverton Food Bank")).to_be_visible()
    check_axe(page)
