"""Who may read the hub's documents: the one rule, as a decision and as a query condition.

Hub documents (guidance, policies, forms, dataset descriptions) are not personal data, so
none of the purpose, agreement and consent machinery applies; the classification scale
does, the same way it does for a record about no one (`decisions._decide_non_personal`):

    open, public   anyone, signed in or not
    internal       the owner's staff (any role) and the owner's API clients
    restricted     the owner's staff holding a role the document names

A reader may work for several organisations, so a `DocumentReader` carries the roles held
in each. The rule is written once, as `document_rule` (a small list of clauses); the
decision `document_readable`, the ORM filter `readable_documents_q` and the SQL condition
`readable_documents_sql` (which search applies inside its query) all read those clauses,
and a property test checks the three agree. `None` is never a reader: every form denies
everything to it (fail closed).

Restricted roles are stored as one comma-framed string (",caseworker,dpo,") so that a
role test is a plain `LIKE` on both databases; `roles_pack` writes that form.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Q

from agora.access.decisions import OPEN_LEVELS
from agora.access.models import Classification
from agora.organizations.models import ApiClient, Membership

INTERNAL = Classification.INTERNAL.value
RESTRICTED = Classification.RESTRICTED.value
OPEN_LEVEL_LIST = sorted(OPEN_LEVELS)


@dataclass(frozen=True)
class DocumentReader:
    """Who reads: the roles a user holds in each organisation, or a client's organisation."""

    staff: Mapping[int, frozenset[str]] = field(default_factory=dict)
    client_organization: int | None = None
    label: str = "an anonymous visitor"

    def roles_in(self, organization_id: int) -> frozenset[str]:
        return self.staff.get(organization_id, frozenset())


def anonymous_reader() -> DocumentReader:
    """Return the reader for someone not signed in: open and public documents only."""
    return DocumentReader()


def reader_for_user(user) -> DocumentReader:
    """Return the reader for a signed-in user, with their roles in every active organisation.

    Anyone not signed in, or with a disabled account, reads as an anonymous visitor.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return anonymous_reader()
    staff: dict[int, set[str]] = {}
    memberships = Membership.objects.filter(user=user, organization__is_active=True)
    for organization_id, role in memberships.values_list("organization_id", "role"):
        staff.setdefault(organization_id, set()).add(role)
    return DocumentReader(
        staff={org: frozenset(roles) for org, roles in staff.items()}, label=str(user)
    )


def reader_for_client(client: ApiClient) -> DocumentReader:
    """Return the reader for a machine client: its organisation's internal documents too.

    A disabled client, or one of an inactive organisation, reads as an anonymous visitor.
    """
    if not (client.is_active and client.organization.is_active):
        return anonymous_reader()
    return DocumentReader(
        client_organization=client.organization_id, label=f"API client {client.name}"
    )


def roles_pack(roles: Iterable[str]) -> str:
    """Return roles in the stored form: sorted, comma-framed (",a,b,"), or "" for none."""
    names = sorted({role.strip() for role in roles if role and role.strip()})
    return f",{','.join(names)}," if names else ""


def roles_unpack(packed: str) -> list[str]:
    return [role for role in (packed or "").split(",") if role]


class Clause(NamedTuple):
    """One way to be allowed: documents of `owner` (any owner when None) at `levels`,
    holding one of `roles` when roles are given."""

    owner: int | None
    levels: tuple[str, ...]
    roles: tuple[str, ...] = ()


def document_rule(reader: DocumentReader | None) -> list[Clause]:
    """Return the clauses any of which lets `reader` read a document; none for no reader."""
    if reader is None:
        return []
    clauses = [Clause(None, tuple(OPEN_LEVEL_LIST))]
    for organization_id in sorted(reader.staff):
        roles = reader.staff[organization_id]
        if not roles:
            continue
        clauses.append(Clause(organization_id, (INTERNAL,)))
        clauses.append(Clause(organization_id, (RESTRICTED,), tuple(sorted(roles))))
    if reader.client_organization is not None:
        clauses.append(Clause(reader.client_organization, (INTERNAL,)))
    return clauses


def document_readable(
    reader: DocumentReader | None, *, owner_id: int, classification: str, restricted_roles: str
) -> bool:
    """Say whether the reader may read a document with these facts (the rule, one at a time)."""
    roles = set(roles_unpack(restricted_roles))
    for clause in document_rule(reader):
        if clause.owner is not None and clause.owner != owner_id:
            continue
        if classification not in clause.levels:
            continue
        if clause.roles and not roles.intersection(clause.roles):
            continue
        return True
    return False


def readable_documents_q(reader: DocumentReader | None, prefix: str = "") -> Q:
    """Return a filter keeping the documents the reader may read (`prefix` for a relation)."""
    condition = Q(pk__in=[])
    for clause in document_rule(reader):
        part = Q(**{f"{prefix}classification__in": list(clause.levels)})
        if clause.owner is not None:
            part &= Q(**{f"{prefix}owner_id": clause.owner})
        if clause.roles:
            roles = Q(pk__in=[])
            for role in clause.roles:
                roles |= Q(**{f"{prefix}restricted_roles__contains": f",{role},"})
            part &= roles
        condition |= part
    return condition


def readable_documents_sql(
    reader: DocumentReader | None, *, owner: str, classification: str, roles: str
) -> tuple[str, list]:
    """Return an SQL condition and its parameters over the named columns (fail closed)."""
    parts, params = [], []
    for clause in document_rule(reader):
        terms = [f"{classification} IN ({', '.join(['%s'] * len(clause.levels))})"]
        params.extend(clause.levels)
        if clause.owner is not None:
            terms.insert(0, f"{owner} = %s")
            params.insert(len(params) - len(clause.levels), clause.owner)
        if clause.roles:
            terms.append("(" + " OR ".join([f"{roles} LIKE %s"] * len(clause.roles)) + ")")
            params.extend(f"%,{role},%" for role in clause.roles)
        parts.append("(" + " AND ".join(terms) + ")")
    if not parts:
        return "1 = 0", []
    return "(" + " OR ".join(parts) + ")", params
