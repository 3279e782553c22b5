"""Reads of the register of processing: which purposes an organisation may act for.

A purpose counts for an organisation only while it holds an approved `PurposeDeclaration`
of it, and then only for the data categories the declaration names. `purpose_cover` is
the one answer to "may this viewer act for this purpose, and on which categories": the
decision (`access.decisions`) and the query filter (`access.filters`) both ask it, so
they cannot disagree about it. An API client limited to some purposes (its `purposes`)
is covered for those only.

The public side (what anyone may read: each organisation's declared purposes and the
agreements in force between organisations) is here too, for the transparency page and
`GET /api/v1/purposes`; so is the Art. 30 record an organisation exports.
"""

import csv
import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from agora.access.exceptions import PurposeNotAllowed, PurposeNotDeclared
from agora.access.models import Agreement, Purpose, PurposeDeclaration
from agora.access.viewers import Viewer
from agora.core.actors import SystemActor
from agora.core.exceptions import AgoraError, NotFound
from agora.organizations.models import ApiClient, Membership, Organization
from agora.organizations.selectors import user_has_role, user_is_operator
from agora.people.models import User

APPROVED = PurposeDeclaration.Status.APPROVED


@dataclass(frozen=True)
class PurposeCover:
    """What an approved declaration lets its organisation do for one purpose."""

    legal_basis: str
    special_condition: str
    category_ids: tuple[int, ...]  # sorted


LOOK_UP: Any = object()
"""Default of a `cover` argument: look the cover up (a caller that already has it, from
`purpose_cover`, passes it to the decision and the filter alike, saving a query each)."""


def _cover(organization_id: int, purpose_id: int) -> PurposeCover | None:
    rows = list(
        PurposeDeclaration.categories.through.objects.filter(
            purposedeclaration__organization_id=organization_id,
            purposedeclaration__purpose_id=purpose_id,
            purposedeclaration__status=APPROVED,
        ).values_list("datacategory_id", "purposedeclaration__legal_basis",
                      "purposedeclaration__special_condition")
    )
    if not rows:  # a declaration always names a category: no rows, no declaration
        return None
    return PurposeCover(rows[0][1], rows[0][2], tuple(sorted({row[0] for row in rows})))


def client_allows(client: ApiClient | None, purpose: Purpose) -> bool:
    """Return whether the client may act for the purpose (an unlimited client may)."""
    return client is None or not client.purposes or purpose.code in client.purposes


def purpose_cover(viewer: Viewer | None, purpose: Purpose | None) -> PurposeCover | None:
    """Return what the viewer's organisation declared for the purpose, or None.

    None for no viewer, no organisation, no purpose, a purpose the organisation has not
    declared (approved) and a purpose its API client is not allowed: one query at most.
    """
    if viewer is None or purpose is None or viewer.organization_id is None:
        return None
    if not client_allows(viewer.client, purpose):
        return None
    return _cover(viewer.organization_id, purpose.pk)


def purpose_refusal(*, viewer: Viewer, purpose: Purpose) -> AgoraError | None:
    """Return the error to answer when the viewer's organisation may not act for the
    purpose at all (not declared, or not allowed to this client), else None.

    Viewers without an organisation (residents) are not refused here: they read their
    own data, and the decision refuses them anything else.
    """
    organization = viewer.organization
    if organization is None:
        return None
    if _cover(organization.pk, purpose.pk) is None:
        declared = ", ".join(declared_purposes(organization=organization)
                             .values_list("code", flat=True)) or "none"
        return PurposeNotDeclared(
            f"{organization.name} has not declared the purpose “{purpose.code}” in its "
            f"register of processing, so it may not act for it. Its declared purposes: "
            f"{declared}."
        )
    if not client_allows(viewer.client, purpose):
        return PurposeNotAllowed(
            f"The API client {viewer.client.name} may act only for: "
            f"{', '.join(viewer.client.purposes)}; not for “{purpose.code}”."
        )
    return None


def declaration_problems(*, organization: Organization, purposes: list[Purpose],
                         categories: list, field: str = "purposes") -> list[dict]:
    """Return form problems when the organisation, as a recipient, has not declared one
    of the purposes, or a declaration of one does not cover all the categories.

    Agreements and consents can only name purposes their recipient declared.
    """
    problems = []
    wanted = {c.pk: c for c in categories}
    for purpose in purposes:
        cover = _cover(organization.pk, purpose.pk)
        if cover is None:
            problems.append({"field": field, "message": (
                f"{organization.name} has not declared the purpose “{purpose.name}”; it "
                "can only be named for purposes its recipient declared.")})
            continue
        missing = [wanted[pk].name for pk in wanted if pk not in cover.category_ids]
        if missing:
            problems.append({"field": "categories", "message": (
                f"{organization.name}'s declaration of “{purpose.name}” does not include "
                f"{', '.join(sorted(missing))}.")})
    return problems


def declared_purposes(*, organization: Organization | None) -> QuerySet[Purpose]:
    """Return the purposes the organisation has declared (approved), by name."""
    if organization is None:
        return Purpose.objects.none()
    return Purpose.objects.filter(
        declarations__organization=organization, declarations__status=APPROVED
    ).distinct()


def purposes_declared_anywhere() -> dict[str, list[str]]:
    """Return each purpose some active organisation has declared, code → the declarers' names.

    Forms that name a recipient's purpose (agreements, consents) offer only these: a
    purpose nobody declared could never be accepted for any recipient.
    """
    declarers: dict[str, list[str]] = {}
    for code, name in declarations_in_force().values_list(
            "purpose__code", "organization__name"):
        declarers.setdefault(code, []).append(name)
    return declarers


def declarations_in_force(*, organization: Organization | None = None
                          ) -> QuerySet[PurposeDeclaration]:
    """Return the approved declarations (of one organisation, or of every active one)."""
    declarations = PurposeDeclaration.objects.filter(
        status=APPROVED, organization__is_active=True
    )
    if organization is not None:
        declarations = declarations.filter(organization=organization)
    return declarations.select_related("organization", "purpose").prefetch_related(
        "categories"
    ).order_by("organization__name", "purpose__name")


def _manages_register(user, organization: Organization) -> bool:
    return user_is_operator(user) or user_has_role(
        user, organization, Membership.Role.ADMIN, Membership.Role.DPO
    )


def declarations_for_organization(
    *, viewer: User | SystemActor | None, organization: Organization
) -> QuerySet[PurposeDeclaration]:
    """Return every declaration of the organisation, in any state, to its administrators
    and data protection officers (and operators); nothing to anyone else."""
    if not _manages_register(viewer, organization):
        return PurposeDeclaration.objects.none()
    return (
        PurposeDeclaration.objects.filter(organization=organization)
        .select_related("organization", "purpose", "proposed_by", "decided_by")
        .prefetch_related("categories")
        .order_by("purpose__name", "-proposed_at", "-pk")
    )


def declaration_get(*, viewer: User | SystemActor | None, organization: Organization,
                    public_id: uuid.UUID | str) -> PurposeDeclaration:
    """Return one declaration of the organisation; missing and forbidden raise NotFound."""
    try:
        wanted = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError as error:
        raise NotFound("There is no such declaration.") from error
    declaration = declarations_for_organization(
        viewer=viewer, organization=organization).filter(public_id=wanted).first()
    if declaration is None:
        raise NotFound("There is no such declaration.")
    return declaration


def agreements_in_force(*, organization: Organization | None = None,
                        now: datetime | None = None) -> QuerySet[Agreement]:
    """Return the active agreements in date (involving the organisation, when given).

    Agreements are between organisations and name no person: anyone may read them.
    """
    now = now or timezone.now()
    agreements = Agreement.objects.filter(
        status=Agreement.Status.ACTIVE, valid_from__lte=now, valid_to__gt=now
    )
    if organization is not None:
        agreements = agreements.filter(Q(provider=organization) | Q(recipient=organization))
    return agreements.select_related("provider", "recipient").prefetch_related(
        "categories", "purposes"
    ).order_by("provider__name", "recipient__name", "title")


def organizations_with_register() -> QuerySet[Organization]:
    """Return the active organisations with their approved declarations prefetched."""
    return Organization.objects.filter(is_active=True).prefetch_related(
        Prefetch("purpose_declarations", to_attr="declared",
                 queryset=declarations_in_force())
    ).order_by("name")


def public_organization_get(*, slug: str) -> Organization:
    """Return one active organisation with its declarations; NotFound otherwise."""
    organization = organizations_with_register().filter(slug=slug).first()
    if organization is None:
        raise NotFound("There is no such organisation.")
    return organization


ART30_COLUMNS = [
    "controller", "controller_contact", "data_protection_officers", "purpose_code",
    "purpose", "legal_basis", "special_condition", "categories_of_data",
    "special_categories", "data_subjects", "recipients", "retention", "description",
    "approved_at", "approved_by",
]


def art30_record(*, viewer: User | SystemActor | None, organization: Organization
                 ) -> list[dict]:
    """Return the organisation's record of processing activities (GDPR Art. 30(1)): one
    row per approved declaration, with the recipients its agreements in force name.

    Only its administrators, data protection officers and operators may read it.
    """
    if not _manages_register(viewer, organization):
        raise NotFound("There is no such organisation.")
    officers = ", ".join(Membership.objects.filter(
        organization=organization, role=Membership.Role.DPO
    ).order_by("user__email").values_list("user__email", flat=True))
    providing = list(agreements_in_force(organization=organization).filter(
        provider=organization))
    rows = []
    for declaration in declarations_in_force(organization=organization).select_related(
            "decided_by"):
        categories = list(declaration.categories.all())
        codes = {c.pk for c in categories}
        recipients = sorted({
            a.recipient.name for a in providing
            if codes & {c.pk for c in a.categories.all()}
        })
        rows.append({
            "controller": organization.name,
            "controller_contact": organization.contact_email,
            "data_protection_officers": officers,
            "purpose_code": declaration.purpose.code,
            "purpose": declaration.purpose.name,
            "legal_basis": declaration.get_legal_basis_display(),
            "special_condition": declaration.get_special_condition_display()
            if declaration.special_condition else "",
            "categories_of_data": [c.name for c in categories],
            "special_categories": [c.name for c in categories if c.is_special],
            "data_subjects": declaration.serves,
            "recipients": recipients,
            "retention": declaration.retention,
            "description": declaration.description,
            "approved_at": declaration.decided_at.isoformat() if declaration.decided_at else "",
            "approved_by": declaration.decided_by.email if declaration.decided_by else
            "the command line",
        })
    return rows


def art30_csv(rows: list[dict]) -> Iterator[str]:
    """Yield the Art. 30 record as CSV lines, header first; lists joined by "; "."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ART30_COLUMNS)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writeheader()
    yield flush()
    for row in rows:
        writer.writerow({
            key: "; ".join(value) if isinstance(value, list) else _csv_safe(value)
            for key, value in row.items()
        })
        yield flush()


def _csv_safe(value: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula (OWASP CSV injection)."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
