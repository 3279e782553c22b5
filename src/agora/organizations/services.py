"""Writes for organisations, their members and their machine clients; each one a transaction."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from agora.core.actors import SystemActor
from agora.core.exceptions import InvalidInput, NotFound, PermissionDenied
from agora.organizations.exceptions import DuplicateSlug, LastAdminError
from agora.organizations.models import ApiClient, Membership, Organization
from agora.organizations.scopes import SCOPES
from agora.organizations.selectors import user_can_manage_members, user_is_operator
from agora.people.models import User

Actor = User | SystemActor | None


def _require_operator(actor: Actor) -> None:
    if not user_is_operator(actor):
        raise PermissionDenied("Only a platform operator can manage organisations.")


def _require_member_manager(actor: Actor, organization: Organization) -> None:
    if not user_can_manage_members(actor, organization):
        raise PermissionDenied("Only an administrator of this organisation can manage its members.")


@transaction.atomic
def organization_create(
    *,
    actor: Actor,
    name: str,
    kind: str,
    slug: str = "",
    description: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    website: str = "",
) -> Organization:
    _require_operator(actor)
    slug = slug or slugify(name)[:60]
    if kind not in Organization.Kind.values:
        raise InvalidInput(
            f"Kind must be one of: {', '.join(Organization.Kind.values)}.",
            errors=[{"field": "kind", "message": "Choose a kind of organisation."}],
        )
    if Organization.objects.filter(slug=slug).exists():
        raise DuplicateSlug(f"The short name “{slug}” is already taken.")
    organization = Organization(
        slug=slug,
        name=name,
        kind=kind,
        description=description,
        contact_email=contact_email,
        contact_phone=contact_phone,
        website=website,
    )
    try:
        organization.full_clean(validate_unique=False)
    except ValidationError as error:
        raise InvalidInput.from_validation_error(error) from error
    try:
        with transaction.atomic():
            organization.save()
            return organization
    except IntegrityError as error:  # a concurrent create took the slug first
        raise DuplicateSlug(f"The short name “{slug}” is already taken.") from error


_EDITABLE_ORGANIZATION_FIELDS = {
    "name", "kind", "description", "contact_email", "contact_phone", "website", "is_active"
}


@transaction.atomic
def organization_update(*, actor: Actor, organization: Organization, **changes) -> Organization:
    """Change an organisation's details. Admins edit their own; operators any, and activation."""
    unknown = set(changes) - _EDITABLE_ORGANIZATION_FIELDS
    if unknown:
        raise InvalidInput(f"These details cannot be changed: {', '.join(sorted(unknown))}.")
    if "is_active" in changes or "kind" in changes:
        _require_operator(actor)
    else:
        _require_member_manager(actor, organization)
    for field, value in changes.items():
        setattr(organization, field, value)
    try:
        organization.full_clean()
    except ValidationError as error:
        raise InvalidInput.from_validation_error(error) from error
    organization.save(update_fields=list(changes))
    return organization


@transaction.atomic
def membership_add(
    *, actor: Actor, organization: Organization, email: str, role: str
) -> tuple[Membership, bool]:
    """Give a person a role in the organisation, creating their account if needed.

    Return the membership and whether the account is new (it then has no password
    yet; the caller invites the person to set one).
    """
    _require_member_manager(actor, organization)
    if role not in Membership.Role.values:
        raise InvalidInput(
            "Choose a role.", errors=[{"field": "role", "message": "Choose a role."}]
        )
    email = User.objects.normalize_email(email).strip().lower()
    if not email:
        raise InvalidInput(
            "Enter an email address.",
            errors=[{"field": "email", "message": "Enter an email address."}],
        )
    try:
        validate_email(email)
    except ValidationError as error:
        message = "Enter an email address in the correct format, like name@example.org."
        raise InvalidInput(message, errors=[{"field": "email", "message": message}]) from error
    user = User.objects.filter(email__iexact=email).first()
    created_user = user is None
    if created_user:
        user = User.objects.create_user(email=email, password=None)
    membership, _ = Membership.objects.get_or_create(
        user=user, organization=organization, role=role
    )
    return membership, created_user


@transaction.atomic
def membership_remove(*, actor: Actor, membership: Membership) -> None:
    organization = membership.organization
    _require_member_manager(actor, organization)
    if membership.role == Membership.Role.ADMIN:
        admins = Membership.objects.select_for_update().filter(
            organization=organization, role=Membership.Role.ADMIN
        )
        if admins.count() <= 1:
            raise LastAdminError(
                f"{membership.user.email} is the only administrator of {organization.name}. "
                "Make someone else an administrator first."
            )
    membership.delete()


@transaction.atomic
def apiclient_create(
    *,
    actor: Actor,
    organization: Organization,
    name: str,
    public_jwk: dict,
    scopes: list[str],
) -> ApiClient:
    """Register a machine client; only its public key is stored."""
    from agora.organizations.keys import public_jwk_validate

    _require_member_manager(actor, organization)
    if not organization.is_active:
        raise InvalidInput(f"{organization.name} is not active.")
    undeclared = sorted(set(scopes) - set(SCOPES))
    if undeclared:
        message = f"Unknown scope: {', '.join(undeclared)}. Known scopes: {', '.join(SCOPES)}."
        raise InvalidInput(message, errors=[{"field": "scopes", "message": message}])
    if ApiClient.objects.filter(organization=organization, name=name).exists():
        raise DuplicateSlug(f"{organization.name} already has a client called “{name}”.")
    return ApiClient.objects.create(
        organization=organization,
        name=name,
        public_jwk=public_jwk_validate(public_jwk),
        scopes=sorted(set(scopes)),
    )


@transaction.atomic
def apiclient_deactivate(*, actor: Actor, client: ApiClient) -> ApiClient:
    _require_member_manager(actor, client.organization)
    if not ApiClient.objects.filter(pk=client.pk).exists():
        raise NotFound("No such client.")
    client.is_active = False
    client.save(update_fields=["is_active"])
    return client
