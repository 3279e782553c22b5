"""TOTP as second factor: members set it up when told to, and every sign-in asks for a code."""

import time

import pytest
from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    validate_totp_code,
)
from django.contrib.auth import get_user
from django.urls import reverse

from agora.organizations.middleware import MESSAGE
from tests.factories import USER_PASSWORD, MembershipFactory
from tests.integration.accounts import sign_in, verified_user

pytestmark = pytest.mark.django_db

AUTHENTICATE = reverse("mfa_authenticate")
ACTIVATE = reverse("mfa_activate_totp")
REAUTHENTICATE = reverse("account_reauthenticate")


def current_code(secret: str) -> str:
    """Return the code an authenticator app shows now, clear of a period boundary."""
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 2:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def wrong_code(secret: str) -> str:
    value = 0
    while validate_totp_code(secret, format_hotp_value(value)):
        value += 1
    return format_hotp_value(value)


def member_with_totp():
    user = verified_user()
    MembershipFactory(user=user)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def open_activation(client):
    """Open the TOTP set-up page, confirming the password first as allauth asks."""
    response = client.get(ACTIVATE)
    if response.status_code == 302 and response["Location"].startswith(REAUTHENTICATE):
        confirmed = client.post(response["Location"], {"password": USER_PASSWORD})
        assert confirmed["Location"] == ACTIVATE
        response = client.get(ACTIVATE)
    assert response.status_code == 200
    return client.session[SECRET_SESSION_KEY]


def incorrect_code() -> str:
    return str(get_mfa_adapter().error_messages["incorrect_code"])


def too_many_attempts() -> str:
    return str(get_account_adapter().error_messages["too_many_login_attempts"])


def enter_code(client, code: str):
    return client.post(AUTHENTICATE, {"code": code})


def code_errors(response) -> list[str]:
    return response.context["form"].errors.get("code", [])


def test_password_alone_does_not_sign_in_a_user_with_totp(client):
    user, _ = member_with_totp()

    response = sign_in(client, user.email)

    assert response.status_code == 302
    assert response["Location"] == AUTHENTICATE
    assert not get_user(client).is_authenticated
    assert client.get(AUTHENTICATE).status_code == 200


def test_a_wrong_code_is_refused(client):
    user, secret = member_with_totp()
    sign_in(client, user.email)

    response = enter_code(client, wrong_code(secret))

    assert response.status_code == 200
    assert code_errors(response) == [incorrect_code()]
    assert not get_user(client).is_authenticated


def test_the_right_code_signs_in(client):
    user, secret = member_with_totp()
    sign_in(client, user.email)

    response = enter_code(client, current_code(secret))

    assert response.status_code == 302
    assert get_user(client) == user
    console = client.get("/console/")
    assert console.status_code != 302 or console["Location"] != ACTIVATE


def test_a_code_works_only_once(client, client_factory):
    user, secret = member_with_totp()
    code = current_code(secret)
    sign_in(client, user.email)
    assert enter_code(client, code).status_code == 302

    replay = client_factory()
    sign_in(replay, user.email)
    response = enter_code(replay, code)

    assert code_errors(response) == [incorrect_code()]
    assert not get_user(replay).is_authenticated


def test_guessing_codes_is_throttled_like_passwords(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "20/5m/ip,3/5m/key"}
    user, secret = member_with_totp()
    sign_in(client, user.email)
    for _ in range(3):
        assert code_errors(enter_code(client, wrong_code(secret))) == [incorrect_code()]

    response = enter_code(client, current_code(secret))

    assert code_errors(response) == [too_many_attempts()]
    assert not get_user(client).is_authenticated


def test_a_member_without_totp_is_told_to_set_it_up_and_then_can_work(client, client_factory):
    user = verified_user()
    MembershipFactory(user=user)
    assert sign_in(client, user.email).status_code == 302
    assert get_user(client) == user

    sent = client.get("/console/", follow=True)
    # allauth asks for the password again before a second factor is added.
    assert sent.redirect_chain[0] == (ACTIVATE, 302)
    assert sent.status_code == 200
    assert MESSAGE in [str(m) for m in sent.context["messages"]]

    secret = open_activation(client)
    activated = client.post(ACTIVATE, {"code": current_code(secret)})
    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    console = client.get("/console/")
    assert not (console.status_code == 302 and console["Location"] == ACTIVATE)

    # From now on the code is asked for at every sign-in.
    later = client_factory()
    assert sign_in(later, user.email)["Location"] == AUTHENTICATE


def test_a_wrong_code_does_not_activate_totp(client):
    user = verified_user()
    MembershipFactory(user=user)
    sign_in(client, user.email)
    secret = open_activation(client)

    response = client.post(ACTIVATE, {"code": wrong_code(secret)})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not Authenticator.objects.filter(user=user).exists()


def test_a_resident_is_not_forced_but_may_set_up_totp(client):
    user = verified_user()
    sign_in(client, user.email)

    assert client.get("/").status_code == 200
    secret = open_activation(client)
    assert client.post(ACTIVATE, {"code": current_code(secret)}).status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
