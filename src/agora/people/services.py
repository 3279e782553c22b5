"""Writes about people: tie a signed-in account to the person the data is about."""

import logging

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Q

from agora.people.models import Person, User

logger = logging.getLogger(__name__)


@transaction.atomic
def person_for_user_ensure(*, user: User) -> Person | None:
    """Return the resident's Person, linking or creating it the first time.

    Only verified email addresses count: an organisation may have registered the
    resident under one of them, and linking that Person to an account whose owner has
    not proved the address would hand the records to whoever typed it. With exactly one
    unlinked Person under a verified address, that Person is linked; with none, a new
    one is created from the account's names; with several, nothing is done and a
    warning is logged, because picking one would be a guess (staff resolve it).
    Operators (`is_staff`) get no Person: their accounts are for running the platform.
    Safe to call on every sign-in.
    """
    # Lock the account row so two sign-ins at once don't both create a Person.
    user = User.objects.select_for_update().get(pk=user.pk)
    existing = Person.objects.filter(user=user).first()
    if existing is not None or user.is_staff:
        return existing
    addresses = list(
        EmailAddress.objects.filter(user=user, verified=True)
        .order_by("-primary", "pk")
        .values_list("email", flat=True)
    )
    if not addresses:
        return None
    matches = Q()
    for address in addresses:
        matches |= Q(email__iexact=address)
    candidates = list(
        Person.objects.select_for_update().filter(matches, user__isnull=True)[:2]
    )
    if len(candidates) > 1:
        logger.warning(
            "Account %s matches several unlinked people by email; none linked.",
            user.public_id,
        )
        return None
    if candidates:
        person = candidates[0]
        person.user = user
        person.save(update_fields=["user"])
        return person
    return Person.objects.create(
        user=user,
        given_name=user.first_name,
        family_name=user.last_name,
        email=addresses[0],
    )


@transaction.atomic
def email_address_verify_after_reset(*, user: User) -> None:
    """Mark the account's address verified once a password-reset link sent to it was used.

    Following the link proves the person reads that mailbox, exactly as a verification
    link would. Without this, a member invited from the console (whose first password
    is set through a reset link) would be asked to verify the same address again.
    """
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        has_primary = EmailAddress.objects.filter(user=user, primary=True).exists()
        EmailAddress.objects.create(
            user=user, email=user.email, verified=True, primary=not has_primary
        )
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
