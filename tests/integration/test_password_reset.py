"""Reset a forgotten password from the link mailed over SMTP."""

import pytest
from django.contrib.auth import get_user
from django.urls import reverse

from tests.factories import USER_PASSWORD as PASSWORD
from tests.integration.accounts import sign_in, verified_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase"


def request_reset(client, smtp_server, email):
    response = client.post(reverse("account_reset_password"), {"email": email})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    return smtp_server.wait_for_message(to=email)


def test_reset_link_sets_a_new_password_and_retires_the_old_one(
    client, client_factory, smtp_server
):
    user = verified_user()
    mail = request_reset(client, smtp_server, user.email)
    [link] = [url for url in smtp_server.links(mail) if "/accounts/password/reset/key/" in url]

    # The key moves from the URL into the session before the form is shown.
    opened = client.get(link)
    assert opened.status_code == 302
    form_url = opened["Location"]
    assert client.get(form_url).status_code == 200
    done = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("account_reset_password_from_key_done")

    old = client_factory()
    assert sign_in(old, user.email, PASSWORD).status_code == 200
    assert not get_user(old).is_authenticated
    new = client_factory()
    assert sign_in(new, user.email, NEW_PASSWORD).status_code == 302
    assert get_user(new) == user


def test_reset_link_works_once(client, client_factory, smtp_server):
    user = verified_user()
    mail = request_reset(client, smtp_server, user.email)
    link = next(url for url in smtp_server.links(mail) if "/password/reset/key/" in url)
    form_url = client.get(link)["Location"]
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    again = client_factory()
    reopened = again.get(link, follow=True)

    assert reopened.status_code == 200
    assert reopened.context["token_fail"]
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_weak_new_password_is_refused(client, smtp_server):
    user = verified_user()
    mail = request_reset(client, smtp_server, user.email)
    link = next(url for url in smtp_server.links(mail) if "/password/reset/key/" in url)
    form_url = client.get(link)["Location"]

    response = client.post(form_url, {"password1": "password", "password2": "password"})

    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_reset_for_an_unknown_address_looks_the_same_and_mails_no_link(client, smtp_server):
    mail = request_reset(client, smtp_server, "nobody@example.org")

    assert "/password/reset/key/" not in mail.body
