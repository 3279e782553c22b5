"""person_for_user_ensure: a resident's account gets their Person, never someone else's."""

import pytest
from allauth.account.models import EmailAddress

from agora.people.models import Person
from agora.people.services import person_for_user_ensure
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def account(email="ada@example.org", *, verified=True, **kwargs):
    user = UserFactory(email=email, **kwargs)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


def test_creates_a_person_from_the_account_names():
    user = account(first_name="Ada", last_name="Lovelace")

    person = person_for_user_ensure(user=user)

    assert person.user == user
    assert (person.given_name, person.family_name, person.email) == (
        "Ada",
        "Lovelace",
        "ada@example.org",
    )


def test_links_the_person_an_organisation_registered_under_the_verified_address():
    registered = PersonFactory(email="Ada@Example.org")
    user = account("ada@example.org")

    person = person_for_user_ensure(user=user)

    assert person == registered
    registered.refresh_from_db()
    assert registered.user == user
    assert Person.objects.count() == 1


def test_is_safe_to_call_again():
    user = account()
    first = person_for_user_ensure(user=user)

    second = person_for_user_ensure(user=user)

    assert second == first
    assert Person.objects.count() == 1


def test_an_unverified_address_links_and_creates_nothing():
    registered = PersonFactory(email="ada@example.org")
    user = account("ada@example.org", verified=False)

    assert person_for_user_ensure(user=user) is None

    registered.refresh_from_db()
    assert registered.user is None
    assert Person.objects.count() == 1


def test_only_verified_addresses_are_matched():
    PersonFactory(email="old@example.org")
    user = account("ada@example.org")
    EmailAddress.objects.create(user=user, email="old@example.org", verified=False)

    person = person_for_user_ensure(user=user)

    assert person.email == "ada@example.org"
    assert Person.objects.filter(user__isnull=True, email="old@example.org").exists()


def test_a_second_verified_address_can_match():
    registered = PersonFactory(email="work@example.org")
    user = account("ada@example.org")
    EmailAddress.objects.create(user=user, email="work@example.org", verified=True)

    assert person_for_user_ensure(user=user) == registered


def test_a_person_linked_to_another_account_is_left_alone():
    other = PersonFactory(email="ada@example.org", user=UserFactory())
    user = account("ada@example.org")

    person = person_for_user_ensure(user=user)

    assert person != other
    other.refresh_from_db()
    assert other.user != user


def test_several_matching_people_are_not_guessed_between(caplog):
    PersonFactory(email="family@example.org")
    PersonFactory(email="family@example.org")
    user = account("family@example.org")

    assert person_for_user_ensure(user=user) is None

    assert not Person.objects.filter(user=user).exists()
    assert Person.objects.count() == 2
    assert str(user.public_id) in caplog.text


def test_operators_get_no_person():
    user = account(is_staff=True)

    assert person_for_user_ensure(user=user) is None
    assert not Person.objects.exists()
