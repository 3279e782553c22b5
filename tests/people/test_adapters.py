"""The allauth adapters: signing in ties the resident to their Person; OIDC emails are checked."""

from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from django.test import RequestFactory
from django.urls import reverse

from agora.people.adapters import SocialAccountAdapter
from agora.people.models import Person
from tests.factories import USER_PASSWORD, PersonFactory, UserFactory


def verified(user):
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


@pytest.mark.django_db
def test_signing_in_links_the_registered_person(client):
    registered = PersonFactory(email="ada@example.org")
    user = verified(UserFactory(email="ada@example.org"))

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": USER_PASSWORD}
    )

    assert response.status_code == 302
    registered.refresh_from_db()
    assert registered.user == user


@pytest.mark.django_db
def test_a_failed_sign_in_links_nothing(client):
    registered = PersonFactory(email="ada@example.org")
    user = verified(UserFactory(email="ada@example.org"))

    client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})

    registered.refresh_from_db()
    assert registered.user is None
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    ("claimed", "trusted"),
    [(True, True), (False, False), ("false", False), ("true", False), (None, False), (1, False)],
)
def test_only_a_true_email_verified_claim_is_trusted(claimed, trusted, settings):
    address = EmailAddress(email="ada@example.org", verified=claimed, primary=True)
    sociallogin = SimpleNamespace(email_addresses=[address])

    SocialAccountAdapter().pre_social_login(RequestFactory().get("/"), sociallogin)

    assert address.verified is trusted
