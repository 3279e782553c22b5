"""Writes to agreements: propose, approve, suspend, resume, end.

Each function runs in one transaction and appends one entry to the transparency log in
that same transaction, so a change and its record commit together or not at all.

Draft → (both sides' admins approve) → active ⇄ suspended → ended.
    propose   an admin of the provider or the recipient; the recipient must have
              declared every purpose, for every category (its register of processing)
    approve   an admin of a side approves for that side; both approved → active
    suspend   an admin or data protection officer of either side (active → suspended)
    resume    an admin of the provider, whose data it is (suspended → active), only
              while both approvals stand
    end       an admin or data protection officer of either side; final
The command line (`SYSTEM`) may act for either side.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from agora.access.models import Agreement, DataCategory, LegalBasis, Purpose
from agora.access.register import declaration_problems
from agora.access.services.common import Actor, audit_actor, resolve
from agora.audit.services import log_append
from agora.core.actors import SystemActor
from agora.core.events import announce
from agora.core.exceptions import Conflict, InvalidInput, PermissionDenied
from agora.organizations.models import Membership, Organization
from agora.people.models import User

PROVIDER, RECIPIENT = "provider", "recipient"


def _roles(actor: Actor, organization: Organization) -> set[str]:
    if isinstance(actor, SystemActor):
        return {Membership.Role.ADMIN, Membership.Role.DPO}
    if not (actor and actor.is_authenticated and actor.is_active):
        return set()
    return set(
        Membership.objects.filter(user=actor, organization=organization).values_list(
            "role", flat=True
        )
    )


def _sides(actor: Actor, agreement: Agreement, *roles: str) -> list[str]:
    """Return the sides of the agreement for which the actor holds one of the roles."""
    sides = []
    if _roles(actor, agreement.provider) & set(roles):
        sides.append(PROVIDER)
    if _roles(actor, agreement.recipient) & set(roles):
        sides.append(RECIPIENT)
    return sides


def _log_agreement(actor: Actor, agreement: Agreement, action: str, reason: str, side: str):
    organization = agreement.provider if side == PROVIDER else agreement.recipient
    log_append(
        actor=audit_actor(actor, "staff"),
        action=action,
        decision="permit",
        reason=reason,
        organization=organization.slug,
        legal_basis=agreement.legal_basis,
        resource_type="agreement",
        resource_id=str(agreement.public_id),
    )


def _agreement_problems(
    *,
    provider,
    recipient,
    title,
    categories,
    purposes,
    legal_basis,
    fields_allowed,
    valid_from,
    valid_to,
) -> list[dict]:
    problems = []

    def problem(field: str, message: str) -> None:
        problems.append({"field": field, "message": message})

    if not title.strip():
        problem("title", "Enter a title for the agreement.")
    if provider.pk == recipient.pk:
        problem("recipient", "An organisation cannot make an agreement with itself.")
    if not categories:
        problem("categories", "Choose at least one data category.")
    if not purposes:
        problem("purposes", "Choose at least one purpose.")
    if legal_basis not in LegalBasis.values:
        problem("legal_basis", "Choose the legal basis (GDPR Art. 6(1)) for the sharing.")
    if not (
        isinstance(fields_allowed, list | tuple)
        and fields_allowed
        and all(isinstance(name, str) and name.strip() for name in fields_allowed)
    ):
        problem("fields_allowed", "List the names of the fields the recipient may see.")
    if valid_to <= valid_from:
        problem("valid_to", "The agreement must end after it starts.")
    special = [c.name for c in categories if c.is_special]
    lacking = [p.code for p in purposes if not p.special_condition]
    if special and lacking:
        problem(
            "purposes",
            f"{', '.join(special)} is a special category: every purpose needs an Art. 9 "
            f"condition, and {', '.join(lacking)} has none.",
        )
    if provider.pk != recipient.pk:
        problems += declaration_problems(organization=recipient, purposes=purposes,
                                         categories=categories)
    return problems


def agreement_propose(
    *,
    actor: Actor,
    provider: Organization,
    recipient: Organization,
    title: str,
    categories: Iterable[DataCategory | str],
    purposes: Iterable[Purpose | str],
    legal_basis: str,
    fields_allowed: list[str],
    valid_from: datetime,
    valid_to: datetime,
    description: str = "",
) -> Agreement:
    """Propose a draft agreement; the actor must be an admin of one of the two sides."""
    categories = resolve(DataCategory, categories, "categories")
    purposes = resolve(Purpose, purposes, "purposes")
    sides = [
        side
        for side, org in ((PROVIDER, provider), (RECIPIENT, recipient))
        if Membership.Role.ADMIN in _roles(actor, org)
    ]
    if not sides:
        raise PermissionDenied("Only an admin of the provider or the recipient may propose it.")
    problems = _agreement_problems(
        provider=provider,
        recipient=recipient,
        title=title,
        categories=categories,
        purposes=purposes,
        legal_basis=legal_basis,
        fields_allowed=fields_allowed,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    if problems:
        raise InvalidInput(" ".join(p["message"] for p in problems), errors=problems)
    with transaction.atomic():
        agreement = Agreement.objects.create(
            title=title.strip(),
            description=description,
            provider=provider,
            recipient=recipient,
            legal_basis=legal_basis,
            fields_allowed=list(dict.fromkeys(name.strip() for name in fields_allowed)),
            valid_from=valid_from,
            valid_to=valid_to,
            status=Agreement.Status.DRAFT,
            proposed_by=actor if isinstance(actor, User) else None,
        )
        agreement.categories.set(categories)
        agreement.purposes.set(purposes)
        _log_agreement(
            actor,
            agreement,
            "agreement.propose",
            f"Proposed “{agreement.title}” from {provider} to {recipient}.",
            sides[0],
        )
    return agreement


def _announce(agreement: Agreement) -> None:
    """Tell both parties' systems that the agreement changed, in this transaction."""
    announce("agreement.changed", organizations=[agreement.provider, agreement.recipient],
             source="/agreements", subject=str(agreement.public_id),
             data={"agreement": str(agreement.public_id), "status": agreement.status})


def _locked(agreement: Agreement) -> Agreement:
    return (
        Agreement.objects.select_for_update()
        .select_related("provider", "recipient")
        .get(pk=agreement.pk)
    )


def agreement_approve(*, actor: Actor, agreement: Agreement, side: str = "") -> Agreement:
    """Approve a draft for the actor's side (or `side`); both sides approved makes it active."""
    with transaction.atomic():
        agreement = _locked(agreement)
        sides = _sides(actor, agreement, Membership.Role.ADMIN)
        if side:
            sides = [s for s in sides if s == side]
        if not sides:
            raise PermissionDenied("Only an admin of the provider or the recipient may approve.")
        if agreement.status != Agreement.Status.DRAFT:
            raise Conflict(f"Only a draft can be approved; this agreement is {agreement.status}.")
        pending = [s for s in sides if getattr(agreement, f"{s}_approved_at") is None]
        if not pending:
            raise Conflict("Your side has already approved this agreement.")
        now = timezone.now()
        for s in pending:
            setattr(agreement, f"{s}_approved_by", actor if isinstance(actor, User) else None)
            setattr(agreement, f"{s}_approved_at", now)
        both = agreement.provider_approved_at and agreement.recipient_approved_at
        if both:
            agreement.status = Agreement.Status.ACTIVE
        agreement.save()
        _announce(agreement)
        approved = " and ".join(pending)
        if both:
            _log_agreement(
                actor,
                agreement,
                "agreement.activate",
                f"Approved by the {approved}; both sides have approved, so it is active.",
                pending[0],
            )
        else:
            _log_agreement(
                actor,
                agreement,
                "agreement.approve",
                f"Approved by the {approved}; waiting for the other side.",
                pending[0],
            )
    return agreement


def _change_status(
    actor: Actor,
    agreement: Agreement,
    *,
    roles: tuple[str, ...],
    sides: tuple[str, ...],
    allowed_from: tuple[str, ...],
    to: str,
    action: str,
    reason: str,
    verb: str,
) -> Agreement:
    with transaction.atomic():
        agreement = _locked(agreement)
        acting = [s for s in _sides(actor, agreement, *roles) if s in sides]
        if not acting:
            raise PermissionDenied(
                f"Only the {' or '.join(roles)} of the {' or '.join(sides)} may do this."
            )
        if agreement.status not in allowed_from:
            raise Conflict(
                f"An agreement that is {agreement.status} cannot be {verb}; it must be "
                f"{' or '.join(allowed_from)}."
            )
        agreement.status = to
        agreement.save(update_fields=["status", "updated_at"])
        _announce(agreement)
        _log_agreement(actor, agreement, action, reason, acting[0])
    return agreement


def agreement_suspend(*, actor: Actor, agreement: Agreement, reason: str = "") -> Agreement:
    """Suspend an active agreement: nothing is shared under it until it is resumed."""
    return _change_status(
        actor,
        agreement,
        roles=(Membership.Role.ADMIN, Membership.Role.DPO),
        sides=(PROVIDER, RECIPIENT),
        allowed_from=(Agreement.Status.ACTIVE,),
        to=Agreement.Status.SUSPENDED,
        action="agreement.suspend",
        reason=reason or "Suspended.",
        verb="suspended",
    )


def agreement_resume(*, actor: Actor, agreement: Agreement, reason: str = "") -> Agreement:
    """Make a suspended agreement active again (the provider's admin; both approvals stand)."""
    if not (agreement.provider_approved_at and agreement.recipient_approved_at):
        raise Conflict("This agreement no longer has both sides' approval, so it cannot resume.")
    return _change_status(
        actor,
        agreement,
        roles=(Membership.Role.ADMIN,),
        sides=(PROVIDER,),
        allowed_from=(Agreement.Status.SUSPENDED,),
        to=Agreement.Status.ACTIVE,
        action="agreement.activate",
        reason=reason or "Resumed after suspension.",
        verb="resumed",
    )


def agreement_end(*, actor: Actor, agreement: Agreement, reason: str = "") -> Agreement:
    """End an agreement for good; an ended agreement never grants anything again."""
    return _change_status(
        actor,
        agreement,
        roles=(Membership.Role.ADMIN, Membership.Role.DPO),
        sides=(PROVIDER, RECIPIENT),
        allowed_from=(Agreement.Status.DRAFT, Agreement.Status.ACTIVE, Agreement.Status.SUSPENDED),
        to=Agreement.Status.ENDED,
        action="agreement.end",
        reason=reason or "Ended.",
        verb="ended",
    )
