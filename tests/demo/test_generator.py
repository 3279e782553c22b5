"""The plan of Riverton: drawn from a seed alone, with the households a demo needs."""

import base64
from collections import Counter

from agora.demo.generator import town_plan


def test_the_same_seed_draws_the_same_town():
    assert town_plan(2026) == town_plan(2026)


def test_another_seed_draws_another_town():
    first, second = town_plan(2026), town_plan(7)
    assert [p.email for p in first.residents] != [p.email for p in second.residents]
    assert {p.public_id for p in first.people}.isdisjoint(p.public_id for p in second.people)


def test_thirty_residents_with_unique_addresses_and_identifiers():
    plan = town_plan()
    emails = [p.email for p in plan.residents] + [s.email for s in plan.staff]
    assert len(plan.residents) == 30
    assert len(emails) == len(set(emails))
    assert all(e.endswith("riverton.example") for e in emails)
    ids = [p.public_id for p in plan.people] + [h.public_id for h in plan.households]
    assert len(ids) == len(set(ids))
    assert len({h.address_line for h in plan.households}) == len(plan.households)


def test_children_have_no_account_and_adults_do():
    for person in town_plan().people:
        assert (person.account is None) == (person.household_role == "child")


def test_households_vary_in_size_and_tenure():
    plan = town_plan()
    sizes = Counter(len(h.members) for h in plan.households)
    assert {1, 2, 3, 4}.issubset(sizes) and max(sizes) >= 6
    assert {h.tenure for h in plan.households} == {
        "owner", "private_rent", "social_rent", "temporary"
    }


def test_staff_hold_fixed_base32_totp_secrets():
    plan = town_plan()
    for account in plan.staff:
        assert len(base64.b32decode(account.totp_secret)) == 20
    assert town_plan().staff == plan.staff
