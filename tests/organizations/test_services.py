"""Writes for organisations, members and API clients: permissions, errors, nothing half-done."""

import pytest
from django.contrib.auth.models import AnonymousUser

from agora.core.actors import SYSTEM
from agora.core.exceptions import InvalidInput, NotFound, PermissionDenied
from agora.organizations.exceptions import DuplicateSlug, LastAdminError
from agora.organizations.models import ApiClient, Membership, Organization
from agora.organizations.services import (
    apiclient_deactivate,
    membership_add,
    membership_remove,
    organization_create,
    organization_update,
)
from agora.people.models import User
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
    return OrganizationFactory(name="Riverton Council", slug="riverton")


@pytest.fixture
def people(organization):
    return {
        "operator": UserFactory(operator=True),
        "admin": MembershipFactory(organization=organization, role=ADMIN).user,
        "member": MembershipFactory(organization=organization, role=CASEWORKER).user,
        "outsider": MembershipFactory(role=ADMIN).user,
        "resident": UserFactory(),
        "anonymous": AnonymousUser(),
        "none": None,
    }


NOT_OPERATORS = ["admin", "member", "outsider", "resident", "anonymous", "none"]
NOT_MANAGERS = ["member", "outsider", "resident", "anonymous", "none"]


# organization_create


def test_operator_creates_an_organisation_with_a_slug_from_its_name(people):
    organization = organization_create(
        actor=people["operator"], name="Riverton Food Bank", kind="ngo", website="https://x.org"
    )
    assert organization.slug == "riverton-food-bank"
    assert organization.kind == "ngo"
    assert organization.is_active


def test_the_command_line_creates_organisations():
    organization = organization_create(actor=SYSTEM, name="Town", kind="government", slug="town")
    assert Organization.objects.get(slug="town") == organization


@pytest.mark.parametrize("actor", NOT_OPERATORS)
def test_only_operators_create_organisations(people, actor):
    before = Organization.objects.count()
    with pytest.raises(PermissionDenied):
        organization_create(actor=people[actor], name="Sneaky", kind="ngo")
    assert Organization.objects.count() == before


def test_a_taken_slug_is_refused(people, organization):
    with pytest.raises(DuplicateSlug, match="riverton"):
        organization_create(actor=people["operator"], name="Riverton", kind="ngo")
    with pytest.raises(DuplicateSlug):
        organization_create(actor=people["operator"], name="X", kind="ngo", slug="riverton")
    assert Organization.objects.filter(slug="riverton").count() == 1


def test_an_unknown_kind_is_refused_on_the_kind_field(people):
    with pytest.raises(InvalidInput) as raised:
        organization_create(actor=people["operator"], name="Odd", kind="spaceship")
    assert raised.value.errors[0]["field"] == "kind"
    assert not Organization.objects.filter(name="Odd").exists()


# organization_update


def test_admin_updates_the_details(people, organization):
    organization_update(
        actor=people["admin"], organization=organization, name="Riverton Borough", description="Hi"
    )
    organization.refresh_from_db()
    assert (organization.name, organization.description) == ("Riverton Borough", "Hi")


@pytest.mark.parametrize("actor", ["admin", *NOT_MANAGERS])
def test_only_operators_change_kind_or_activation(people, organization, actor):
    for change in [{"kind": "ngo"}, {"is_active": False}]:
        with pytest.raises(PermissionDenied):
            organization_update(actor=people[actor], organization=organization, **change)
    organization.refresh_from_db()
    assert organization.kind == "government"
    assert organization.is_active


def test_operator_changes_kind_and_activation(people, organization):
    organization_update(
        actor=people["operator"], organization=organization, kind="community", is_active=False
    )
    organization.refresh_from_db()
    assert (organization.kind, organization.is_active) == ("community", False)


@pytest.mark.parametrize("actor", NOT_MANAGERS)
def test_non_admins_cannot_update(people, organization, actor):
    with pytest.raises(PermissionDenied):
        organization_update(actor=people[actor], organization=organization, name="Hijacked")
    organization.refresh_from_db()
    assert organization.name == "Riverton Council"


def test_update_refuses_fields_that_are_not_details(people, organization):
    with pytest.raises(InvalidInput, match="slug"):
        organization_update(actor=people["operator"], organization=organization, slug="new")
    organization.refresh_from_db()
    assert organization.slug == "riverton"


# membership_add


def test_admin_adds_a_new_person(people, organization):
    membership, created = membership_add(
        actor=people["admin"], organization=organization, email=" New@Example.ORG", role="analyst"
    )
    assert created
    assert membership.user.email == "new@example.org"
    assert not membership.user.has_usable_password()
    assert membership.role == "analyst"


def test_adding_an_existing_account_reuses_it(people, organization):
    resident = people["resident"]
    membership, created = membership_add(
        actor=people["admin"], organization=organization, email=resident.email.upper(), role="dpo"
    )
    assert not created
    assert membership.user == resident


def test_adding_the_same_role_twice_is_harmless(people, organization):
    member = people["member"]
    first, _ = membership_add(
        actor=people["admin"], organization=organization, email=member.email, role=CASEWORKER
    )
    second, created = membership_add(
        actor=people["admin"], organization=organization, email=member.email, role=CASEWORKER
    )
    assert first == second
    assert not created
    assert member.memberships.count() == 1


def test_operator_adds_members_to_any_organisation(people, organization):
    membership, _ = membership_add(
        actor=people["operator"], organization=organization, email="a@example.org", role=ADMIN
    )
    assert membership.organization == organization


@pytest.mark.parametrize("actor", NOT_MANAGERS)
def test_only_admins_add_members(people, organization, actor):
    with pytest.raises(PermissionDenied):
        membership_add(
            actor=people[actor], organization=organization, email="x@example.org", role=ADMIN
        )
    assert not User.objects.filter(email="x@example.org").exists()


@pytest.mark.parametrize(
    ("email", "role", "field"),
    [("", "admin", "email"), ("   ", "admin", "email"), ("x@example.org", "emperor", "role")],
)
def test_bad_member_input_names_the_field_and_writes_nothing(
    people, organization, email, role, field
):
    before = (User.objects.count(), Membership.objects.count())
    with pytest.raises(InvalidInput) as raised:
        membership_add(actor=people["admin"], organization=organization, email=email, role=role)
    assert raised.value.errors[0]["field"] == field
    assert (User.objects.count(), Membership.objects.count()) == before


# membership_remove


def test_admin_removes_a_role(people, organization):
    membership = people["member"].memberships.get()
    membership_remove(actor=people["admin"], membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(pk=people["member"].pk).exists()  # the account stays


def test_the_last_admin_stays(people, organization):
    membership = people["admin"].memberships.get()
    with pytest.raises(LastAdminError, match="only administrator of Riverton Council"):
        membership_remove(actor=people["operator"], membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_admin_can_go_when_another_remains(people, organization):
    second = MembershipFactory(organization=organization, role=ADMIN)
    membership_remove(actor=people["admin"], membership=people["admin"].memberships.get())
    assert list(organization.memberships.filter(role=ADMIN)) == [second]


@pytest.mark.parametrize("actor", NOT_MANAGERS)
def test_only_admins_remove_members(people, organization, actor):
    membership = people["member"].memberships.get()
    with pytest.raises(PermissionDenied):
        membership_remove(actor=people[actor], membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()


# apiclient_deactivate


def test_admin_deactivates_a_client(people, organization):
    client = ApiClientFactory(organization=organization)
    apiclient_deactivate(actor=people["admin"], client=client)
    assert not ApiClient.objects.get(pk=client.pk).is_active


@pytest.mark.parametrize("actor", NOT_MANAGERS)
def test_only_admins_deactivate_clients(people, organization, actor):
    client = ApiClientFactory(organization=organization)
    with pytest.raises(PermissionDenied):
        apiclient_deactivate(actor=people[actor], client=client)
    assert ApiClient.objects.get(pk=client.pk).is_active


def test_deactivating_a_deleted_client_is_not_found(people, organization):
    client = ApiClientFactory(organization=organization)
    ApiClient.objects.filter(pk=client.pk).delete()
    with pytest.raises(NotFound):
        apiclient_deactivate(actor=people["admin"], client=client)


@pytest.mark.django_db
def test_membership_add_refuses_a_malformed_email_and_creates_no_account():

    organization = OrganizationFactory()
    with pytest.raises(InvalidInput) as caught:
        membership_add(actor=SYSTEM, organization=organization, email="not-an-email", role="admin")
    assert caught.value.errors[0]["field"] == "email"
    assert not User.objects.filter(email="not-an-email").exists()


@pytest.mark.django_db
def test_organization_create_refuses_an_overlong_name_on_every_database():

    with pytest.raises(InvalidInput) as caught:
        organization_create(actor=SYSTEM, name="N" * 201, kind="ngo", slug="long")
    assert caught.value.errors[0]["field"] == "name"
    assert "200 characters" in caught.value.detail
    assert not Organization.objects.filter(slug="long").exists()
