"""Who may publish an organisation's documents: the command line, its publishers and
administrators, and its own API clients. Services check it before a write; the console
asks it to decide which pages and links a member sees."""

from agora.core.actors import SystemActor
from agora.core.exceptions import PermissionDenied
from agora.organizations.models import ApiClient, Membership, Organization

PUBLISHER_ROLES = frozenset({Membership.Role.PUBLISHER.value, Membership.Role.ADMIN.value})


def user_may_publish(user, owner: Organization) -> bool:
    """Say whether a signed-in user publishes for the owner (a publisher or administrator)."""
    return bool(
        user is not None and getattr(user, "is_authenticated", False) and user.is_active
        and owner.is_active
        and Membership.objects.filter(user=user, organization=owner,
                                      role__in=PUBLISHER_ROLES).exists()
    )


def publisher_check(actor, owner: Organization) -> None:
    """Refuse anyone but the command line, the owner's publishers and admins, its clients."""
    if isinstance(actor, SystemActor):
        return
    if not owner.is_active:
        raise PermissionDenied(f"{owner} is not active, so it cannot publish.")
    if isinstance(actor, ApiClient):
        if actor.is_active and actor.organization_id == owner.pk:
            return
        raise PermissionDenied("A client may only publish its own organisation's documents.")
    if user_may_publish(actor, owner):
        return
    raise PermissionDenied(f"Only publishers and administrators of {owner} publish its documents.")
