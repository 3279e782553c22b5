"""The catalogue in Open Referral HSDS 3.0: export it, and import a community directory.

The document is the HSDS API's page of services (`GET /services`): `contents` holds
each service in full, with its `organization`, `service_at_locations` (each with its
`location` and the location's address), `contacts` (with phones) and `schedules`.
Topics travel as `attributes` linking taxonomy terms of the taxonomy `agora-topics`
(the term's `code` is the topic slug); the service's Agora code as an attribute labelled
`service_code`. Eligibility rules and application forms are Agora's own and stay out.

An import reads that page, a bare list of services, one service, or an organisation
with its `services`. Every service is first checked against the HSDS schema, then the
whole directory is written in one transaction through the catalogue's services (each
new or changed service logged), so bad input names its problem and leaves nothing behind.
Services, organisations, locations, contacts and schedules keep their HSDS ids, so
importing the same directory again changes nothing.
"""

import json
import re
import uuid
from dataclasses import dataclass
from datetime import time
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from jsonschema import Draft202012Validator

from agora.audit.models import LogEntry
from agora.audit.services import log_append
from agora.catalog.models import Contact, Location, Schedule, Service, ServiceAtLocation
from agora.catalog.services import audit_actor, service_create, service_update
from agora.core.actors import SYSTEM
from agora.core.exceptions import AgoraError, InvalidInput
from agora.organizations.models import Organization
from agora.organizations.services import organization_create

SCHEMA_PATH = Path(__file__).with_name("hsds_schema") / "service.json"
TOPIC_TAXONOMY = "agora-topics"
CODE_LABEL = "service_code"
NAMESPACE = uuid.UUID("6b1f9a52-55c1-4b7e-9a4a-2f4a0c3f8e11")  # Agora's ids for HSDS-only rows
MAX_ERRORS = 20
_WAIT = re.compile(r"^\s*(\d{1,4})\s*(working\s+)?days?\b", re.IGNORECASE)


class InvalidDirectory(InvalidInput):
    """The file is not an HSDS 3.0 directory Agora can import: not JSON, not HSDS-shaped,
    or a service that breaks the HSDS schema or the catalogue's rules. `errors` names
    each problem with where it is; nothing was imported."""

    code = "invalid-directory"
    title = "The directory cannot be imported"


@cache
def hsds_schema() -> dict:
    """Return the HSDS 3.0 service schema (with its shared definitions)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def hsds_validator() -> Draft202012Validator:
    """Return a validator of HSDS services that checks formats (uuid, email) too."""
    return Draft202012Validator(hsds_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _stable_id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(part) for part in parts)))


# ------------------------------------------------------------------------- export


def _organization_out(organization: Organization) -> dict[str, Any]:
    out: dict[str, Any] = {"id": str(organization.public_id), "name": organization.name,
                           "description": organization.description or organization.name}
    if organization.contact_email:
        out["email"] = organization.contact_email
    if organization.website:
        out["website"] = organization.website
    return out


def _location_out(location: Location) -> dict[str, Any]:
    out: dict[str, Any] = {"id": str(location.public_id), "location_type": "physical",
                           "name": location.name,
                           "organization_id": str(location.organization.public_id)}
    if location.description:
        out["description"] = location.description
    if location.latitude is not None and location.longitude is not None:
        out["latitude"], out["longitude"] = location.latitude, location.longitude
    if location.address:
        out["addresses"] = [{
            "id": _stable_id("address", location.public_id),
            "location_id": str(location.public_id), "address_1": location.address,
            "city": location.city, "state_province": "", "postal_code": location.postal_code,
            "country": location.country or "GB", "address_type": "physical",
        }]
    return out


def _schedule_out(schedule: Schedule, service: Service) -> dict[str, Any]:
    out: dict[str, Any] = {"id": str(schedule.public_id), "service_id": str(service.public_id)}
    for name in ("freq", "byday", "description"):
        if getattr(schedule, name):
            out[name] = getattr(schedule, name)
    for name in ("opens_at", "closes_at"):
        if getattr(schedule, name) is not None:
            out[name] = getattr(schedule, name).isoformat()
    return out


def _attribute(service: Service, label: str, value: str, term: dict | None = None) -> dict:
    out = {"id": _stable_id("attribute", service.public_id, label, value),
           "link_id": str(service.public_id), "link_type": label, "link_entity": "service",
           "label": label, "value": value}
    if term:
        out["taxonomy_term_id"] = term["id"]
        out["taxonomy_term"] = term
    return out


def service_out(service: Service) -> dict[str, Any]:
    """Return one service as an HSDS 3.0 service object, in full."""
    out: dict[str, Any] = {
        "id": str(service.public_id), "organization_id": str(service.provider.public_id),
        "name": service.name, "description": service.description or service.summary,
        "status": "active" if service.status == Service.Status.PUBLISHED else "inactive",
        "organization": _organization_out(service.provider),
    }
    for hsds_name, value in (("application_process", service.how_to_apply),
                             ("fees_description", service.cost),
                             ("eligibility_description", service.who_for),
                             ("url", service.url), ("email", service.email)):
        if value:
            out[hsds_name] = value
    if service.target_days is not None:
        out["wait_time"] = f"{service.target_days} days"
    out["attributes"] = [_attribute(service, CODE_LABEL, service.code)] + [
        _attribute(service, "topic", topic.slug, {
            "id": _stable_id("topic", topic.slug), "code": topic.slug, "name": topic.name,
            "description": topic.summary or topic.name, "taxonomy": TOPIC_TAXONOMY})
        for topic in service.topics.all()
    ]
    out["service_at_locations"] = [
        {"id": str(sal.public_id), "service_id": str(service.public_id),
         "location_id": str(sal.location.public_id),
         **({"description": sal.description} if sal.description else {}),
         "location": _location_out(sal.location),
         "schedules": [_schedule_out(s, service) for s in sal.schedules.all()]}
        for sal in service.at_locations.all()
    ]
    out["contacts"] = [
        {"id": str(contact.public_id), "service_id": str(service.public_id),
         **{name: getattr(contact, name) for name in ("name", "title", "email")
            if getattr(contact, name)},
         "phones": [{"id": _stable_id("phone", contact.public_id), "number": contact.phone}]
         if contact.phone else []}
        for contact in service.contacts.all()
    ]
    out["schedules"] = [_schedule_out(s, service) for s in service.schedules.all()
                        if s.at_location_id is None]
    return out


def hsds_export() -> dict[str, Any]:
    """Return the published catalogue as one HSDS 3.0 page of services."""
    services = list(
        Service.objects.filter(status=Service.Status.PUBLISHED).order_by("code")
        .select_related("provider")
        .prefetch_related("topics", "contacts", "schedules", "at_locations__location__organization",
                          "at_locations__schedules")
    )
    return {"total_items": len(services), "total_pages": 1, "page_number": 1,
            "size": len(services), "first_page": True, "last_page": True,
            "empty": not services, "contents": [service_out(s) for s in services]}


# ------------------------------------------------------------------------- import


@dataclass
class ImportReport:
    organisations_created: int = 0
    services_created: int = 0
    services_changed: int = 0
    services_unchanged: int = 0
    locations: int = 0
    contacts: int = 0
    schedules: int = 0


def _services_in(document: Any) -> list[tuple[dict, dict | None]]:
    """Return each service of the document with the organisation that encloses it."""
    if isinstance(document, list):
        return [(item, None) for item in document]
    if not isinstance(document, dict):
        raise InvalidDirectory("An HSDS directory is a JSON object or a list of services.")
    if isinstance(document.get("contents"), list):
        return [(item, None) for item in document["contents"]]
    if isinstance(document.get("services"), list):  # an organisation with its services
        enclosing = {k: v for k, v in document.items() if k != "services"}
        return [(item, enclosing) for item in document["services"]]
    if "status" in document and "name" in document:
        return [(document, None)]
    raise InvalidDirectory(
        "This is not an HSDS directory: expected a page of services (“contents”), a list of "
        "services, one service, or an organisation with its “services”.")


def _label(index: int, item: Any) -> str:
    name = item.get("name") if isinstance(item, dict) else None
    return f"service {index + 1}" + (f" (“{str(name)[:60]}”)" if name else "")


def _schema_errors(items: list[tuple[dict, dict | None]]) -> list[dict[str, str]]:
    validator = hsds_validator()
    errors = []
    for index, (item, _) in enumerate(items):
        if not isinstance(item, dict):
            errors.append({"field": f"services[{index}]", "message":
                           f"{_label(index, item)} is not an object."})
            continue
        for error in sorted(validator.iter_errors(item), key=lambda e: list(e.path))[:5]:
            where = ".".join(str(part) for part in error.path)
            errors.append({"field": f"services[{index}]{'.' + where if where else ''}",
                           "message": f"{_label(index, item)}"
                           f"{' at ' + where if where else ''}: {error.message[:200]}"})
        if len(errors) >= MAX_ERRORS:
            break
    return errors


def _organization_for(item: dict, enclosing: dict | None, kind: str,
                      report: ImportReport) -> Organization:
    data = item.get("organization") or enclosing
    org_id = item.get("organization_id") or (data or {}).get("id")
    if not org_id:
        raise InvalidInput("It names no organisation (“organization” or "
                           "“organization_id”).")
    organization = Organization.objects.filter(public_id=org_id).first()
    if organization is not None:
        return organization
    if not data or not data.get("name"):
        raise InvalidInput(f"Its organisation {org_id} is neither in the file nor in Agora.")
    slug, n = slugify(data["name"])[:56] or "organisation", 1
    base = slug
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    organization = organization_create(
        actor=SYSTEM, name=data["name"][:200], kind=kind, slug=slug,
        description=data.get("description") or "", contact_email=data.get("email") or "",
        website=data.get("website") or "",
    )
    Organization.objects.filter(pk=organization.pk).update(public_id=org_id)
    organization.public_id = uuid.UUID(str(org_id))
    report.organisations_created += 1
    return organization


def _attributes(item: dict) -> tuple[str, list[str]]:
    code, topics = "", []
    for attribute in item.get("attributes") or []:
        term = attribute.get("taxonomy_term") or {}
        if attribute.get("label") == CODE_LABEL and attribute.get("value"):
            code = str(attribute["value"])
        elif term.get("taxonomy") == TOPIC_TAXONOMY and term.get("code"):
            topics.append(str(term["code"]))
    return code, topics


def _free_code(name: str, public_id: str) -> str:
    code = slugify(name)[:70] or "service"
    if Service.objects.filter(code=code).exists():
        code = f"{code}-{public_id[:8]}"
    return code


def _details(item: dict) -> dict[str, Any]:
    description = item.get("description") or ""
    wait = _WAIT.match(item.get("wait_time") or "")
    return {
        "name": item["name"],
        "summary": description.split(". ")[0].strip()[:300] if description else "",
        "description": description,
        "who_for": item.get("eligibility_description") or "",
        "how_to_apply": item.get("application_process") or "",
        "cost": (item.get("fees_description") or item.get("fees") or "")[:200],
        "target_days": int(wait.group(1)) if wait else None,
        "url": item.get("url") or "",
        "email": item.get("email") or "",
        "status": (Service.Status.PUBLISHED if item.get("status") == "active"
                   else Service.Status.WITHDRAWN),
    }


def _time(value: Any) -> time | None:
    if not value:
        return None
    try:
        return time.fromisoformat(str(value)[:8])
    except ValueError:
        raise InvalidInput(f"The time “{str(value)[:20]}” is not a time like 09:30.") from None


def _schedules(service: Service, at: ServiceAtLocation | None, items: list[dict]) -> int:
    for data in items:
        Schedule.objects.update_or_create(public_id=data["id"], defaults={
            "service": service, "at_location": at, "freq": data.get("freq") or "",
            "byday": (data.get("byday") or "")[:40], "description": data.get("description") or "",
            "opens_at": _time(data.get("opens_at")), "closes_at": _time(data.get("closes_at")),
        })
    return len(items)


def _parts(service: Service, item: dict, report: ImportReport) -> bool:
    """Write the service's locations, contacts and schedules; return whether any changed."""
    before = json.dumps(service_out(service)["service_at_locations"] if service.pk else [])
    before += json.dumps([_contact_key(c) for c in service.contacts.all()])
    for sal in item.get("service_at_locations") or []:
        data = sal.get("location")
        location = Location.objects.filter(public_id=sal.get("location_id") or
                                           (data or {}).get("id")).first()
        if data:
            address = (data.get("addresses") or [{}])[0]
            location, _ = Location.objects.update_or_create(public_id=data["id"], defaults={
                "organization": service.provider, "name": (data.get("name") or "")[:200],
                "description": data.get("description") or "",
                "address": (address.get("address_1") or "")[:300],
                "city": (address.get("city") or "")[:100],
                "postal_code": (address.get("postal_code") or "")[:20],
                "country": (address.get("country") or "")[:2],
                "latitude": data.get("latitude"), "longitude": data.get("longitude"),
            })
        if location is None:
            raise InvalidInput("A service_at_location names a location that is neither in "
                               "the file nor in Agora.")
        at, _ = ServiceAtLocation.objects.update_or_create(public_id=sal["id"], defaults={
            "service": service, "location": location, "description": sal.get("description") or ""})
        report.locations += 1
        report.schedules += _schedules(service, at, sal.get("schedules") or [])
    for data in item.get("contacts") or []:
        phones = data.get("phones") or []
        Contact.objects.update_or_create(public_id=data["id"], defaults={
            "service": service, "name": (data.get("name") or "")[:200],
            "title": (data.get("title") or "")[:200], "email": data.get("email") or "",
            "phone": (phones[0].get("number") or "")[:40] if phones else ""})
        report.contacts += 1
    report.schedules += _schedules(service, None, item.get("schedules") or [])
    after = json.dumps(service_out(service)["service_at_locations"])
    after += json.dumps([_contact_key(c) for c in service.contacts.all()])
    return before != after


def _contact_key(contact: Contact) -> list[str]:
    return [str(contact.public_id), contact.name, contact.title, contact.email, contact.phone]


def _import_one(item: dict, enclosing: dict | None, kind: str, report: ImportReport) -> None:
    provider = _organization_for(item, enclosing, kind, report)
    code, topics = _attributes(item)
    details = _details(item)
    service = Service.objects.filter(public_id=item["id"]).select_related("provider").first()
    if service is None:
        service = service_create(actor=SYSTEM, provider=provider,
                                 code=code or _free_code(item["name"], item["id"]),
                                 details=details, topics=topics, public_id=uuid.UUID(item["id"]))
        _parts(service, item, report)
        report.services_created += 1
        return
    if service.provider_id != provider.pk:
        raise InvalidInput(f"It is already in Agora as a service of {service.provider}, "
                           f"not of {provider}.")
    if not service.description and details["description"] == service.summary:
        details["description"] = ""  # the export wrote the summary as the description
    details["summary"] = service.summary or details["summary"]
    before = service.updated_at
    service = service_update(actor=SYSTEM, service=service, changes=details, topics=topics)
    parts_changed = _parts(service, item, report)
    if service.updated_at != before:
        report.services_changed += 1
    elif parts_changed:
        log_append(actor=audit_actor(SYSTEM), action=LogEntry.Action.SERVICE_CHANGE,
                   decision=LogEntry.Decision.PERMIT, organization=provider.slug,
                   reason=f"Changed the places, contacts or times of “{service.name}” "
                   "from an HSDS directory.",
                   resource_type="service", resource_id=str(service.public_id))
        report.services_changed += 1
    else:
        report.services_unchanged += 1


def hsds_import(document: Any, *, kind: str = Organization.Kind.NGO) -> ImportReport:
    """Import an HSDS 3.0 directory in one transaction; refuse it whole on any problem.

    Organisations the file introduces are created as `kind` (HSDS does not say what
    kind an organisation is); services keep their HSDS ids, so importing again updates.
    """
    items = _services_in(document)
    errors = _schema_errors(items)
    if errors:
        raise InvalidDirectory(f"{len(errors)} problem(s) in the directory; the first: "
                               f"{errors[0]['message']}", errors=errors)
    report = ImportReport()
    with transaction.atomic():
        for index, (item, enclosing) in enumerate(items):
            try:
                _import_one(item, enclosing, kind, report)
            except AgoraError as error:
                message = f"{_label(index, item)}: {error.detail}"
                raise InvalidDirectory(message, errors=[
                    {"field": f"services[{index}]", "message": message}]) from None
    return report
