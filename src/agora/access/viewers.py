"""Who is reading: the one description of a viewer that every access decision takes.

A viewer is built once per request (page, API call or command) by one of the
constructors below and passed explicitly. `None` is never a viewer: the decision and
the query filter deny everything to `None` (fail closed). An anonymous visitor is
`anonymous_viewer()`, who may read open and public records that are about no one.
"""

from dataclasses import dataclass
from typing import Any

from agora.core.compiled import CompiledRead
from agora.organizations.models import ApiClient, Membership, Organization
from agora.people.models import Person, User
from agora.people.selectors import person_of_user


@dataclass(frozen=True)
class Viewer:
    """Who asks: a person, a staff member acting for an organisation, or a machine client."""

    user: User | None = None
    person: Person | None = None
    organization: Organization | None = None
    roles: frozenset[str] = frozenset()
    client: ApiClient | None = None
    on_behalf_of: str = ""

    @property
    def person_id(self) -> int | None:
        return self.person.pk if self.person else None

    @property
    def organization_id(self) -> int | None:
        return self.organization.pk if self.organization else None

    @property
    def is_staff_member(self) -> bool:
        """True for a member of `organization` holding at least one role there."""
        return self.organization is not None and self.client is None and bool(self.roles)

    @property
    def is_client(self) -> bool:
        return self.organization is not None and self.client is not None

    @property
    def label(self) -> str:
        """Describe the viewer in a few words, for reasons and logs."""
        if self.client is not None:
            return f"API client {self.client.name} of {self.organization}"
        if self.is_staff_member:
            return f"{self.user} ({', '.join(sorted(self.roles))} at {self.organization})"
        if self.user is not None:
            return str(self.user)
        return "an anonymous visitor"


def anonymous_viewer() -> Viewer:
    """Return the viewer for someone not signed in: open and public records only."""
    return Viewer()


def _active_user(user: User | None) -> User | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not user.is_active:
        return None
    return user


def _person_of(user: User | None) -> Person | None:
    if user is None:
        return None
    return person_of_user(user_id=user.pk)


def viewer_for_resident(user: User | None) -> Viewer:
    """Return the viewer for a signed-in resident reading as themselves.

    Someone not signed in (or a disabled account) gets the anonymous viewer.
    """
    user = _active_user(user)
    if user is None:
        return anonymous_viewer()
    return Viewer(user=user, person=_person_of(user))


# A staff member's roles in the organisation they act for: read on every page of the
# console, compiled once per process (decision 51).
_MEMBERSHIPS = CompiledRead(
    Membership,
    lambda user_id, organization_id: Membership.objects.filter(
        user_id=user_id, organization_id=organization_id).order_by(),  # a set: no order
    fields=("user", "organization"), stand_ins=((1, 2), (3, 4)))


def viewer_for_staff(user: User | None, organization: Organization) -> Viewer:
    """Return the viewer for a user acting for an organisation, with their roles there.

    A user with no role in the organisation, or acting for an inactive one, holds no
    roles and so reads no more than a resident.
    """
    user = _active_user(user)
    if user is None:
        return anonymous_viewer()
    roles: frozenset[str] = frozenset()
    if organization.is_active:
        roles = frozenset(membership.role
                          for membership in _MEMBERSHIPS.all(user.pk, organization.pk))
    if not roles:
        return Viewer(user=user, person=_person_of(user))
    return Viewer(user=user, person=_person_of(user), organization=organization, roles=roles)


def viewer_for_client(client: ApiClient, on_behalf_of: str = "") -> Viewer:
    """Return the viewer for a machine client of an organisation.

    A disabled client, or a client of an inactive organisation, is anonymous.
    """
    organization = client.organization
    if not (client.is_active and organization.is_active):
        return anonymous_viewer()
    return Viewer(organization=organization, client=client, on_behalf_of=on_behalf_of)


def viewer_for_token(token: Any) -> Viewer:
    """Return the viewer of an API request's verified client token (`request.auth`)."""
    return viewer_for_client(token.client, token.on_behalf_of or "")
