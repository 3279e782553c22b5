"""The register in public (`GET /api/v1/purposes`) and as the Art. 30 record."""

import csv
import io

import pytest

from agora.access.register import art30_csv, art30_record
from agora.core.exceptions import NotFound
from tests.api.helpers import assert_problem
from tests.factories import AgreementFactory, MembershipFactory, OrganizationFactory, declare

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(db):
    from agora.access.models import DataCategory, Purpose

    bank = OrganizationFactory(name="Riverton Food Bank", slug="riverton-food-bank", kind="ngo",
                               contact_email="hello@foodbank.example.org")
    benefits = OrganizationFactory(name="Benefits Agency", slug="benefits")
    declare(bank, "emergency-food-support", ["case-history", "income-and-benefits"],
            retention="Two years.")
    declare(bank, "debt-advice", ["case-history"], status="proposed")  # not yet approved
    declare(benefits, "benefit-assessment", ["income-and-benefits"])
    AgreementFactory(provider=benefits, recipient=bank, title="Benefit status",
                     categories=[DataCategory.objects.get(code="income-and-benefits")],
                     purposes=[Purpose.objects.get(code="emergency-food-support")])
    AgreementFactory(provider=benefits, recipient=bank, title="Old draft", status="draft",
                     categories=[DataCategory.objects.get(code="income-and-benefits")],
                     purposes=[Purpose.objects.get(code="emergency-food-support")])
    return bank, benefits


def test_anyone_reads_every_organisations_approved_purposes_and_agreements_in_force(
        client, town):
    response = client.get("/api/v1/purposes")
    assert response.status_code == 200
    organizations = {o["slug"]: o for o in response.json()["organizations"]}
    bank = organizations["riverton-food-bank"]
    assert [p["code"] for p in bank["purposes"]] == ["emergency-food-support"]
    food = bank["purposes"][0]
    assert (food["legal_basis"], food["categories"], food["retention"]) == (
        "6.1.a", ["case-history", "income-and-benefits"], "Two years.")
    assert [a["title"] for a in bank["agreements"]] == ["Benefit status"]
    agreement = bank["agreements"][0]
    assert (agreement["provider"], agreement["recipient"]) == ("benefits", "riverton-food-bank")
    assert agreement["summary"].startswith(
        "Benefits Agency shares income and benefits with Riverton Food Bank for emergency "
        "food support, until ")


def test_one_organisation_and_an_unknown_one(client, town):
    response = client.get("/api/v1/purposes/benefits")
    assert response.status_code == 200
    assert [p["code"] for p in response.json()["purposes"]] == ["benefit-assessment"]
    assert_problem(client.get("/api/v1/purposes/nowhere"), 404, "not-found")
    inactive = OrganizationFactory(is_active=False)
    assert_problem(client.get(f"/api/v1/purposes/{inactive.slug}"), 404, "not-found")


def test_the_art_30_record_lists_approved_purposes_with_recipients(town):
    _, benefits = town
    officer = MembershipFactory(organization=benefits, role="dpo").user
    rows = art30_record(viewer=officer, organization=benefits)
    assert len(rows) == 1
    row = rows[0]
    assert (row["controller"], row["purpose_code"], row["recipients"]) == (
        "Benefits Agency", "benefit-assessment", ["Riverton Food Bank"])
    assert row["data_protection_officers"] == officer.email
    lines = list(csv.DictReader(io.StringIO("".join(art30_csv(rows)))))
    assert lines[0]["categories_of_data"] == "Income and benefits"
    assert lines[0]["legal_basis"] == "Art. 6(1)(e) public task"


def test_the_art_30_record_is_for_the_organisations_admins_and_dpos_only(town):
    bank, _ = town
    with pytest.raises(NotFound):
        art30_record(viewer=MembershipFactory(organization=bank, role="caseworker").user,
                     organization=bank)
    with pytest.raises(NotFound):
        art30_record(viewer=None, organization=bank)


def test_a_cell_a_spreadsheet_would_run_is_quoted(town):
    rows = [{"controller": "=HYPERLINK(1)", "categories_of_data": ["A"]}]
    text = "".join(art30_csv([{**{k: "" for k in _columns()}, **rows[0]}]))
    assert "'=HYPERLINK(1)" in text


def _columns():
    from agora.access.register import ART30_COLUMNS

    return ART30_COLUMNS
