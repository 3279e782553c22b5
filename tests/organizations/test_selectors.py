"""Reads about organisations: who may see what, failing closed."""

import pytest
from django.contrib.auth.models import AnonymousUser

from agora.organizations.models import Membership
from agora.organizations.selectors import (
    apiclient_list,
    membership_list,
    organization_get,
    organization_list,
    user_can_manage_members,
    user_has_role,
    user_is_operator,
    user_memberships,
)
from tests.factories import (
    ApiClientFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ADMIN = Membership.Role.ADMIN
CASEWORKER = Membership.Role.CASEWORKER


@pytest.fixture
def organization():
    return OrganizationFactory(slug="riverton")


@pytest.fixture
def people(organization):
    """One viewer of each kind, all looking at `organization`."""
    other = OrganizationFactory(slug="elsewhere")
    return {
        "operator": UserFactory(operator=True),
        "admin": MembershipFactory(organization=organization, role=ADMIN).user,
        "member": MembershipFactory(organization=organization, role=CASEWORKER).user,
        "outsider": MembershipFactory(organization=other, role=ADMIN).user,
        "resident": UserFactory(),
        "anonymous": AnonymousUser(),
        "none": None,
    }


def test_only_active_staff_users_are_operators(people):
    assert user_is_operator(people["operator"])
    for name in ["admin", "member", "outsider", "resident", "anonymous", "none"]:
        assert not user_is_operator(people[name]), name
    retired = UserFactory(operator=True, is_active=False)
    assert not user_is_operator(retired)


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("operator", True),
        ("admin", True),
        ("member", False),
        ("outsider", False),
        ("resident", False),
        ("anonymous", False),
        ("none", False),
    ],
)
def test_who_may_manage_members(people, organization, viewer, expected):
    assert user_can_manage_members(people[viewer], organization) is expected


def test_user_has_role(people, organization):
    assert user_has_role(people["member"], organization)
    assert user_has_role(people["member"], organization, CASEWORKER)
    assert not user_has_role(people["member"], organization, ADMIN)
    assert not user_has_role(people["outsider"], organization)
    assert not user_has_role(people["none"], organization)
    assert not user_has_role(people["anonymous"], organization)


def test_inactive_admin_manages_nothing(organization):
    user = MembershipFactory(organization=organization, role=ADMIN, user__is_active=False).user
    assert not user_can_manage_members(user, organization)
    assert not user_has_role(user, organization)


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("operator", {"riverton", "elsewhere"}),
        ("admin", {"riverton"}),
        ("member", {"riverton"}),
        ("outsider", {"elsewhere"}),
        ("resident", set()),
        ("anonymous", set()),
        ("none", set()),
    ],
)
def test_organization_list(people, viewer, expected):
    assert set(organization_list(viewer=people[viewer]).values_list("slug", flat=True)) == expected


def test_organization_list_has_no_duplicates_for_several_roles(organization):
    user = MembershipFactory(organization=organization, role=ADMIN).user
    MembershipFactory(organization=organization, user=user, role=CASEWORKER)
    assert list(organization_list(viewer=user)) == [organization]


@pytest.mark.parametrize(
    ("viewer", "visible"),
    [
        ("operator", True),
        ("admin", True),
        ("member", True),
        ("outsider", False),
        ("resident", False),
        ("anonymous", False),
        ("none", False),
    ],
)
def test_organization_get_hides_what_the_viewer_may_not_see(people, viewer, visible):
    found = organization_get(viewer=people[viewer], slug="riverton")
    assert (found is not None) is visible
    # A missing organisation gives the same answer as a hidden one.
    assert organization_get(viewer=people[viewer], slug="no-such-place") is None


@pytest.mark.parametrize(
    ("viewer", "count"),
    [
        ("operator", 2),
        ("admin", 2),
        ("member", 2),
        ("outsider", 0),
        ("resident", 0),
        ("anonymous", 0),
        ("none", 0),
    ],
)
def test_membership_list(people, organization, viewer, count):
    memberships = membership_list(viewer=people[viewer], organization=organization)
    assert memberships.count() == count
    assert all(m.organization_id == organization.pk for m in memberships)


def test_membership_list_is_one_query(people, organization, django_assert_num_queries):
    memberships = membership_list(viewer=people["operator"], organization=organization)
    with django_assert_num_queries(1):
        assert sorted(m.user.email for m in memberships)


def test_user_memberships(people, organization):
    admin = people["admin"]
    MembershipFactory(organization=organization, user=admin, role=CASEWORKER)
    roles = {(m.organization.slug, m.role) for m in user_memberships(user=admin)}
    assert roles == {("riverton", ADMIN), ("riverton", CASEWORKER)}
    assert not user_memberships(user=people["resident"]).exists()
    assert not user_memberships(user=None).exists()
    assert not user_memberships(user=AnonymousUser()).exists()


@pytest.mark.parametrize(
    ("viewer", "visible"),
    [
        ("operator", True),
        ("admin", True),
        ("member", False),
        ("outsider", False),
        ("resident", False),
        ("anonymous", False),
        ("none", False),
    ],
)
def test_apiclient_list(people, organization, viewer, visible):
    client = ApiClientFactory(organization=organization)
    ApiClientFactory()  # another organisation's client never shows
    clients = list(apiclient_list(viewer=people[viewer], organization=organization))
    assert clients == ([client] if visible else [])
