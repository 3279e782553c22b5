"""Fixtures for the records tests: the vocabulary, a few organisations, a person."""

import pytest

from agora.access.models import DataCategory, Purpose
from agora.access.vocabulary import load_vocabulary
from tests.factories import OrganizationFactory, PersonFactory, declare_all


@pytest.fixture(autouse=True)
def vocabulary(db):
    """The standard categories and purposes, even after a transactional test flushed them."""
    load_vocabulary(DataCategory, Purpose)


@pytest.fixture
def benefits(db):
    organization = OrganizationFactory(name="Benefits Agency", slug="benefits")
    declare_all(organization)  # every purpose counts: these tests are about other rules
    return organization


@pytest.fixture
def council(db):
    organization = OrganizationFactory(name="Riverton Council", slug="council")
    declare_all(organization)  # every purpose counts: these tests are about other rules
    return organization


@pytest.fixture
def foodbank(db):
    organization = OrganizationFactory(name="Riverton Food Bank", slug="foodbank", kind="ngo")
    declare_all(organization)  # every purpose counts: these tests are about other rules
    return organization


@pytest.fixture
def person(db):
    return PersonFactory(given_name="Amara", family_name="Osei")
