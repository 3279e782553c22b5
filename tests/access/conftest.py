"""Shared helpers for the access tests: the standard vocabulary and viewers in one line.

The `council` and `foodbank` fixtures have declared every standard purpose for every
category (approved), so tests of the other rules are not refused for want of a
declaration; tests of the register itself use organisations without one.
"""

import pytest

from agora.access.models import DataCategory, Purpose
from agora.access.viewers import viewer_for_client, viewer_for_staff
from tests.factories import ApiClientFactory, MembershipFactory, OrganizationFactory, declare_all


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
    organization = OrganizationFactory(name="Riverton Council", slug="council")
    declare_all(organization)
    return organization


@pytest.fixture
def foodbank(db):
    organization = OrganizationFactory(name="Riverton Food Bank", slug="foodbank", kind="ngo")
    declare_all(organization)
    return organization
