"""Reads about organisations and who may manage them."""

from django.db.models import QuerySet

from agora.core.actors import SystemActor
from agora.organizations.models import ApiClient, Membership, Organization
from agora.people.models import User


def user_is_operator(user: User | SystemActor | None) -> bool:
    """Operators run the platform: they manage organisations, not their data.

    The command line (`SYSTEM`) is run by an operator on the server, so it counts as one.
    """
    if isinstance(user, SystemActor):
        return True
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def user_is_member(user: User | None) -> bool:
    """Return whether the user works for any organisation (holds a membership).

    The second-factor check and every page's navigation both ask, so the answer is kept
    on the user object, which Django loads afresh for each request: one query a request,
    and a membership granted mid-session counts from the next page on.
    """
    if not (user and user.is_authenticated):
        return False
    known = getattr(user, "_agora_is_member", None)
    if known is None:
        known = Membership.objects.filter(user_id=user.pk).exists()
        user._agora_is_member = known
    return known


def user_has_role(user: User | None, organization: Organization, *roles: str) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    memberships = Membership.objects.filter(user=user, organization=organization)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return memberships.exists()


def user_can_manage_members(user: User | None, organization: Organization) -> bool:
    """Organisation admins manage their members; operators may step in for any organisation."""
    return user_is_operator(user) or user_has_role(user, organization, Membership.Role.ADMIN)


def organization_list(*, viewer: User | None) -> QuerySet[Organization]:
    """Return the organisations this viewer works in; operators see all of them."""
    if user_is_operator(viewer):
        return Organization.objects.all()
    if not (viewer and viewer.is_authenticated):
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=viewer).distinct()


def organization_get(*, viewer: User | None, slug: str) -> Organization | None:
    """Return the organisation if the viewer may see it; missing and hidden look the same."""
    return organization_list(viewer=viewer).filter(slug=slug).first()


def membership_list(*, viewer: User | None, organization: Organization) -> QuerySet[Membership]:
    if not (user_can_manage_members(viewer, organization) or user_has_role(viewer, organization)):
        return Membership.objects.none()
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("user__email", "role")
    )


def user_memberships(*, user: User | None) -> QuerySet[Membership]:
    if not (user and user.is_authenticated):
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organization")


def apiclient_list(*, viewer: User | None, organization: Organization) -> QuerySet[ApiClient]:
    if not user_can_manage_members(viewer, organization):
        return ApiClient.objects.none()
    return ApiClient.objects.filter(organization=organization)
