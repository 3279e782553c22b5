"""Require members of an organisation to have a second factor before they do anything.

Anyone who works for a member organisation (any Membership) or operates the platform
(`is_staff`) can reach other people's information, so a password alone is not enough.
Once signed in, such a user without an activated TOTP authenticator is sent to the
page that sets one up, from every page except the ones needed to do that or to leave:
allauth's account and MFA pages (sign-out among them), static files, the probes and
the API (which machine clients reach with signed tokens, not sessions).

The check reads the database on every request rather than the session, so a
membership granted mid-session takes effect on the next page. Whether the user holds a
membership is asked once a request (`user_is_member`), here and by the navigation.
"""

from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from agora.organizations.selectors import user_is_member

MESSAGE = (
    "You work for a member organisation or run the platform, so your account must be "
    "protected by a second step at sign-in. Set up an authenticator app to continue."
)
EXEMPT_PREFIXES = ("/healthz", "/readyz", "/api/")
EXEMPT_VIEW_PACKAGES = ("allauth.",)


def second_factor_required(user: Any) -> bool:
    """Return whether this user must have a TOTP authenticator to use the platform."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return user_is_member(user)


def has_totp(user: Any) -> bool:
    """Return whether this user has activated a TOTP authenticator."""
    return Authenticator.objects.filter(
        user_id=user.pk, type=Authenticator.Type.TOTP
    ).exists()


class RequireMemberTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.exempt_prefixes = (*EXEMPT_PREFIXES, settings.STATIC_URL)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args, view_kwargs
    ) -> HttpResponse | None:
        """Send a member without TOTP to set it up, unless this page is exempt."""
        if request.path_info.startswith(self.exempt_prefixes):
            return None
        if getattr(view_func, "__module__", "").startswith(EXEMPT_VIEW_PACKAGES):
            return None
        user = request.user
        if not second_factor_required(user) or has_totp(user):
            return None
        messages.warning(request, MESSAGE)
        return HttpResponseRedirect(reverse("mfa_activate_totp"))
