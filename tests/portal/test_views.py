"""The resident's pages and allauth's pages, drawn with the GOV.UK templates."""

import re

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.urls import reverse

from tests.factories import USER_PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SUFFIX = " \N{EN DASH} Agora"  # every page title ends with the service name


def title(response) -> str:
    return " ".join(re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)[1].split())


def h1(response) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)
    return " ".join(match[1].split())


@pytest.fixture
def resident(client):
    """A resident with a verified email address, signed in with a recent password check."""
    user = UserFactory(email="ann@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(reverse("account_login"),
                           {"login": user.email, "password": USER_PASSWORD})
    assert response.status_code == 302
    client.post(reverse("account_reauthenticate"), {"password": USER_PASSWORD})
    return user


@pytest.mark.parametrize(
    ("url", "expected_title", "expected_h1"),
    [
        ("portal:home", "Agora", "Agora"),
        ("portal:accessibility", "Accessibility statement" + SUFFIX,
         "Accessibility statement for Agora"),
        ("portal:privacy", "Privacy notice" + SUFFIX, "Privacy notice"),
        ("account_login", "Sign in" + SUFFIX, "Sign in"),
        ("account_signup", "Create an account" + SUFFIX, "Create an account"),
        ("account_reset_password", "Reset your password" + SUFFIX, "Reset your password"),
        ("account_reset_password_done", "Check your email" + SUFFIX, "Check your email"),
        ("account_email_verification_sent", "Check your email" + SUFFIX, "Check your email"),
    ],
)
def test_public_pages(client, url, expected_title, expected_h1):
    response = client.get(reverse(url))
    assert response.status_code == 200
    assert title(response) == expected_title
    assert h1(response) == expected_h1
    html = response.content.decode()
    assert 'class="govuk-template"' in html
    assert 'href="#main-content"' in html
    assert "Accessibility statement</a>" in html
    assert "Agora is open-source software." in html


def test_only_inline_script_carries_the_csp_nonce(client):
    response = client.get(reverse("portal:home"))
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])[1]
    inline = re.findall(r"<script(?![^>]*\ssrc=)([^>]*)>", html)
    assert inline == [f' nonce="{nonce}"']
    assert '<script type="module" src="/static/agora/init.js"></script>' in html


def test_anonymous_navigation_offers_sign_in(client):
    html = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("account_login")}"' in html
    assert "Sign out" not in html
    assert "Console" not in html


def test_account_page_needs_sign_in(client):
    response = client.get(reverse("portal:account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_account_page_shows_email_and_second_factor(client, resident):
    response = client.get(reverse("portal:account"))
    html = response.content.decode()
    assert title(response) == "Your account" + SUFFIX
    assert "ann@example.org" in html
    assert reverse("mfa_activate_totp") in html
    assert f'action="{reverse("account_logout")}"' in html
    assert "Console" not in html

    TOTP.activate(resident, generate_totp_secret())
    html = client.get(reverse("portal:account")).content.decode()
    assert "govuk-tag--green" in html
    assert reverse("mfa_deactivate_totp") in html


def test_members_see_the_console_link(client):
    user = UserFactory(totp=True)  # members must have a second factor
    MembershipFactory(user=user)
    client.force_login(user)
    html = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("console:dashboard")}"' in html


def test_form_errors_prefix_the_title_and_fill_the_summary(client):
    response = client.post(reverse("account_login"), {"login": "", "password": ""})
    html = response.content.decode()
    assert title(response) == "Error: Sign in" + SUFFIX
    assert 'class="govuk-error-summary"' in html
    assert '<a href="#id_login">Enter email</a>' in html
    assert '<a href="#id_password">Enter password</a>' in html


def test_signup_then_confirm_email(client):
    response = client.post(reverse("account_signup"), {
        "email": "new@example.org", "password1": "a long new passphrase",
        "password2": "a long new passphrase",
    })
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    address = EmailAddress.objects.get(email="new@example.org")
    key = EmailConfirmationHMAC(address).key
    response = client.get(reverse("account_confirm_email", args=[key]))
    assert response.status_code == 200
    assert h1(response) == "Confirm Email Address"
    assert "govuk-button" in response.content.decode()


def test_password_reset_from_key(client):
    user = UserFactory(email="ann@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[0].body)[1]
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert h1(response) == "Choose a new password"
    response = client.post(response.redirect_chain[-1][0] if response.redirect_chain else link, {
        "password1": "another long passphrase", "password2": "another long passphrase",
    }, follow=True)
    assert h1(response) == "Your password has been changed"


def test_bad_password_reset_key(client):
    response = client.get("/accounts/password/reset/key/1-bad-key/")
    assert response.status_code == 200
    assert h1(response) == "This link does not work"


@pytest.mark.parametrize(
    ("url", "expected_h1"),
    [
        ("account_logout", "Sign out"),
        ("account_change_password", "Change Password"),
        ("account_email", "Email Addresses"),
        ("account_reauthenticate", "Confirm Access"),
        ("mfa_index", "Two-Factor Authentication"),
        ("mfa_activate_totp", "Set up an authenticator app"),
    ],
)
def test_signed_in_pages(client, resident, url, expected_h1):
    response = client.get(reverse(url))
    assert response.status_code == 200
    assert h1(response) == expected_h1


def test_totp_activation_shows_qr_code_and_key(client, resident):
    html = client.get(reverse("mfa_activate_totp")).content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    key = re.search(r'id="authenticator_secret">([A-Z2-7 ]+)<', html)[1]
    assert len(key.replace(" ", "")) == 32
    assert 'for="id_code"' in html


def test_recovery_code_pages(client, resident):
    TOTP.activate(resident, generate_totp_secret())
    RecoveryCodes.activate(resident)
    assert Authenticator.objects.filter(user=resident).count() == 2
    response = client.get(reverse("mfa_view_recovery_codes"))
    assert response.status_code == 200
    assert 'class="govuk-textarea"' in response.content.decode()
    response = client.get(reverse("mfa_generate_recovery_codes"))
    assert response.status_code == 200
    assert h1(response) == "Recovery Codes"


def test_mfa_step_and_wrong_code(client):
    user = UserFactory(email="ann@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    TOTP.activate(user, generate_totp_secret())
    response = client.post(reverse("account_login"),
                           {"login": user.email, "password": USER_PASSWORD}, follow=True)
    assert h1(response) == "Enter the code from your authenticator app"
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    html = response.content.decode()
    assert title(response).startswith("Error: ")
    assert '<a href="#id_code">The code is not correct.' in html


def test_forbidden_page(client, resident):
    response = client.get(reverse("console:dashboard"))
    assert response.status_code == 403
    assert h1(response) == "You cannot open this page"


def test_not_found_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert title(response) == "Page not found" + SUFFIX


def test_server_error_page_needs_no_database(rf):
    from agora.core.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    assert "Sign in" not in html


def test_refused_form_post_gets_the_govuk_page():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@example.org"})
    assert response.status_code == 403
    assert h1(response) == "This form has expired"
