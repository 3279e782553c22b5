"""Application forms for Riverton's services, so the demo's "Apply" pages have something to ask.

Only services the catalogue's part left without a form get one here, so a form written
there wins, and loading again changes nothing. The council tax reduction form asks one
question of every kind the pages draw, and fills five of them in from the council's
household record when the resident agrees (the council declared benefit assessment
over household data): the address, the adults, the children, how they pay, the date
they moved in. Its answers use the same names as the demo requests' answers.
"""

from agora.catalog.models import Service

COUNCIL_TAX_REDUCTION = {
    "type": "object",
    "x-agora-purpose": "benefit-assessment",
    "x-agora-order": ["full_name", "email", "address", "adults", "children_under_16",
                      "household_income", "benefits", "payment_method", "single_occupier",
                      "moved_in", "anything_else"],
    "required": ["full_name", "email", "address", "adults", "children_under_16",
                 "household_income", "payment_method", "single_occupier", "moved_in"],
    "properties": {
        "full_name": {"type": "string", "maxLength": 100, "title": "What is your full name?",
                      "x-agora-noun": "your full name"},
        "email": {"type": "string", "format": "email", "maxLength": 254,
                  "title": "What is your email address?",
                  "description": "We will only use this to contact you about your application.",
                  "x-agora-noun": "your email address"},
        "address": {"type": "string", "maxLength": 200, "title": "What is your address?",
                    "description": "The home you are asking for a reduction for.",
                    "x-agora-noun": "your address",
                    "x-agora-prefill": {"category": "household", "field": "address"}},
        "adults": {"type": "integer", "minimum": 1, "maximum": 20,
                   "title": "How many adults live in your home?",
                   "description": "Count everyone aged 18 or over, including you.",
                   "x-agora-noun": "the number of adults",
                   "x-agora-prefill": {"category": "household", "field": "adults"}},
        "children_under_16": {"type": "integer", "minimum": 0, "maximum": 20,
                              "title": "How many children under 16 live with you?",
                              "x-agora-noun": "the number of children",
                              "x-agora-prefill": {"category": "household",
                                                  "field": "children"}},
        "household_income": {"type": "integer", "minimum": 0, "maximum": 1000000,
                             "title": "What is your household's income in a year, in pounds?",
                             "description": "Before tax, from work, pensions and benefits.",
                             "x-agora-noun": "your household's income"},
        "benefits": {"type": "array", "uniqueItems": True,
                     "title": "Which of these benefits do you get?",
                     "description": "Select all that apply.",
                     "items": {"anyOf": [
                         {"const": "universal-credit", "title": "Universal Credit"},
                         {"const": "pension-credit", "title": "Pension Credit"},
                         {"const": "housing-benefit", "title": "Housing Benefit"},
                         {"const": "jobseekers-allowance", "title": "Jobseeker's Allowance"},
                     ]}},
        "payment_method": {"type": "string", "title": "How do you pay your council tax?",
                           "oneOf": [
                               {"const": "direct debit", "title": "Direct Debit"},
                               {"const": "online", "title": "Online"},
                               {"const": "cash at post office", "title": "Cash at a post office"},
                           ],
                           "x-agora-noun": "how you pay your council tax",
                           "x-agora-prefill": {"category": "household",
                                               "field": "payment_method"}},
        "single_occupier": {"type": "boolean", "title": "Do you live on your own?",
                            "x-agora-noun": "you live on your own"},
        "moved_in": {"type": "string", "format": "date",
                     "title": "When did you move to this address?",
                     "description": "For example, 27 3 2019",
                     "x-agora-noun": "the date you moved",
                     "x-agora-prefill": {"category": "household",
                                         "field": "registered_since"}},
        "anything_else": {"type": "string", "maxLength": 1000,
                          "title": "Is there anything else we should know?",
                          "description": "For example, a change in your income or your home."},
    },
}

FOOD_PARCEL = {
    "type": "object",
    "x-agora-order": ["people_in_household", "dietary_needs", "can_collect", "anything_else"],
    "required": ["people_in_household", "dietary_needs", "can_collect"],
    "properties": {
        "people_in_household": {"type": "integer", "minimum": 1, "maximum": 20,
                                "title": "How many people is the parcel for?",
                                "x-agora-noun": "how many people the parcel is for"},
        "dietary_needs": {"type": "string", "title": "Do you have any dietary needs?",
                          "oneOf": [
                              {"const": "none", "title": "No"},
                              {"const": "vegetarian", "title": "Vegetarian"},
                              {"const": "halal", "title": "Halal"},
                              {"const": "gluten-free", "title": "Gluten free"},
                          ],
                          "x-agora-noun": "your dietary needs"},
        "can_collect": {"type": "boolean", "title": "Can you collect the parcel yourself?",
                        "x-agora-noun": "you can collect the parcel"},
        "anything_else": {"type": "string", "x-agora-widget": "textarea", "maxLength": 500,
                          "title": "Is there anything else we should know?"},
    },
}

DEMO_FORMS = {"council-tax-reduction": COUNCIL_TAX_REDUCTION, "food-parcels": FOOD_PARCEL}


def applications_load() -> int:
    """Give the demo services without a form theirs; return how many got one."""
    services = Service.objects.filter(code__in=DEMO_FORMS, form_schema__isnull=True)
    count = 0
    for service in services:
        # A demo loader, not a write of personal data: the catalogue's own model is set
        # directly, as the catalogue's and the requests' demo parts do.
        service.form_schema = DEMO_FORMS[service.code]
        service.save(update_fields=["form_schema", "updated_at"])
        count += 1
    return count
