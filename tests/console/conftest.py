"""Fixtures the console's sharing, single-view and DPO tests share."""

import pytest

from agora.access.models import DataCategory, Purpose
from agora.access.vocabulary import load_vocabulary
from tests.factories import OrganizationFactory, declare_all


@pytest.fixture
def vocabulary(db):
    """The standard categories and purposes (the test database may have been flushed)."""
    load_vocabulary(DataCategory, Purpose)


@pytest.fixture
def council():
    organization = OrganizationFactory(name="Riverton Council", slug="council")
    declare_all(organization)  # every purpose counts: these tests are about other rules
    return organization


@pytest.fixture
def foodbank():
    organization = OrganizationFactory(name="Riverton Food Bank", slug="foodbank", kind="ngo")
    declare_all(organization)  # every purpose counts: these tests are about other rules
    return organization
