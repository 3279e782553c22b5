"""The one access decision: may this viewer read or write this record, for this purpose?

Every read or write of non-public data passes through `decide`, and
`access.filters.readable_records_filter` applies exactly the same rules inside a
database query (a property-based test keeps the two in step).

Records about no one (no subject):
    open, public   anyone, even an anonymous visitor            basis "public"
    internal       any staff member or machine client of the owner
                                                                basis "owner-staff" / "owner-client"
    restricted     staff of the owner holding a role named in `restricted_roles`
                                                                basis "owner-staff"

Records about a person (personal data, whatever their classification). Except for the
person themselves, every basis also needs a *declared* purpose: one the viewer's
organisation has declared in its register of processing, approved by its data
protection officer, whose categories include the record's category (and, for a machine
client limited to some purposes, one of those: `access.register.purpose_cover`). The
bases are tried in this order and the first that permits is the one reported:
    1. own-data     the person themselves; no purpose needed
    2. staff-role   the owner's staff holding a personal-data role (admin, caseworker,
                    dpo), with a purpose; for a restricted record the role must also be
                    named in `restricted_roles`; the legal basis is the declaration's
    3. owner-client a machine client of the owner, with a purpose (not restricted
                    records); the legal basis is the declaration's
    4. consent      another organisation (staff with a personal-data role, or its client)
                    under the person's consent: same person, recipient, a category of
                    the consent, the consent's purpose, given <= now < expires, not
                    withdrawn (legal basis Art. 6(1)(a); for a special category the
                    consent itself is the explicit consent of Art. 9(2)(a))
    5. agreement    another organisation, likewise, under an active agreement in date
                    (valid_from <= now < valid_to) from the owner to it, covering the
                    category and the purpose; a special category also needs a purpose
                    with an Art. 9 condition. Only the agreement's fields are allowed;
                    of several that qualify, the one in force longest is reported.
Restricted personal records are never shared through consent or agreement.

Writes (create, update, delete): for personal records only the owner's staff with a
personal-data role (for restricted records, a role named in `restricted_roles`) or the
owner's client, each with a declared purpose covering the record's category; for
records about no one, the owner's staff (restricted: a named role) or the owner's client.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.utils import timezone

from agora.access.models import (
    Agreement,
    Classification,
    Consent,
    DataCategory,
    LegalBasis,
    Purpose,
)
from agora.access.register import LOOK_UP, PurposeCover, purpose_cover
from agora.access.viewers import Viewer
from agora.core.exceptions import InvalidInput
from agora.organizations.models import Membership

PERSONAL_DATA_ROLES = frozenset(
    {Membership.Role.ADMIN.value, Membership.Role.CASEWORKER.value, Membership.Role.DPO.value}
)
"""Roles whose holders may handle personal data for their organisation."""

OPEN_LEVELS = frozenset({Classification.OPEN.value, Classification.PUBLIC.value})
UNRESTRICTED_LEVELS = frozenset(
    {Classification.OPEN.value, Classification.PUBLIC.value, Classification.INTERNAL.value}
)
"""Any classification outside these is treated as restricted (fail closed)."""

READ = "read"
WRITE_ACTIONS = frozenset({"create", "update", "delete"})


class Basis:
    """Why a decision permits: the names that appear in decisions and in the log."""

    PUBLIC = "public"
    OWNER_STAFF = "owner-staff"
    OWN_DATA = "own-data"
    STAFF_ROLE = "staff-role"
    OWNER_CLIENT = "owner-client"
    CONSENT = "consent"
    AGREEMENT = "agreement"
    NONE = ""


class RecordLike(Protocol):
    """What the decision needs to know about a record; `records.Record` fits."""

    owner_id: int
    subject_id: int | None
    category_id: int
    classification: str
    restricted_roles: list[str]


@dataclass(frozen=True)
class RecordFacts:
    """A plain record-like value, for deciding about a record before it exists."""

    owner_id: int
    subject_id: int | None
    category_id: int
    classification: str
    restricted_roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    """Permit or deny, with the basis, its reference, the legal basis and a plain reason.

    `fields_allowed` is None when every field may be seen, else the names allowed;
    `special_condition` is the Art. 9 condition the acting organisation declared for the
    purpose (logged with the legal basis when the record is of a special category).
    """

    permitted: bool
    reason: str
    basis: str = Basis.NONE
    basis_ref: str = ""
    legal_basis: str = ""
    fields_allowed: tuple[str, ...] | None = None
    special_condition: str = ""

    def __bool__(self) -> bool:
        return self.permitted


def _deny(reason: str) -> Decision:
    return Decision(permitted=False, reason=reason)


def is_restricted(classification: str) -> bool:
    return classification not in UNRESTRICTED_LEVELS


def decide(
    *,
    viewer: Viewer | None,
    record: RecordLike,
    purpose: Purpose | None,
    action: str = READ,
    now: datetime | None = None,
    cover: PurposeCover | None = LOOK_UP,
) -> Decision:
    """Decide whether the viewer may do `action` to the record for the purpose, and why.

    `cover` is `purpose_cover(viewer, purpose)` when the caller already has it.
    """
    if action != READ and action not in WRITE_ACTIONS:
        raise InvalidInput(f"Unknown action {action!r}: use read, create, update or delete.")
    if viewer is None:
        return _deny("No one is identified, so nothing may be read or changed.")
    lookup = (lambda: purpose_cover(viewer, purpose)) if cover is LOOK_UP else (lambda: cover)
    if action in WRITE_ACTIONS:
        return _decide_write(viewer, record, purpose, action, lookup)
    if record.subject_id is None:
        return _decide_non_personal(viewer, record)
    return _decide_personal(viewer, record, purpose, now or timezone.now(), lookup)


def _owner_roles(viewer: Viewer, record: RecordLike) -> frozenset[str]:
    """Return the viewer's roles in the record's owner (none for clients and outsiders)."""
    if viewer.is_staff_member and viewer.organization_id == record.owner_id:
        return viewer.roles
    return frozenset()


def _is_owner_client(viewer: Viewer, record: RecordLike) -> bool:
    return viewer.is_client and viewer.organization_id == record.owner_id


def _decide_non_personal(viewer: Viewer, record: RecordLike) -> Decision:
    if record.classification in OPEN_LEVELS:
        return Decision(
            True, f"The record is {record.classification}: anyone may read it.", basis=Basis.PUBLIC
        )
    roles = _owner_roles(viewer, record)
    if record.classification == Classification.INTERNAL:
        if roles:
            return Decision(
                True, "Internal records may be read by the owner's staff.", basis=Basis.OWNER_STAFF
            )
        if _is_owner_client(viewer, record):
            return Decision(
                True,
                "Internal records may be read by the owner's API clients.",
                basis=Basis.OWNER_CLIENT,
            )
        return _deny("The record is internal: only the owner's staff and API clients may read it.")
    named = roles & set(record.restricted_roles)
    if named:
        return Decision(
            True,
            f"Restricted record; the viewer holds the named role "
            f"{', '.join(sorted(named))} at the owner.",
            basis=Basis.OWNER_STAFF,
        )
    return _deny(
        "The record is restricted: only the owner's staff in the roles it names may read it."
    )


def _staff_personal_roles(viewer: Viewer, record: RecordLike) -> frozenset[str]:
    """Return the owner roles that let this viewer handle this personal record."""
    roles = _owner_roles(viewer, record) & PERSONAL_DATA_ROLES
    if is_restricted(record.classification):
        roles &= set(record.restricted_roles)
    return roles


def _decide_personal(
    viewer: Viewer, record: RecordLike, purpose: Purpose | None, now: datetime, lookup
) -> Decision:
    if viewer.person_id is not None and viewer.person_id == record.subject_id:
        return Decision(
            True, "This is the person's own information (right of access).", basis=Basis.OWN_DATA
        )
    if purpose is None:
        return _deny("Personal data may only be read for a stated purpose, and none was given.")
    roles = _staff_personal_roles(viewer, record)
    restricted = is_restricted(record.classification)
    owner_client = _is_owner_client(viewer, record) and not restricted
    cover = None
    if roles or owner_client or (
        _is_outside_reader(viewer) and viewer.organization_id != record.owner_id
        and not restricted
    ):
        cover = lookup()
        refusal = _undeclared(viewer, record, purpose, cover)
        if refusal is not None:
            return refusal
    if roles:
        return Decision(
            True,
            f"The viewer's role ({', '.join(sorted(roles))}) at the owner lets them handle "
            f"personal data for {purpose.code}, a purpose the owner declared.",
            basis=Basis.STAFF_ROLE,
            legal_basis=cover.legal_basis,
            special_condition=cover.special_condition,
        )
    if owner_client:
        return Decision(
            True,
            f"An API client of the owner, for {purpose.code}, a purpose the owner declared.",
            basis=Basis.OWNER_CLIENT,
            legal_basis=cover.legal_basis,
            special_condition=cover.special_condition,
        )
    if viewer.organization_id == record.owner_id and viewer.organization_id is not None:
        if restricted:
            return _deny(
                "The record is restricted: only the owner's staff in the roles it "
                "names may read it."
            )
        return _deny(
            "The viewer's roles at the owner do not include one that may handle "
            "personal data (admin, caseworker or data protection officer)."
        )
    if not _is_outside_reader(viewer):
        return _deny(
            "Only the person, the owner's staff, or another organisation's staff with "
            "a personal-data role or its API client under an agreement or consent may "
            "read personal data."
        )
    if restricted:
        return _deny("Restricted personal records are never shared with other organisations.")
    consent = _matching_consent(viewer, record, purpose, now)
    if consent is not None:
        return Decision(
            True,
            f"The person consented to {viewer.organization} seeing this for {purpose.code}.",
            basis=Basis.CONSENT,
            basis_ref=str(consent.public_id),
            legal_basis=LegalBasis.CONSENT,
            special_condition=cover.special_condition,
        )
    return _decide_agreement(viewer, record, purpose, now, cover)


def _undeclared(viewer: Viewer, record: RecordLike, purpose: Purpose,
                cover: PurposeCover | None) -> Decision | None:
    """Refuse unless the viewer's organisation declared the purpose for this category."""
    if cover is None:
        if viewer.client is not None and viewer.client.purposes and (
            purpose.code not in viewer.client.purposes
        ):
            return _deny(f"This API client may not act for {purpose.code}.")
        return _deny(
            f"{viewer.organization} has not declared {purpose.code} in its register of "
            "processing, so it may not handle personal data for it."
        )
    if record.category_id not in cover.category_ids:
        return _deny(
            f"{viewer.organization}'s declaration of {purpose.code} does not include this "
            "category of data."
        )
    return None


def _is_outside_reader(viewer: Viewer) -> bool:
    """Return whether the viewer's organisation may receive others' personal data at all."""
    return viewer.is_client or bool(viewer.is_staff_member and viewer.roles & PERSONAL_DATA_ROLES)


def _matching_consent(
    viewer: Viewer, record: RecordLike, purpose: Purpose, now: datetime
) -> Consent | None:
    return (
        Consent.objects.filter(
            person_id=record.subject_id,
            recipient_id=viewer.organization_id,
            categories=record.category_id,
            purpose=purpose,
            given_at__lte=now,
            expires_at__gt=now,
            withdrawn_at__isnull=True,
        )
        .order_by("given_at", "pk")
        .first()
    )


def _category_is_special(record: RecordLike) -> bool:
    special = getattr(record, "category_is_special", None)
    if special is None:
        special = DataCategory.objects.filter(pk=record.category_id, is_special=True).exists()
    return bool(special)


def _decide_agreement(
    viewer: Viewer, record: RecordLike, purpose: Purpose, now: datetime, cover: PurposeCover
) -> Decision:
    between = Agreement.objects.filter(
        provider_id=record.owner_id, recipient_id=viewer.organization_id
    )
    candidates = between.filter(
        categories=record.category_id,
        purposes=purpose,
        status=Agreement.Status.ACTIVE,
        valid_from__lte=now,
        valid_to__gt=now,
    ).order_by("valid_from", "pk")
    agreement = candidates.first()
    if agreement is not None and _category_is_special(record) and not purpose.special_condition:
        return _deny(
            f"The data is a special category and purpose {purpose.code} has no "
            "Art. 9 condition, so agreement "
            f"{agreement.public_id} cannot cover it."
        )
    if agreement is not None:
        return Decision(
            True,
            f"Agreement {agreement.title!r} lets {viewer.organization} see this for "
            f"{purpose.code}.",
            basis=Basis.AGREEMENT,
            basis_ref=str(agreement.public_id),
            legal_basis=agreement.legal_basis,
            fields_allowed=tuple(str(name) for name in agreement.fields_allowed),
            special_condition=cover.special_condition,
        )
    return _deny(_why_no_agreement(between, record, purpose, now))


def _why_no_agreement(between, record: RecordLike, purpose: Purpose, now: datetime) -> str:
    """Name the rule that was missing, looking at the agreements between the two sides."""
    prefix = "No consent from the person covers this, and "
    covering = between.filter(categories=record.category_id).distinct()
    if not covering.exists():
        return prefix + "no agreement from the owner to this organisation covers this category."
    with_purpose = covering.filter(purposes=purpose)
    if not with_purpose.exists():
        return prefix + f"no agreement covering this category includes purpose {purpose.code}."
    statuses = set(with_purpose.values_list("status", flat=True))
    if Agreement.Status.ACTIVE not in statuses:
        listed = ", ".join(sorted(statuses))
        return prefix + f"the agreement for this is not active ({listed})."
    active = with_purpose.filter(status=Agreement.Status.ACTIVE)
    if active.filter(valid_to__lte=now).exists() and not active.filter(valid_to__gt=now).exists():
        return prefix + "the agreement for this has expired."
    return prefix + "the agreement for this is not yet in force."


def _decide_write(
    viewer: Viewer, record: RecordLike, purpose: Purpose | None, action: str, lookup
) -> Decision:
    roles = _owner_roles(viewer, record)
    restricted = is_restricted(record.classification)
    personal = record.subject_id is not None
    if personal and purpose is None:
        return _deny(f"Personal data may only be changed ({action}) for a stated purpose.")
    legal_basis = ""
    if restricted:
        allowed = roles & set(record.restricted_roles)
        needed = "a role the record names"
    elif personal:
        allowed = roles & PERSONAL_DATA_ROLES
        needed = "a personal-data role (admin, caseworker or data protection officer)"
    else:
        allowed = roles
        needed = "a role"
    owner_client = _is_owner_client(viewer, record)
    special_condition = ""
    if personal and (allowed or owner_client):
        cover = lookup()
        refusal = _undeclared(viewer, record, purpose, cover)
        if refusal is not None:
            return refusal
        legal_basis, special_condition = cover.legal_basis, cover.special_condition
    if allowed:
        return Decision(
            True,
            f"The viewer holds {', '.join(sorted(allowed))} at the owner, "
            f"which may {action} this record.",
            basis=Basis.STAFF_ROLE if personal else Basis.OWNER_STAFF,
            legal_basis=legal_basis,
            special_condition=special_condition,
        )
    if owner_client:
        return Decision(
            True,
            f"An API client of the owner may {action} its records.",
            basis=Basis.OWNER_CLIENT,
            legal_basis=legal_basis,
            special_condition=special_condition,
        )
    return _deny(
        f"Only the owner's staff holding {needed}, or the owner's API clients, "
        f"may {action} this record."
    )
