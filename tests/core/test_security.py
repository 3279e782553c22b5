"""The production configuration passes Django's deployment checks and sends safe headers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AGORA_", "DEBUG", "SECURE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="agora.settings",
        AGORA_SECRET_KEY="prod-like-" + "q7Zt" * 16,
        ALLOWED_HOSTS="agora.example",
        AGORA_BASE_URL="https://agora.example",
        **extra,
    )
    return env


def test_production_settings_pass_check_deploy_without_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    env.pop("AGORA_SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "AGORA_SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_the_demo_turns_it_on():
    from agora import settings as production

    assert "DEBUG" not in os.environ or os.environ["DEBUG"] in ("0", "false", "")
    assert production.DEBUG is False


@pytest.mark.django_db
def test_pages_send_security_headers(client):
    response = client.get("/", secure=True)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_httponly_and_samesite(client, django_user_model):
    from allauth.account.models import EmailAddress

    user = django_user_model.objects.create_user(email="cookie@example.org", password="x" * 12)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    form = client.get("/accounts/login/", secure=True)
    csrf_cookie = form.cookies["csrftoken"]
    response = client.post(
        "/accounts/login/",
        {"login": user.email, "password": "x" * 12},
        secure=True,
    )
    session_cookie = response.cookies["sessionid"]
    for cookie in (session_cookie, csrf_cookie):
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_postgresql_sessions_run_without_jit():
    """Short web queries must not pay for JIT compilation (see docs/benchmarks.md)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        assert connection.vendor == "sqlite"  # the only other database we run on
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.django_db
def test_postgresql_prepares_repeated_statements():
    """The access filter's plans are reused, not rebuilt per call (docs/benchmarks.md)."""
    from django.db import connection

    from agora.people.models import Person

    if connection.vendor != "postgresql":
        assert connection.vendor == "sqlite"
        return
    for _ in range(3):
        list(Person.objects.filter(given_name="Prepared"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] >= 1
