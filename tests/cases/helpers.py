"""Builders for the requests tests: a service, staff and residents who can see requests."""

import itertools

from agora.access.viewers import Viewer, viewer_for_client, viewer_for_resident, viewer_for_staff
from agora.catalog.models import Service
from agora.organizations.models import Membership
from tests.factories import (
    ApiClientFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)

_codes = itertools.count(1)


def service_make(provider=None, *, location_based: bool = False, target_days: int | None = 20,
                 status: str = Service.Status.PUBLISHED, **fields) -> Service:
    return Service.objects.create(
        provider=provider or OrganizationFactory(), code=f"service-{next(_codes)}",
        name=fields.pop("name", "Council tax reduction"), status=status,
        location_based=location_based, target_days=target_days, **fields,
    )


def staff_of(organization, role: str = Membership.Role.CASEWORKER) -> Viewer:
    user = MembershipFactory(organization=organization, role=role).user
    return viewer_for_staff(user, organization)


def resident() -> Viewer:
    user = UserFactory()
    PersonFactory(user=user, email=user.email)
    return viewer_for_resident(user)


def client_of(organization, scopes=("cases:read", "cases:write")) -> Viewer:
    return viewer_for_client(ApiClientFactory(organization=organization, scopes=list(scopes)))
