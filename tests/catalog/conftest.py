import pytest

from tests.factories import OrganizationFactory


@pytest.fixture
def council(db):
    return OrganizationFactory(name="Riverton Council", slug="council")


@pytest.fixture
def foodbank(db):
    return OrganizationFactory(name="Riverton Food Bank", slug="foodbank", kind="ngo")
