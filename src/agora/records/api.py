"""The exchange API: a member organisation's client reads, finds and pushes personal records.

Each operation builds the client's viewer from the verified token (its organisation, and
`on_behalf_of`), takes the token's `purpose` as the purpose of the access, and calls one
selector or service; those decide, filter and log. Unknown people, unknown records and
refused ones give the same 404 problem.
"""

from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from agora.access.viewers import viewer_for_token
from agora.organizations.auth import client_auth
from agora.people.selectors import person_find, person_find_by_national_id
from agora.records import selectors, services
from agora.records.exceptions import nothing_found
from agora.records.schemas import (
    LookupIn,
    LookupOut,
    PageQuery,
    PersonById,
    PersonRecordsOut,
    RecordIn,
    RecordOut,
    RecordPushOut,
    SharedUnder,
)

router = Router(tags=["records"])





def _record_out(shared: selectors.SharedRecord) -> RecordOut:
    record, decision = shared.record, shared.decision
    return RecordOut(
        id=record.public_id,
        owner=record.owner.slug,
        category=record.category.code,
        classification=record.classification,
        title=record.title,
        fields=shared.fields,
        updated_at=record.updated_at,
        shared_under=SharedUnder(
            basis=decision.basis,
            id=UUID(decision.basis_ref) if decision.basis_ref else None,
            legal_basis=shared.legal_basis,
        ),
    )


@router.get(
    "/people/{person_id}/records", response=PersonRecordsOut, **client_auth("records:read"),
    summary="A person's records",
)
def person_records(
    request: HttpRequest, person_id: UUID, page: Query[PageQuery]
) -> PersonRecordsOut:
    """Return the records about this person that the client may read for the token's purpose.

    Only records the client's organisation owns, or that an active agreement or the
    person's consent shares with it for this purpose, are returned, each with only the
    fields it may see and the agreement or consent it was shared under. Every record
    returned is logged; an unknown person and a person with nothing readable give the
    same 404, and are logged as refused.
    """
    viewer = viewer_for_token(request.auth)
    person = person_find(viewer=viewer, person_id=person_id)
    purpose = services.purpose_require(
        viewer=viewer, code=request.auth.purpose, action="record.list", subject=person
    )
    result = selectors.records_for_person(
        viewer=viewer, person=person, purpose=purpose, limit=page.limit, offset=page.offset
    )
    if result.total == 0:
        raise nothing_found()
    return PersonRecordsOut(
        person_id=person_id,
        purpose=purpose.code,
        total=result.total,
        limit=page.limit,
        offset=page.offset,
        records=[_record_out(shared) for shared in result.items],
    )


@router.post(
    "/people/lookup", response=LookupOut, **client_auth("people:lookup", 404),
    summary="Find a person by national identifier",
)
def person_lookup(request: HttpRequest, payload: LookupIn) -> LookupOut:
    """Return the person's public id, if the client may read at least one of their records.

    Otherwise, whether or not anyone holds the identifier, the answer is the same 404.
    The identifier is matched on its keyed hash and never stored; every lookup is logged.
    """
    viewer = viewer_for_token(request.auth)
    person = person_find_by_national_id(viewer=viewer, national_id=payload.national_id)
    purpose = services.purpose_require(
        viewer=viewer, code=request.auth.purpose, action="person.lookup", subject=person
    )
    found = selectors.person_lookup(viewer=viewer, person=person, purpose=purpose)
    if found is None:
        raise nothing_found()
    return LookupOut(person_id=found.public_id)


@router.post(
    "/records", response=RecordPushOut, **client_auth("records:write", 404, 409),
    summary="Push a record about a person",
)
def record_push(request: HttpRequest, payload: RecordIn) -> RecordPushOut:
    """Create or update a record your organisation holds about a person.

    Name the person by `person_id` or `national_id`. Pushing the same `external_ref`
    again updates that record, so a push can safely be retried; a reference already
    used for a record about another person is a 409 conflict.
    """
    viewer = viewer_for_token(request.auth)
    if isinstance(payload.person, PersonById):
        person = person_find(viewer=viewer, person_id=payload.person.person_id)
    else:
        person = person_find_by_national_id(
            viewer=viewer, national_id=payload.person.national_id
        )
    purpose = services.purpose_require(
        viewer=viewer, code=request.auth.purpose, action="record.create", subject=person
    )
    record, created = services.record_push(
        viewer=viewer,
        purpose=purpose,
        subject=person,
        external_ref=payload.external_ref,
        category=payload.category,
        title=payload.title,
        fields=payload.fields,
        classification="restricted" if payload.restricted_roles else "internal",
        restricted_roles=payload.restricted_roles,
    )
    return RecordPushOut(
        id=record.public_id,
        person_id=person.public_id,
        external_ref=record.external_ref,
        created=created,
        updated_at=record.updated_at,
    )


@router.delete(
    "/records/{record_id}", response={204: None}, **client_auth("records:write"),
    summary="Delete a record",
)
def record_delete(request: HttpRequest, record_id: UUID) -> Status:
    """Delete a record your organisation holds. Its log entries stay.

    Another organisation's record and an unknown id give the same 404.
    """
    viewer = viewer_for_token(request.auth)
    purpose = services.purpose_require(
        viewer=viewer, code=request.auth.purpose, action="record.delete"
    )
    services.record_delete(viewer=viewer, purpose=purpose, record_id=record_id)
    return Status(204, None)
