"""Who runs an organisation's challenges (opens them, moves their phases, answers proposals,
hides comments, tracks results): its administrators and publishers, and the command line."""

from agora.core.actors import SystemActor
from agora.core.exceptions import PermissionDenied
from agora.organizations.models import Membership, Organization

RUNNER_ROLES = frozenset({Membership.Role.ADMIN.value, Membership.Role.PUBLISHER.value})


def user_may_run(user, organization: Organization) -> bool:
    """Say whether a signed-in user runs the organisation's challenges."""
    return bool(
        user is not None and getattr(user, "is_authenticated", False) and user.is_active
        and organization.is_active
        and Membership.objects.filter(user=user, organization=organization,
                                      role__in=RUNNER_ROLES).exists()
    )


def runner_check(actor, organization: Organization) -> None:
    """Refuse anyone but the organisation's administrators and publishers (and the CLI)."""
    if isinstance(actor, SystemActor) or user_may_run(actor, organization):
        return
    raise PermissionDenied(
        f"Only administrators and publishers of {organization} run its challenges.")


def user_may_speak_for(user, organization: Organization) -> bool:
    """Say whether a user may post for a member organisation (any role in it)."""
    return bool(
        user is not None and getattr(user, "is_authenticated", False) and organization.is_active
        and Membership.objects.filter(user=user, organization=organization).exists()
    )
