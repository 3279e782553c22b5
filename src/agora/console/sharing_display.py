"""How the sharing pages describe an agreement: its status tag, its dates, what one may do.

Only words and colours live here. Whether a change is allowed is the access services'
decision; `agreement_actions` merely offers the buttons those services would accept, so
nobody is shown a button that can only fail.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from agora.access.models import Agreement
from agora.organizations.models import Membership
from agora.people.models import User

ENDING_SOON = timedelta(days=30)

STATUS_COLOURS = {
    Agreement.Status.DRAFT: "grey",
    Agreement.Status.ACTIVE: "green",
    Agreement.Status.SUSPENDED: "yellow",
    Agreement.Status.ENDED: "red",
}


@dataclass(frozen=True)
class Tag:
    text: str
    colour: str


def status_tag(agreement: Agreement, now: datetime | None = None) -> Tag:
    """Return the tag of an agreement: its status, or "Expired" once past its end date."""
    now = now or timezone.now()
    if agreement.status == Agreement.Status.ACTIVE and agreement.valid_to <= now:
        return Tag("Expired", "red")
    if agreement.status == Agreement.Status.ACTIVE and agreement.valid_from > now:
        return Tag("Not yet in force", "blue")
    return Tag(agreement.get_status_display(), STATUS_COLOURS.get(agreement.status, "grey"))


def expiry_warning(agreement: Agreement, now: datetime | None = None) -> str:
    """Return a warning for an agreement in force that ends within 30 days, or that has ended."""
    now = now or timezone.now()
    if agreement.status not in (Agreement.Status.ACTIVE, Agreement.Status.SUSPENDED):
        return ""
    if agreement.valid_to <= now:
        return "Its end date has passed: nothing is shared under it any more."
    left = agreement.valid_to - now
    if left <= ENDING_SOON:
        days = max(1, left.days)
        return f"Ends in {days} day{'s' if days != 1 else ''}."
    return ""


def user_roles(user: User, agreement: Agreement) -> dict[str, set[str]]:
    """Return the user's roles at the provider and at the recipient, in one query."""
    roles: dict[str, set[str]] = {"provider": set(), "recipient": set()}
    for organization_id, role in Membership.objects.filter(
        user=user, organization_id__in=[agreement.provider_id, agreement.recipient_id]
    ).values_list("organization_id", "role"):
        if organization_id == agreement.provider_id:
            roles["provider"].add(role)
        if organization_id == agreement.recipient_id:
            roles["recipient"].add(role)
    return roles


def agreement_actions(user: User, agreement: Agreement) -> list[str]:
    """Return the changes (approve, suspend, resume, end) the services would accept now."""
    roles = user_roles(user, agreement)
    admin = {side for side, held in roles.items() if Membership.Role.ADMIN in held}
    overseer = {
        side for side, held in roles.items()
        if held & {Membership.Role.ADMIN, Membership.Role.DPO}
    }
    status = agreement.status
    actions = []
    if status == Agreement.Status.DRAFT and any(
        getattr(agreement, f"{side}_approved_at") is None for side in admin
    ):
        actions.append("approve")
    if status == Agreement.Status.ACTIVE and overseer:
        actions.append("suspend")
    if status == Agreement.Status.SUSPENDED and "provider" in admin:
        actions.append("resume")
    if status != Agreement.Status.ENDED and overseer:
        actions.append("end")
    return actions
