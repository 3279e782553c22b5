"""Factories for the test suite: build test data in the test that needs it, no fixtures.

Every factory gives a valid object with unique identifiers, so tests only name what
they are about:

    admin = MembershipFactory(role=Membership.Role.ADMIN).user
    operator = UserFactory(operator=True)
    staff = UserFactory(totp=True)          # has a TOTP authenticator (second factor)

Users get the password `USER_PASSWORD` unless told otherwise.
"""

import base64

import factory
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import generate_totp_secret
from allauth.mfa.utils import decrypt, encrypt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from factory.django import DjangoModelFactory

from agora.organizations.models import ApiClient, Membership, Organization
from agora.people.models import Household, Person, User

USER_PASSWORD = "correct horse battery staple"


class UserFactory(DjangoModelFactory):
    """A sign-in account. Traits: `operator=True` (platform operator), `totp=True`."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(USER_PASSWORD)
    is_active = True

    class Params:
        operator = factory.Trait(is_staff=True)

    @factory.post_generation
    def totp(obj, create, extracted, **kwargs):
        """Give the user a TOTP authenticator when called with `totp=True`."""
        if create and extracted:
            TotpAuthenticatorFactory(user=obj)


class TotpAuthenticatorFactory(DjangoModelFactory):
    """An activated TOTP second factor; the plain secret is on `.totp_secret` after build."""

    class Meta:
        model = Authenticator
        exclude = ("totp_secret",)
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    type = Authenticator.Type.TOTP
    totp_secret = factory.LazyFunction(generate_totp_secret)
    data = factory.LazyAttribute(lambda o: {"secret": encrypt(o.totp_secret)})

    @factory.post_generation
    def remember_secret(obj, create, extracted, **kwargs):
        obj.totp_secret = decrypt(obj.data["secret"])


class HouseholdFactory(DjangoModelFactory):
    class Meta:
        model = Household

    address_line = factory.Sequence(lambda n: f"{n + 1} River Street")
    town = "Riverton"
    postcode = factory.Sequence(lambda n: f"RV{n % 9 + 1} {n % 9}AB")
    tenure = "private_rent"


class PersonFactory(DjangoModelFactory):
    """A resident (data subject) without an account; pass `user=` to link one."""

    class Meta:
        model = Person

    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"person{n}@example.org")


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = Organization.Kind.GOVERNMENT
    contact_email = factory.LazyAttribute(lambda o: f"contact@{o.slug}.example.org")


class MembershipFactory(DjangoModelFactory):
    """A role in an organisation; an admin of a new organisation unless told otherwise."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.ADMIN


def ed25519_public_jwk() -> dict:
    """Return the public half of a fresh Ed25519 key as a JWK."""
    raw = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    x = base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
    return {"kty": "OKP", "crv": "Ed25519", "x": x}


class ApiClientFactory(DjangoModelFactory):
    class Meta:
        model = ApiClient

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Client {n}")
    public_jwk = factory.LazyFunction(ed25519_public_jwk)
    scopes = factory.LazyFunction(lambda: ["whoami"])


# Access and records (appended by the access helper).


def _category(code: str = "housing"):
    from agora.access.models import DataCategory

    return DataCategory.objects.get(code=code)


class DataCategoryFactory(DjangoModelFactory):
    """A data category of its own; the standard ones come from the vocabulary migration."""

    class Meta:
        model = "access.DataCategory"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"category-{n}")
    name = factory.LazyAttribute(lambda o: o.code.replace("-", " ").capitalize())
    description = "A test category."
    is_special = False


class PurposeFactory(DjangoModelFactory):
    """A purpose of its own (Art. 6(1)(e)); the standard ones come from the migration."""

    class Meta:
        model = "access.Purpose"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"purpose-{n}")
    name = factory.LazyAttribute(lambda o: o.code.replace("-", " ").capitalize())
    description = "A test purpose."
    legal_basis = "6.1.e"
    special_condition = ""


class AgreementFactory(DjangoModelFactory):
    """An active agreement valid from a day ago for a year; pass categories= and purposes=."""

    class Meta:
        model = "access.Agreement"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Agreement {n}")
    provider = factory.SubFactory(OrganizationFactory)
    recipient = factory.SubFactory(OrganizationFactory)
    legal_basis = "6.1.e"
    fields_allowed = factory.LazyFunction(lambda: ["name", "status"])
    valid_from = factory.LazyFunction(lambda: _now() - _delta(days=1))
    valid_to = factory.LazyFunction(lambda: _now() + _delta(days=365))
    status = "active"

    @factory.post_generation
    def categories(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.categories.set(extracted)

    @factory.post_generation
    def purposes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.purposes.set(extracted)


class ConsentFactory(DjangoModelFactory):
    """A consent given an hour ago for a year (no receipt); pass categories= and purpose=."""

    class Meta:
        model = "access.Consent"
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    recipient = factory.SubFactory(OrganizationFactory)
    purpose = factory.LazyFunction(lambda: PurposeFactory(code="debt-advice"))
    given_at = factory.LazyFunction(lambda: _now() - _delta(hours=1))
    expires_at = factory.LazyFunction(lambda: _now() + _delta(days=365))

    @factory.post_generation
    def categories(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.categories.set(extracted)


class PurposeDeclarationFactory(DjangoModelFactory):
    """An approved declaration of a purpose (debt advice, for housing data, unless told)."""

    class Meta:
        model = "access.PurposeDeclaration"
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    purpose = factory.LazyFunction(lambda: PurposeFactory(code="debt-advice"))
    legal_basis = factory.LazyAttribute(lambda o: o.purpose.legal_basis)
    special_condition = factory.LazyAttribute(lambda o: o.purpose.special_condition)
    serves = "People who ask the organisation for help."
    status = "approved"
    proposed_at = factory.LazyFunction(lambda: _now() - _delta(days=1))
    decided_at = factory.LazyFunction(lambda: _now() - _delta(hours=1))

    @factory.post_generation
    def categories(obj, create, extracted, **kwargs):
        if create:
            obj.categories.set(extracted or [_category()])


def declare(organization, purpose="debt-advice", categories=("housing",), **kwargs):
    """Give the organisation an approved declaration of the purpose (a code or a Purpose)
    covering the categories (codes or DataCategory objects); return the declaration.

    Special categories get the purpose's Art. 9 condition, or 9(2)(h) if it has none.
    """
    from agora.access.models import DataCategory, Purpose

    if not isinstance(purpose, Purpose):
        purpose = Purpose.objects.get(code=purpose)
    chosen = [c if isinstance(c, DataCategory) else DataCategory.objects.get(code=c)
              for c in categories]
    if any(c.is_special for c in chosen):
        kwargs.setdefault("special_condition", purpose.special_condition or "9.2.h")
    return PurposeDeclarationFactory(organization=organization, purpose=purpose,
                                     categories=chosen, **kwargs)


def declare_all(organization, categories=None) -> None:
    """Declare every standard purpose for every category (or the ones given): for tests
    about something else than the register, where any purpose should count."""
    from agora.access.models import DataCategory, Purpose

    chosen = list(DataCategory.objects.all()) if categories is None else [
        DataCategory.objects.get(code=c) for c in categories]
    for purpose in Purpose.objects.all():
        declare(organization, purpose, chosen)


class RecordFactory(DjangoModelFactory):
    """An internal record about a new person in the housing category."""

    class Meta:
        model = "records.Record"

    owner = factory.SubFactory(OrganizationFactory)
    subject = factory.SubFactory(PersonFactory)
    category = factory.LazyFunction(_category)
    classification = "internal"
    restricted_roles = factory.LazyFunction(list)
    title = factory.Sequence(lambda n: f"Record {n}")
    fields = factory.LazyFunction(lambda: {"name": "A. Resident", "status": "open", "notes": "x"})


def _now():
    from django.utils import timezone

    return timezone.now()


def _delta(**kwargs):
    from datetime import timedelta

    return timedelta(**kwargs)
