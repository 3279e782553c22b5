"""Sharing agreements in the console: who sees them, proposing, and every change of status."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agora.access.models import Agreement, DataCategory, Purpose
from agora.audit.models import LogEntry
from agora.organizations.models import Membership
from tests.console.test_views import error_summary, sign_in, success_banner
from tests.factories import (
    AgreementFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
    declare,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vocabulary")]

ADMIN, DPO, CASEWORKER = Membership.Role.ADMIN, Membership.Role.DPO, Membership.Role.CASEWORKER


def member(organization, role=ADMIN):
    return MembershipFactory(organization=organization, role=role).user


def agreement_for(council, foodbank, **kwargs):
    defaults = {
        "provider": council, "recipient": foodbank, "title": "Food support referrals",
        "categories": [DataCategory.objects.get(code="housing")],
        "purposes": [Purpose.objects.get(code="emergency-food-support")],
    }
    return AgreementFactory(**{**defaults, **kwargs})


def url(name, organization, *args):
    return reverse(f"console:{name}", args=[organization.slug, *args])


def proposal(foodbank, **overrides):
    data = {
        "side": "provider",
        "other": foodbank.slug,
        "title": "Housing data for food support",
        "description": "So the food bank can see who is in temporary housing.",
        "categories": ["housing"],
        "purposes": ["emergency-food-support"],
        "legal_basis": "6.1.e",
        "fields_allowed": "name, status\ntenure",
        "valid_from_0": "1", "valid_from_1": "4", "valid_from_2": "2026",
        "valid_to_0": "31", "valid_to_1": "3", "valid_to_2": "2027",
    }
    data.update(overrides)
    return data


# Who sees what


def test_list_shows_both_directions_with_status_and_dates(client, council, foodbank,
                                                          django_assert_max_num_queries):
    agreement_for(council, foodbank, title="We give")
    agreement_for(foodbank, council, title="We get", status="suspended")
    for n in range(5):
        agreement_for(council, OrganizationFactory(), title=f"More {n}")
    sign_in(client, member(council))

    with django_assert_max_num_queries(15):
        response = client.get(url("agreements", council))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("We give") < html.index("Others share their data with us") < html.index(
        "We get")
    assert '<strong class="govuk-tag govuk-tag--green">Active</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--yellow">Suspended</strong>' in html
    assert "Propose an agreement" in html


def test_dpo_sees_agreements_but_may_not_propose(client, council, foodbank):
    agreement = agreement_for(council, foodbank)
    sign_in(client, member(council, DPO))
    html = client.get(url("agreements", council)).content.decode()
    assert "Food support referrals" in html
    assert "Propose an agreement" not in html
    assert client.get(url("agreement_new", council)).status_code == 403
    assert client.get(url("agreement", council, agreement.public_id)).status_code == 200


def test_other_roles_and_outsiders_get_not_found(client, council, foodbank):
    agreement = agreement_for(council, foodbank)
    sign_in(client, member(council, CASEWORKER))
    assert client.get(url("agreements", council)).status_code == 404
    assert client.get(url("agreement", council, agreement.public_id)).status_code == 404

    client.logout()
    sign_in(client, member(OrganizationFactory(), ADMIN))
    assert client.get(url("agreements", council)).status_code == 404


def test_an_agreement_of_other_organisations_looks_missing(client, council, foodbank):
    theirs = agreement_for(foodbank, OrganizationFactory())
    sign_in(client, member(council))
    assert client.get(url("agreement", council, theirs.public_id)).status_code == 404
    # Even for an admin of the food bank, through the council's address.
    client.logout()
    admin = member(foodbank)
    MembershipFactory(user=admin, organization=council, role=ADMIN)
    sign_in(client, admin)
    assert client.get(url("agreement", council, theirs.public_id)).status_code == 404
    assert client.get(url("agreement", foodbank, theirs.public_id)).status_code == 200


# Proposing


def test_admin_proposes_a_draft(client, council, foodbank):
    admin = sign_in(client, member(council))
    before = LogEntry.objects.count()

    response = client.post(url("agreement_new", council), proposal(foodbank))

    agreement = Agreement.objects.get(title="Housing data for food support")
    assert response.status_code == 302
    assert response["Location"] == url("agreement", council, agreement.public_id)
    assert (agreement.provider, agreement.recipient) == (council, foodbank)
    assert agreement.status == "draft"
    assert agreement.fields_allowed == ["name", "status", "tenure"]
    assert timezone.localtime(agreement.valid_from).date().isoformat() == "2026-04-01"
    # Valid until the end of 31 March 2027: the next day's first moment is the end.
    assert timezone.localtime(agreement.valid_to).date().isoformat() == "2027-04-01"
    assert agreement.proposed_by == admin
    entry = LogEntry.objects.get(seq=before)
    assert (entry.action, entry.resource_id) == ("agreement.propose", str(agreement.public_id))


def test_admin_may_propose_to_receive(client, council, foodbank):
    sign_in(client, member(council))
    client.post(url("agreement_new", council), proposal(foodbank, side="recipient"))
    agreement = Agreement.objects.get()
    assert (agreement.provider, agreement.recipient) == (foodbank, council)


def test_propose_form_shows_purposes_with_plain_descriptions(client, council):
    sign_in(client, member(council))
    html = client.get(url("agreement_new", council)).content.decode()
    assert "Deciding who gets social housing and which home suits them." in html
    assert "Covers special categories under Art. 9(2)(h) health or social care." in html
    assert 'name="valid_from_0"' in html and 'inputmode="numeric"' in html


def test_propose_form_offers_only_declared_purposes_and_says_who_declared_them(client):
    council = OrganizationFactory(name="Riverton Council", slug="council")
    declare(council, "housing-allocation", ("housing",))
    declare(OrganizationFactory(name="Riverton Food Bank", kind="ngo"),
            "emergency-food-support", ("housing",))
    sign_in(client, member(council))
    html = client.get(url("agreement_new", council)).content.decode()
    assert 'value="housing-allocation"' in html and 'value="emergency-food-support"' in html
    assert 'value="fraud-prevention"' not in html  # nobody declared it
    assert "Declared by Riverton Food Bank." in html and "Declared by Riverton Council." in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Enter title"),
        ({"side": ""}, "Choose who shares the data"),
        ({"other": "council"}, "Choose the other organisation from the list"),
        ({"other": "no-such-org"}, "Choose the other organisation from the list"),
        ({"categories": []}, "Select categories of data shared"),
        ({"purposes": ["curiosity"]}, "Choose purposes from the list"),
        ({"legal_basis": "6.1.z"}, "Choose the legal basis from the list"),
        ({"fields_allowed": " , \n"}, "Enter the fields the recipient may see"),
        ({"fields_allowed": "name, <script>"}, "is not a field name"),
        ({"valid_from_0": "30", "valid_from_1": "2"}, "Valid from must be a real date"),
        ({"valid_to_1": ""}, "Valid until must include a month"),
        ({"valid_from_0": "", "valid_from_1": "", "valid_from_2": ""}, "Enter valid from"),
        # Refused by the service, shown the same way:
        ({"valid_to_0": "1", "valid_to_1": "1", "valid_to_2": "2026"},
         "The agreement must end after it starts."),
        ({"categories": ["health"], "purposes": ["benefit-assessment"]},
         "Health is a special category: every purpose needs an Art. 9 condition"),
    ],
)
def test_bad_proposals_show_the_error_summary_and_write_nothing(client, council, foodbank,
                                                                 overrides, message):
    sign_in(client, member(council))
    before = LogEntry.objects.count()

    response = client.post(url("agreement_new", council), proposal(foodbank, **overrides))

    assert response.status_code == 200
    assert message in error_summary(response)
    assert response.content.decode().count("govuk-error-summary__list") == 1
    assert not Agreement.objects.exists()
    assert LogEntry.objects.count() == before


# Changing the status


def test_both_admins_approve_and_it_becomes_active(client, council, foodbank):
    agreement = agreement_for(council, foodbank, status="draft")
    sign_in(client, member(council))
    detail = client.get(url("agreement", council, agreement.public_id)).content.decode()
    assert ">Approve</button>" in detail

    response = client.post(url("agreement_change", council, agreement.public_id, "approve"))
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == "draft" and agreement.provider_approved_at

    client.logout()
    sign_in(client, member(foodbank))
    response = client.post(url("agreement_change", foodbank, agreement.public_id, "approve"),
                           follow=True)
    agreement.refresh_from_db()
    assert agreement.status == "active"
    assert "now active" in success_banner(response)
    history = response.content.decode()
    assert "Approved an agreement" in history and "Activated an agreement" in history


def test_suspend_asks_to_confirm_then_suspends_with_a_reason(client, council, foodbank):
    agreement = agreement_for(council, foodbank)
    sign_in(client, member(foodbank, DPO))

    confirm = client.get(url("agreement_change", foodbank, agreement.public_id, "suspend"))
    assert "Suspend this agreement?" in confirm.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == "active"

    client.post(url("agreement_change", foodbank, agreement.public_id, "suspend"),
                {"reason": "Checking a complaint."})
    agreement.refresh_from_db()
    assert agreement.status == "suspended"
    entry = LogEntry.objects.latest("seq")
    assert (entry.action, entry.reason, entry.organization) == (
        "agreement.suspend", "Checking a complaint.", "foodbank")


def test_resume_and_end(client, council, foodbank):
    now = timezone.now()
    agreement = agreement_for(council, foodbank, status="suspended",
                              provider_approved_at=now, recipient_approved_at=now)
    sign_in(client, member(council))
    client.post(url("agreement_change", council, agreement.public_id, "resume"))
    agreement.refresh_from_db()
    assert agreement.status == "active"
    end = client.get(url("agreement_change", council, agreement.public_id, "end"))
    assert "cannot be undone" in end.content.decode()
    client.post(url("agreement_change", council, agreement.public_id, "end"))
    agreement.refresh_from_db()
    assert agreement.status == "ended"


def test_a_refused_change_shows_the_services_message_and_changes_nothing(
    client, council, foodbank
):
    agreement = agreement_for(council, foodbank, status="ended")
    sign_in(client, member(council))
    before = LogEntry.objects.count()
    response = client.post(url("agreement_change", council, agreement.public_id, "suspend"))
    assert "cannot be suspended" in error_summary(response)
    agreement.refresh_from_db()
    assert agreement.status == "ended"
    assert LogEntry.objects.count() == before


def test_recipient_admin_may_not_resume(client, council, foodbank):
    agreement = agreement_for(council, foodbank, status="suspended")
    sign_in(client, member(foodbank))
    detail = client.get(url("agreement", foodbank, agreement.public_id)).content.decode()
    assert ">Resume</button>" not in detail
    response = client.post(url("agreement_change", foodbank, agreement.public_id, "resume"))
    assert response.status_code in (403, 200)
    agreement.refresh_from_db()
    assert agreement.status == "suspended"


def test_unknown_change_is_not_found(client, council, foodbank):
    agreement = agreement_for(council, foodbank)
    sign_in(client, member(council))
    response = client.get(url("agreement_change", council, agreement.public_id, "delete"))
    assert response.status_code == 404


def test_expiring_agreement_is_flagged(client, council, foodbank):
    agreement = agreement_for(council, foodbank, valid_to=timezone.now() + timedelta(days=10))
    expired = agreement_for(council, foodbank, title="Old one",
                            valid_to=timezone.now() - timedelta(days=1))
    sign_in(client, member(council))
    html = client.get(url("agreements", council)).content.decode()
    assert "Ends in 9 days." in html or "Ends in 10 days." in html
    assert "Expired" in html
    html = client.get(url("agreement", council, expired.public_id)).content.decode()
    assert "nothing is shared under it any more" in html
    assert agreement


def test_operator_sees_any_organisations_agreements(client, council, foodbank):
    agreement = agreement_for(council, foodbank)
    sign_in(client, UserFactory(operator=True))
    assert client.get(url("agreement", council, agreement.public_id)).status_code == 200


def test_dashboard_links_to_the_sharing_pages_by_role(client, council, foodbank):
    user = member(council, DPO)
    MembershipFactory(user=user, organization=foodbank, role=CASEWORKER)
    sign_in(client, user)
    html = client.get(reverse("console:dashboard")).content.decode()
    assert reverse("console:agreements", args=["council"]) in html
    assert reverse("console:dpo", args=["council"]) in html
    assert reverse("console:people", args=["foodbank"]) in html
    assert reverse("console:agreements", args=["foodbank"]) not in html
    assert reverse("console:dpo", args=["foodbank"]) not in html
