"""allauth adapters: what Agora adds to signing up and signing in."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest

from agora.people.models import User
from agora.people.services import person_for_user_ensure


class AccountAdapter(DefaultAccountAdapter):
    def login(self, request: HttpRequest, user: User) -> None:
        """Sign in, then make sure a resident has their Person (linked or new)."""
        super().login(request, user)
        person_for_user_ensure(user=user)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request: HttpRequest, sociallogin) -> None:
        """Trust an identity provider's email only when it says, as a JSON true, it checked it.

        allauth copies the `email_verified` claim as given; some providers send the
        string "false", which Python would read as true. Anything but `True` counts as
        unverified, so allauth mails a verification link instead.
        """
        for address in sociallogin.email_addresses:
            address.verified = address.verified is True
        super().pre_social_login(request, sociallogin)
