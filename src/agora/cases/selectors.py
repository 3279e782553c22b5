"""Reads of requests: one request with its timeline, a resident's requests, the work queue.

Each read is decided by `permissions` (inside the query for lists) and logged in the same
transaction: one `case.read` entry for a request, one `case.list` entry per request on a
queue page (each resident then sees that staff listed theirs), one `case.list` entry for
a resident's own list. A request the viewer may not see is answered exactly like one that
does not exist.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from agora.access.decisions import Basis, Decision
from agora.access.viewers import Viewer
from agora.audit.services import log_append_many
from agora.cases import entries
from agora.cases.exceptions import case_not_found
from agora.cases.models import Case, CaseEvent, Referral
from agora.cases.permissions import READ, CaseFacts, case_decide
from agora.cases.statuses import Status, StatusModel, status_model_for
from agora.core.actors import SystemActor


@dataclass(frozen=True)
class CaseView:
    """A request as one viewer may see it: its status in words, its timeline, what is open."""

    case: Case
    model: StatusModel
    status: Status
    events: list[CaseEvent]  # oldest first; without internal notes for the resident
    documents_wanted: list[CaseEvent]  # document requests not yet answered
    referral: Referral | None  # a referral waiting for the resident's answer
    as_resident: bool  # the viewer is the resident it is about
    decision: Decision

    @property
    def reference(self) -> str:
        return self.case.reference

    @property
    def allowed_next(self) -> list[Status]:
        return [] if self.as_resident else self.model.allowed_from(self.case.status)

    def is_overdue(self, now: datetime | None = None) -> bool:
        return case_is_overdue(self.case, now)


def case_is_overdue(case: Case, now: datetime | None = None) -> bool:
    """Return whether an open request is past its deadline (never while its clock is paused)."""
    return bool(case.is_open and case.deadline is not None
                and case.deadline < (now or timezone.now()))


def _status_of(model: StatusModel, code: str) -> Status:
    # A status removed from a service's model since: show its code rather than fail.
    return model.get(code) or Status(code, code, code)


def case_read(
    *,
    viewer: Viewer | SystemActor | None,
    reference: str,
    purpose_code: str = "",
) -> CaseView:
    """Return the request with this reference and its timeline, if the viewer may see it.

    Log the read either way; an unknown reference and a refused one raise the same
    `NotFound`.
    """
    reference = (reference or "").strip().upper()[:40]
    with transaction.atomic():
        case = (
            Case.objects.select_related("service", "organization", "person")
            .filter(reference=reference).first()
        ) if reference else None
        decision = (
            Decision(False, "No request has this reference.") if case is None
            else case_decide(viewer=viewer, case=CaseFacts(case.organization_id, case.person_id),
                             action=READ)
        )
        log_append_many([entries.draft(
            viewer=viewer, action=entries.READ, decision=decision,
            subject_public_id=str(case.person.public_id) if case and case.person_id else None,
            reference=reference, purpose_code=purpose_code,
        )])
        view = _view(case, decision) if decision.permitted else None
    if view is None:
        raise case_not_found()
    return view


def _view(case: Case, decision: Decision) -> CaseView:
    as_resident = decision.basis == Basis.OWN_DATA
    events = list(
        CaseEvent.objects.filter(case=case).select_related("organization")
        .order_by("created_at", "id")
    )
    if as_resident:
        events = [event for event in events if event.visible_to_resident]
    wanted = [e for e in events
              if e.kind == CaseEvent.Kind.DOCUMENT_REQUESTED and e.fulfilled_at is None]
    referral = (
        Referral.objects.select_related("to_organization", "from_organization")
        .filter(case=case, status=Referral.Status.PENDING).first()
    )
    model = status_model_for(case.service_id)
    return CaseView(
        case=case, model=model, status=_status_of(model, case.status), events=events,
        documents_wanted=wanted, referral=referral, as_resident=as_resident,
        decision=decision,
    )
