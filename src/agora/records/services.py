"""Writes of records: create, update, delete and the idempotent push; each one a transaction.

Every write asks `access.decisions.decide` first and appends exactly one entry to the
transparency log, in the same transaction as the change, whether it is permitted or
refused. A refusal is committed (the entry stays) before the error is raised: outsiders
get the same "not found" as for a record that does not exist, the owner's own staff
lacking a role get "permission denied". Deleting a record keeps its log entries.
"""

import uuid
from typing import Any

from django.db import IntegrityError, transaction

from agora.access.decisions import Decision, RecordFacts, decide
from agora.access.models import Purpose
from agora.access.register import purpose_refusal
from agora.access.viewers import Viewer
from agora.audit.services import log_append_many
from agora.core.actors import SystemActor
from agora.core.compiled import CompiledRead
from agora.core.exceptions import InvalidInput, PermissionDenied
from agora.organizations.models import Organization
from agora.people.models import Person
from agora.records import entries
from agora.records.exceptions import ExternalRefTaken, UnknownPurpose, nothing_found
from agora.records.models import Record
from agora.records.validation import RecordValues, record_values_check

_UNSET: Any = object()


def _facts(owner_id: int | None, subject: Person | None, values: RecordValues) -> RecordFacts:
    return RecordFacts(
        owner_id=owner_id,
        subject_id=subject.pk if subject else None,
        category_id=values.category.pk,
        classification=values.classification,
        restricted_roles=tuple(values.restricted_roles),
    )


def _log(viewer, action: str, decision: Decision, purpose: Purpose | None,
         subject: Person | None, resource_id: str, special: bool) -> None:
    log_append_many([entries.draft(
        viewer=viewer,
        action=action,
        permitted=decision.permitted,
        reason=decision.reason,
        purpose=purpose,
        legal_basis=entries.legal_basis_of(decision, purpose, special),
        subject=subject,
        resource_id=resource_id,
    )])


def _refusal(viewer: Viewer, owner_id: int | None, decision: Decision) -> Exception:
    """Return the error for a refused write: the owner's own people learn why, others nothing."""
    if viewer.organization_id is not None and viewer.organization_id == owner_id:
        return PermissionDenied(decision.reason)
    return nothing_found()


def _write(record: Record) -> Record:
    record.full_clean(exclude=["owner", "subject", "category"], validate_unique=False)
    record.save()
    return record


def record_create(
    *,
    viewer: Viewer,
    purpose: Purpose | None,
    subject: Person | None,
    category: str,
    title: str,
    fields: dict[str, Any],
    classification: str = "internal",
    restricted_roles: list[str] | tuple[str, ...] = (),
    external_ref: str = "",
) -> Record:
    """Create a record owned by the viewer's organisation, if `decide` permits it."""
    values = record_values_check(
        personal=subject is not None, category=category, classification=classification,
        restricted_roles=restricted_roles, title=title, fields=fields,
        external_ref=external_ref,
    )
    record, error = _create(viewer, purpose, subject, values)
    if error is not None:
        raise error
    return record


def _create(viewer: Viewer, purpose: Purpose | None, subject: Person | None,
            values: RecordValues) -> tuple[Record | None, Exception | None]:
    owner_id = viewer.organization_id
    decision = decide(viewer=viewer, record=_facts(owner_id, subject, values),
                      purpose=purpose, action="create")
    with transaction.atomic():
        if not decision.permitted:
            _log(viewer, "record.create", decision, purpose, subject, "",
                 values.category.is_special)
            return None, PermissionDenied(decision.reason)
        record = Record(
            owner_id=owner_id, subject=subject, category=values.category,
            classification=values.classification, restricted_roles=values.restricted_roles,
            title=values.title, fields=values.fields, external_ref=values.external_ref,
        )
        _write(record)
        _log(viewer, "record.create", decision, purpose, subject, str(record.public_id),
             values.category.is_special)
    return record, None


def record_update(
    *,
    viewer: Viewer,
    purpose: Purpose | None,
    record: Record,
    title: str = _UNSET,
    fields: dict[str, Any] = _UNSET,
    category: str = _UNSET,
    classification: str = _UNSET,
    restricted_roles: list[str] = _UNSET,
) -> Record:
    """Change a record, if `decide` permits it both before and after the change.

    Refusal is checked before the values, so an outsider's bad values still get "not
    found" rather than a hint that the record exists.
    """
    changes = {"title": title, "fields": fields, "category": category,
               "classification": classification, "restricted_roles": restricted_roles}
    with transaction.atomic():
        record, error = _update(viewer, purpose, record, changes)
    if error is not None:
        raise error
    return record


def _update(viewer: Viewer, purpose: Purpose | None, record: Record,
            changes: dict[str, Any]) -> tuple[Record, Exception | None]:
    record = (
        Record.objects.select_for_update(of=("self",))
        .select_related("category", "subject").get(pk=record.pk)
    )
    decision = decide(viewer=viewer, record=record, purpose=purpose, action="update")
    special = record.category.is_special
    if decision.permitted:
        current = {name: getattr(record, name) for name in changes}
        values = record_values_check(
            personal=record.subject_id is not None,
            external_ref=record.external_ref,
            **{name: current[name] if value is _UNSET else value
               for name, value in changes.items()},
        )
        # The viewer must also be allowed to write the record as it will be.
        decision = decide(viewer=viewer, record=_facts(record.owner_id, record.subject, values),
                          purpose=purpose, action="update")
        special = special or values.category.is_special
    _log(viewer, "record.update", decision, purpose, record.subject, str(record.public_id),
         special)
    if not decision.permitted:
        return record, _refusal(viewer, record.owner_id, decision)
    record.category = values.category
    record.classification = values.classification
    record.restricted_roles = values.restricted_roles
    record.title = values.title
    record.fields = values.fields
    return _write(record), None


def record_delete(*, viewer: Viewer, purpose: Purpose | None, record_id: uuid.UUID) -> None:
    """Delete the record with this public id, if `decide` permits it; its log entries stay.

    An unknown id is logged as a refused delete and answered like a refused one.
    """
    with transaction.atomic():
        record = (
            Record.objects.select_for_update(of=("self",)).select_related("category", "subject")
            .filter(public_id=record_id).first()
        )
        if record is None:
            decision = Decision(False, "No record has this id.")
            _log(viewer, "record.delete", decision, purpose, None, str(record_id), False)
            error: Exception | None = nothing_found()
        else:
            decision = decide(viewer=viewer, record=record, purpose=purpose, action="delete")
            _log(viewer, "record.delete", decision, purpose, record.subject,
                 str(record.public_id), record.category.is_special)
            error = None if decision.permitted else _refusal(viewer, record.owner_id, decision)
            if decision.permitted:
                record.delete()
    if error is not None:
        raise error


# Every API call states a purpose: its row by the unique code, compiled once per process
# (decision 51).
_PURPOSE_BY_CODE = CompiledRead(
    Purpose, lambda code: Purpose.objects.filter(code=code)[:1], fields=("code",),
    stand_ins=(("stand-in-1",), ("stand-in-2",)))


def purpose_require(
    *, viewer: Viewer, code: str, action: str, subject: Person | None = None
) -> Purpose:
    """Return the purpose with this code, if the viewer's organisation may act for it.

    An unknown code (`UnknownPurpose`), a purpose the organisation has not declared
    (`PurposeNotDeclared`) or one its API client is not allowed (`PurposeNotAllowed`) is
    refused: the refused entry is committed before the error is raised, so the attempt
    stays in the log.
    """
    purpose = _PURPOSE_BY_CODE.first(code) if code else None
    if purpose is None:
        error: Exception = UnknownPurpose(
            f"“{code[:60]}” is not a purpose code of this platform; see the shared vocabulary."
        )
        reason = f"The purpose “{code[:60]}” is not one the platform knows."
    else:
        error = purpose_refusal(viewer=viewer, purpose=purpose)
        if error is None:
            return purpose
        reason = error.detail
    with transaction.atomic():
        log_append_many([entries.draft(
            viewer=viewer, action=action, permitted=False, purpose=purpose, purpose_code=code,
            reason=reason, subject=subject,
        )])
    raise error


def record_push(
    *,
    viewer: Viewer,
    purpose: Purpose | None,
    subject: Person | None,
    external_ref: str,
    category: str,
    title: str,
    fields: dict[str, Any],
    classification: str = "internal",
    restricted_roles: list[str] | tuple[str, ...] = (),
) -> tuple[Record, bool]:
    """Create the record, or update the one the owner already holds under `external_ref`.

    Return the record and whether it was created. Sending the same push twice leaves one
    record. A reference already used for a record about another person is refused. An
    unknown person (None) is logged as a refused create and answered "not found".
    """
    if subject is None:
        with transaction.atomic():
            _log(viewer, "record.create", Decision(False, "No such person."), purpose, None,
                 "", False)
        raise nothing_found()
    if not external_ref:
        raise InvalidInput(
            "A pushed record needs the owner's own reference.",
            errors=[{"field": "external_ref", "message": "Give the owner's reference."}],
        )
    arguments = dict(category=category, title=title, fields=fields,
                     classification=classification, restricted_roles=list(restricted_roles))
    for attempt in range(2):
        existing = Record.objects.filter(
            owner_id=viewer.organization_id, external_ref=external_ref
        ).first() if viewer.organization_id else None
        if existing is not None:
            if existing.subject_id != subject.pk:
                raise ExternalRefTaken(
                    f"The reference “{external_ref}” is already used for a record about "
                    "another person; delete that record first or use another reference."
                )
            return record_update(viewer=viewer, purpose=purpose, record=existing,
                                 **arguments), False
        try:
            return record_create(viewer=viewer, purpose=purpose, subject=subject,
                                 external_ref=external_ref, **arguments), True
        except IntegrityError:  # a concurrent push took the reference first: update it
            if attempt:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


@transaction.atomic
def record_import(
    *,
    actor: SystemActor,
    owner: Organization,
    subject: Person | None,
    category: str,
    title: str,
    fields: dict[str, Any],
    external_ref: str,
    classification: str = "internal",
    restricted_roles: list[str] | tuple[str, ...] = (),
    public_id: uuid.UUID | None = None,
) -> tuple[Record, bool]:
    """Load a record from the server's own data (the demo, an import), as the system.

    Only the command line's `SYSTEM` actor may; it answers for the data it loads. A
    record the owner already holds under `external_ref` is left as it is (safe to run
    again). A created record appends one `record.create` entry.
    """
    if not isinstance(actor, SystemActor):
        raise PermissionDenied("Only the command line imports records.")
    existing = Record.objects.filter(owner=owner, external_ref=external_ref).first()
    if existing is not None:
        return existing, False
    values = record_values_check(
        personal=subject is not None, category=category, classification=classification,
        restricted_roles=restricted_roles, title=title, fields=fields,
        external_ref=external_ref,
    )
    record = Record(
        owner=owner, subject=subject, category=values.category,
        classification=values.classification, restricted_roles=values.restricted_roles,
        title=values.title, fields=values.fields, external_ref=external_ref,
    )
    if public_id is not None:
        record.public_id = public_id
    _write(record)
    log_append_many([entries.draft(
        viewer=actor, action="record.create", permitted=True,
        reason=f"Imported from {owner.slug}'s data by the command line.",
        subject=subject, resource_id=str(record.public_id),
    )])
    return record, True
