"""The Open311 face of cases: street-problem reports made, searched and read over GeoReport v2.

A report is a request (`Case`) for a location-based service, made by `case_create` as
the API client whose Open311 key came with it, so it reaches the handling organisation's
work queue like any other request. When the reporter's email is a verified address of a
resident's account, the request is theirs too and shows in their "Your requests"
(decision 28). Open311's reads are public: they show a report's place, service and
status, never who reported it, and a report's own words and photo only when its reporter
sent them over Open311 without an account. The handling organisation's own client, with
its key, reads the whole request through `case_read`, logged like every read of a case.
"""

import uuid
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from agora.access.decisions import Decision
from agora.access.viewers import viewer_for_client
from agora.audit.services import log_append_many
from agora.cases import entries
from agora.cases.models import Case
from agora.cases.open311_input import answers_read, report_read, w3c, w3c_parse
from agora.cases.open311_keys import open311_key_client
from agora.cases.open311_services import attributes_from_schema, open311_service
from agora.cases.open311_wire import Open311Error
from agora.cases.selectors import case_read
from agora.cases.services import Location, Reporter, case_create
from agora.cases.statuses import Status, StatusModel, status_models_for
from agora.catalog.models import Service
from agora.organizations.models import ApiClient
from agora.people.models import Person

SEARCH_DAYS = 90  # the spec's default and widest date range
MAX_RESULTS = 500  # the newest first; narrow the dates to see older ones
MAX_IDS = 100

_BAD_KEY = "Invalid api_key: ask the platform's operator for an Open311 key for your client."


def _client(api_key: str) -> ApiClient:
    client = open311_key_client(api_key.strip()) if api_key else None
    if client is None:
        raise Open311Error(403, _BAD_KEY)
    return client


def reporter_resident(email: str) -> Person | None:
    """Return the resident whose account has this verified email address, if exactly one.

    Only a verified address counts (as for signing in, `person_for_user_ensure`), and only
    an active resident's account with its Person; operators' accounts never match.
    """
    if not email:
        return None
    user_ids = list(
        EmailAddress.objects.filter(email__iexact=email, verified=True, user__is_active=True,
                                    user__is_staff=False)
        .values_list("user_id", flat=True).distinct()[:2]
    )
    if len(user_ids) != 1:
        return None
    return Person.objects.filter(user_id=user_ids[0]).first()


def _notice(case: Case) -> str:
    deadline = timezone.localtime(case.deadline).strftime("%-d %B %Y") if case.deadline else ""
    aim = f" and aims to deal with it by {deadline}" if deadline else ""
    return (f"{case.organization.name} has your report {case.reference}{aim}. Where it is, "
            "what you wrote and how it is going may be shown publicly; your contact details "
            "never are.")


def report_create(*, form: QueryDict) -> dict[str, Any]:
    """Make a request from a POSTed report, as the client whose key came with it.

    Everything is checked before anything is written: the key (403), the report's fields,
    the service (400 for an unknown code) and its attributes. The request, its log entry
    and, for a resident's verified email, its link to them commit together.
    """
    client = _client(form.get("api_key", ""))
    report = report_read(form)
    service = open311_service(report.service_code)
    if service is None:
        raise Open311Error(400, f"No service takes reports under the service_code "
                                f"“{report.service_code[:80]}”; see services.json.")
    answers = answers_read(form, attributes_from_schema(service.form_schema),
                           service.form_schema)
    viewer = viewer_for_client(client)
    name = " ".join(part for part in (report.first_name, report.last_name) if part)
    resident = reporter_resident(report.email)
    with transaction.atomic():
        case = case_create(
            viewer=viewer, service=service,
            reporter=Reporter(name=name, email=report.email, phone=report.phone),
            answers=answers, location=Location(report.lat, report.long, report.address),
            description=report.description, media_url=report.media_url,
            channel=Case.Channel.OPEN311,
        )
        if resident is not None:
            _link(viewer, case, resident)
    return {"service_request_id": case.reference, "service_notice": _notice(case),
            "account_id": None, "token": str(case.public_id)}


def _link(viewer, case: Case, resident: Person) -> None:
    """Make a report its reporter's request (decision 28), logged as a change of it."""
    Case.objects.filter(pk=case.pk).update(person=resident)
    case.person = resident
    log_append_many([entries.draft(
        viewer=viewer, action=entries.UPDATE,
        decision=Decision(True, "The reporter's email is a verified address of this "
                                "resident's account, so the report is theirs.", basis="report"),
        subject_public_id=str(resident.public_id), reference=case.reference,
    )])


def _is_public_report(case: Case) -> bool:
    # Words and a photo an Open311 client sent for no resident are public, as on every
    # Open311 server; what a resident wrote in their own request is not (decision 28).
    return case.channel == Case.Channel.OPEN311 and case.person_id is None


def _status(model: StatusModel, code: str) -> Status:
    return model.get(code) or Status(code, code, code)


def report_as_wire(case: Case, model: StatusModel, *, whole: bool = False) -> dict[str, Any]:
    """Return a request as Open311 shows it; `whole` only for the handling organisation."""
    status = _status(model, case.status)
    shown = whole or _is_public_report(case)
    return {
        "service_request_id": case.reference,
        "status": "open" if case.is_open else "closed",
        "status_notes": status.resident_text,
        "service_name": case.service.name,
        "service_code": case.service.code,
        "description": (case.description or None) if shown else None,
        "agency_responsible": case.organization.name,
        "service_notice": status.next_step or None,
        "requested_datetime": w3c(case.created_at),
        "updated_datetime": w3c(case.updated_at),
        "expected_datetime": w3c(case.deadline) if case.is_open and case.deadline else None,
        "address": case.address or None,
        "address_id": None,
        "zipcode": None,
        "lat": case.latitude,
        "long": case.longitude,
        "media_url": (case.media_url or None) if shown else None,
    }


def _street_cases():
    return Case.objects.filter(service__location_based=True).select_related(
        "service", "organization")


def _listed(values: str) -> list[str]:
    return [value.strip() for value in values.split(",") if value.strip()]


def _date_range(params: QueryDict, now: datetime) -> tuple[datetime, datetime]:
    start_text, end_text = params.get("start_date", ""), params.get("end_date", "")
    start = w3c_parse(start_text, "start_date") if start_text else None
    end = w3c_parse(end_text, "end_date") if end_text else None
    span = timedelta(days=SEARCH_DAYS)
    if start is None and end is None:
        start, end = now - span, now
    elif start is None:
        start = end - span
    elif end is None:
        end = start + span
    if end < start:
        raise Open311Error(400, "end_date is before start_date.")
    if end - start > span:
        raise Open311Error(400, f"The dates span more than {SEARCH_DAYS} days; ask for "
                                f"{SEARCH_DAYS} days or fewer at a time.")
    return start, end


def _with_models(cases: list[Case]) -> list[dict[str, Any]]:
    models = status_models_for({case.service_id for case in cases})
    return [report_as_wire(case, models[case.service_id]) for case in cases]


def reports_search(params: QueryDict, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """Return the public view of street-problem requests matching GET requests' parameters.

    `service_request_id` (a comma list) overrides the others, as the spec says; otherwise
    `service_code` and `status` (comma lists) and a date range of at most 90 days (the
    last 90 by default) filter the requests by when they were made, newest first.
    """
    ids = _listed(params.get("service_request_id", ""))
    if ids:
        if len(ids) > MAX_IDS:
            raise Open311Error(400, f"Ask for at most {MAX_IDS} service_request_id at a time.")
        wanted = {identifier.upper()[:40] for identifier in ids}
        return _with_models(list(_street_cases().filter(reference__in=wanted)
                                 .order_by("-created_at", "-pk")))
    cases = _street_cases()
    codes = _listed(params.get("service_code", ""))
    if codes:
        known = dict(Service.objects.filter(code__in=codes, location_based=True)
                     .values_list("code", "pk"))
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise Open311Error(400, f"No service has the service_code "
                                    f"“{', '.join(unknown)[:80]}”; see services.json.")
        cases = cases.filter(service_id__in=known.values())
    statuses = set(_listed(params.get("status", "").lower()))
    if statuses - {"open", "closed"}:
        raise Open311Error(400, "status must be open, closed or both (comma separated).")
    if len(statuses) == 1:
        cases = cases.filter(is_open="open" in statuses)
    start, end = _date_range(params, now or timezone.now())
    cases = cases.filter(created_at__gte=start, created_at__lte=end)
    return _with_models(list(cases.order_by("-created_at", "-pk")[:MAX_RESULTS]))


def report_get(request_id: str, *, api_key: str = "") -> dict[str, Any]:
    """Return one street-problem request: the public view, or all of it to its handler.

    With the key of a client of the handling organisation the request is read through
    `case_read` (and logged) and shown whole; a bad key is refused (403).
    """
    client = _client(api_key) if api_key else None
    case = _street_cases().filter(reference=request_id.strip().upper()[:40]).first()
    if case is None:
        raise Open311Error(404, f"No street-problem report has the service_request_id "
                                f"“{request_id[:40]}”.")
    if client is not None and client.organization_id == case.organization_id:
        view = case_read(viewer=viewer_for_client(client), reference=case.reference)
        return report_as_wire(view.case, view.model, whole=True)
    return _with_models([case])[0]


def token_get(token_id: str) -> dict[str, Any]:
    """Return the service_request_id of the report a token (from a POST) stands for."""
    try:
        public_id = uuid.UUID(token_id)
    except ValueError:
        public_id = None
    case = _street_cases().filter(public_id=public_id).first() if public_id else None
    if case is None:
        raise Open311Error(404, f"No report has the token “{token_id[:40]}”.")
    return {"service_request_id": case.reference, "token": str(case.public_id)}
