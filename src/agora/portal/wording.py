"""Log entries in plain words for the person they are about.

The log stores codes (organisation slugs, purpose codes, GDPR article numbers, action
names); a resident reads names and sentences. `activity_rows` turns one page of entries
into rows, looking up every organisation and purpose it needs in one query each.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse

from agora.access.models import Purpose, PurposeDeclaration
from agora.audit.models import LogEntry
from agora.organizations.models import ApiClient, Organization
from agora.people.models import Person

# GDPR Art. 6(1) and 9(2) bases, said the way a resident would understand them.
LEGAL_BASIS_WORDS = {
    "6.1.a": "you gave your consent",
    "6.1.b": "needed for a contract with you",
    "6.1.c": "required by law",
    "6.1.d": "to protect someone's life",
    "6.1.e": "part of a public task",
    "6.1.f": "a legitimate interest of the organisation",
    "9.2.a": "you gave explicit consent",
    "9.2.b": "employment or social protection law",
    "9.2.c": "to protect someone's life",
    "9.2.d": "the work of a not-for-profit body",
    "9.2.e": "information you made public yourself",
    "9.2.f": "legal claims",
    "9.2.g": "a substantial public interest",
    "9.2.h": "health or social care",
    "9.2.i": "public health",
    "9.2.j": "research or statistics",
}

ACTION_WORDS = {
    "record.read": "Read a record about you",
    "record.list": "Looked through records about you",
    "record.create": "Added a record about you",
    "record.update": "Changed a record about you",
    "record.delete": "Deleted a record about you",
    "person.view": "Viewed your details",
    "person.lookup": "Looked you up",
    "person.export": "Downloaded your data",
    "person.delete": "Deleted your details",
    "consent.give": "Consent given",
    "consent.withdraw": "Consent withdrawn",
    "log.read": "Read the log",
    "purpose.propose": "Proposed a purpose",
    "purpose.approve": "Approved a purpose",
    "purpose.reject": "Rejected a purpose",
    "purpose.withdraw": "Withdrew a purpose",
}

RESOURCE_WORDS = {
    "record": "record",
    "person": "your details",
    "consent": "consent",
    "agreement": "sharing agreement",
}


def legal_basis_words(code: str) -> str:
    """Return a legal basis in plain words ("required by law"), or the code as given."""
    if not code:
        return ""
    parts = [LEGAL_BASIS_WORDS.get(part.strip(), part.strip())
             for part in re.split(r"[,;]", code)]
    return "; ".join(part for part in parts if part)


def action_words(action: str) -> str:
    """Return what happened, in plain words."""
    return ACTION_WORDS.get(action) or action.replace(".", " ").capitalize()


def resource_words(resource_type: str, resource_id: str) -> str:
    """Return which thing it was: "record 1a2b3c4d" (a short reference, never its content)."""
    if not resource_type:
        return ""
    kind = RESOURCE_WORDS.get(resource_type, resource_type.replace("_", " "))
    return f"{kind} {resource_id[:8]}" if resource_id and resource_type != "person" else kind


@dataclass(frozen=True)
class ActivityRow:
    """One log entry as the resident reads it."""

    seq: int
    when: datetime
    organization: str  # organisation name, or "" when no organisation acted
    who: str
    why: str  # purpose name
    why_url: str  # the organisation's public declaration of the purpose, if it declared it
    basis: str  # legal basis in plain words
    what: str
    resource: str
    permitted: bool
    reason: str


def _who(entry: LogEntry, person: Person, clients: dict[str, str]) -> str:
    if entry.actor_kind == LogEntry.ActorKind.PERSON:
        own_ids = {str(person.public_id)}
        if person.user_id:
            own_ids.add(str(person.user.public_id))
        if entry.actor_id in own_ids:
            return "You"
    if entry.actor_kind == LogEntry.ActorKind.CLIENT:
        name = clients.get(entry.actor_id) or entry.actor_label
        return f"Computer system: {name}" if name else "A computer system"
    if entry.actor_kind == LogEntry.ActorKind.SYSTEM:
        return entry.actor_label or "The platform"
    return entry.actor_label or LogEntry.ActorKind(entry.actor_kind).label


def activity_rows(entries: list[LogEntry], *, person: Person) -> list[ActivityRow]:
    """Return the entries (one page of them) as rows in plain words."""
    slugs = {e.organization for e in entries if e.organization}
    organizations = (
        dict(Organization.objects.filter(slug__in=slugs).values_list("slug", "name"))
        if slugs else {}
    )
    codes = {e.purpose for e in entries if e.purpose}
    purposes = (
        dict(Purpose.objects.filter(code__in=codes).values_list("code", "name"))
        if codes else {}
    )
    declared = set(
        PurposeDeclaration.objects.filter(
            organization__slug__in=slugs, purpose__code__in=codes,
            status=PurposeDeclaration.Status.APPROVED,
        ).values_list("organization__slug", "purpose__code")
    ) if slugs and codes else set()
    client_ids = {e.actor_id for e in entries if e.actor_kind == LogEntry.ActorKind.CLIENT}
    clients = {}
    if client_ids:
        valid = [value for value in client_ids if _is_uuid(value)]
        clients = {
            str(client_id): name
            for client_id, name in ApiClient.objects.filter(client_id__in=valid).values_list(
                "client_id", "name"
            )
        }
    return [
        ActivityRow(
            seq=entry.seq,
            when=entry.created_at,
            organization=organizations.get(entry.organization, entry.organization),
            who=_who(entry, person, clients),
            why=purposes.get(entry.purpose, entry.purpose),
            why_url=_declaration_url(entry) if (entry.organization, entry.purpose) in declared
            else "",
            basis=legal_basis_words(entry.legal_basis),
            what=action_words(entry.action),
            resource=resource_words(entry.resource_type, entry.resource_id),
            permitted=entry.decision == LogEntry.Decision.PERMIT,
            reason=entry.reason,
        )
        for entry in entries
    ]


def _declaration_url(entry: LogEntry) -> str:
    """Return the public page where the acting organisation declares the entry's purpose."""
    url = reverse("portal:organization_purposes", args=[entry.organization])
    return f"{url}#purpose-{entry.purpose}"


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
