"""Fixtures for the records tests: the vocabulary, a few organisations, a person."""

import pytest

from agora.access.models import DataCategory, Purpose
from agora.access.vocabulary import load_vocabulary
from tests.factories import OrganizationFactory, PersonFactory


@pytest.fixture(autouse=True)
def vocabulary(db):
    """The standard categories and purposes, even after a transactional test flushed them."""
    load_vocabulary(DataCategory, Purpose)


@pytest.fixture
def benefits(db):
    return OrganizationFactory(name="Benefits Agency", slug="benefits")


@pytest.fixture
def council(db):
    return OrganizationFactory(name="Riverton Council", slug="council")


@pytest.fixture
def foodbank(db):
    return OrganizationFactory(name="Riverton Food Bank", slug="foodbank", kind="ngo")


@pytest.fixture
def person(db):
    return PersonFactory(given_name="Amara", family_name="Osei")
