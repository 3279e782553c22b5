"""Failed sign-ins are throttled per account and per client address, across processes."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from allauth.account import app_settings as account_settings
from allauth.account.adapter import get_adapter
from allauth.core.internal import ratelimit
from django.contrib.auth import get_user
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils.html import escape

from tests.integration.accounts import sign_in, verified_user

pytestmark = pytest.mark.django_db

WRONG = "not the password at all"


def login_failed_rate(per: str) -> ratelimit.Rate:
    """Return the configured login_failed rate for `ip` or `key` (the account)."""
    rates = ratelimit.parse_rates(account_settings.RATE_LIMITS["login_failed"])
    return next(rate for rate in rates if rate.per == per)


def too_many_attempts() -> str:
    return str(get_adapter().error_messages["too_many_login_attempts"])


def refused_for_throttling(response) -> bool:
    return response.status_code == 200 and response.context["form"].non_field_errors() == [
        too_many_attempts()
    ]


def fail(client, email: str, times: int, **extra) -> None:
    for _ in range(times):
        response = sign_in(client, email, WRONG, **extra)
        assert response.status_code == 200
        assert not refused_for_throttling(response)


def exhaust_address(client, **extra) -> None:
    """Fail as often as one address may, spread over accounts that stay under their limit."""
    per_address = login_failed_rate("ip").amount
    per_account = login_failed_rate("key").amount
    while per_address > 0:
        times = min(per_account, per_address)
        fail(client, verified_user().email, times, **extra)
        per_address -= times


def test_defaults_let_colleagues_behind_one_address_keep_signing_in():
    assert login_failed_rate("key").amount < login_failed_rate("ip").amount


def test_after_the_limit_even_the_right_password_is_refused(client):
    user = verified_user()
    fail(client, user.email, login_failed_rate("key").amount)

    response = sign_in(client, user.email)

    assert refused_for_throttling(response)
    assert escape(too_many_attempts()) in response.content.decode()
    assert not get_user(client).is_authenticated


def test_the_account_limit_holds_from_any_address(client, client_factory):
    user = verified_user()
    fail(client, user.email, login_failed_rate("key").amount)

    elsewhere = client_factory(REMOTE_ADDR="203.0.113.9")

    assert refused_for_throttling(sign_in(elsewhere, user.email))


def test_other_accounts_are_unaffected(client):
    locked = verified_user()
    other = verified_user()
    fail(client, locked.email, login_failed_rate("key").amount)

    response = sign_in(client, other.email)

    assert response.status_code == 302
    assert get_user(client) == other


def test_a_successful_sign_in_does_not_count_as_a_failure(client, client_factory):
    user = verified_user()
    limit = login_failed_rate("key").amount
    fail(client, user.email, limit - 1)
    for _ in range(3):
        assert sign_in(client_factory(), user.email).status_code == 302

    assert sign_in(client_factory(), user.email).status_code == 302


def test_the_lock_lifts_once_the_window_has_passed(client, monkeypatch):
    user = verified_user()
    rate = login_failed_rate("key")
    fail(client, user.email, rate.amount)
    assert refused_for_throttling(sign_in(client, user.email))

    later = time.time() + rate.duration + 1
    monkeypatch.setattr(ratelimit.time, "time", lambda: later)

    assert sign_in(client, user.email).status_code == 302


def test_one_address_trying_many_accounts_is_stopped(client):
    exhaust_address(client)

    assert refused_for_throttling(sign_in(client, verified_user().email))


def test_behind_a_trusted_proxy_clients_are_told_apart(client, client_factory, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    attacker = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    exhaust_address(client, **attacker)
    assert refused_for_throttling(sign_in(client, verified_user().email, **attacker))

    colleague = client_factory(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.8")
    user = verified_user()

    assert sign_in(colleague, user.email).status_code == 302


def test_a_password_reset_unlocks_the_account(client, client_factory, smtp_server):
    user = verified_user()
    fail(client, user.email, login_failed_rate("key").amount)
    client.post(reverse("account_reset_password"), {"email": user.email})
    mail = smtp_server.wait_for_message(to=user.email)
    link = next(url for url in smtp_server.links(mail) if "/password/reset/key/" in url)
    form_url = client.get(link)["Location"]
    new_password = "a brand new passphrase"
    client.post(form_url, {"password1": new_password, "password2": new_password})

    assert sign_in(client_factory(), user.email, new_password).status_code == 302


# Failed attempts made by another web process, sharing only the database with this one.
OTHER_PROCESS = """
import json, os, sys
import django
from django.conf import settings

django.setup()
settings.DATABASES["default"]["NAME"] = os.environ["AGORA_TEST_DB_NAME"]
settings.ALLOWED_HOSTS = ["testserver"]
from django.test import Client
from django.test.utils import setup_test_environment

setup_test_environment()
client = Client()
for _ in range(int(sys.argv[1])):
    response = client.post("/accounts/login/", {"login": sys.argv[2], "password": "wrong!"})
    assert response.status_code == 200, response.status_code
print(json.dumps({"ok": True}))
"""


@pytest.mark.django_db(transaction=True)
def test_failures_counted_by_another_process_lock_the_account_here(client):
    """The counts live in the database cache, so every web process enforces them."""
    cache.clear()
    user = verified_user()
    project = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "AGORA_TEST_DB_NAME": str(connection.settings_dict["NAME"]),
        "PYTHONPATH": os.pathsep.join([str(project / "src"), str(project)]),
    }
    try:
        done = subprocess.run(
            [sys.executable, "-c", OTHER_PROCESS, str(login_failed_rate("key").amount), user.email],
            env=env,
            cwd=project,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert json.loads(done.stdout.strip().splitlines()[-1]) == {"ok": True}

        assert refused_for_throttling(sign_in(client, user.email))
    finally:
        cache.clear()


def test_a_busy_cache_does_not_forget_the_lock(client):
    user = verified_user()
    fail(client, user.email, login_failed_rate("key").amount)
    for n in range(400):  # what other visitors leave: their rate limits, used TOTP codes
        cache.set(f"traffic:{n}", 1, 600)

    assert refused_for_throttling(sign_in(client, user.email))
