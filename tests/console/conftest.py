"""Fixtures the console's sharing, single-view and DPO tests share."""

import pytest

from agora.access.models import DataCategory, Purpose
from agora.access.vocabulary import load_vocabulary
from tests.factories import OrganizationFactory


@pytest.fixture
def vocabulary(db):
    """The standard categories and purposes (the test database may have been flushed)."""
    load_vocabulary(DataCategory, Purpose)


@pytest.fixture
def council():
    return OrganizationFactory(name="Riverton Council", slug="council")


@pytest.fixture
def foodbank():
    return OrganizationFactory(name="Riverton Food Bank", slug="foodbank", kind="ngo")
