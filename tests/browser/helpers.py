"""People and steps the browser tests share."""

import time

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)

from tests.factories import USER_PASSWORD, UserFactory


def resident(*, email: str = "ann@example.org", totp: bool = False):
    """Create a resident who can sign in: verified email, known password, optional TOTP.

    Returns (user, totp_secret or None). The authenticator is made with allauth's
    own API, exactly as its activation page would.
    """
    user = UserFactory(email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    secret = None
    if totp:
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
    return user, secret


def current_code(secret: str, *, margin: float = 4.0) -> str:
    """Return the code an authenticator app shows now for this secret.

    allauth accepts only the current period's code (no tolerance), so near the end of
    a period this waits for the next one, as a person would, rather than type a code
    that expires before the form arrives.
    """
    period = mfa_settings.TOTP_PERIOD
    remaining = period - time.time() % period
    if remaining < margin:
        time.sleep(remaining + 0.1)
    counter = int(time.time()) // period
    return format_hotp_value(hotp_value(secret, counter))


def wrong_code(secret: str) -> str:
    """Return a 6-digit code that is not valid now (nor in the tolerance window)."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    valid = {
        format_hotp_value(hotp_value(secret, counter + i))
        for i in range(-mfa_settings.TOTP_TOLERANCE - 1, mfa_settings.TOTP_TOLERANCE + 2)
    }
    return next(code for code in ("000000", "111111", "123456", "654321") if code not in valid)


def sign_in_with_password(page, live_server, *, email: str, password: str = USER_PASSWORD,
                          start: str = "/account/") -> None:
    """Open a page that needs signing in, and type the email address and password."""
    page.goto(live_server.url + start)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
