"""The questions every installation starts with: the facts eligibility rules may use.

The data migration `0003_starting_questions` loads them (loading again updates their
wording); a new question is added here and loaded by a new data migration (there is no
page for questions yet). A rule may only name a fact that a question
here declares (`eligibility.rule_check`), so each condition can be asked and explained.
Some facts can also come from the resident's own records, with their consent: the
record category and field (or the field values a record must have) say where.
"""

QUESTIONS: list[dict] = [
    {"key": "lives_in_riverton", "kind": "boolean",
     "text": "Do you live in Riverton?",
     "statement": "you live in Riverton", "statement_no": "you do not live in Riverton",
     "record_category": "household", "record_field": "address",
     "record_match": {}},
    {"key": "age", "kind": "number", "text": "How old are you?",
     "hint": "In years.", "statement": "you are {value}"},
    {"key": "adults_in_home", "kind": "number",
     "text": "How many adults (16 or over) live in your home, including you?",
     "statement": "{value} adults live in your home",
     "record_category": "household", "record_field": "adults"},
    {"key": "children_under_16", "kind": "number",
     "text": "How many children under 16 live with you?",
     "hint": "Count children who live with you most of the time. Enter 0 if none.",
     "statement": "you have {value} children under 16",
     "record_category": "household", "record_field": "children"},
    {"key": "tenure", "kind": "choice", "text": "Where do you live now?",
     "choices": [["owner occupied", "In a home you own"],
                 ["private rent", "Renting from a private landlord"],
                 ["social rent", "Renting from the council or a housing association"],
                 ["temporary", "In temporary accommodation"],
                 ["no home", "I have nowhere to stay"]],
     "statement": "you live: {label}",
     "record_category": "household", "record_field": "tenure"},
    {"key": "at_risk_of_homelessness", "kind": "boolean",
     "text": "Are you homeless, or could you lose your home in the next 8 weeks?",
     "statement": "you are homeless or could lose your home soon",
     "statement_no": "you are not at risk of losing your home"},
    {"key": "weekly_income", "kind": "number",
     "text": "What is your household's total weekly income after tax?",
     "hint": "In pounds, including benefits. Enter 0 if none.",
     "statement": "your household's weekly income is £{value}"},
    {"key": "savings", "kind": "number",
     "text": "How much does your household have in savings?",
     "hint": "In pounds. Enter 0 if none.", "statement": "you have £{value} in savings"},
    {"key": "gets_universal_credit", "kind": "boolean",
     "text": "Do you get Universal Credit?",
     "statement": "you get Universal Credit", "statement_no": "you do not get Universal Credit",
     "record_category": "income-and-benefits",
     "record_match": {"benefit": "Universal Credit"}},
    {"key": "gets_pension_credit", "kind": "boolean",
     "text": "Do you get Pension Credit?",
     "statement": "you get Pension Credit", "statement_no": "you do not get Pension Credit",
     "record_category": "income-and-benefits", "record_match": {"benefit": "Pension Credit"}},
    {"key": "gets_disability_benefit", "kind": "boolean",
     "text": "Do you get a disability benefit, such as Personal Independence Payment?",
     "statement": "you get a disability benefit",
     "statement_no": "you do not get a disability benefit",
     "record_category": "income-and-benefits",
     "record_match": {"benefit": "Personal Independence Payment"}},
    {"key": "mobility_difficulty", "kind": "boolean",
     "text": "Do you have a disability or health condition that makes walking very difficult?",
     "statement": "walking is very difficult for you",
     "statement_no": "walking is not very difficult for you",
     "record_category": "health", "record_match": {"mobility": "wheelchair user"}},
    {"key": "is_carer", "kind": "boolean",
     "text": "Do you look after someone who is ill, disabled or older, without being paid?",
     "statement": "you are an unpaid carer", "statement_no": "you are not an unpaid carer",
     "record_category": "income-and-benefits", "record_match": {"benefit": "Carer's Allowance"}},
    {"key": "pays_council_tax", "kind": "boolean",
     "text": "Are you responsible for paying council tax on your home?",
     "statement": "you pay council tax on your home",
     "statement_no": "you do not pay council tax on your home",
     "record_category": "household", "record_field": "account", "record_match": {}},
    {"key": "prepayment_meter", "kind": "boolean",
     "text": "Do you pay for your energy with a prepayment meter?",
     "statement": "you have a prepayment meter",
     "statement_no": "you do not have a prepayment meter",
     "record_category": "energy", "record_match": {"payment_method": "prepayment meter"}},
    {"key": "behind_on_bills", "kind": "boolean",
     "text": "Are you behind on rent, council tax, energy or other bills?",
     "statement": "you are behind on bills", "statement_no": "you are not behind on bills"},
    {"key": "child_needs_school_place", "kind": "boolean",
     "text": "Do you have a child who needs a school place (aged 4 to 16)?",
     "statement": "a child of yours needs a school place",
     "statement_no": "no child of yours needs a school place"},
    {"key": "expecting_or_child_under_4", "kind": "boolean",
     "text": "Are you pregnant, or do you have a child under 4?",
     "statement": "you are pregnant or have a child under 4",
     "statement_no": "you are not pregnant and have no child under 4"},
]


def questions_load(model) -> int:
    """Create or update the starting questions through `model`; return how many are new.

    Takes the model as an argument so the data migration can pass its historical one.
    """
    created = 0
    for position, spec in enumerate(QUESTIONS):
        defaults = {"hint": "", "choices": [], "statement_no": "", "record_category": "",
                    "record_field": "", "record_match": {}, **spec, "position": position}
        defaults.pop("key")
        _, new = model.objects.update_or_create(key=spec["key"], defaults=defaults)
        created += new
    return created
