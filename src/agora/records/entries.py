"""The transparency-log entries that record reads and writes of records.

One place turns a viewer, a purpose, a record and a decision into an `EntryDraft`, so
every path logs the same facts: who (actor, organisation, on behalf of whom), why
(purpose, legal basis), what (action, subject, record) and the result with its reason.
"""

from agora.access.decisions import Decision
from agora.access.models import Purpose
from agora.access.services.common import audit_actor
from agora.access.viewers import Viewer
from agora.audit.services import AuditActor, EntryDraft
from agora.core.actors import SystemActor
from agora.people.models import Person

RESOURCE = "record"
PERMIT, DENY = "permit", "deny"


def actor_for(viewer: Viewer | SystemActor | None) -> AuditActor:
    """Return how the log names this viewer: a client, a staff member, a person or system."""
    if isinstance(viewer, SystemActor):
        return audit_actor(viewer, "system")
    if viewer is None:
        return AuditActor(kind="person", id="anonymous", label="no one identified")
    if viewer.client is not None:
        return AuditActor(kind="client", id=str(viewer.client.client_id), label=viewer.label)
    if viewer.is_staff_member and viewer.user is not None:
        return AuditActor(kind="staff", id=str(viewer.user.public_id), label=viewer.label)
    if viewer.person is not None:
        return AuditActor(kind="person", id=str(viewer.person.public_id), label=viewer.label)
    if viewer.user is not None:
        return AuditActor(kind="person", id=str(viewer.user.public_id), label=viewer.label)
    return AuditActor(kind="person", id="anonymous", label=viewer.label)


def legal_basis_of(decision: Decision, purpose: Purpose | None, special: bool) -> str:
    """Return the legal basis to log: the decision's, with the Art. 9 condition if it applies
    (the one the acting organisation declared for the purpose, else the purpose's own)."""
    basis = decision.legal_basis
    condition = decision.special_condition or (purpose.special_condition if purpose else "")
    if decision.permitted and special and condition:
        basis = f"{basis}; {condition}" if basis else condition
    return basis


def draft(
    *,
    viewer: Viewer | SystemActor | None,
    action: str,
    permitted: bool,
    reason: str,
    purpose: Purpose | None = None,
    purpose_code: str = "",
    legal_basis: str = "",
    subject: Person | None = None,
    resource_id: str = "",
) -> EntryDraft:
    """Return the entry for one read or write, permitted or refused."""
    organization = ""
    on_behalf_of = ""
    if isinstance(viewer, Viewer):
        organization = viewer.organization.slug if viewer.organization else ""
        on_behalf_of = viewer.on_behalf_of or ""
    return EntryDraft(
        actor=actor_for(viewer),
        action=action,
        decision=PERMIT if permitted else DENY,
        reason=reason,
        organization=organization,
        on_behalf_of=on_behalf_of[:200],
        purpose=(purpose.code if purpose is not None else purpose_code)[:60],
        legal_basis=legal_basis[:200],
        subject=str(subject.public_id) if subject is not None else None,
        resource_type=RESOURCE if resource_id else "",
        resource_id=resource_id,
    )
