import pytest

from tests.content.helpers import publish
from tests.factories import OrganizationFactory


@pytest.fixture
def council(db):
    return OrganizationFactory(name="Riverton Council", slug="council")


@pytest.fixture
def guidance(council):
    """A small hub: bins and council tax in public, a staff procedure internal."""
    publish(council, "bins", "Bin collections", {
        "Garden waste": "Garden waste collection costs £45 a year. Subscribe online.",
        "Missed collections": "Report a missed bin within 2 working days online. We return "
            "within 3 working days.",
    }, topics=("bin-collections",), source_url="https://council.example/bins")
    publish(council, "tax", "Council tax", {
        "How much you pay": "Band D in Riverton is £2,104 a year for 2026 to 2027.",
        "Paying your bill": "Pay by direct debit, or by phone on 01632 960100.",
    }, topics=("council-tax",))
    publish(council, "recovery", "Council tax recovery procedure", {
        "Enforcement": "Refer unpaid accounts to the enforcement agents after 28 days.",
    }, classification="internal", topics=("council-tax",))
