"""Viewers: who is reading, built from a user, a membership or a machine client."""

import pytest

from agora.access.viewers import (
    anonymous_viewer,
    viewer_for_client,
    viewer_for_resident,
    viewer_for_staff,
)
from tests.factories import (
    ApiClientFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_resident_viewer_carries_their_person():
    person = PersonFactory(user=UserFactory())
    viewer = viewer_for_resident(person.user)
    assert viewer.person == person
    assert viewer.organization is None and not viewer.roles
    assert viewer_for_resident(None) == anonymous_viewer()
    assert viewer_for_resident(UserFactory(is_active=False)) == anonymous_viewer()


def test_staff_viewer_has_their_roles_in_that_organisation_only(council, foodbank):
    membership = MembershipFactory(organization=council, role="caseworker")
    MembershipFactory(organization=council, user=membership.user, role="dpo")
    MembershipFactory(organization=foodbank, user=membership.user, role="admin")
    viewer = viewer_for_staff(membership.user, council)
    assert viewer.roles == {"caseworker", "dpo"}
    assert viewer.organization == council
    assert viewer.is_staff_member and not viewer.is_client


def test_staff_viewer_without_a_role_is_not_staff(council):
    viewer = viewer_for_staff(UserFactory(), council)
    assert viewer.organization is None and not viewer.is_staff_member
    inactive = OrganizationFactory(is_active=False)
    user = MembershipFactory(organization=inactive).user
    assert not viewer_for_staff(user, inactive).is_staff_member


def test_client_viewer(council):
    client = ApiClientFactory(organization=council)
    viewer = viewer_for_client(client, on_behalf_of="case 42")
    assert viewer.is_client and viewer.organization == council
    assert viewer.on_behalf_of == "case 42"
    assert "API client" in viewer.label
    disabled = ApiClientFactory(organization=council, is_active=False)
    assert viewer_for_client(disabled) == anonymous_viewer()
