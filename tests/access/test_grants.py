"""`AgreementGrant` follows every change of an agreement, so the filter sees it at once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agora.access.filters import readable_records_filter
from agora.access.models import AgreementGrant
from agora.records.models import Record
from tests.access.conftest import category, client, purpose
from tests.factories import AgreementFactory, RecordFactory

pytestmark = pytest.mark.django_db


def grants(agreement) -> set[tuple[str, str, bool]]:
    return {
        (g.purpose.code, g.category.code, g.special)
        for g in AgreementGrant.objects.filter(agreement=agreement).select_related(
            "purpose", "category")
    }


def test_an_active_agreement_grants_each_purpose_and_category(council, foodbank):
    agreement = AgreementFactory(
        provider=council, recipient=foodbank,
        categories=[category("housing"), category("health")],
        purposes=[purpose("debt-advice"), purpose("benefit-assessment")],
    )
    assert grants(agreement) == {
        ("debt-advice", "housing", False), ("debt-advice", "health", True),
        ("benefit-assessment", "housing", False), ("benefit-assessment", "health", True),
    }
    row = AgreementGrant.objects.filter(agreement=agreement).first()
    assert (row.provider, row.recipient) == (council, foodbank)
    assert (row.valid_from, row.valid_to) == (agreement.valid_from, agreement.valid_to)


def test_status_dates_and_parties_follow_the_agreement(council, foodbank):
    agreement = AgreementFactory(provider=council, recipient=foodbank, status="draft",
                                 categories=[category("housing")],
                                 purposes=[purpose("debt-advice")])
    assert grants(agreement) == set()
    agreement.status = "active"
    agreement.save()
    assert grants(agreement) == {("debt-advice", "housing", False)}
    agreement.valid_to = timezone.now() + timedelta(days=3)
    agreement.save()
    assert AgreementGrant.objects.get(agreement=agreement).valid_to == agreement.valid_to
    for status in ("suspended", "ended"):
        agreement.status = status
        agreement.save()
        assert grants(agreement) == set()
    agreement.status = "active"
    agreement.save()
    agreement.delete()
    assert not AgreementGrant.objects.exists()


def test_categories_and_purposes_changed_from_either_side(council, foodbank):
    housing, income = category("housing"), category("income-and-benefits")
    agreement = AgreementFactory(provider=council, recipient=foodbank, categories=[housing],
                                 purposes=[purpose("debt-advice")])
    agreement.categories.add(income)
    assert grants(agreement) == {("debt-advice", "housing", False),
                                 ("debt-advice", "income-and-benefits", False)}
    agreement.purposes.remove(purpose("debt-advice"))
    assert grants(agreement) == set()
    purpose("benefit-assessment").agreements.add(agreement)
    assert grants(agreement) == {("benefit-assessment", "housing", False),
                                 ("benefit-assessment", "income-and-benefits", False)}
    housing.agreements.clear()
    assert grants(agreement) == {("benefit-assessment", "income-and-benefits", False)}
    agreement.categories.clear()
    assert grants(agreement) == set()


def test_a_category_becoming_special_is_no_longer_shared_for_a_plain_purpose(
    council, foodbank
):
    housing, debt = category("housing"), purpose("debt-advice")
    AgreementFactory(provider=council, recipient=foodbank, categories=[housing],
                     purposes=[debt])
    record = RecordFactory(owner=council, category=housing)
    rule = readable_records_filter(viewer=client(foodbank), purpose=debt)
    assert list(Record.objects.filter(rule)) == [record]
    housing.is_special = True
    housing.save()
    assert AgreementGrant.objects.get().special
    assert list(Record.objects.filter(rule)) == []
