"""Sign up with email and password, verify the address from the mail, and sign in."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user
from django.urls import reverse

from agora.people.models import Person
from tests.factories import USER_PASSWORD as PASSWORD
from tests.integration.accounts import verified_user

pytestmark = pytest.mark.django_db

EMAIL = "ada@example.org"


def sign_up(client, email=EMAIL, password=PASSWORD):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": password, "password2": password},
    )


def test_signup_sends_a_verification_link_over_smtp(client, smtp_server):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not get_user(client).is_authenticated
    mail = smtp_server.wait_for_message(to=EMAIL)
    assert "confirm" in mail.subject.lower()
    assert mail.mail_from.endswith("agora.localhost")
    [link] = [url for url in smtp_server.links(mail) if "/accounts/confirm-email/" in url]
    assert link.startswith("http://testserver/accounts/confirm-email/")


def test_following_the_link_verifies_the_address_and_signs_in(client, smtp_server):
    sign_up(client)
    link = smtp_server.links(smtp_server.wait_for_message(to=EMAIL))[0]

    page = client.get(link)
    assert page.status_code == 200
    confirmed = client.post(link)

    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(email=EMAIL).verified
    user = get_user(client)
    assert user.is_authenticated
    assert user.email == EMAIL
    assert Person.objects.get(user=user).email == EMAIL


def test_link_opened_in_another_browser_verifies_but_asks_to_sign_in(
    client, client_factory, smtp_server
):
    sign_up(client)
    link = smtp_server.links(smtp_server.wait_for_message(to=EMAIL))[0]
    other_browser = client_factory()

    confirmed = other_browser.post(link)

    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(email=EMAIL).verified
    assert not get_user(other_browser).is_authenticated
    signed_in = other_browser.post(
        reverse("account_login"), {"login": EMAIL, "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    assert get_user(other_browser).is_authenticated


def test_signing_in_before_verifying_is_refused_and_resends_the_link(
    client, client_factory, smtp_server
):
    sign_up(client)
    smtp_server.wait_for_message(to=EMAIL)
    browser = client_factory()

    response = browser.post(
        reverse("account_login"), {"login": EMAIL, "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("account_email_verification_sent")
    assert response.status_code == 200
    assert "link to confirm your email address" in response.content.decode()
    assert not get_user(browser).is_authenticated


def test_a_tampered_link_verifies_nothing(client, smtp_server):
    sign_up(client)
    link = smtp_server.links(smtp_server.wait_for_message(to=EMAIL))[0]

    client.post(link.rstrip("/") + "x/")

    assert not EmailAddress.objects.get(email=EMAIL).verified
    assert not get_user(client).is_authenticated


def test_signing_up_with_a_taken_address_does_not_reveal_the_account(client, smtp_server):
    verified_user(email=EMAIL)

    response = sign_up(client, password="another long passphrase")

    # Same answer as a fresh signup; the owner of the address is told by mail instead.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    notice = smtp_server.wait_for_message(to=EMAIL)
    assert "/accounts/confirm-email/" not in notice.body
    assert not get_user(client).is_authenticated
