"""The standard vocabulary is in every installation and loading it again changes nothing."""

import pytest

from agora.access.models import DataCategory, Purpose
from agora.access.vocabulary import CATEGORIES, PURPOSES, load_vocabulary

pytestmark = pytest.mark.django_db


def test_vocabulary_is_installed_by_the_migration():
    assert set(DataCategory.objects.values_list("code", flat=True)) >= {
        c["code"] for c in CATEGORIES
    }
    assert DataCategory.objects.get(code="health").is_special
    care = Purpose.objects.get(code="social-care-support")
    assert (care.legal_basis, care.special_condition) == ("6.1.e", "9.2.h")
    assert Purpose.objects.get(code="debt-advice").legal_basis == "6.1.a"


def test_every_purpose_is_described_with_a_valid_basis():
    for item in PURPOSES:
        purpose = Purpose.objects.get(code=item["code"])
        assert purpose.description
        assert purpose.legal_basis in {"6.1.a", "6.1.b", "6.1.c", "6.1.d", "6.1.e", "6.1.f"}


def test_loading_again_is_idempotent_and_restores_edits():
    DataCategory.objects.filter(code="housing").update(name="Changed")
    before = (DataCategory.objects.count(), Purpose.objects.count())
    load_vocabulary(DataCategory, Purpose)
    assert (DataCategory.objects.count(), Purpose.objects.count()) == before
    assert DataCategory.objects.get(code="housing").name == "Housing"
