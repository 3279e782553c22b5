"""allauth adapters: the words Agora's sign-in pages use when something is wrong."""

from allauth.mfa.adapter import DefaultMFAAdapter
from django.utils.translation import gettext_lazy as _


class MfaAdapter(DefaultMFAAdapter):
    """allauth's two-factor behaviour, with error messages that say what to do next."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": _(
            "The code is not correct. Enter the 6-digit code your authenticator app shows now."
        ),
        "unverified_email": _(
            "Confirm your email address before you set up an authenticator app. "
            "Use the link in the email we sent you."
        ),
    }
