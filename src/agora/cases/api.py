"""The requests API: a partner organisation's system creates, reads and updates its requests.

Each operation builds the client's viewer from the verified token and calls one service
or selector; those decide, change and log. A request of another organisation gives the
same 404 as one that does not exist. Changes carry the version they are based on
(`If-Match: "<version>"`, the ETag of the last read, or a `version` field): a stale one
is a 409 `stale-version` problem, never a lost update.
"""


from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.responses import Status

from agora.access.viewers import viewer_for_token
from agora.cases import selectors, services
from agora.cases.exceptions import VersionRequired
from agora.cases.models import CaseEvent
from agora.cases.schemas import (
    CaseIn,
    CaseOut,
    CaseStatusOut,
    EventIn,
    EventOut,
    StatusChangeIn,
    StatusOut,
)
from agora.catalog.models import Service
from agora.core.exceptions import InvalidInput
from agora.organizations.auth import client_auth
from agora.people.selectors import person_find

router = Router(tags=["requests"])




def _purpose(request: HttpRequest) -> str:
    return request.auth.purpose or ""


def _version(request: HttpRequest, body_version: int | None, *, required: bool) -> int | None:
    """Return the version a change is based on: `If-Match` first, else the body's."""
    header = request.headers.get("If-Match", "").strip()
    if header:
        value = header.removeprefix("W/").strip('"')
        if not value.isdigit():
            raise InvalidInput("If-Match must be the ETag of the request, e.g. \"3\".",
                               errors=[{"field": "If-Match", "message": header[:40]}])
        return int(value)
    if body_version is None and required:
        raise VersionRequired()
    return body_version


def _etag(response: HttpResponse, version: int) -> None:
    response["ETag"] = f'"{version}"'


def _event_out(event: CaseEvent) -> EventOut:
    return EventOut(
        id=event.public_id, kind=event.kind, created_at=event.created_at,
        author=event.author_label, status_from=event.status_from, status_to=event.status_to,
        text=event.text, document_name=event.document_name,
        visible_to_resident=event.visible_to_resident,
    )


def _case_out(view: selectors.CaseView) -> CaseOut:
    case, status = view.case, view.status
    return CaseOut(
        reference=case.reference, id=case.public_id, service=case.service.code,
        organization=case.organization.slug,
        person_id=case.person.public_id if case.person_id else None,
        status=StatusOut(code=status.code, label=status.label,
                         resident_text=status.resident_text, next_step=status.next_step,
                         is_final=status.is_final),
        is_open=case.is_open, deadline=case.deadline, overdue=view.is_overdue(),
        version=case.version, created_at=case.created_at, updated_at=case.updated_at,
        allowed_next=[s.code for s in view.allowed_next],
        timeline=[_event_out(event) for event in view.events],
    )


def _read(request: HttpRequest, response: HttpResponse, reference: str) -> CaseOut:
    view = selectors.case_read(viewer=viewer_for_token(request.auth), reference=reference,
                               purpose_code=_purpose(request))
    _etag(response, view.case.version)
    return _case_out(view)


@router.post("/cases", response={201: CaseOut}, **client_auth("cases:write", 404, 422),
             summary="Create a request")
def case_create(request: HttpRequest, response: HttpResponse, payload: CaseIn):
    """Create a request for one of your organisation's services.

    Name the resident by `person_id`, or give a `reporter`'s contact details. Sending
    the same `external_ref` again returns the request the first call made.
    """
    viewer = viewer_for_token(request.auth)
    service = Service.objects.select_related("provider").filter(code=payload.service).first()
    if service is None or service.provider_id != viewer.organization_id:
        raise InvalidInput("Your organisation offers no service with this code.",
                           errors=[{"field": "service", "message": payload.service[:80]}])
    person = None
    if payload.person_id is not None:
        person = person_find(viewer=viewer, person_id=payload.person_id)
        if person is None:
            raise InvalidInput("No person has this id.",
                               errors=[{"field": "person_id", "message": "unknown"}])
    reporter = payload.reporter
    location = payload.location
    case = services.case_create(
        viewer=viewer, service=service, person=person,
        reporter=services.Reporter(**reporter.dict()) if reporter else None,
        location=services.Location(location.lat, location.long, location.address)
        if location else None,
        description=payload.description, media_url=payload.media_url,
        answers=payload.answers, channel="api", external_ref=payload.external_ref,
        purpose_code=_purpose(request),
    )
    view = selectors.case_read(viewer=viewer, reference=case.reference,
                               purpose_code=_purpose(request))
    _etag(response, case.version)
    return Status(201, _case_out(view))


@router.get("/cases/{reference}", response=CaseOut, **client_auth("cases:read", 404),
            summary="Read a request and its timeline")
def case_get(request: HttpRequest, response: HttpResponse, reference: str) -> CaseOut:
    """Return the request, its status and its whole timeline; the ETag is its version."""
    return _read(request, response, reference)


@router.get("/cases/{reference}/status", response=CaseStatusOut,
            **client_auth("cases:read", 404), summary="Read a request's status")
def case_status_get(request: HttpRequest, response: HttpResponse,
                    reference: str) -> CaseStatusOut:
    """Return only the request's current status, deadline and version (a cheap poll)."""
    view = selectors.case_read(viewer=viewer_for_token(request.auth), reference=reference,
                               purpose_code=_purpose(request), timeline=False)
    case = view.case
    _etag(response, case.version)
    return CaseStatusOut(
        reference=case.reference, status=case.status, resident_text=view.status.resident_text,
        is_open=case.is_open, deadline=case.deadline, overdue=view.is_overdue(),
        version=case.version,
    )


@router.post("/cases/{reference}/status", response=CaseOut,
             **client_auth("cases:write", 404, 409, 428), summary="Change a request's status")
def case_status_change(request: HttpRequest, response: HttpResponse, reference: str,
                       payload: StatusChangeIn) -> CaseOut:
    """Move the request to another status its service's model allows from the current one.

    Send the version you read (`If-Match: "3"` or `version`): if the request changed
    since, the answer is 409 `stale-version` and nothing changes. A status the model does
    not allow from the current one is 409 `status-change-not-allowed`, listing those it
    does.
    """
    viewer = viewer_for_token(request.auth)
    services.case_status_change(
        viewer=viewer, reference=reference, status=payload.status, note=payload.note,
        expected_version=_version(request, payload.version, required=True),
        purpose_code=_purpose(request),
    )
    return _read(request, response, reference)


@router.post("/cases/{reference}/events", response={201: EventOut},
             **client_auth("cases:write", 404, 409), summary="Add to a request's timeline")
def case_event_add(request: HttpRequest, response: HttpResponse, reference: str,
                   payload: EventIn):
    """Send the resident a message, add an internal note, or ask for a document."""
    viewer = viewer_for_token(request.auth)
    arguments = dict(viewer=viewer, reference=reference, purpose_code=_purpose(request),
                     expected_version=_version(request, payload.version, required=False))
    if payload.kind == "message":
        event = services.case_message_send(text=payload.text, **arguments)
    elif payload.kind == "note":
        event = services.case_note_add(text=payload.text, **arguments)
    else:
        event = services.case_document_request(
            document_name=payload.document_name, text=payload.text, **arguments)
    return Status(201, _event_out(event))
