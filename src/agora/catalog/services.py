"""Writes of the catalogue: add, change and withdraw a service; each one transaction.

Only the provider may change its services: the command line, the provider's
administrators and publishers, or one of its API clients. Anyone else is told the service
does not exist (`NotFound`), as for a service that does not. Every change is checked in
full first (topics, the eligibility rule against the questions, the form as JSON Schema)
and then written with one entry in the transparency log, so a refused change leaves
nothing behind.
"""

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agora.audit.models import LogEntry
from agora.audit.services import AuditActor, log_append
from agora.catalog.eligibility import rule_check
from agora.catalog.formschema import form_schema_check
from agora.catalog.models import Question, Service
from agora.core.actors import SystemActor
from agora.core.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied
from agora.organizations.models import ApiClient, Membership, Organization
from agora.topics.selectors import topics_resolve

PROVIDER_ROLES = frozenset({Membership.Role.ADMIN.value, Membership.Role.PUBLISHER.value})
EDITABLE = ("name", "summary", "description", "who_for", "how_to_apply", "cost",
            "target_days", "eligibility_rule", "form_schema", "location_based", "url",
            "email", "status")
Status = Service.Status
RESERVED_CODES = frozenset({"questions", "new"})  # paths beside /services/{code}


def audit_actor(actor) -> AuditActor:
    """Return who acted, as the log records it: the command line, a member, or a client."""
    if isinstance(actor, SystemActor):
        return AuditActor(kind="system", id="cli", label=str(actor))
    if isinstance(actor, ApiClient):
        return AuditActor(kind="client", id=str(actor.client_id), label=actor.name)
    return AuditActor(kind="staff", id=str(actor.public_id), label=actor.email)


def may_provide(actor, provider: Organization) -> bool:
    """Say whether the actor may publish and change the provider's services."""
    if isinstance(actor, SystemActor):
        return True
    if not provider.is_active:
        return False
    if isinstance(actor, ApiClient):
        return actor.is_active and actor.organization_id == provider.pk
    return bool(
        actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active
        and Membership.objects.filter(user=actor, organization=provider,
                                      role__in=PROVIDER_ROLES).exists()
    )


def _check(service: Service, topics: list[str] | None) -> list:
    """Check the service as it would be saved; return its resolved topics (or None)."""
    problems: dict[str, list[str]] = {}
    try:
        service.full_clean(exclude=["provider", "topics"], validate_unique=False)
    except ValidationError as error:
        problems.update(error.message_dict)
    if problems:
        raise InvalidInput.from_validation_error(ValidationError(problems))
    rule_check(service.eligibility_rule, Question.objects.values_list("key", flat=True))
    form_schema_check(service.form_schema)
    return topics_resolve(topics) if topics is not None else None


def _apply(service: Service, changes: dict[str, Any]) -> list[str]:
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        message = f"These cannot be changed here: {', '.join(unknown)}."
        raise InvalidInput(message, errors=[{"field": name, "message": message}
                                            for name in unknown])
    changed = []
    for name, value in changes.items():
        if value is None and name not in {"target_days", "eligibility_rule", "form_schema"}:
            value = "" if name != "location_based" else False
        if getattr(service, name) != value:
            setattr(service, name, value)
            changed.append(name)
    return changed


def service_create(
    *, actor, provider: Organization, code: str, details: dict[str, Any],
    topics: list[str] | None = None, public_id: UUID | None = None,
) -> Service:
    """Add a service to the provider's part of the catalogue (a draft unless published).

    `public_id` keeps the identifier a directory gave the service (an HSDS import).
    """
    if not may_provide(actor, provider):
        raise PermissionDenied(f"Only administrators and publishers of {provider} add its "
                               "services.")
    if code in RESERVED_CODES:
        message = f"The code “{code}” is reserved; choose another."
        raise InvalidInput(message, errors=[{"field": "code", "message": message}])
    service = Service(provider=provider, code=code)
    if public_id is not None:
        service.public_id = public_id
    _apply(service, details)
    resolved = _check(service, topics or [])
    if Service.objects.filter(code=code).exists():
        message = f"The code “{code}” is already used by another service; choose another."
        raise Conflict(message, errors=[{"field": "code", "message": message}])
    try:
        with transaction.atomic():
            service.save()
            service.topics.set(resolved)
            log_append(
                actor=audit_actor(actor), action=LogEntry.Action.SERVICE_PUBLISH,
                decision=LogEntry.Decision.PERMIT, organization=provider.slug,
                reason=f"Added “{service.name}” ({service.get_status_display().lower()}).",
                resource_type="service", resource_id=str(service.public_id),
            )
    except IntegrityError:
        raise Conflict(f"The code “{code}” was taken at the same time; choose another.",
                       errors=[{"field": "code", "message": "Choose another code."}]) from None
    return service


def service_update(
    *, actor, service: Service, changes: dict[str, Any], topics: list[str] | None = None,
) -> Service:
    """Change a service's details, topics or status; a provider's own services only."""
    if not may_provide(actor, service.provider):
        raise NotFound("There is no such service.")
    with transaction.atomic():
        service = Service.objects.select_for_update().select_related("provider").get(
            pk=service.pk)
        changed = _apply(service, changes)
        resolved = _check(service, topics)
        if resolved is not None and (
            set(service.topics.values_list("pk", flat=True)) != {t.pk for t in resolved}
        ):
            changed.append("topics")
        if not changed:
            return service
        service.save()
        if resolved is not None:
            service.topics.set(resolved)
        withdrawn = "status" in changed and service.status == Status.WITHDRAWN
        log_append(
            actor=audit_actor(actor),
            action=(LogEntry.Action.SERVICE_WITHDRAW if withdrawn
                    else LogEntry.Action.SERVICE_CHANGE),
            decision=LogEntry.Decision.PERMIT, organization=service.provider.slug,
            reason=(f"Withdrew “{service.name}”." if withdrawn
                    else f"Changed {', '.join(changed)} of “{service.name}”."),
            resource_type="service", resource_id=str(service.public_id),
        )
    return service


def service_withdraw(*, actor, service: Service) -> Service:
    """Take a service out of the catalogue; requests already made carry on."""
    return service_update(actor=actor, service=service, changes={"status": Status.WITHDRAWN})
