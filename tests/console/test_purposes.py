"""The register of processing in the console, the single view's declared purposes, and
the API clients' purposes: what an admin, a DPO and a caseworker see and can do."""

import json

import pytest
from django.urls import reverse

from agora.access.models import DataCategory, PurposeDeclaration
from agora.audit.models import LogEntry
from agora.organizations.models import Membership
from agora.people.identifiers import national_id_hash
from tests.console.test_views import error_summary, sign_in, success_banner
from tests.factories import (
    ApiClientFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    RecordFactory,
    declare,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vocabulary")]


@pytest.fixture
def bank():
    """A food bank that declared emergency food support (case history) and debt advice."""
    organization = OrganizationFactory(name="Riverton Food Bank", slug="riverton-food-bank",
                                       kind="ngo")
    declare(organization, "emergency-food-support", ("case-history",))
    declare(organization, "debt-advice", ("case-history",))
    return organization


def user(organization, role):
    return MembershipFactory(organization=organization, role=role).user


PROPOSAL = {
    "purpose": "energy-support", "legal_basis": "6.1.a", "categories": ["energy", "contact"],
    "special_condition": "", "serves": "Households in fuel poverty.",
    "description": "Vouchers for prepayment meters.", "retention": "One year.",
}


def test_admin_proposes_then_the_dpo_approves_each_step_logged(client, bank):
    sign_in(client, user(bank, Membership.Role.ADMIN))
    response = client.post(reverse("console:purpose_new", args=[bank.slug]), PROPOSAL)
    declaration = PurposeDeclaration.objects.get(organization=bank, purpose__code="energy-support")
    assert response.status_code == 302 and declaration.status == "proposed"
    page = client.get(response["Location"])
    assert "Energy support" in page.content.decode() and "Proposed" in page.content.decode()
    # The admin cannot approve it.
    approve = reverse("console:purpose_change", args=[bank.slug, declaration.public_id,
                                                      "approve"])
    assert client.post(approve).status_code == 403

    sign_in(client, user(bank, Membership.Role.DPO))
    assert "Approve this declaration?" in client.get(approve).content.decode()
    response = client.post(approve, follow=True)
    assert "has been approved" in success_banner(response)
    declaration.refresh_from_db()
    assert declaration.status == "approved"
    assert list(LogEntry.objects.filter(resource_id=str(declaration.public_id))
                .order_by("seq").values_list("action", flat=True)) == [
        "purpose.propose", "purpose.approve"]


@pytest.mark.parametrize(("change", "message", "anchor"), [
    ({"legal_basis": ""}, "Choose the legal basis", "id_legal_basis"),
    ({"categories": ["health"]}, "Health is a special category", "id_special_condition"),
    ({"purpose": "nosy"}, "Choose a purpose from the list", "id_purpose"),
    ({"serves": ""}, "Enter whom the processing serves", "id_serves"),
])
def test_a_bad_proposal_is_shown_in_the_error_summary_and_nothing_is_written(
        client, bank, change, message, anchor):
    sign_in(client, user(bank, Membership.Role.ADMIN))
    before = (PurposeDeclaration.objects.count(), LogEntry.objects.count())
    response = client.post(reverse("console:purpose_new", args=[bank.slug]),
                           {**PROPOSAL, **change})
    assert response.status_code == 200
    summary = error_summary(response)
    assert message in summary and f'href="#{anchor}' in summary
    assert (PurposeDeclaration.objects.count(), LogEntry.objects.count()) == before


def test_the_register_is_for_admins_and_dpos_and_exports_the_art_30_record(client, bank):
    sign_in(client, user(bank, Membership.Role.CASEWORKER))
    assert client.get(reverse("console:purposes", args=[bank.slug])).status_code == 404
    sign_in(client, user(bank, Membership.Role.DPO))
    page = client.get(reverse("console:purposes", args=[bank.slug])).content.decode()
    assert "Emergency food support" in page and "Debt advice" in page
    csv_text = b"".join(client.get(reverse("console:purposes_csv", args=[bank.slug]))
                        .streaming_content).decode()
    assert csv_text.splitlines()[0].startswith("controller,controller_contact,")
    assert csv_text.count("Riverton Food Bank") == 2
    exported = json.loads(client.get(reverse("console:purposes_json", args=[bank.slug])).content)
    assert sorted(a["purpose_code"] for a in exported["activities"]) == [
        "debt-advice", "emergency-food-support"]


def test_the_single_view_offers_only_the_declared_purposes(client, bank):
    sign_in(client, user(bank, Membership.Role.CASEWORKER))
    page = client.get(reverse("console:people", args=[bank.slug])).content.decode()
    assert 'value="emergency-food-support"' in page and 'value="debt-advice"' in page
    assert 'value="healthcare-provision"' not in page
    assert 'value="benefit-assessment"' not in page


def test_an_undeclared_purpose_is_refused_in_the_summary_and_logged(client, bank):
    person = PersonFactory(national_id_hash=national_id_hash("RV1"))
    RecordFactory(owner=bank, subject=person, title="Food parcels",
                  category=DataCategory.objects.get(code="case-history"))
    sign_in(client, user(bank, Membership.Role.CASEWORKER))
    before = LogEntry.objects.count()
    url = reverse("console:person", args=[bank.slug, person.public_id])
    response = client.get(f"{url}?purpose=healthcare-provision")
    assert "Riverton Food Bank has not declared the purpose “healthcare-provision”" in (
        error_summary(response))
    assert "Food parcels" not in response.content.decode()
    search = client.post(reverse("console:people", args=[bank.slug]),
                         {"purpose": "fraud-prevention", "national_id": "RV1"})
    assert "has not declared the purpose “fraud-prevention”" in error_summary(search)
    assert list(LogEntry.objects.filter(seq__gte=before).order_by("seq").values_list(
        "action", "decision", "purpose")) == [
        ("person.view", "deny", "healthcare-provision"),
        ("person.lookup", "deny", "fraud-prevention")]
    shown = client.get(f"{url}?purpose=emergency-food-support").content.decode()
    assert "Food parcels" in shown


def test_an_organisation_without_declared_purposes_is_told_so(client):
    empty = OrganizationFactory(name="New Group")
    sign_in(client, user(empty, Membership.Role.CASEWORKER))
    page = client.get(reverse("console:people", args=[empty.slug])).content.decode()
    assert 'id="no-purposes"' in page and "has not declared any purposes" in page


def test_an_admin_limits_an_api_client_to_declared_purposes(client, bank):
    api_client = ApiClientFactory(organization=bank, name="Parcels system")
    sign_in(client, user(bank, Membership.Role.ADMIN))
    url = reverse("console:apiclient_purposes", args=[bank.slug, api_client.client_id])
    page = client.get(url).content.decode()
    assert 'value="debt-advice"' in page and 'value="healthcare-provision"' not in page
    refused = client.post(url, {"purposes": ["healthcare-provision"]})
    assert "Choose purposes your organisation has declared" in error_summary(refused)
    api_client.refresh_from_db()
    assert api_client.purposes == []
    response = client.post(url, {"purposes": ["debt-advice"]}, follow=True)
    assert "The purposes of Parcels system have been saved" in success_banner(response)
    assert "debt-advice" in response.content.decode()
    api_client.refresh_from_db()
    assert api_client.purposes == ["debt-advice"]
    sign_in(client, user(bank, Membership.Role.CASEWORKER))
    assert client.get(url).status_code == 403
