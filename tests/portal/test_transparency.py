"""“How organisations use information”: anyone reads each organisation's declared purposes
and the agreements in force; the resident's access log links each purpose to them."""

import re

import pytest
from django.urls import reverse

from agora.access.models import DataCategory, Purpose
from tests.factories import AgreementFactory, OrganizationFactory, declare
from tests.portal.helpers import resident_with_person, staff_entry

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def town():
    bank = OrganizationFactory(name="Riverton Food Bank", slug="riverton-food-bank", kind="ngo")
    agency = OrganizationFactory(name="Benefits Agency", slug="benefits")
    declare(bank, "emergency-food-support", ["case-history", "household"],
            serves="Households who ask for food parcels.", retention="Two years.")
    declare(bank, "debt-advice", ["case-history"], status="withdrawn")
    declare(agency, "benefit-assessment", ["income-and-benefits"])
    AgreementFactory(provider=agency, recipient=bank,
                     categories=[DataCategory.objects.get(code="income-and-benefits")],
                     purposes=[Purpose.objects.get(code="emergency-food-support")])
    return bank, agency


def test_anyone_reads_every_organisations_purposes_and_the_flows_between_them(client, town):
    response = client.get(reverse("portal:purposes"))
    assert response.status_code == 200
    page = text(response)
    assert "How organisations use information" in page
    assert "Emergency food support : case history, household" in page
    assert "Debt advice" not in page  # withdrawn: no longer declared
    assert ("Benefits Agency shares income and benefits information with Riverton Food "
            "Bank for emergency food support, until") in page


def test_one_organisations_page_says_why_in_plain_words(client, town):
    response = client.get(reverse("portal:organization_purposes", args=["riverton-food-bank"]))
    html = response.content.decode()
    assert 'id="purpose-emergency-food-support"' in html
    page = text(response)
    assert "Households who ask for food parcels." in page
    assert "You gave your consent (Art. 6(1)(a) consent)" in page
    assert "Two years." in page
    assert client.get(reverse("portal:organization_purposes", args=["nowhere"])
                      ).status_code == 404


def test_the_access_log_links_a_declared_purpose_to_its_declaration(client, town):
    bank, agency = town
    user, person = resident_with_person()
    client.force_login(user)
    staff_entry(person, organization=bank, purpose="emergency-food-support")
    staff_entry(person, organization=agency, purpose="fraud-prevention", decision="deny")
    html = client.get(reverse("portal:activity")).content.decode()
    link = reverse("portal:organization_purposes", args=["riverton-food-bank"])
    assert f'href="{link}#purpose-emergency-food-support"' in html
    assert "#purpose-fraud-prevention" not in html  # not declared: plain text, no link
    assert "Fraud prevention" in html
