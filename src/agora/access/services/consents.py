"""Writes to consents: the person gives and withdraws them, each with a signed receipt.

Each change runs in one transaction with its log entry and issues a new version of the
receipt (see `access.receipts`). Withdrawal takes effect on the very next read: the
decision and the query filter both look at `withdrawn_at` every time.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from agora.access.models import Consent, DataCategory, LegalBasis, Purpose
from agora.access.receipts import receipt_build, receipt_sign
from agora.access.register import declaration_problems
from agora.access.services.common import Actor, audit_actor, resolve
from agora.audit.services import log_append
from agora.core.actors import SystemActor
from agora.core.events import announce
from agora.core.exceptions import Conflict, InvalidInput, PermissionDenied
from agora.organizations.models import Organization
from agora.people.models import Person


def _may_act_for(actor: Actor, person: Person) -> bool:
    if isinstance(actor, SystemActor):
        return True
    return bool(actor and actor.is_authenticated and actor.is_active and person.user_id == actor.pk)


def _log_consent(actor: Actor, consent: Consent, action: str, reason: str) -> None:
    log_append(
        actor=audit_actor(actor, "person"),
        action=action,
        decision="permit",
        reason=reason,
        organization=consent.recipient.slug,
        purpose=consent.purpose.code,
        legal_basis=LegalBasis.CONSENT.value,
        subject=str(consent.person.public_id),
        resource_type="consent",
        resource_id=str(consent.public_id),
    )


def _issue_receipt(consent: Consent, now: datetime) -> None:
    consent.receipt = receipt_build(consent, issued_at=now)
    consent.receipt_signature = receipt_sign(consent.receipt)


def consent_give(
    *,
    actor: Actor,
    person: Person,
    recipient: Organization,
    categories: Iterable[DataCategory | str],
    purpose: Purpose | str,
    expires_at: datetime,
    now: datetime | None = None,
) -> Consent:
    """Record the person's consent and issue its signed receipt (version 1)."""
    if not _may_act_for(actor, person):
        raise PermissionDenied("Only the person themselves may give their consent.")
    categories = resolve(DataCategory, categories, "categories")
    (purpose,) = resolve(Purpose, [purpose], "purpose")
    now = now or timezone.now()
    problems = []
    if not categories:
        problems.append({"field": "categories", "message": "Choose at least one kind of data."})
    if expires_at <= now:
        problems.append({"field": "expires_at", "message": "The end date must be in the future."})
    if not recipient.is_active:
        problems.append({"field": "recipient", "message": "This organisation is not active."})
    elif categories:
        problems += declaration_problems(organization=recipient, purposes=[purpose],
                                         categories=categories, field="purpose")
    if problems:
        raise InvalidInput(" ".join(p["message"] for p in problems), errors=problems)
    with transaction.atomic():
        consent = Consent.objects.create(
            person=person,
            recipient=recipient,
            purpose=purpose,
            given_at=now,
            expires_at=expires_at,
            version=1,
        )
        consent.categories.set(categories)
        _issue_receipt(consent, now)
        consent.save(update_fields=["receipt", "receipt_signature"])
        _log_consent(
            actor,
            consent,
            "consent.give",
            f"Consent given to {recipient} for {purpose.code} until {expires_at:%Y-%m-%d}.",
        )
    return consent


def consent_withdraw(*, actor: Actor, consent: Consent, now: datetime | None = None) -> Consent:
    """Withdraw consent at once and issue the next, signed version of the receipt."""
    with transaction.atomic():
        consent = (
            Consent.objects.select_for_update()
            .select_related("person", "recipient", "purpose")
            .get(pk=consent.pk)
        )
        if not _may_act_for(actor, consent.person):
            raise PermissionDenied("Only the person themselves may withdraw their consent.")
        if consent.withdrawn_at is not None:
            raise Conflict("This consent has already been withdrawn.")
        now = now or timezone.now()
        consent.withdrawn_at = now
        consent.version += 1
        _issue_receipt(consent, now)
        consent.save(update_fields=["withdrawn_at", "version", "receipt", "receipt_signature"])
        _log_consent(
            actor,
            consent,
            "consent.withdraw",
            f"Consent to {consent.recipient} for {consent.purpose.code} withdrawn.",
        )
        announce("consent.withdrawn", organizations=[consent.recipient], person=consent.person,
                 source="/consents", subject=str(consent.public_id),
                 data={"consent": str(consent.public_id), "purpose": consent.purpose.code})
    return consent
