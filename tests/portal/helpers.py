"""People and log entries the resident-page tests share."""

import uuid

from django.db import connection

from agora.audit.services import AuditActor, log_append
from tests.factories import OrganizationFactory, PersonFactory, UserFactory


def resident_with_person(**person):
    """Return (user, person): a signed-up resident linked to their Person."""
    user = UserFactory()
    return user, PersonFactory(user=user, email=user.email, **person)


def staff_entry(person, *, organization=None, decision="permit", action="record.read",
                purpose="benefit-assessment", legal_basis="6.1.e", label="Casey Worker",
                reason="Staff role caseworker at the owner"):
    """Append a log entry about `person`, as a caseworker of `organization` would cause."""
    organization = organization or OrganizationFactory()
    return log_append(
        actor=AuditActor(kind="staff", id=str(uuid.uuid4()), label=label),
        action=action,
        decision=decision,
        reason=reason,
        organization=organization.slug,
        purpose=purpose,
        legal_basis=legal_basis,
        subject=str(person.public_id),
        resource_type="record",
        resource_id=str(uuid.uuid4()),
    )


def tamper(entry, **values) -> None:
    """Change a log entry behind the ORM's back, as someone with database access could."""
    table = entry._meta.db_table
    assignments = ", ".join(f"{name} = %s" for name in values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {assignments} WHERE seq = %s",
            [*values.values(), entry.seq],
        )
