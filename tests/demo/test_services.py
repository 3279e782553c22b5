"""Loading Riverton: the right organisations, staff and residents, idempotent, deterministic."""

from collections import Counter

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.management import call_command

from agora.demo import services
from agora.demo.services import demo_load
from agora.organizations.models import Membership, Organization
from agora.people.models import Household, Person, User


def snapshot() -> list[tuple]:
    """Return every demo row by model, public id and key fields, in a stable order."""
    rows = [("organization", str(o.public_id), o.slug, o.kind, o.name)
            for o in Organization.objects.all()]
    rows += [("user", str(u.public_id), u.email, u.is_staff, u.first_name, u.last_name)
             for u in User.objects.all()]
    rows += [("household", str(h.public_id), h.address_line, h.postcode, h.tenure)
             for h in Household.objects.all()]
    rows += [("person", str(p.public_id), p.given_name, p.family_name, str(p.date_of_birth),
              p.household_role, str(p.household.public_id), p.user.email if p.user else "")
             for p in Person.objects.select_related("household", "user")]
    rows += [("membership", m.user.email, m.organization.slug, m.role)
             for m in Membership.objects.select_related("user", "organization")]
    rows += [("totp", a.user.email, a.data["secret"]) for a in
             Authenticator.objects.select_related("user").filter(type="totp")]
    return sorted(rows)


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Organization, Membership, User, Household, Person, EmailAddress,
                      Authenticator)
    }


def test_eight_organisations_of_the_right_kinds(riverton):
    kinds = Counter(Organization.objects.values_list("kind", flat=True))
    assert kinds == {"government": 4, "ngo": 2, "business": 1, "community": 1}
    assert set(Organization.objects.values_list("name", flat=True)) >= {
        "Riverton Borough Council", "Riverton Housing Authority",
        "Benefits Agency (Riverton office)", "Riverton Health Board", "Riverton Food Bank",
        "Riverton Advice Centre", "Riverton Energy", "Northbank Tenants' Association",
    }
    assert not Organization.objects.filter(contact_email="").exists()


def test_every_organisation_has_an_admin_and_agencies_have_every_role(riverton):
    for organization in Organization.objects.all():
        roles = set(organization.memberships.values_list("role", flat=True))
        assert "admin" in roles, organization
        if organization.kind == "government":
            assert roles == set(Membership.Role.values), organization
            assert organization.memberships.filter(role="caseworker").count() >= 2


def test_staff_and_operator_have_verified_email_and_totp(riverton):
    staff = User.objects.filter(memberships__isnull=False).distinct()
    operators = User.objects.filter(is_staff=True)
    assert operators.count() == 1
    for user in [*staff, *operators]:
        assert EmailAddress.objects.filter(user=user, email=user.email, verified=True,
                                           primary=True).exists()
        assert Authenticator.objects.filter(user=user, type="totp").exists()
        assert user.check_password(services.DEMO_PASSWORD)


def test_thirty_residents_with_accounts_in_varied_households(riverton):
    residents = Person.objects.filter(user__isnull=False)
    assert residents.count() == 30
    for person in residents:
        assert person.email == person.user.email
        assert EmailAddress.objects.filter(user=person.user, verified=True).exists()
        assert not person.user.memberships.exists()
    assert not Person.objects.filter(household_role="child", user__isnull=False).exists()
    sizes = Counter(h.members.count() for h in Household.objects.all())
    assert len(sizes) >= 5 and max(sizes) >= 6 and sizes[1] >= 2
    assert set(Household.objects.values_list("tenure", flat=True)) >= {
        "owner", "private_rent", "social_rent", "temporary"
    }


def test_loading_twice_changes_nothing(riverton):
    before, rows = counts(), snapshot()
    summary = demo_load(hub=False, requests=False)  # the requests' own: tests/demo/test_cases.py
    assert not summary.created_anything
    assert counts() == before
    assert snapshot() == rows


def test_public_ids_are_fixed_by_the_seed(riverton):
    plan = riverton.plan
    assert set(Person.objects.values_list("public_id", flat=True)) == {
        p.public_id for p in plan.people
    }
    assert set(Organization.objects.values_list("public_id", flat=True)) == {
        o.public_id for o in plan.organisations
    }


@pytest.mark.django_db(transaction=True)
def test_a_fresh_database_gets_identical_public_ids():
    demo_load(reads=False, hub=False, requests=False)
    first = snapshot()
    call_command("flush", interactive=False, verbosity=0)
    assert counts()["Person"] == 0
    demo_load(reads=False, hub=False, requests=False)
    assert snapshot() == first


@pytest.mark.django_db(transaction=True)
def test_a_failed_load_leaves_nothing_behind(monkeypatch):
    real = services._household_ensure
    calls = []

    def failing(plan, password_hash, summary):
        calls.append(plan)
        if len(calls) == 5:
            raise RuntimeError("disk full")
        return real(plan, password_hash, summary)

    monkeypatch.setattr(services, "_household_ensure", failing)
    with pytest.raises(RuntimeError):
        demo_load(hub=False)
    assert set(counts().values()) == {0}
