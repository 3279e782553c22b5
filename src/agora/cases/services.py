"""Writes of requests: create one, change its status, add to its timeline, refer it.

Each write is one call and one transaction: it decides (`permissions.case_decide`),
changes the request, adds its timeline entry and appends its log entry together, so the
notifications that will hang off status changes see each change exactly once. A refusal
is logged and committed before the error is raised; a request of another organisation
looks as if it did not exist. Bad values are refused before anything is written.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from agora.access.decisions import Decision
from agora.access.viewers import Viewer
from agora.audit.services import log_append_many
from agora.cases import entries
from agora.cases.exceptions import (
    RequestClosed,
    StaleVersion,
    TransitionNotAllowed,
    case_not_found,
)
from agora.cases.models import (
    MAX_DESCRIPTION,
    MAX_MESSAGE,
    Case,
    CaseEvent,
    Referral,
    StatusType,
)
from agora.cases.permissions import RESIDENT_WRITE, STAFF_WRITE, CaseFacts, case_decide
from agora.cases.statuses import status_model_for
from agora.catalog.models import Service
from agora.core.actors import SystemActor
from agora.core.events import announce
from agora.core.exceptions import InvalidInput, PermissionDenied
from agora.organizations.models import Organization
from agora.people.models import Person

Actor = Viewer | SystemActor

DEFAULT_TARGET_DAYS = 20
"""The deadline of a request for a service that states no target handling time."""

MAX_ANSWERS_BYTES = 100_000


@dataclass(frozen=True)
class Reporter:
    """The contact details of someone reporting without an account (all optional)."""

    name: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Location:
    """Where a street problem is: a point, an address, or both."""

    latitude: float | None = None
    longitude: float | None = None
    address: str = ""


# --- shared helpers -----------------------------------------------------------------


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _author(actor: Actor) -> tuple[str, str, Organization | None]:
    """Return (kind, label, organisation) as a timeline entry names its author."""
    if isinstance(actor, SystemActor):
        return "system", str(actor), None
    if actor.client is not None:
        return "client", actor.client.name, actor.organization
    if actor.is_staff_member:
        user = actor.user
        return "staff", (user.display_name if user else ""), actor.organization
    return "person", "You", None


def _subject_id(case: Case) -> str | None:
    return str(case.person.public_id) if case.person_id else None


def _log(actor: Actor, action: str, decision: Decision, case: Case | None,
         reference: str = "", reason: str = "", purpose_code: str = "") -> None:
    log_append_many([entries.draft(
        viewer=actor, action=action, decision=decision,
        subject_public_id=_subject_id(case) if case is not None else None,
        reference=case.reference if case is not None else reference,
        reason=reason, purpose_code=purpose_code,
    )])


def _announce(type: str, case: Case, **changes: Any) -> None:
    """Record the event of this change in the outbox, in its transaction (decision 34).

    The payload names the request and what changed, nothing about the person: a partner
    reads more through the API, where the access rules decide and log the read.
    """
    announce(type, organizations=[case.organization], person=case.person,
             source="/requests", subject=str(case.public_id),
             data={"request": str(case.public_id), "reference": case.reference,
                   "service": case.service.code, **changes})


def _field_error(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, errors=[{"field": field, "message": message}])


def _text_check(field: str, text: str, *, required: bool, limit: int = MAX_MESSAGE,
                name: str = "The message") -> str:
    text = (text or "").strip()
    if required and not text:
        raise _field_error(field, f"{name} is empty: write something.")
    if len(text) > limit:
        raise _field_error(field, f"{name} is {len(text):,} characters long; the limit is "
                                  f"{limit:,}.")
    return text


# --- references -----------------------------------------------------------------------

_BUMP = "UPDATE cases_referencecounter SET last = last + 1 WHERE prefix = %s AND year = %s " \
        "RETURNING last"
_START = "INSERT INTO cases_referencecounter (prefix, year, last) VALUES (%s, %s, 0) " \
         "ON CONFLICT (prefix, year) DO NOTHING"


def reference_prefix(organization: Organization) -> str:
    """Return the reference prefix of an organisation: the first three letters of its slug."""
    letters = re.sub(r"[^a-z]", "", organization.slug.lower())
    return (letters[:3] or "REQ").upper()


def reference_next(prefix: str, year: int) -> str:
    """Allocate the next reference of a prefix in a year (`RIV-2026-004211`).

    One `UPDATE … RETURNING` on the counter row of that prefix and year, inside the
    caller's transaction: two creations never get the same number on either database,
    and creations under other prefixes never wait (no table lock). A rolled-back
    creation leaves its number unused on SQLite and reuses it on PostgreSQL; references
    are unique, not gapless.
    """
    with connection.cursor() as cursor:
        cursor.execute(_BUMP, [prefix, year])
        row = cursor.fetchone()
        if row is None:
            cursor.execute(_START, [prefix, year])
            cursor.execute(_BUMP, [prefix, year])
            row = cursor.fetchone()
    return f"{prefix}-{year}-{row[0]:06d}"


# --- create ---------------------------------------------------------------------------


def _provider_side(actor: Actor, service: Service) -> bool:
    """Return whether the actor creates for the provider (its staff, its client, the system)."""
    if isinstance(actor, SystemActor):
        return True
    return actor.organization_id is not None and actor.organization_id == service.provider_id \
        and (actor.is_client or actor.is_staff_member)


def _location_check(service: Service, location: Location | None) -> Location:
    location = location or Location()
    lat, lon = location.latitude, location.longitude
    address = (location.address or "").strip()
    if (lat is None) != (lon is None):
        raise _field_error("location", "Give both the latitude and the longitude, or neither.")
    if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise _field_error("location", "The latitude must be between -90 and 90 and the "
                                       "longitude between -180 and 180.")
    if len(address) > 300:
        raise _field_error("address", "The address is longer than 300 characters.")
    if service.location_based and lat is None and not address:
        raise _field_error("location", f"Say where the problem is: “{service.name}” needs a "
                                       "location (latitude and longitude) or an address.")
    return Location(lat, lon, address)


def _reporter_check(reporter: Reporter | None) -> Reporter:
    reporter = reporter or Reporter()
    email = (reporter.email or "").strip().lower()
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            raise _field_error("email", f"“{email[:60]}” is not an email address.") from None
    name, phone = (reporter.name or "").strip(), (reporter.phone or "").strip()
    if len(name) > 200:
        raise _field_error("name", "The name is longer than 200 characters.")
    if len(phone) > 32:
        raise _field_error("phone", "The phone number is longer than 32 characters.")
    return Reporter(name, email, phone)


def _answers_check(answers: dict[str, Any] | None) -> dict[str, Any]:
    if answers is None:
        return {}
    if not isinstance(answers, dict):
        raise _field_error("answers", "The answers must be an object of question and answer.")
    try:
        size = len(json.dumps(answers))
    except (TypeError, ValueError):
        raise _field_error("answers", "The answers must be plain JSON values.") from None
    if size > MAX_ANSWERS_BYTES:
        raise _field_error("answers", f"The answers are {size:,} bytes; the limit is "
                                      f"{MAX_ANSWERS_BYTES:,}.")
    return answers


def _media_url_check(media_url: str) -> str:
    media_url = (media_url or "").strip()
    if not media_url:
        return ""
    if len(media_url) > 500:
        raise _field_error("media_url", "The media address is longer than 500 characters.")
    try:
        URLValidator(schemes=["http", "https"])(media_url)
    except ValidationError:
        raise _field_error("media_url", "The media address must be an http or https URL.") \
            from None
    return media_url


def _create_decision(actor: Actor, service: Service, person: Person | None,
                     has_contact: bool) -> tuple[Decision, Person | None]:
    """Decide who may create a request for this service, and for whom."""
    provider = _provider_side(actor, service)
    if not provider and service.status != Service.Status.PUBLISHED:
        return Decision(False, f"“{service.name}” is not open for requests."), person
    if provider:
        return Decision(True, "The provider's own staff, client or server creates it.",
                        basis="provider"), person
    resident = actor.person
    if resident is not None and person is None:
        person = resident
    if person is not None:
        if resident is not None and person.pk == resident.pk:
            return Decision(True, "A resident asks for a service for themselves.",
                            basis="own-data"), person
        return Decision(False, "Only the provider's staff or client may make a request on "
                               "someone else's behalf."), person
    if service.location_based:
        return Decision(True, "Anyone may report a street problem"
                              + (" and leave contact details." if has_contact else "."),
                        basis="report"), None
    return Decision(False, "Sign in to make this request: only street problems may be "
                           "reported without an account."), None


def case_create(
    *,
    viewer: Actor,
    service: Service,
    person: Person | None = None,
    reporter: Reporter | None = None,
    answers: dict[str, Any] | None = None,
    location: Location | None = None,
    description: str = "",
    media_url: str = "",
    channel: str = Case.Channel.WEB,
    external_ref: str = "",
    purpose_code: str = "",
    now: datetime | None = None,
) -> Case:
    """Create a request for a service and return it, with its human reference.

    Who may: a signed-in resident for themselves (`person` defaults to the viewer's);
    anyone, even without an account, reporting a street problem (`reporter` contact
    details, a `location`, `description`, optional `media_url`); the provider's staff or
    API client for anyone (a `person` or a `reporter`). The handling organisation is the
    service's provider. With `external_ref`, sending the same creation twice returns the
    request the first one made (a partner's safe retry).
    """
    now = _now(now)
    if channel not in Case.Channel.values:
        raise _field_error("channel", f"“{channel}” is not a channel.")
    description = _text_check("description", description, required=False,
                              limit=MAX_DESCRIPTION, name="The description")
    location = _location_check(service, location)
    reporter = _reporter_check(reporter)
    answers = _answers_check(answers)
    media_url = _media_url_check(media_url)
    external_ref = (external_ref or "").strip()
    if len(external_ref) > 100:
        raise _field_error("external_ref", "The reference is longer than 100 characters.")
    has_contact = bool(reporter.email or reporter.phone or reporter.name)
    decision, person = _create_decision(viewer, service, person, has_contact)
    if not decision.permitted:
        with transaction.atomic():
            log_append_many([entries.draft(
                viewer=viewer, action=entries.CREATE, decision=decision,
                subject_public_id=str(person.public_id) if person else None,
                purpose_code=purpose_code,
            )])
        raise PermissionDenied(decision.reason)
    if external_ref:
        existing = _existing(service.provider_id, external_ref)
        if existing is not None:
            return existing
    try:
        return _create(viewer, service, person, reporter, answers, location, description,
                       media_url, channel, external_ref, purpose_code, decision, now)
    except IntegrityError:
        existing = _existing(service.provider_id, external_ref) if external_ref else None
        if existing is None:
            raise
        return existing  # a concurrent retry of the same creation won


def _existing(organization_id: int, external_ref: str) -> Case | None:
    return Case.objects.select_related("service", "organization", "person").filter(
        organization_id=organization_id, external_ref=external_ref
    ).first()


def _create(viewer: Actor, service: Service, person: Person | None, reporter: Reporter,
            answers: dict[str, Any], location: Location, description: str, media_url: str,
            channel: str, external_ref: str, purpose_code: str, decision: Decision,
            now: datetime) -> Case:
    initial = status_model_for(service).initial
    days = service.target_days or DEFAULT_TARGET_DAYS
    kind, label, organization = _author(viewer)
    provider = service.provider
    with transaction.atomic():
        case = Case(
            service=service, organization=provider, person=person,
            reporter_name=reporter.name, reporter_email=reporter.email,
            reporter_phone=reporter.phone, latitude=location.latitude,
            longitude=location.longitude, address=location.address,
            description=description, media_url=media_url, answers=answers, channel=channel,
            external_ref=external_ref, status=initial.code, is_open=not initial.is_final,
            status_changed_at=now,
            deadline=None if initial.suspends_deadline else now + timedelta(days=days),
            suspended_at=now if initial.suspends_deadline else None,
            paused_remaining=timedelta(days=days) if initial.suspends_deadline else None,
            created_at=now, updated_at=now,
        )
        # Last before the inserts, so the counter row is held for as short as can be.
        case.reference = reference_next(reference_prefix(provider), now.year)
        case.save(force_insert=True)
        CaseEvent.objects.create(
            case=case, kind=CaseEvent.Kind.STATUS, created_at=now, author_kind=kind,
            author_label=label, organization=organization, status_to=initial.code,
        )
        _announce("request.created", case, status=initial.code)
        _log(viewer, entries.CREATE, decision, case, purpose_code=purpose_code,
             reason=f"{decision.reason} {service.code} → {provider.slug}.")
    return case


# --- changes of an existing request -----------------------------------------------------


def _locked(reference: str) -> Case | None:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("service", "organization", "person")
        .filter(reference=reference).first()
    ) if reference else None


def _refusal(actor: Actor, case: Case | None, decision: Decision) -> Exception:
    """Staff of the handling organisation without the role learn why; others get 404."""
    if case is not None and isinstance(actor, Viewer) and actor.organization_id is not None \
            and actor.organization_id == case.organization_id and not actor.is_client:
        return PermissionDenied(decision.reason)
    return case_not_found()


def _version_check(case: Case, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != case.version:
        raise StaleVersion(
            f"You sent version {expected_version}, but request {case.reference} is now at "
            f"version {case.version}. Read it again and resend your change.",
        )


def _change(actor: Actor, reference: str, action: str, permission: str,
            purpose_code: str, apply) -> Case:
    """Lock the request, decide, apply the change and log it, in one transaction.

    A refusal commits its log entry, then raises. An error raised by `apply` (a stale
    version, a status not allowed) rolls everything back: nothing is half-written.
    """
    error: Exception | None = None
    with transaction.atomic():
        case = _locked(reference)
        if case is None:
            decision = Decision(False, "No request has this reference.")
        else:
            facts = CaseFacts(case.organization_id, case.person_id, case.reporter_email)
            decision = case_decide(viewer=actor, case=facts, action=permission)
        if not decision.permitted:
            _log(actor, action, decision, case, reference=reference[:40],
                 purpose_code=purpose_code)
            error = _refusal(actor, case, decision)
        else:
            reason = apply(case)
            case.version += 1
            case.save()
            _log(actor, action, decision, case, purpose_code=purpose_code,
                 reason=f"{decision.reason} {reason}")
    if error is not None:
        raise error
    return case


def _event(case: Case, actor: Actor, kind: str, now: datetime, **fields: Any) -> CaseEvent:
    author_kind, label, organization = _author(actor)
    return CaseEvent.objects.create(
        case=case, kind=kind, created_at=now, author_kind=author_kind, author_label=label,
        organization=organization, **fields,
    )


def _open_check(case: Case) -> None:
    if not case.is_open:
        raise RequestClosed(f"Request {case.reference} has ended.")


def case_status_change(
    *,
    viewer: Actor,
    reference: str,
    status: str,
    note: str = "",
    expected_version: int | None = None,
    purpose_code: str = "",
    now: datetime | None = None,
) -> Case:
    """Move the request to another status of its service's model, with an optional note.

    The move must be one the model allows from the current status (else
    `TransitionNotAllowed`); with `expected_version`, a request changed since it was read
    is refused (`StaleVersion`). Entering a status that waits on the resident stops the
    deadline's clock; leaving it restarts the clock with the time that was left.
    """
    now = _now(now)
    note = _text_check("note", note, required=False, name="The note")

    def apply(case: Case) -> str:
        _version_check(case, expected_version)
        model = status_model_for(case.service)
        target, current = model.get(status), model.get(case.status)
        allowed = model.allowed_from(case.status)
        if target is None or target not in allowed:
            names = ", ".join(f"{s.code} ({s.label})" for s in allowed) or "none: it has ended"
            shown = current.label if current else case.status
            raise TransitionNotAllowed(
                f"Request {case.reference} is “{shown}”; it cannot move to “{status[:40]}”. "
                f"It may move to: {names}.",
                errors=[{"field": "status", "message": s.code} for s in allowed],
            )
        _clock(case, target, now)
        previous = case.status
        case.status, case.status_changed_at, case.updated_at = target.code, now, now
        case.is_open = not target.is_final
        case.closed_at = now if target.is_final else None
        _event(case, viewer, CaseEvent.Kind.STATUS, now, status_from=previous,
               status_to=target.code, text=note)
        _announce("request.status_changed", case, status_from=previous, status_to=target.code)
        return f"Status {previous} → {target.code}."

    return _change(viewer, reference, entries.UPDATE, STAFF_WRITE, purpose_code, apply)


def _clock(case: Case, target, now: datetime) -> None:
    """Stop or restart the deadline's clock as the request enters or leaves a pause."""
    pausing = target.suspends_deadline and not target.is_final
    if case.suspended_at is None and pausing:
        case.paused_remaining = case.deadline - now if case.deadline else None
        case.suspended_at, case.deadline = now, None
    elif case.suspended_at is not None and not pausing:
        if case.paused_remaining is not None:
            case.deadline = now + case.paused_remaining
        case.suspended_at, case.paused_remaining = None, None


# --- the timeline: messages, notes, documents, deadlines --------------------------------

ACCEPTED_DOCUMENTS = {
    "application/pdf": (".pdf", b"%PDF-"),
    "image/jpeg": (".jpg", b"\xff\xd8\xff"),
    "image/png": (".png", b"\x89PNG\r\n\x1a\n"),
}
"""The file types a resident may send: (suffix, the bytes such a file starts with)."""

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


def case_message_send(
    *,
    viewer: Actor,
    reference: str,
    text: str,
    expected_version: int | None = None,
    purpose_code: str = "",
    now: datetime | None = None,
) -> CaseEvent:
    """Send the resident a message on their request's timeline (the handling organisation)."""
    return _timeline_add(viewer, reference, CaseEvent.Kind.MESSAGE_TO_RESIDENT, text,
                         expected_version, purpose_code, now, visible=True,
                         announced="request.message_added")


def case_note_add(
    *,
    viewer: Actor,
    reference: str,
    text: str,
    expected_version: int | None = None,
    purpose_code: str = "",
    now: datetime | None = None,
) -> CaseEvent:
    """Add an internal note that only the handling organisation sees."""
    return _timeline_add(viewer, reference, CaseEvent.Kind.NOTE, text, expected_version,
                         purpose_code, now, visible=False)


def case_document_request(
    *,
    viewer: Actor,
    reference: str,
    document_name: str,
    text: str = "",
    expected_version: int | None = None,
    purpose_code: str = "",
    now: datetime | None = None,
) -> CaseEvent:
    """Ask the resident for a document (say which, and why); they send it from their page."""
    document_name = _text_check("document_name", document_name, required=True, limit=200,
                                name="The name of the document")
    return _timeline_add(viewer, reference, CaseEvent.Kind.DOCUMENT_REQUESTED, text,
                         expected_version, purpose_code, now, visible=True,
                         required=False, document_name=document_name,
                         announced="request.document_requested")


def _timeline_add(viewer: Actor, reference: str, kind: str, text: str,
                  expected_version: int | None, purpose_code: str, now: datetime | None, *,
                  visible: bool, required: bool = True, announced: str = "",
                  **fields: Any) -> CaseEvent:
    now = _now(now)
    text = _text_check("text", text, required=required)
    added: list[CaseEvent] = []

    def apply(case: Case) -> str:
        _version_check(case, expected_version)
        _open_check(case)
        case.updated_at = now
        added.append(_event(case, viewer, kind, now, text=text, visible_to_resident=visible,
                            **fields))
        if announced:
            _announce(announced, case, entry=str(added[0].public_id), author="organisation")
        return f"Added a {kind} entry."

    _change(viewer, reference, entries.UPDATE, STAFF_WRITE, purpose_code, apply)
    return added[0]


def case_reply(
    *,
    viewer: Actor,
    reference: str,
    text: str,
    now: datetime | None = None,
) -> CaseEvent:
    """Send the handling organisation a message from the resident the request is about."""
    now = _now(now)
    text = _text_check("text", text, required=True)
    added: list[CaseEvent] = []

    def apply(case: Case) -> str:
        _open_check(case)
        case.updated_at = now
        added.append(_event(case, viewer, CaseEvent.Kind.MESSAGE_FROM_RESIDENT, now, text=text))
        _announce("request.message_added", case, entry=str(added[0].public_id), author="resident")
        return "The resident replied."

    _change(viewer, reference, entries.UPDATE, RESIDENT_WRITE, "", apply)
    return added[0]


def document_check(data: bytes, content_type: str, name: str) -> str:
    """Return the suffix to store a document under, or refuse a type or size not accepted.

    The declared type must be one we accept and the bytes must start as such a file
    does, so a renamed program is refused whatever it claims to be.
    """
    accepted = ACCEPTED_DOCUMENTS.get((content_type or "").split(";")[0].strip().lower())
    kinds = "PDF, JPEG or PNG"
    if not data:
        raise _field_error("document", "The file is empty: choose the file to send.")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise _field_error("document", f"The file is {len(data) / 1048576:.1f} MB; it must be "
                                       "smaller than 10 MB.")
    if accepted is None or not data.startswith(accepted[1]):
        raise _field_error("document", f"“{(name or 'The file')[:80]}” must be a {kinds}.")
    return accepted[0]


def case_document_supply(
    *,
    viewer: Actor,
    reference: str,
    data: bytes,
    content_type: str,
    name: str,
    request_id: str | None = None,
    now: datetime | None = None,
) -> CaseEvent:
    """Store a document the resident sends, answering a document request if one is named.

    The file is checked (type, size) before anything is written; it is stored under the
    hash of its bytes, so a repeated upload is kept once.
    """
    now = _now(now)
    suffix = document_check(data, content_type, name)
    name = (name or "document").strip()[:200]
    added: list[CaseEvent] = []

    def apply(case: Case) -> str:
        _open_check(case)
        wanted = None
        if request_id:
            wanted = CaseEvent.objects.filter(
                case=case, kind=CaseEvent.Kind.DOCUMENT_REQUESTED, public_id=request_id
            ).first()
            if wanted is None:
                raise _field_error("request", "That document was not asked for on this request.")
        digest = hashlib.sha256(data).hexdigest()
        stored = f"cases/{digest[:2]}/{digest}{suffix}"
        if not default_storage.exists(stored):
            default_storage.save(stored, ContentFile(data))
        if wanted is not None:
            wanted.fulfilled_at = now
            wanted.save(update_fields=["fulfilled_at"])
        case.updated_at = now
        added.append(_event(
            case, viewer, CaseEvent.Kind.DOCUMENT_SUPPLIED, now, replies_to=wanted,
            document_name=name, document_file=stored,
            document_type=content_type.split(";")[0].strip().lower(), document_size=len(data),
        ))
        return f"The resident sent a document ({len(data):,} bytes)."

    _change(viewer, reference, entries.UPDATE, RESIDENT_WRITE, "", apply)
    return added[0]


def case_deadline_extend(
    *,
    viewer: Actor,
    reference: str,
    days: int,
    reason: str,
    expected_version: int | None = None,
    purpose_code: str = "",
    now: datetime | None = None,
) -> Case:
    """Move the deadline later by some days, saying why (the resident sees the reason)."""
    now = _now(now)
    reason = _text_check("reason", reason, required=True, name="The reason")
    if not isinstance(days, int) or not 1 <= days <= 365:
        raise _field_error("days", "Extend by a whole number of days from 1 to 365.")

    def apply(case: Case) -> str:
        _version_check(case, expected_version)
        _open_check(case)
        extra = timedelta(days=days)
        if case.deadline is not None:
            case.deadline += extra
        elif case.paused_remaining is not None:
            case.paused_remaining += extra
        case.updated_at = now
        _event(case, viewer, CaseEvent.Kind.DEADLINE, now, text=reason)
        return f"Deadline extended by {days} days."

    return _change(viewer, reference, entries.UPDATE, STAFF_WRITE, purpose_code, apply)


# --- referral -------------------------------------------------------------------------


def case_refer(
    *,
    viewer: Actor,
    reference: str,
    to_organization: Organization,
    reason: str,
    consent_note: str = "",
    expected_version: int | None = None,
    purpose_code: str = "",
    now: datetime | None = None,
) -> Referral:
    """Propose passing the request to another organisation, with the resident's consent.

    The resident agrees or declines on their page (`referral_answer`); if they agreed
    some other way, `consent_note` says how and the request passes at once. A request
    about no account holder (a street report) can only pass with such a note.
    """
    now = _now(now)
    reason = _text_check("reason", reason, required=True, name="The reason")
    consent_note = _text_check("consent_note", consent_note, required=False, limit=300,
                               name="The note of consent")
    made: list[Referral] = []

    def apply(case: Case) -> str:
        _version_check(case, expected_version)
        _open_check(case)
        if not to_organization.is_active or to_organization.pk == case.organization_id:
            raise _field_error("organization", "Choose another active organisation to refer to.")
        if case.referrals.filter(status=Referral.Status.PENDING).exists():
            raise _field_error("organization", "A referral of this request is already waiting "
                                               "for the resident's answer.")
        has_account = case.person_id is not None and case.person.user_id is not None
        if not consent_note and not has_account:
            raise _field_error("consent_note", "The resident cannot answer online: say how "
                                               "they agreed to the referral.")
        referral = Referral.objects.create(
            case=case, from_organization=case.organization, to_organization=to_organization,
            reason=reason, consent_note=consent_note, created_at=now,
        )
        made.append(referral)
        _event(case, viewer, CaseEvent.Kind.REFERRAL, now,
               text=f"We propose to pass your request to {to_organization.name}: {reason}")
        if consent_note:
            _transfer(case, referral, viewer, now, f"The resident agreed ({consent_note}).")
        case.updated_at = now
        return f"Referral to {to_organization.slug} " + (
            "made with consent recorded by staff." if consent_note
            else "proposed, waiting for the resident.")

    _change(viewer, reference, entries.REFER, STAFF_WRITE, purpose_code, apply)
    return made[0]


def _transfer(case: Case, referral: Referral, actor: Actor, now: datetime, why: str) -> None:
    referral.status, referral.decided_at = Referral.Status.ACCEPTED, now
    referral.save(update_fields=["status", "decided_at"])
    case.organization = referral.to_organization
    _event(case, actor, CaseEvent.Kind.REFERRAL, now,
           text=f"{why} Your request is now with {referral.to_organization.name}.")


def referral_answer(
    *,
    viewer: Actor,
    reference: str,
    accept: bool,
    now: datetime | None = None,
) -> Case:
    """Record the resident's answer to the referral waiting on their request.

    Agreeing passes the request to the other organisation at once; declining leaves it
    where it is.
    """
    now = _now(now)

    def apply(case: Case) -> str:
        referral = case.referrals.select_related("to_organization").filter(
            status=Referral.Status.PENDING).first()
        if referral is None:
            raise _field_error("referral", "No referral of this request is waiting for an "
                                           "answer.")
        case.updated_at = now
        if accept:
            _transfer(case, referral, viewer, now, "You agreed to the referral.")
            return f"The resident agreed to pass it to {referral.to_organization.slug}."
        referral.status, referral.decided_at = Referral.Status.DECLINED, now
        referral.save(update_fields=["status", "decided_at"])
        _event(case, viewer, CaseEvent.Kind.REFERRAL, now,
               text=f"You declined the referral to {referral.to_organization.name}.")
        return "The resident declined the referral."

    return _change(viewer, reference, entries.REFER, RESIDENT_WRITE, "", apply)


# --- status models --------------------------------------------------------------------


def status_model_define(*, actor: Actor, service: Service, statuses: list[dict[str, Any]]) -> int:
    """Give a service its own status model, replacing the one it had; return how many.

    Each status is a dict of `StatusType` fields (`code`, `label`, `resident_text`,
    `next_step`, `is_initial`, `is_final`, `suspends_deadline`, `expected_days`,
    `next_codes`). Refused unless exactly one status is initial, codes are unique, every
    `next_codes` entry names a status of the model, and at least one status ends a
    request. Requests already in a status the new model drops keep it (shown by code).
    """
    if not _provider_side(actor, service) or (
            isinstance(actor, Viewer) and actor.is_staff_member
            and not actor.roles & {"admin"}):
        raise PermissionDenied("Only the provider's administrators define its status model.")
    codes = [str(item.get("code", "")) for item in statuses]
    problems = []
    if len(set(codes)) != len(codes) or not all(codes):
        problems.append("Every status needs a code of its own.")
    if sum(bool(item.get("is_initial")) for item in statuses) != 1:
        problems.append("Exactly one status must be where a new request starts.")
    if not any(item.get("is_final") for item in statuses):
        problems.append("At least one status must end a request.")
    unknown = {c for item in statuses for c in item.get("next_codes", [])} - set(codes)
    if unknown:
        problems.append(f"Moves to unknown statuses: {', '.join(sorted(unknown))}.")
    if problems:
        raise InvalidInput(" ".join(problems),
                           errors=[{"field": "statuses", "message": p} for p in problems])
    with transaction.atomic():
        StatusType.objects.filter(service=service).delete()
        rows = [StatusType(service=service, order=n, **item) for n, item in enumerate(statuses)]
        for row in rows:
            try:
                row.full_clean(exclude=["service"])
            except ValidationError as error:
                raise InvalidInput.from_validation_error(error) from None
        StatusType.objects.bulk_create(rows)
        # A new `updated_at` is a new key for the models each process keeps (statuses).
        service.save(update_fields=["updated_at"])
    return len(rows)
