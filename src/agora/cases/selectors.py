"""Reads of requests: one request with its timeline, a resident's requests, the work queue.

Each read is decided by `permissions` (inside the query for lists) and logged in the same
transaction: one `case.read` entry for a request, one `case.list` entry per request on a
queue page (each resident then sees that staff listed theirs), one `case.list` entry for
a resident's own list. A request the viewer may not see is answered exactly like one that
does not exist.
"""

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from agora.access.decisions import Basis, Decision
from agora.access.viewers import Viewer
from agora.audit.services import log_append_many
from agora.cases import entries
from agora.cases.exceptions import case_not_found
from agora.cases.models import Case, CaseEvent, Referral
from agora.cases.permissions import READ, CaseFacts, case_decide, handles_for
from agora.cases.statuses import Status, StatusModel, status_model_for, status_models_for
from agora.core.actors import SystemActor
from agora.core.compiled import CompiledRead


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


def case_status_of(case: Case) -> Status:
    """Return the status a request is in, with its words."""
    return _status_of(status_model_for(case.service_id), case.status)


def _label_events(events: list[CaseEvent], model: StatusModel) -> list[CaseEvent]:
    """Give each status entry the words of its status: `status_label`, `status_text`."""
    for event in events:
        if event.status_to:
            status = _status_of(model, event.status_to)
            event.status_label, event.status_text = status.label, status.resident_text
    return events


def case_read(
    *,
    viewer: Viewer | SystemActor | None,
    reference: str,
    purpose_code: str = "",
    timeline: bool = True,
) -> CaseView:
    """Return the request with this reference and its timeline, if the viewer may see it.

    Log the read either way; an unknown reference and a refused one raise the same
    `NotFound`. With `timeline=False` only the request and its status are read (the
    partner API's status read).
    """
    reference = (reference or "").strip().upper()[:40]
    # A status read is one SELECT and then its log entry, which on its own is a
    # transaction of its own (on PostgreSQL one statement, decision 44); a full read
    # keeps its reads together in one transaction. Either way the entry is written last,
    # and nothing is returned unless it was (decision 46).
    with transaction.atomic() if timeline else nullcontext():
        case = _case_by_reference(reference, timeline) if reference else None
        decision = (
            Decision(False, "No request has this reference.") if case is None
            else case_decide(viewer=viewer, case=CaseFacts(case.organization_id, case.person_id,
                                                            case.reporter_email),
                             action=READ)
        )
        view = _view(case, decision, timeline) if decision.permitted else None
        log_append_many([entries.draft(
            viewer=viewer, action=entries.READ, decision=decision,
            subject_public_id=str(case.person.public_id) if case and case.person_id else None,
            reference=reference, purpose_code=purpose_code,
        )])
    if view is None:
        raise case_not_found()
    return view


def _by_reference(*related: str) -> CompiledRead[Case]:
    return CompiledRead(
        Case, lambda reference: Case.objects.select_related(*related)
        .filter(reference=reference)[:1],
        fields=("reference",), stand_ins=(("RIV-0000-000001",), ("RIV-0000-000002",)))


# References are unique: no ORDER BY (as `.first()` would add), and each read is compiled
# once per process (decision 51). A status read's answer does not name the organisation,
# so it does not join it.
_CASE_WITH_TIMELINE = _by_reference("service", "organization", "person")
_CASE_FOR_STATUS = _by_reference("service", "person")


def _case_by_reference(reference: str, timeline: bool) -> Case | None:
    return (_CASE_WITH_TIMELINE if timeline else _CASE_FOR_STATUS).first(reference)


def _view(case: Case, decision: Decision, timeline: bool = True) -> CaseView:
    as_resident = decision.basis == Basis.OWN_DATA
    model = status_model_for(case.service)
    if not timeline:
        return CaseView(case=case, model=model, status=_status_of(model, case.status),
                        events=[], documents_wanted=[], referral=None,
                        as_resident=as_resident, decision=decision)
    events = list(
        CaseEvent.objects.filter(case=case).select_related("organization")
        .order_by("created_at", "id")
    )
    if as_resident:
        events = [event for event in events if event.visible_to_resident]
    _label_events(events, model)
    wanted = [e for e in events
              if e.kind == CaseEvent.Kind.DOCUMENT_REQUESTED and e.fulfilled_at is None]
    referral = (
        Referral.objects.select_related("to_organization", "from_organization")
        .filter(case=case, status=Referral.Status.PENDING).first()
    )
    return CaseView(
        case=case, model=model, status=_status_of(model, case.status), events=events,
        documents_wanted=wanted, referral=referral, as_resident=as_resident,
        decision=decision,
    )


# --- "Your requests" ------------------------------------------------------------------

MAX_RESIDENT_CASES = 200


@dataclass(frozen=True)
class ResidentCase:
    """One of a resident's requests, as "Your requests" shows it."""

    case: Case
    status: Status
    events: list[CaseEvent]
    documents_wanted: list[CaseEvent]
    overdue: bool

    @property
    def by_when(self) -> datetime | None:
        return self.case.deadline if self.case.is_open else None


def _verified_emails(viewer: Viewer) -> list[str]:
    """Return the signed-in user's verified addresses: reports they made before an account."""
    from allauth.account.models import EmailAddress

    if viewer.user is None:
        return []
    return [email.lower() for email in EmailAddress.objects.filter(
        user=viewer.user, verified=True).values_list("email", flat=True)]


def _resident_cases(viewer: Viewer, limit: int, related: tuple[str, ...] = (),
                    only: tuple[str, ...] = ()) -> list[Case]:
    """The resident's requests, newest first: about them, or reported under their address."""
    cases: list[Case] = []
    mine = Case.objects.select_related(*related).order_by("-created_at", "-id")
    if only:
        mine = mine.only(*only)
    if viewer.person_id is not None:
        cases = list(mine.filter(person_id=viewer.person_id)[:limit])
    emails = _verified_emails(viewer)
    if emails:
        reported = mine.filter(reporter_email__in=emails, person__isnull=True)[:limit]
        cases = sorted([*cases, *reported], key=lambda c: (c.created_at, c.id),
                       reverse=True)[:limit]
    return cases


def is_news_to_resident(author_kind: str) -> bool:
    """Whether a timeline entry is news to the resident: anything they did not write."""
    return author_kind != "person"


def resident_updates(*, viewer: Viewer | None) -> dict[UUID, list[datetime]]:
    """Return, per request of the resident (by public id), when others added to its timeline.

    The same requests and entries as `cases_for_resident` counts as new, without reading
    them: it feeds the count of new updates in the site's menu on every page, so it is two
    small queries and logs nothing (it shows the resident a number about their own
    requests, not a request; logging it would fill their activity log with page views).
    """
    if viewer is None or (viewer.person_id is None and viewer.user is None):
        return {}
    cases = _resident_cases(viewer, MAX_RESIDENT_CASES,
                            only=("id", "public_id", "created_at"))
    by_pk = {case.pk: case.public_id for case in cases}
    updates: dict[UUID, list[datetime]] = {public_id: [] for public_id in by_pk.values()}
    if by_pk:
        for case_id, author_kind, created_at in CaseEvent.objects.filter(
                case_id__in=list(by_pk), visible_to_resident=True,
        ).values_list("case_id", "author_kind", "created_at"):
            if is_news_to_resident(author_kind):
                updates[by_pk[case_id]].append(created_at)
    return updates


def cases_for_resident(
    *,
    viewer: Viewer | None,
    now: datetime | None = None,
    limit: int = MAX_RESIDENT_CASES,
) -> list[ResidentCase]:
    """Return every request of the signed-in resident, across organisations, newest first.

    Theirs are the requests about them, and the street problems they reported under an
    address of theirs that is verified. Each comes with its status in the resident's words
    and its timeline (without internal notes). One `case.list` entry is logged.
    """
    now = now or timezone.now()
    if viewer is None or (viewer.person_id is None and viewer.user is None):
        return []
    limit = max(1, min(limit, MAX_RESIDENT_CASES))
    cases = _resident_cases(viewer, limit, ("service", "service__provider", "organization"))
    events: dict[int, list[CaseEvent]] = {case.pk: [] for case in cases}
    if cases:
        for event in CaseEvent.objects.filter(case_id__in=list(events),
                                              visible_to_resident=True).order_by(
                "case_id", "created_at", "id"):
            events[event.case_id].append(event)
    models = status_models_for({case.service_id for case in cases})
    with transaction.atomic():
        log_append_many([entries.draft(
            viewer=viewer, action=entries.LIST,
            decision=Decision(True, f"The person's own requests ({len(cases)}).",
                              basis=Basis.OWN_DATA),
            subject_public_id=str(viewer.person.public_id) if viewer.person else None,
        )])
    return [
        ResidentCase(
            case=case, status=_status_of(models[case.service_id], case.status),
            events=_label_events(events[case.pk], models[case.service_id]),
            documents_wanted=[e for e in events[case.pk]
                              if e.kind == CaseEvent.Kind.DOCUMENT_REQUESTED
                              and e.fulfilled_at is None],
            overdue=case_is_overdue(case, now),
        )
        for case in cases
    ]


# --- the work queue -------------------------------------------------------------------

QUEUE_PAGE = 25


@dataclass(frozen=True)
class QueueItem:
    case: Case
    status: Status
    overdue: bool


@dataclass(frozen=True)
class QueuePage:
    items: list[QueueItem]
    total: int  # requests matching the filters
    counts: dict[str, int]  # open requests by status code
    overdue: int  # open requests past their deadline
    open: int  # all open requests
    page: int
    pages: int


def case_queue(
    *,
    viewer: Viewer | None,
    status: str = "",
    service_id: int | None = None,
    overdue: bool = False,
    page: int = 1,
    now: datetime | None = None,
) -> QueuePage:
    """Return a page of the requests the viewer's organisation handles, soonest deadline first.

    Without a status, the open requests; paused ones (deadline cleared while waiting on
    the resident) come after those with a deadline. Counts are of open requests. Each
    request shown is logged (`case.list`) with the person it is about.
    """
    now = now or timezone.now()
    organization_id = handles_for(viewer)
    if organization_id is None:
        return QueuePage([], 0, {}, 0, 0, 1, 1)
    mine = Case.objects.filter(organization_id=organization_id)
    chosen = mine.filter(status=status) if status else mine.filter(is_open=True)
    if service_id:
        chosen = chosen.filter(service_id=service_id)
    if overdue:
        chosen = chosen.filter(is_open=True, deadline__lt=now)
    # COUNT(*), not COUNT(id): read from the partial index alone (no heap fetch).
    counts = dict(mine.filter(is_open=True).order_by().values("status").annotate(n=Count("*"))
                  .values_list("status", "n"))
    open_total = sum(counts.values())
    late = mine.filter(is_open=True, deadline__lt=now).count()
    total = (late if overdue and not status and not service_id
             else counts.get(status, 0) if status and not service_id and not overdue
             else open_total if not (status or service_id or overdue)
             else chosen.count())
    pages = max(1, -(-total // QUEUE_PAGE))
    page = max(1, min(page, pages))
    items = _queue_page(chosen, (page - 1) * QUEUE_PAGE, QUEUE_PAGE)
    models = status_models_for({case.service_id for case in items})
    with transaction.atomic():
        log_append_many([entries.draft(
            viewer=viewer, action=entries.LIST,
            decision=case_decide(viewer=viewer, case=CaseFacts(organization_id, None)),
            subject_public_id=str(case.person.public_id) if case.person_id else None,
            reference=case.reference, reason="Listed in the work queue.",
        ) for case in items] or [entries.draft(
            viewer=viewer, action=entries.LIST,
            decision=Decision(True, "The work queue, with no request on this page."),
        )])
    return QueuePage(
        items=[QueueItem(case, _status_of(models[case.service_id], case.status),
                         case_is_overdue(case, now)) for case in items],
        total=total, counts=counts, overdue=late, open=open_total, page=page, pages=pages,
    )


def _queue_page(chosen, offset: int, limit: int) -> list[Case]:
    """Return one page by deadline, paused requests (no deadline) last.

    Two index range reads rather than `NULLS LAST`, which SQLite cannot read off an
    ascending index: the requests with a deadline, then as many paused ones as fit.
    """
    related = ("service", "person")
    dated = chosen.filter(deadline__isnull=False)
    items = list(dated.select_related(*related).order_by("deadline", "id")[offset:offset + limit])
    if len(items) < limit:
        skip = max(0, offset - dated.count()) if offset else 0
        items += list(chosen.filter(deadline__isnull=True).select_related(*related)
                      .order_by("id")[skip:skip + limit - len(items)])
    return items
