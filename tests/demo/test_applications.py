"""The demo's application forms can be asked, and are given only to services without one."""

import pytest

from agora.access.viewers import viewer_for_resident
from agora.applications.questions import questions_of
from agora.applications.services import draft_prefill_accept
from agora.applications.validation import answer_problems
from agora.catalog.models import Service
from agora.demo.applications import COUNCIL_TAX_REDUCTION, DEMO_FORMS, applications_load
from agora.people.models import Person
from tests.factories import OrganizationFactory


@pytest.mark.parametrize("code", sorted(DEMO_FORMS))
def test_each_demo_form_can_be_asked(code):
    assert questions_of(DEMO_FORMS[code])


def test_the_council_tax_form_accepts_what_the_council_holds():
    schema = COUNCIL_TAX_REDUCTION
    answers = {"address": "4 Mill Lane, Riverton RV1 2AB", "adults": 2, "children_under_16": 1,
               "payment_method": "cash at post office", "moved_in": "2019-03-27"}
    assert answer_problems(schema, questions_of(schema), answers, only=list(answers)) == []
    prefilled = {q.name for q in questions_of(schema) if q.prefill}
    assert prefilled == set(answers)


@pytest.mark.django_db
def test_only_services_without_a_form_get_the_demo_form():
    council = OrganizationFactory()
    own = {"type": "object", "properties": {"a": {"type": "string"}}}
    Service.objects.create(provider=council, code="council-tax-reduction", name="CTR")
    Service.objects.create(provider=council, code="food-parcels", name="Food",
                           form_schema=own)
    assert applications_load() == 1
    assert applications_load() == 0
    assert Service.objects.get(code="council-tax-reduction").form_schema == COUNCIL_TAX_REDUCTION
    assert Service.objects.get(code="food-parcels").form_schema == own


def test_a_demo_resident_gets_answers_filled_in_from_the_councils_records(riverton):
    service = Service.objects.get(code="council-tax-reduction")
    assert service.form_schema == COUNCIL_TAX_REDUCTION
    person = Person.objects.filter(
        user__isnull=False, records__owner__slug="riverton-borough-council",
        records__title="Council tax account").first()
    draft, filled = draft_prefill_accept(viewer=viewer_for_resident(person.user),
                                         service=service)
    assert set(filled) == {"address", "adults", "children_under_16", "payment_method",
                           "moved_in"}
    assert draft.prefilled["payment_method"]["title"] == "Council tax account"
