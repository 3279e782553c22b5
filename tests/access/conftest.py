"""Shared helpers for the access tests: the standard vocabulary and viewers in one line."""

import pytest

from agora.access.models import DataCategory, Purpose
from agora.access.viewers import viewer_for_client, viewer_for_staff
from tests.factories import ApiClientFactory, MembershipFactory, OrganizationFactory


def category(code: str) -> DataCategory:
    return DataCategory.objects.get(code=code)


def purpose(code: str) -> Purpose:
    return Purpose.objects.get(code=code)


def staff(organization, *roles):
    """Return a staff viewer of the organisation holding the roles (caseworker by default)."""
    roles = roles or ("caseworker",)
    user = MembershipFactory(organization=organization, role=roles[0]).user
    for role in roles[1:]:
        MembershipFactory(organization=organization, user=user, role=role)
    return viewer_for_staff(user, organization)


def client(organization, on_behalf_of=""):
    return viewer_for_client(ApiClientFactory(organization=organization), on_behalf_of)


@pytest.fixture
def council(db):
    return OrganizationFactory(name="Riverton Council", slug="council")


@pytest.fixture
def foodbank(db):
    return OrganizationFactory(name="Riverton Food Bank", slug="foodbank", kind="ngo")
