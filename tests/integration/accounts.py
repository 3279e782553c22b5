"""Helpers for the sign-in journeys: accounts as allauth leaves them, and signing in."""

from allauth.account.models import EmailAddress
from django.urls import reverse

from tests.factories import USER_PASSWORD, UserFactory


def verified_user(**kwargs):
    """Create a user whose email address allauth knows as verified, as after signup."""
    user = UserFactory(**kwargs)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


def sign_in(client, email: str, password: str = USER_PASSWORD, **extra):
    """Post the sign-in form; return the response (302 on success or to a next step)."""
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)
