"""A service like the demo's council tax reduction, with a form of every kind of question."""

import copy

from agora.catalog.models import Service
from tests.factories import OrganizationFactory, RecordFactory, declare

FORM = {
    "type": "object",
    "x-agora-purpose": "benefit-assessment",
    "x-agora-order": ["full_name", "email", "address", "adults", "monthly_income",
                      "payment_method", "benefits", "lives_alone", "moved_in", "circumstances"],
    "required": ["full_name", "email", "address", "adults", "monthly_income",
                 "payment_method", "lives_alone", "moved_in"],
    "properties": {
        "full_name": {"type": "string", "title": "What is your full name?", "maxLength": 100,
                      "x-agora-noun": "your full name"},
        "email": {"type": "string", "format": "email", "title": "What is your email address?",
                  "description": "We only use this to contact you about your application.",
                  "x-agora-noun": "your email address"},
        "address": {"type": "string", "title": "What is your address?", "maxLength": 200,
                    "x-agora-noun": "your address",
                    "x-agora-prefill": {"category": "household", "field": "address"}},
        "adults": {"type": "integer", "minimum": 1, "maximum": 20,
                   "title": "How many adults live in your home?",
                   "description": "Count everyone aged 18 or over, including you.",
                   "x-agora-noun": "the number of adults",
                   "x-agora-prefill": {"category": "household", "field": "adults"}},
        "monthly_income": {"type": "number", "minimum": 0, "maximum": 100000,
                           "title": "What is your household's income each month, in pounds?",
                           "x-agora-noun": "your monthly income"},
        "payment_method": {"type": "string", "title": "How do you pay your council tax?",
                           "enum": ["direct debit", "online", "cash at post office"],
                           "x-agora-noun": "how you pay your council tax"},
        "benefits": {"type": "array", "title": "Which benefits do you get?",
                     "description": "Select all that apply.",
                     "items": {"anyOf": [
                         {"const": "universal-credit", "title": "Universal Credit"},
                         {"const": "pension-credit", "title": "Pension Credit"},
                         {"const": "housing-benefit", "title": "Housing Benefit"},
                     ]}},
        "lives_alone": {"type": "boolean", "title": "Do you live alone?",
                        "x-agora-noun": "you live alone"},
        "moved_in": {"type": "string", "format": "date",
                     "title": "When did you move into your home?",
                     "description": "For example, 27 3 2019",
                     "x-agora-noun": "the date you moved in"},
        "circumstances": {"type": "string", "maxLength": 500,
                          "title": "Is there anything else we should know?",
                          "description": "For example, a change in your income or your home."},
    },
}

GOOD_ANSWERS = {
    "full_name": "Ann Lee", "email": "ann@example.org", "address": "4 Mill Lane, Riverton",
    "adults": 2, "monthly_income": 1250.5, "payment_method": "online",
    "benefits": ["universal-credit"], "lives_alone": False, "moved_in": "2019-03-27",
}


def form() -> dict:
    return copy.deepcopy(FORM)


def council(declared: bool = True):
    """Return the council, which declared benefit assessment over household data."""
    organization = OrganizationFactory(name="Riverton Borough Council", kind="government")
    if declared:
        declare(organization, "benefit-assessment", ("household", "income-and-benefits"))
    return organization


def service(provider=None, *, code="council-tax-reduction", schema=None, **kwargs) -> Service:
    return Service.objects.create(
        provider=provider or council(), code=code, name="Council tax reduction",
        summary="Pay less council tax if you are on a low income.",
        form_schema=form() if schema is None else schema, status="published",
        target_days=28, **kwargs,
    )


def household_record(person, owner=None, **fields):
    """Return the council's household record about the person (address and adults)."""
    return RecordFactory(
        owner=owner or OrganizationFactory(name="Riverton Electoral Services"),
        subject=person, category=_category("household"),
        title="Household on the electoral and housing records",
        fields={"address": "4 Mill Lane, Riverton RV1 2AB", "adults": 2, "children": 1,
                **fields},
    )


def _category(code):
    from agora.access.models import DataCategory

    return DataCategory.objects.get(code=code)
