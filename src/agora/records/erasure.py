"""Erase a person (the right to erasure): their records and Person go, the log stays.

The transparency log is the record of who saw the data, so its entries are never
deleted. Erasure appends one `record.delete` entry per record and one `person.delete`
entry, then clears the raw person id from every entry about them; the entries keep the
keyed pseudonym their hashes cover, so the log still verifies and an auditor given the
id can still find them.
"""

from dataclasses import dataclass

from django.db import transaction

from agora.access.services.common import audit_actor
from agora.audit.services import EntryDraft, entry_subject_pseudonymise, log_append_many
from agora.core.actors import SystemActor
from agora.core.exceptions import InvalidInput, PermissionDenied
from agora.organizations.selectors import user_is_operator
from agora.people.models import Person, User
from agora.records import entries
from agora.records.models import Record


@dataclass(frozen=True)
class ErasureSummary:
    records_deleted: int
    log_entries_pseudonymised: int


def person_erase(*, actor: User | SystemActor, person: Person, reason: str) -> ErasureSummary:
    """Delete a person and every record about them; keep and pseudonymise their log entries.

    Only an operator (or the command line) may erase, and must say why (for example the
    erasure request's reference): the reason is logged.
    """
    if not user_is_operator(actor):
        raise PermissionDenied("Only a platform operator can erase a person.")
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput(
            "Say why this person is erased, for example the erasure request's reference.",
            errors=[{"field": "reason", "message": "Enter the reason for the erasure."}],
        )
    subject = str(person.public_id)
    actor_logged = audit_actor(actor, "staff")
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        records = list(
            Record.objects.select_for_update().filter(subject=person)
            .select_related("owner").values_list("public_id", "owner__slug")
        )
        drafts = [
            EntryDraft(
                actor=actor_logged, action="record.delete", decision="permit",
                reason=f"Erased with the person: {reason}"[:500], organization=owner,
                subject=subject, resource_type=entries.RESOURCE, resource_id=str(public_id),
            )
            for public_id, owner in records
        ]
        drafts.append(EntryDraft(
            actor=actor_logged, action="person.delete", decision="permit",
            reason=f"Erasure: {reason}"[:500], subject=subject,
            resource_type="person", resource_id=subject,
        ))
        log_append_many(drafts)
        Record.objects.filter(subject=person).delete()
        person.delete()
        pseudonymised = entry_subject_pseudonymise(subject=subject)
    return ErasureSummary(records_deleted=len(records), log_entries_pseudonymised=pseudonymised)
