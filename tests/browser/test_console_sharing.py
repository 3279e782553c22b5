"""The sharing pages of the console in a real browser: journeys, and no axe-core violations."""

import re
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from agora.access.models import DataCategory, Purpose
from agora.access.vocabulary import load_vocabulary
from agora.audit.services import AuditActor, log_append
from agora.organizations.models import Membership
from agora.people.identifiers import national_id_hash
from tests.factories import (
    AgreementFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    RecordFactory,
    TotpAuthenticatorFactory,
    declare,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NATIONAL_ID = "AB123456C"


@pytest.fixture(autouse=True)
def vocabulary():
    load_vocabulary(DataCategory, Purpose)


@pytest.fixture
def council():
    return OrganizationFactory(name="Riverton Council", slug="council")


@pytest.fixture
def foodbank():
    organization = OrganizationFactory(name="Riverton Food Bank", slug="foodbank", kind="ngo")
    declare(organization, "emergency-food-support", ["housing"])
    declare(organization, "debt-advice", ["housing"])
    return organization


def signed_in(page, live_server, organization, role):
    """Give the page the session of a new member with a second factor (sign-in is tested
    in test_sign_in.py; here it would only slow every test down)."""
    user = MembershipFactory(organization=organization, role=role).user
    TotpAuthenticatorFactory(user=user)
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }])
    return user


@pytest.fixture
def shared_person(council, foodbank):
    """A person with a council housing record the food bank may see for food support."""
    person = PersonFactory(given_name="Amara", family_name="Osei",
                           national_id_hash=national_id_hash(NATIONAL_ID))
    housing = DataCategory.objects.get(code="housing")
    RecordFactory(owner=council, subject=person, category=housing, title="Tenancy at 4 Mill Lane",
                  fields={"name": "Amara Osei", "status": "tenant", "notes": "SECRET-NOTE"})
    RecordFactory(owner=foodbank, subject=person, title="Food parcel referral",
                  fields={"parcels": 3})
    AgreementFactory(provider=council, recipient=foodbank, title="Food support referrals",
                     categories=[housing],
                     purposes=[Purpose.objects.get(code="emergency-food-support")],
                     fields_allowed=["name", "status"])
    return person


def test_caseworker_finds_a_person_and_sees_only_what_is_shared(
    live_server, any_page, check_axe, foodbank, shared_person
):
    page = any_page
    signed_in(page, live_server, foodbank, Membership.Role.CASEWORKER)
    page.goto(f"{live_server.url}/console/organisations/foodbank/people/")
    assert page.get_by_role("heading", level=1).inner_text() == "Find a person"
    check_axe(page)

    page.get_by_role("button", name="Find person").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role(
        "link", name="Enter the person's national identifier or their name"
    )).to_be_visible()
    check_axe(page)

    page.get_by_label("Emergency food support").check()
    page.get_by_label("National identifier").fill("ab 12 34 56 c")
    page.get_by_role("button", name="Find person").click()

    page.wait_for_url("**/people/*/?purpose=emergency-food-support")
    assert page.get_by_role("heading", level=1).inner_text() == "Amara Osei"
    expect(page.get_by_role("heading", name="Riverton Council")).to_be_visible()
    expect(page.get_by_text("Tenancy at 4 Mill Lane")).to_be_visible()
    expect(page.get_by_text("Food parcel referral")).to_be_visible()
    assert "SECRET-NOTE" not in page.content()
    check_axe(page)

    page.get_by_role("link", name="Change purpose").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Why do you need to see this person's information?"
    )
    assert page.get_by_label("Emergency food support").is_checked()
    check_axe(page)
    page.get_by_label("Debt advice").check()
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/?purpose=debt-advice")
    # The agreement covers food support only: the council's record is gone, ours stays.
    expect(page.get_by_text("Food parcel referral")).to_be_visible()
    assert "Tenancy" not in page.content()
    check_axe(page)


def test_dpo_reads_the_access_report_with_refusals_first(live_server, any_page, check_axe,
                                                          council):
    page = any_page
    actor = AuditActor("staff", str(uuid.uuid4()), "snooper@foodbank.example.org")
    record = RecordFactory(owner=council)
    for decision in ("permit", "deny", "deny"):
        log_append(actor=actor, action="record.read", decision=decision, reason="Asked.",
                   organization="foodbank", purpose="debt-advice", resource_type="record",
                   resource_id=str(record.public_id))
    signed_in(page, live_server, council, Membership.Role.DPO)

    page.goto(f"{live_server.url}/console/organisations/council/dpo/access")
    assert page.get_by_role("heading", level=1).inner_text() == "Access report"
    banner = page.get_by_role("region", name="Refused attempts")
    assert "2 refused" in banner.inner_text()
    check_axe(page)

    banner.get_by_role("link", name="Show only refused attempts").click()
    assert page.get_by_role("radio", name="Refused", exact=True).is_checked()
    assert page.locator("tbody .govuk-tag--green").count() == 0
    check_axe(page)

    page.get_by_role("group", name="From").get_by_label("Day").fill("31")
    page.get_by_role("group", name="From").get_by_label("Month").fill("2")
    page.get_by_role("group", name="From").get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Apply filters").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="From must be a real date")).to_be_visible()
    check_axe(page)


def test_admin_proposes_and_approves_an_agreement(live_server, any_page, check_axe, council,
                                                  foodbank):
    page = any_page
    signed_in(page, live_server, council, Membership.Role.ADMIN)
    page.goto(f"{live_server.url}/console/organisations/council/agreements/")
    assert page.get_by_role("heading", level=1).inner_text() == "Sharing agreements"
    check_axe(page)

    page.get_by_role("button", name="Propose an agreement").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Propose an agreement"
    check_axe(page)

    page.get_by_label("We share our data with the other organisation").check()
    page.get_by_label("Other organisation", exact=True).select_option("foodbank")
    page.get_by_label("Title").fill("Housing data for food support")
    page.get_by_label("Housing", exact=True).check()
    page.get_by_label("Emergency food support").check()
    page.get_by_label("Art. 6(1)(e) public task").check()
    page.get_by_label("Fields the recipient may see").fill("name\nstatus")
    valid_from = page.get_by_role("group", name="Valid from")
    valid_from.get_by_label("Day").fill("1")
    valid_from.get_by_label("Month").fill("4")
    valid_from.get_by_label("Year").fill("2026")
    valid_to = page.get_by_role("group", name="Valid until")
    valid_to.get_by_label("Day").fill("1")
    valid_to.get_by_label("Month").fill("1")
    valid_to.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Propose agreement").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role(
        "link", name="The agreement must end after it starts.")).to_be_visible()
    check_axe(page)

    valid_to = page.get_by_role("group", name="Valid until")
    valid_to.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Propose agreement").click()

    page.wait_for_url("**/agreements/*/")
    assert page.get_by_role("heading", level=1).inner_text().startswith(
        "Housing data for food support")
    expect(page.get_by_text("Draft", exact=True)).to_be_visible()
    check_axe(page)

    page.get_by_role("button", name="Approve").click()
    page.wait_for_url("**/agreements/*/")
    expect(page.get_by_text("Approved an agreement")).to_be_visible()

    page.get_by_role("button", name="End agreement").click()
    assert page.get_by_role("heading", level=1).inner_text() == "End this agreement?"
    check_axe(page)
    page.get_by_label("Reason").fill("Proposed by mistake.")
    page.get_by_role("button", name="End agreement").click()
    page.wait_for_url("**/agreements/*/")
    expect(page.get_by_text("Ended", exact=True).first).to_be_visible()


def test_dpo_overview_is_accessible(live_server, page, check_axe, council, foodbank):
    AgreementFactory(provider=council, recipient=foodbank, title="Ending soon",
                     valid_to=timezone.now() + timedelta(days=3))
    signed_in(page, live_server, council, Membership.Role.DPO)
    page.goto(f"{live_server.url}/console/organisations/council/dpo/")
    assert page.get_by_role("heading", level=1).inner_text() == "Data protection"
    expect(page.get_by_text("1 agreement needs attention.")).to_be_visible()
    check_axe(page)
