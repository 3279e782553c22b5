"""Who may manage an organisation's webhooks: its admins, operators, and its own API clients
holding the `webhooks:manage` scope."""

from agora.organizations.models import ApiClient, Organization
from agora.organizations.selectors import user_can_manage_members

SCOPE = "webhooks:manage"


def may_manage_webhooks(actor, organization: Organization) -> bool:
    """Return whether the actor may manage the organisation's webhook subscriptions."""
    if isinstance(actor, ApiClient):
        return (actor.is_active and actor.organization_id == organization.pk
                and SCOPE in actor.scopes)
    return user_can_manage_members(actor, organization)
