"""Add a member from the console and invite a newcomer to set their password.

The invitation reuses allauth's password reset: the link carries allauth's reset key
for the new account, so the person lands on allauth's "set a new password" page and
every rule of that page (token expiry after PASSWORD_RESET_TIMEOUT, one use, password
validators) applies unchanged. The mail goes out only after the membership is
committed, and a mail failure never undoes the membership.
"""

import logging

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from agora.organizations.models import Membership, Organization
from agora.organizations.services import Actor, membership_add
from agora.people.models import User

logger = logging.getLogger(__name__)


def invitation_url(user: User) -> str:
    """Return the absolute link where a new account sets its first password."""
    key = default_token_generator.make_token(user)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
    )
    return f"{settings.BASE_URL}{path}"


def invitation_send(*, user: User, organization: Organization, role: str, invited_by: str) -> None:
    """Send the invitation mail to a new account with the link to set its password."""
    context = {
        "user": user,
        "organization": organization,
        "role": Membership.Role(role).label,
        "invited_by": invited_by,
        "url": invitation_url(user),
        "service_name": settings.SERVICE_NAME,
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86_400),
    }
    subject = render_to_string("console/email/invitation_subject.txt", context)
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("console/email/invitation_message.txt", context),
        to=[user.email],
    )
    message.send()
    logger.info("Sent an invitation to join %s to a new account.", organization.slug)


@transaction.atomic
def member_invite(
    *, actor: Actor, organization: Organization, email: str, role: str
) -> tuple[Membership, bool]:
    """Give a person a role in the organisation; invite them by mail if their account is new.

    Return the membership and whether the account is new.
    """
    membership, created_user = membership_add(
        actor=actor, organization=organization, email=email, role=role
    )
    if created_user:
        invited_by = getattr(actor, "display_name", str(actor))

        # A named function, not functools.partial: Django logs a failed robust callback
        # by its __qualname__.
        def send_invitation() -> None:
            invitation_send(
                user=membership.user, organization=organization, role=role, invited_by=invited_by
            )

        # robust: the member stays added even if the mail server is down; the error is logged.
        transaction.on_commit(send_invitation, robust=True)
    return membership, created_user
