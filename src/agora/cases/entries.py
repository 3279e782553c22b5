"""The transparency-log entries that record reads and writes of requests.

Like `records.entries`: who (actor, organisation, on behalf of whom), why (purpose when
a client states one), what (action, the person the request is about, its reference) and
the result with its reason. A request's reference is its public name in the log.
"""

from agora.access.decisions import Decision
from agora.access.viewers import Viewer
from agora.audit.services import EntryDraft
from agora.core.actors import SystemActor
from agora.records.entries import actor_for

RESOURCE = "case"
CREATE, READ, LIST, UPDATE, REFER = (
    "case.create", "case.read", "case.list", "case.update", "case.refer"
)


def draft(
    *,
    viewer: Viewer | SystemActor | None,
    action: str,
    decision: Decision,
    subject_public_id: str | None = None,
    reference: str = "",
    reason: str = "",
    purpose_code: str = "",
) -> EntryDraft:
    """Return the entry for one read or write of a request, permitted or refused."""
    organization = on_behalf_of = ""
    if isinstance(viewer, Viewer):
        organization = viewer.organization.slug if viewer.organization else ""
        on_behalf_of = viewer.on_behalf_of or ""
    return EntryDraft(
        actor=actor_for(viewer),
        action=action,
        decision="permit" if decision.permitted else "deny",
        reason=(reason or decision.reason)[:1000],
        organization=organization,
        on_behalf_of=on_behalf_of[:200],
        purpose=purpose_code[:60],
        subject=subject_public_id,
        resource_type=RESOURCE if reference else "",
        resource_id=reference[:100],
    )
