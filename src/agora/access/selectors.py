"""Reads of agreements and consents, for the people entitled to see them.

An agreement is seen by the members of its two organisations (and operators, who run
the platform); a consent by the person who gave it. Anyone else gets nothing, and a
missing agreement or consent looks exactly like a forbidden one.
"""

import uuid

from django.db.models import Q, QuerySet

from agora.access.models import Agreement, Consent
from agora.access.viewers import Viewer
from agora.core.actors import SystemActor
from agora.core.exceptions import NotFound
from agora.organizations.models import Organization
from agora.organizations.selectors import user_has_role, user_is_operator
from agora.people.models import Person, User

Who = User | SystemActor | Viewer | None


def _user(viewer: Who) -> User | SystemActor | None:
    return viewer.user if isinstance(viewer, Viewer) else viewer


def _agreements(queryset: QuerySet[Agreement]) -> QuerySet[Agreement]:
    return queryset.select_related("provider", "recipient").prefetch_related(
        "categories", "purposes"
    )


def agreements_for_organization(
    *, viewer: Who, organization: Organization
) -> QuerySet[Agreement]:
    """Return the agreements the organisation provides or receives, for its members."""
    user = _user(viewer)
    if not (user_is_operator(user) or user_has_role(user, organization)):
        return Agreement.objects.none()
    return _agreements(
        Agreement.objects.filter(Q(provider=organization) | Q(recipient=organization))
    )


def agreements_visible(*, viewer: Who) -> QuerySet[Agreement]:
    """Return every agreement the viewer may see: their organisations' (all, for operators)."""
    user = _user(viewer)
    if user_is_operator(user):
        return _agreements(Agreement.objects.all())
    if not (user and user.is_authenticated and user.is_active):
        return Agreement.objects.none()
    mine = Organization.objects.filter(memberships__user=user)
    return _agreements(
        Agreement.objects.filter(Q(provider__in=mine) | Q(recipient__in=mine)).distinct()
    )


def _uuid(value) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as error:
        raise NotFound("There is no such agreement.") from error


def agreement_get(*, viewer: Who, public_id: uuid.UUID | str) -> Agreement:
    """Return the agreement if the viewer may see it; missing and forbidden raise NotFound."""
    agreement = agreements_visible(viewer=viewer).filter(public_id=_uuid(public_id)).first()
    if agreement is None:
        raise NotFound("There is no such agreement.")
    return agreement


def _is_person(viewer: Who, person: Person) -> bool:
    if isinstance(viewer, SystemActor):
        return True
    if isinstance(viewer, Viewer):
        return viewer.person_id is not None and viewer.person_id == person.pk
    return bool(
        viewer and viewer.is_authenticated and viewer.is_active and person.user_id == viewer.pk
    )


def consents_for_person(*, viewer: Who, person: Person) -> QuerySet[Consent]:
    """Return the person's consents, newest first, to the person themselves only."""
    if person is None or not _is_person(viewer, person):
        return Consent.objects.none()
    return (
        Consent.objects.filter(person=person)
        .select_related("recipient", "purpose")
        .prefetch_related("categories")
        .order_by("-given_at", "-pk")
    )


def consent_get(*, viewer: Who, person: Person, public_id: uuid.UUID | str) -> Consent:
    """Return one of the person's consents; missing and forbidden raise NotFound."""
    try:
        wanted = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError as error:
        raise NotFound("There is no such consent.") from error
    consent = consents_for_person(viewer=viewer, person=person).filter(public_id=wanted).first()
    if consent is None:
        raise NotFound("There is no such consent.")
    return consent
