"""Writes to the register of processing: declarations of purpose, and API clients' purposes.

Each change runs in one transaction with its entry in the transparency log.

Proposed → approved (its data protection officer) → withdrawn | superseded, or
proposed → rejected | withdrawn.
    propose   an administrator of the organisation
    approve   its data protection officer; an approved declaration of the same purpose
              is superseded by it in the same transaction
    reject    its data protection officer
    withdraw  an administrator or data protection officer; the purpose stops counting
              at once (the decision and the query filter read the register every time)
The command line (`SYSTEM`) may act for any organisation.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from agora.access.models import (
    DataCategory,
    LegalBasis,
    Purpose,
    PurposeDeclaration,
    SpecialCondition,
)
from agora.access.register import declared_purposes
from agora.access.services.common import Actor, audit_actor, resolve
from agora.audit.services import log_append
from agora.core.actors import SystemActor
from agora.core.exceptions import Conflict, InvalidInput, PermissionDenied
from agora.organizations.models import ApiClient, Membership, Organization
from agora.organizations.selectors import user_can_manage_members, user_has_role
from agora.people.models import User

Status = PurposeDeclaration.Status
RESOURCE = "purpose-declaration"


def _holds(actor: Actor, organization: Organization, *roles: str) -> bool:
    return isinstance(actor, SystemActor) or user_has_role(actor, organization, *roles)


def _log(actor: Actor, declaration: PurposeDeclaration, action: str, reason: str) -> None:
    basis = declaration.legal_basis
    if declaration.special_condition:
        basis = f"{basis}; {declaration.special_condition}"
    log_append(
        actor=audit_actor(actor, "staff"),
        action=action,
        decision="permit",
        reason=reason,
        organization=declaration.organization.slug,
        purpose=declaration.purpose.code,
        legal_basis=basis,
        resource_type=RESOURCE,
        resource_id=str(declaration.public_id),
    )


def _problems(*, legal_basis: str, special_condition: str, categories: list[DataCategory],
              serves: str) -> list[dict]:
    problems = []

    def problem(field: str, message: str) -> None:
        problems.append({"field": field, "message": message})

    if legal_basis not in LegalBasis.values:
        problem("legal_basis", "Choose the legal basis (GDPR Art. 6(1)) for this purpose.")
    if special_condition and special_condition not in SpecialCondition.values:
        problem("special_condition", "Choose an Art. 9(2) condition from the list.")
    if not categories:
        problem("categories", "Choose at least one category of data the purpose needs.")
    special = [c.name for c in categories if c.is_special]
    if special and not special_condition:
        problem(
            "special_condition",
            f"{', '.join(special)} is a special category (GDPR Art. 9): choose the "
            "Art. 9(2) condition that lets you process it for this purpose.",
        )
    if not serves.strip():
        problem("serves", "Say whom this processing serves: the people it is about.")
    return problems


def purpose_declaration_propose(
    *,
    actor: Actor,
    organization: Organization,
    purpose: Purpose | str,
    legal_basis: str,
    categories: Iterable[DataCategory | str],
    serves: str,
    special_condition: str = "",
    description: str = "",
    retention: str = "",
) -> PurposeDeclaration:
    """Propose that the organisation declares a purpose; it counts once its DPO approves."""
    if not _holds(actor, organization, Membership.Role.ADMIN):
        raise PermissionDenied("Only an administrator of the organisation may propose it.")
    (purpose,) = resolve(Purpose, [purpose], "purpose")
    categories = resolve(DataCategory, categories, "categories")
    problems = _problems(legal_basis=legal_basis, special_condition=special_condition,
                         categories=categories, serves=serves)
    if not organization.is_active:
        problems.append({"field": "", "message": f"{organization.name} is not active."})
    if problems:
        raise InvalidInput(" ".join(p["message"] for p in problems), errors=problems)
    with transaction.atomic():
        waiting = PurposeDeclaration.objects.select_for_update().filter(
            organization=organization, purpose=purpose, status=Status.PROPOSED)
        if waiting.exists():
            raise Conflict(
                f"A declaration of {purpose.name.lower()} is already waiting for the data "
                "protection officer; approve, reject or withdraw it first."
            )
        declaration = PurposeDeclaration.objects.create(
            organization=organization, purpose=purpose, legal_basis=legal_basis,
            special_condition=special_condition, serves=serves.strip(),
            description=description.strip(), retention=retention.strip(),
            proposed_by=actor if isinstance(actor, User) else None,
            proposed_at=timezone.now(),
        )
        declaration.categories.set(categories)
        _log(actor, declaration, "purpose.propose",
             f"Proposed declaring {purpose.code} for {', '.join(c.code for c in categories)}; "
             "waiting for the data protection officer.")
    return declaration


def _locked(declaration: PurposeDeclaration) -> PurposeDeclaration:
    return (
        PurposeDeclaration.objects.select_for_update(of=("self",))
        .select_related("organization", "purpose").get(pk=declaration.pk)
    )


def purpose_declaration_approve(*, actor: Actor,
                                declaration: PurposeDeclaration) -> PurposeDeclaration:
    """Approve a proposed declaration (the organisation's DPO): the purpose counts now."""
    with transaction.atomic():
        declaration = _locked(declaration)
        if not _holds(actor, declaration.organization, Membership.Role.DPO):
            raise PermissionDenied(
                "Only the organisation's data protection officer may approve a declaration.")
        if declaration.status != Status.PROPOSED:
            raise Conflict(f"Only a proposed declaration can be approved; this one is "
                           f"{declaration.get_status_display().lower()}.")
        now = timezone.now()
        previous = PurposeDeclaration.objects.select_for_update().filter(
            organization=declaration.organization, purpose=declaration.purpose,
            status=Status.APPROVED)
        replaced = [str(p.public_id) for p in previous]
        previous.update(status=Status.SUPERSEDED, ended_at=now)
        declaration.status = Status.APPROVED
        declaration.decided_by = actor if isinstance(actor, User) else None
        declaration.decided_at = now
        declaration.save(update_fields=["status", "decided_by", "decided_at"])
        reason = f"Approved: {declaration.organization} may act for {declaration.purpose.code}."
        if replaced:
            reason += f" It replaces declaration {', '.join(replaced)}."
        _log(actor, declaration, "purpose.approve", reason)
    return declaration


def purpose_declaration_reject(*, actor: Actor, declaration: PurposeDeclaration,
                               reason: str = "") -> PurposeDeclaration:
    """Reject a proposed declaration (the organisation's DPO); it never counts."""
    with transaction.atomic():
        declaration = _locked(declaration)
        if not _holds(actor, declaration.organization, Membership.Role.DPO):
            raise PermissionDenied(
                "Only the organisation's data protection officer may reject a declaration.")
        if declaration.status != Status.PROPOSED:
            raise Conflict(f"Only a proposed declaration can be rejected; this one is "
                           f"{declaration.get_status_display().lower()}.")
        declaration.status = Status.REJECTED
        declaration.decided_by = actor if isinstance(actor, User) else None
        declaration.decided_at = timezone.now()
        declaration.save(update_fields=["status", "decided_by", "decided_at"])
        _log(actor, declaration, "purpose.reject", reason.strip() or "Rejected.")
    return declaration


def purpose_declaration_withdraw(*, actor: Actor, declaration: PurposeDeclaration,
                                 reason: str = "") -> PurposeDeclaration:
    """Withdraw a proposed or approved declaration; an approved purpose stops counting."""
    with transaction.atomic():
        declaration = _locked(declaration)
        if not _holds(actor, declaration.organization, Membership.Role.ADMIN,
                      Membership.Role.DPO):
            raise PermissionDenied("Only an administrator or the data protection officer of "
                                   "the organisation may withdraw a declaration.")
        if declaration.status not in (Status.PROPOSED, Status.APPROVED):
            raise Conflict(f"This declaration is already "
                           f"{declaration.get_status_display().lower()}.")
        declaration.status = Status.WITHDRAWN
        declaration.ended_at = timezone.now()
        declaration.save(update_fields=["status", "ended_at"])
        _log(actor, declaration, "purpose.withdraw", reason.strip() or "Withdrawn.")
    return declaration


def apiclient_purposes_set(*, actor: Actor, client: ApiClient,
                           purposes: Iterable[Purpose | str]) -> ApiClient:
    """Limit the client to some of its organisation's declared purposes (none: all of them).

    Every purpose must exist and be declared by the client's organisation.
    """
    organization = client.organization
    if not user_can_manage_members(actor, organization):
        raise PermissionDenied("Only an administrator of the organisation may do this.")
    chosen = resolve(Purpose, purposes, "purposes")
    declared = set(declared_purposes(organization=organization).values_list("code", flat=True))
    undeclared = sorted(p.code for p in chosen if p.code not in declared)
    if undeclared:
        message = (f"{organization.name} has not declared {', '.join(undeclared)}; a client "
                   "can only be given purposes its organisation declared.")
        raise InvalidInput(message, errors=[{"field": "purposes", "message": message}])
    codes = sorted(p.code for p in chosen)
    with transaction.atomic():
        client.purposes = codes
        client.save(update_fields=["purposes"])
        # What a client may claim is as much a part of the register as a declaration,
        # so the change is in the log beside them.
        log_append(
            actor=audit_actor(actor, "staff"),
            action="apiclient.purposes",
            decision="permit",
            reason=("Limited to " + ", ".join(codes) + ".") if codes
            else "May act for every purpose its organisation declared.",
            organization=organization.slug,
            resource_type="api-client",
            resource_id=str(client.client_id),
        )
    return client
