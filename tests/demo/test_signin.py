"""Every demo member of staff, and the operator, signs in with the printed password and a code."""

import time

from allauth.mfa import app_settings as mfa_settings
from django.test import Client
from django.urls import reverse

from agora.demo.services import DEMO_PASSWORD
from agora.demo.signins import demo_totp_code, totp_code_now


def fresh_code(secret: str) -> str:
    """Return the current code, waiting out the last second of a period (no tolerance)."""
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 2:
        time.sleep(period - time.time() % period + 0.1)
    return totp_code_now(secret)


def sign_in(email: str, secret: str, number: int) -> Client:
    # A different address per sign-in stays under allauth's per-address login rate limit.
    client = Client(REMOTE_ADDR=f"10.0.{number // 200}.{number % 200 + 1}")
    response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, email
    assert response.url == reverse("mfa_authenticate"), email
    assert "_auth_user_id" not in client.session  # not signed in before the second factor
    response = client.post(reverse("mfa_authenticate"), {"code": fresh_code(secret)})
    assert response.status_code == 302, email
    return client


def test_every_staff_member_signs_in_with_password_and_totp(riverton):
    staff = riverton.plan.staff
    assert len(staff) > 30
    for number, account in enumerate(staff):
        client = sign_in(account.email, account.totp_secret, number)
        assert client.session["_auth_user_id"], account.email


def test_a_wrong_code_is_refused(riverton):
    account = riverton.plan.staff[1]
    client = Client(REMOTE_ADDR="10.1.0.1")
    client.post(reverse("account_login"), {"login": account.email, "password": DEMO_PASSWORD})
    wrong = f"{(int(totp_code_now(account.totp_secret)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_residents_sign_in_with_the_password_alone(riverton):
    person = riverton.plan.residents[0]
    client = Client(REMOTE_ADDR="10.2.0.1")
    response = client.post(
        reverse("account_login"), {"login": person.email, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_demo_code_reads_the_stored_secret(riverton):
    account = riverton.plan.staff[0]
    assert demo_totp_code(account.email.upper()) == totp_code_now(account.totp_secret)
    assert demo_totp_code(riverton.plan.residents[0].email) is None
