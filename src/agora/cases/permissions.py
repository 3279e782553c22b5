"""Who may see and change a request: the one decision every read and write passes through.

    the resident it is about      read it; reply, send documents, answer a referral
    the handling organisation's staff holding a personal-data role (admin, caseworker,
    data protection officer)      read it and change it
    the handling organisation's API clients
                                  read it and change it (with the scope the API checks)
    anyone else                   nothing: the request looks as if it did not exist

`queue_filter` applies the same rule inside a query, so lists never hold a request the
viewer may not see (fail closed: no viewer, no rows).
"""

from dataclasses import dataclass

from django.db.models import Q

from agora.access.decisions import PERSONAL_DATA_ROLES, Basis, Decision
from agora.access.viewers import Viewer
from agora.core.actors import SystemActor

READ, STAFF_WRITE, RESIDENT_WRITE = "read", "staff-write", "resident-write"


@dataclass(frozen=True)
class CaseFacts:
    """What the decision needs to know about a request (a `Case` fits)."""

    organization_id: int
    person_id: int | None
    reporter_email: str = ""


def _handler_basis(viewer: Viewer, organization_id: int) -> str:
    if viewer.organization_id is None or viewer.organization_id != organization_id:
        return Basis.NONE
    if viewer.is_client:
        return Basis.OWNER_CLIENT
    if viewer.is_staff_member and viewer.roles & PERSONAL_DATA_ROLES:
        return Basis.STAFF_ROLE
    return Basis.NONE


def case_decide(
    *, viewer: Viewer | SystemActor | None, case: CaseFacts, action: str = READ
) -> Decision:
    """Decide whether the viewer may read or change this request, and say why."""
    if isinstance(viewer, SystemActor):
        return Decision(True, f"The server's own {viewer}.", basis="system")
    if viewer is None:
        return Decision(False, "No one is identified.")
    own = (viewer.person_id is not None and viewer.person_id == case.person_id) or (
        case.person_id is None and _reported_by(viewer, case.reporter_email))
    if action in (READ, RESIDENT_WRITE) and own:
        return Decision(True, "This is the person's own request.", basis=Basis.OWN_DATA)
    if action in (READ, STAFF_WRITE):
        basis = _handler_basis(viewer, case.organization_id)
        if basis == Basis.OWNER_CLIENT:
            return Decision(True, "An API client of the organisation handling the request.",
                            basis=basis)
        if basis:
            roles = ", ".join(sorted(viewer.roles & PERSONAL_DATA_ROLES))
            return Decision(
                True, f"The viewer's role ({roles}) at the organisation handling the request.",
                basis=basis,
            )
    if action == RESIDENT_WRITE:
        return Decision(False, "Only the resident the request is about may do this.")
    return Decision(
        False,
        "Only the resident it is about and the handling organisation's staff (admin, "
        "caseworker or data protection officer) or API clients may see or change a request.",
    )


def _reported_by(viewer: Viewer, email: str) -> bool:
    """Return whether a street report was made under an address the viewer has verified."""
    from allauth.account.models import EmailAddress

    if not email or viewer.user is None or viewer.client is not None:
        return False
    return EmailAddress.objects.filter(user=viewer.user, email__iexact=email,
                                       verified=True).exists()


def handles_for(viewer: Viewer | None) -> int | None:
    """Return the organisation whose requests this viewer handles, or None."""
    if viewer is None or viewer.organization_id is None:
        return None
    return viewer.organization_id if _handler_basis(viewer, viewer.organization_id) else None


def queue_filter(viewer: Viewer | None) -> Q:
    """Return the condition for the requests this viewer handles; nothing for anyone else."""
    organization_id = handles_for(viewer)
    if organization_id is None:
        return Q(pk__in=[])
    return Q(organization_id=organization_id)
