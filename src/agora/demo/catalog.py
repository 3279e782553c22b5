"""Riverton's catalogue: every organisation's services, with rules, forms and places.

Each service is added through the catalogue's services (so each is checked and logged
like any provider's) and found by its code first, so loading again changes nothing.
Its public id is derived from the seed and its code, the same on every machine. Street
problems are `location_based` (offered over Open311); the application flow renders each
`form_schema`.
"""

from collections.abc import Callable
from datetime import time
from typing import Any

from agora.catalog.models import Contact, Location, Question, Schedule, Service, ServiceAtLocation
from agora.catalog.questions import QUESTIONS, questions_load
from agora.catalog.services import service_create
from agora.core.actors import SYSTEM
from agora.demo.applications import DEMO_FORMS
from agora.demo.generator import stable_uuid
from agora.organizations.models import Organization
from agora.topics.models import Topic
from agora.topics.services import topic_save
from agora.topics.vocabulary import topics_flat

COUNCIL, HOUSING, BENEFITS, HEALTH = (
    "riverton-borough-council", "riverton-housing-authority", "benefits-agency-riverton",
    "riverton-health-board")
FOOD_BANK, ADVICE, ENERGY, TENANTS = (
    "riverton-food-bank", "riverton-advice-centre", "riverton-energy", "northbank-tenants")


# ------------------------------------------------------------------ form fields


def text(title: str, max_length: int = 500, **extra: Any) -> dict:
    return {"type": "string", "title": title, "maxLength": max_length, **extra}


def number(title: str, minimum: int = 0, maximum: int = 100, **extra: Any) -> dict:
    return {"type": "integer", "title": title, "minimum": minimum, "maximum": maximum, **extra}


def choice(title: str, *options: str) -> dict:
    return {"type": "string", "title": title, "enum": list(options)}


def yes_no(title: str) -> dict:
    return {"type": "boolean", "title": title}


def date(title: str) -> dict:
    return {"type": "string", "title": title, "format": "date", "maxLength": 10}


def form(required: list[str], **fields: dict) -> dict:
    """Return an application form: an object of the fields, the named ones required."""
    return {"type": "object", "properties": fields, "required": required}


CONTACT = {"phone": text("Phone number", 20, description="So we can call you back."),
           "email": text("Email address", 254, format="email")}


def street_form(problem_title: str, *kinds: str) -> dict:
    return form(["problem", "where"],
                problem=choice(problem_title, *kinds),
                where=text("Where is it?", 300, description="A street name and the nearest "
                           "house number or landmark."),
                details=text("Anything else we should know", 2000))


def var(name: str) -> dict:
    return {"var": name}


def all_of(*conditions: Any) -> dict:
    return {"and": list(conditions)}


def any_of(*conditions: Any) -> dict:
    return {"or": list(conditions)}


def at_least(name: str, value: int) -> dict:
    return {">=": [var(name), value]}


def below(name: str, value: int) -> dict:
    return {"<": [var(name), value]}


def one_of(name: str, *values: str) -> dict:
    return {"in": [var(name), list(values)]}


IN_RIVERTON = var("lives_in_riverton")
LOW_INCOME = any_of(var("gets_universal_credit"), var("gets_pension_credit"),
                    below("weekly_income", 300))

# (provider, code, name, topics, summary, details, rule, form)
S = dict[str, Any]
SERVICES: list[tuple[str, str, str, list[str], str, S, Any, dict | None]] = [
    # --- Riverton Borough Council
    (COUNCIL, "council-tax-reduction", "Council Tax Reduction", ["council-tax"],
     "Pay less council tax if you are on a low income.",
     {"who_for": "People who pay council tax in Riverton on a low income or benefits, with "
      "savings under £16,000.", "target_days": 14,
      "how_to_apply": "Apply online. Have your income and savings details ready."},
     all_of(IN_RIVERTON, var("pays_council_tax"), LOW_INCOME, {"<=": [var("savings"), 16000]}),
     form(["household_income", "savings"],
          household_income=number("Weekly household income after tax, in pounds", 0, 5000),
          savings=number("Savings, in pounds", 0, 1_000_000),
          other_adults=number("Other adults living with you", 0, 10),
          notes=text("Anything else about your circumstances", 1000))),
    (COUNCIL, "single-person-discount", "Single person discount", ["council-tax"],
     "25% off your council tax if you are the only adult at home.",
     {"who_for": "Anyone who lives alone or is the only adult in their home.",
      "target_days": 10},
     all_of(var("pays_council_tax"), {"==": [var("adults_in_home"), 1]}),
     form(["account_number", "since"],
          account_number=text("Council tax account number", 10, pattern="^CT[0-9]{6}$"),
          since=date("Since when have you been the only adult?"))),
    (COUNCIL, "council-tax-payment-plan", "Council tax payment plan", ["council-tax",
                                                                       "debt-advice"],
     "Spread what you owe over smaller payments.",
     {"who_for": "Anyone behind with council tax payments.", "target_days": 5},
     var("behind_on_bills"),
     form(["account_number", "affordable_monthly"],
          account_number=text("Council tax account number", 10),
          affordable_monthly=number("What could you pay each month, in pounds?", 1, 2000))),
    (COUNCIL, "blue-badge", "Blue Badge parking permit", ["disability-and-caring"],
     "Park closer to where you need to go if walking is hard for you.",
     {"who_for": "People who find walking very difficult, or who get a disability benefit "
      "for mobility.", "cost": "£10", "target_days": 42,
      "how_to_apply": "Apply online with a recent photo and proof of your benefit."},
     any_of(var("mobility_difficulty"), var("gets_disability_benefit")),
     form(["walking_distance", "photo_consent"],
          walking_distance=choice("How far can you walk without stopping?",
                                  "Less than 20 metres", "20 to 50 metres", "More than 50 metres"),
          uses_aid=yes_no("Do you use a walking aid or wheelchair?"),
          photo_consent=yes_no("Can we use the photo on your account for the badge?"))),
    (COUNCIL, "disabled-facilities-grant", "Disabled facilities grant", ["adaptations"],
     "Money towards adapting your home: ramps, stairlifts, level-access showers.",
     {"who_for": "Disabled people in Riverton who need changes to their home.",
      "target_days": 60},
     all_of(IN_RIVERTON, var("mobility_difficulty")),
     form(["adaptation"], adaptation=choice("What do you need?", "Ramp", "Stairlift",
                                            "Level-access shower", "Other"),
          details=text("Tell us more", 2000))),
    (COUNCIL, "school-place", "Apply for a school place", ["school-admissions"],
     "Primary and secondary school places, including in-year moves.",
     {"who_for": "Parents of children aged 4 to 16 who live in Riverton.", "target_days": 20},
     all_of(IN_RIVERTON, var("child_needs_school_place")),
     form(["child_name", "date_of_birth", "first_choice"],
          child_name=text("Child's full name", 100), date_of_birth=date("Child's date of birth"),
          first_choice=choice("First choice of school", "Riverside Primary",
                              "St Anne's Primary", "Northbank Academy", "Riverton High"),
          second_choice=choice("Second choice of school", "Riverside Primary",
                               "St Anne's Primary", "Northbank Academy", "Riverton High"),
          sibling_at_school=yes_no("Does a brother or sister go to your first choice?"))),
    (COUNCIL, "free-school-meals", "Free school meals", ["free-school-meals"],
     "A free lunch every school day for children of families on Universal Credit.",
     {"who_for": "Families with school-age children who get Universal Credit.",
      "target_days": 7},
     all_of(at_least("children_under_16", 1), var("gets_universal_credit")),
     form(["children"], children=number("How many children at school?", 1, 10),
          school=text("Which school do they go to?", 100))),
    (COUNCIL, "school-transport", "Help with school transport", ["schools"],
     "Free travel to school for children who live far from their nearest school.",
     {"who_for": "Children living more than 2 miles (under 8) or 3 miles (8 and over) from "
      "their nearest suitable school.", "target_days": 20},
     var("child_needs_school_place"),
     form(["child_name", "school", "distance_miles"], child_name=text("Child's name", 100),
          school=text("School", 100), distance_miles=number("Distance in miles", 0, 50))),
    (COUNCIL, "send-assessment", "Education, health and care needs assessment", ["send"],
     "An assessment of a child's special educational needs.",
     {"who_for": "Children and young people up to 25 with special educational needs.",
      "target_days": 42},
     at_least("children_under_16", 1),
     form(["child_name", "needs"], child_name=text("Child's name", 100),
          needs=text("Describe your child's needs", 4000))),
    (COUNCIL, "early-years-funding", "Free childcare for young children", ["childcare"],
     "Up to 30 hours a week of free childcare for children under 4.",
     {"who_for": "Parents in Riverton expecting a baby or with a child under 4."},
     all_of(IN_RIVERTON, var("expecting_or_child_under_4")),
     form(["child_date_of_birth", "hours"], child_date_of_birth=date("Child's date of birth"),
          hours=choice("Hours a week", "15", "30"))),
    (COUNCIL, "register-a-birth", "Register a birth", ["registering-a-birth"],
     "Book an appointment to register a baby's birth within 42 days.",
     {"who_for": "Parents of a baby born in Riverton.", "target_days": 5},
     var("expecting_or_child_under_4"),
     form(["baby_name", "date_of_birth"], baby_name=text("Baby's full name", 100),
          date_of_birth=date("Date of birth"),
          both_parents=yes_no("Will both parents come to the appointment?"))),
    (COUNCIL, "tell-us-once", "Tell us once about a death", ["bereavement"],
     "Tell every public body about a death in one go.",
     {"who_for": "Anyone dealing with the affairs of someone who has died.", "target_days": 3},
     None,
     form(["deceased_name", "date_of_death"], deceased_name=text("Their full name", 100),
          date_of_death=date("Date of death"), relationship=text("Your relationship", 50))),
    (COUNCIL, "register-to-vote", "Register to vote", ["moving-home"],
     "Get on the electoral register at your new address.",
     {"who_for": "Residents aged 16 or over.", "target_days": 10},
     all_of(IN_RIVERTON, at_least("age", 16)),
     form(["full_name", "date_of_birth", "moved_in"], full_name=text("Full name", 100),
          date_of_birth=date("Date of birth"), moved_in=date("When did you move in?"))),
    (COUNCIL, "carers-assessment", "Carer's assessment", ["carers"],
     "Find out what support you can get as an unpaid carer.",
     {"who_for": "Anyone who looks after someone without being paid.", "target_days": 28},
     var("is_carer"),
     form(["cared_for", "hours"], cared_for=text("Who do you look after?", 200),
          hours=number("Hours of care a week", 1, 168))),
    (COUNCIL, "employment-support", "Riverton Works: help into work", ["looking-for-work"],
     "A work coach, training and help with applications.",
     {"who_for": "Residents aged 16 or over looking for work.", "target_days": 10},
     all_of(IN_RIVERTON, at_least("age", 16)),
     form(["goal"], goal=text("What kind of work are you looking for?", 500),
          training=yes_no("Would you like training?"))),
    (COUNCIL, "garden-waste", "Garden waste collection", ["bin-collections"],
     "A brown bin emptied every two weeks from March to November.",
     {"who_for": "Households in Riverton with a garden.", "cost": "£45 a year",
      "target_days": 10},
     IN_RIVERTON,
     form(["bins"], bins=number("How many brown bins?", 1, 3))),
    (COUNCIL, "bulky-waste", "Bulky waste collection", ["bin-collections"],
     "We collect furniture and large appliances from outside your home.",
     {"who_for": "Households in Riverton.", "cost": "£25 for up to 3 items",
      "target_days": 10, "location_based": True},
     None,
     form(["items", "where"], items=text("What needs collecting?", 500),
          count=number("How many items?", 1, 3),
          where=text("Where will the items be left?", 300))),
    (COUNCIL, "missed-bin", "Report a missed bin", ["bin-collections"],
     "Tell us if your bin was not emptied on collection day.",
     {"target_days": 2, "location_based": True}, None,
     street_form("Which bin was missed?", "General waste", "Recycling", "Garden waste",
                 "Food waste")),
    (COUNCIL, "pothole", "Report a pothole", ["report-a-street-problem"],
     "Potholes and damaged roads or pavements.",
     {"target_days": 5, "location_based": True}, None,
     street_form("What is the problem?", "Pothole in the road", "Damaged pavement",
                 "Sunken drain cover")),
    (COUNCIL, "fly-tipping", "Report fly-tipping", ["report-a-street-problem"],
     "Rubbish dumped on streets, paths or open land.",
     {"target_days": 3, "location_based": True}, None,
     street_form("What has been dumped?", "Household rubbish", "Furniture",
                 "Building waste", "Hazardous waste", "Other")),
    (COUNCIL, "street-light", "Report a street light fault", ["report-a-street-problem"],
     "Street lights that are out, flickering or on in the day.",
     {"target_days": 7, "location_based": True}, None,
     street_form("What is wrong with the light?", "Not working", "Flickering",
                 "On during the day", "Damaged")),
    (COUNCIL, "graffiti", "Report graffiti", ["report-a-street-problem"],
     "Graffiti on public buildings, walls and street furniture.",
     {"target_days": 10, "location_based": True}, None,
     street_form("Is the graffiti offensive?", "Offensive", "Not offensive")),
    (COUNCIL, "dog-fouling", "Report dog fouling", ["report-a-street-problem"],
     "Dog mess on streets, paths and parks.",
     {"target_days": 3, "location_based": True}, None,
     street_form("Where is it?", "Pavement", "Park", "Play area")),
    # --- Riverton Housing Authority
    (HOUSING, "housing-register", "Join the housing register", ["social-housing"],
     "Apply for a council or housing association home.",
     {"who_for": "Adults who have lived in Riverton for two years.", "target_days": 28},
     all_of(IN_RIVERTON, at_least("age", 18)),
     form(["bedrooms_needed", "reason"], bedrooms_needed=number("Bedrooms needed", 1, 6),
          reason=choice("Why do you need to move?", "Overcrowding", "Medical needs",
                        "Homeless or at risk", "Other"),
          details=text("Tell us more", 2000))),
    (HOUSING, "homelessness-help", "Help if you are homeless or may lose your home",
     ["homelessness"],
     "Advice and action to keep your home or find another.",
     {"who_for": "Anyone homeless or at risk of losing their home in the next 8 weeks.",
      "target_days": 1,
      "how_to_apply": "Apply online or call the housing options team. If you have nowhere "
      "to stay tonight, call now."},
     var("at_risk_of_homelessness"),
     form(["situation", "when"], situation=choice("What is happening?", "Eviction notice",
                                                  "Asked to leave by family or friends",
                                                  "Domestic abuse", "Sleeping rough", "Other"),
          when=date("When do you need to leave?"), phone=CONTACT["phone"])),
    (HOUSING, "emergency-accommodation", "Emergency accommodation", ["homelessness"],
     "A safe place to stay tonight if you have nowhere to go.",
     {"who_for": "People with nowhere safe to stay tonight.", "target_days": 0},
     all_of(var("at_risk_of_homelessness"), one_of("tenure", "no home", "temporary")),
     form(["people", "phone"], people=number("How many people need a place?", 1, 12),
          phone=CONTACT["phone"])),
    (HOUSING, "housing-repairs", "Report a repair to your council home", ["repairs"],
     "Leaks, broken boilers, doors and windows in council homes.",
     {"who_for": "Tenants of the Housing Authority.", "target_days": 20},
     one_of("tenure", "social rent"),
     form(["repair", "room"], repair=text("What needs repairing?", 1000),
          room=choice("Which room?", "Kitchen", "Bathroom", "Bedroom", "Living room", "Other"),
          urgent=yes_no("Is it dangerous or is water coming in?"))),
    (HOUSING, "damp-and-mould", "Report damp and mould", ["repairs"],
     "We inspect within 14 days and fix the cause.",
     {"who_for": "Tenants of the Housing Authority.", "target_days": 14},
     one_of("tenure", "social rent", "temporary"),
     form(["rooms"], rooms=text("Which rooms are affected?", 300),
          health=yes_no("Is anyone's health affected?"))),
    (HOUSING, "tenancy-sustainment", "Tenancy sustainment support", ["social-housing"],
     "A support officer helps you keep your tenancy if you are struggling.",
     {"who_for": "Tenants behind on rent or bills.", "target_days": 10},
     all_of(one_of("tenure", "social rent", "temporary"), var("behind_on_bills")),
     form(["concern"], concern=text("What is worrying you most?", 1000))),
    (HOUSING, "mutual-exchange", "Swap your council home", ["social-housing"],
     "Exchange homes with another social tenant.",
     {"who_for": "Secure tenants of the Housing Authority.", "target_days": 42},
     one_of("tenure", "social rent"),
     form(["bedrooms_wanted"], bedrooms_wanted=number("Bedrooms wanted", 1, 6))),
    # --- Benefits Agency
    (BENEFITS, "universal-credit", "Universal Credit", ["benefits"],
     "A monthly payment to help with living costs if you are on a low income or out of work.",
     {"who_for": "People aged 18 to pension age with savings under £16,000.",
      "target_days": 35},
     all_of(at_least("age", 18), below("age", 66), {"<=": [var("savings"), 16000]}),
     form(["housing_costs", "savings"], housing_costs=number("Monthly rent in pounds", 0, 5000),
          savings=number("Savings in pounds", 0, 1_000_000),
          working=yes_no("Are you working?"))),
    (BENEFITS, "pension-credit", "Pension Credit", ["benefits"],
     "Extra money each week if you are over State Pension age and on a low income.",
     {"who_for": "People over State Pension age (66).", "target_days": 50},
     all_of(at_least("age", 66), below("weekly_income", 230)),
     form(["weekly_income"], weekly_income=number("Weekly income in pounds", 0, 2000),
          partner=yes_no("Do you live with a partner?"))),
    (BENEFITS, "carers-allowance", "Carer's Allowance", ["carers", "benefits"],
     "£81.90 a week if you care for someone at least 35 hours a week.",
     {"who_for": "Unpaid carers aged 16 or over.", "target_days": 28},
     all_of(var("is_carer"), at_least("age", 16)),
     form(["hours", "cared_for_benefit"], hours=number("Hours of care a week", 35, 168),
          cared_for_benefit=yes_no("Does the person you care for get a disability benefit?"))),
    (BENEFITS, "personal-independence-payment", "Personal Independence Payment",
     ["disability-and-caring", "benefits"],
     "Help with extra costs if you have a long-term health condition or disability.",
     {"who_for": "People aged 16 to pension age with a condition lasting 12 months or more.",
      "target_days": 100},
     all_of(at_least("age", 16), below("age", 66),
            any_of(var("mobility_difficulty"), var("gets_disability_benefit"))),
     form(["condition"], condition=text("Describe your condition", 4000),
          daily_help=yes_no("Do you need help with daily living?"))),
    (BENEFITS, "child-benefit", "Child Benefit", ["having-a-baby", "benefits"],
     "A payment every four weeks for each child under 16.",
     {"who_for": "Anyone responsible for a child under 16.", "target_days": 21},
     at_least("children_under_16", 1),
     form(["children"], children=number("How many children?", 1, 15))),
    (BENEFITS, "budgeting-advance", "Budgeting Advance", ["benefits", "debt-advice"],
     "An advance on Universal Credit for emergency costs.",
     {"who_for": "People on Universal Credit for 6 months or more.", "target_days": 7},
     var("gets_universal_credit"),
     form(["amount", "reason"], amount=number("Amount in pounds", 100, 1500),
          reason=text("What is it for?", 500))),
    # --- Health Board
    (HEALTH, "health-visiting", "Health visiting", ["having-a-baby", "childcare"],
     "A health visitor supports you from pregnancy until your child is 5.",
     {"who_for": "Expectant parents and families with young children.", "target_days": 14},
     var("expecting_or_child_under_4"),
     form(["due_or_born"], due_or_born=date("Due date or child's date of birth"))),
    (HEALTH, "care-needs-assessment", "Adult care needs assessment",
     ["disability-and-caring"],
     "An assessment of the care and support you need at home.",
     {"who_for": "Adults who need help with daily living.", "target_days": 28},
     any_of(var("mobility_difficulty"), at_least("age", 75)),
     form(["needs"], needs=text("What do you find hard to do?", 2000),
          lives_alone=yes_no("Do you live alone?"))),
    (HEALTH, "community-equipment", "Community equipment", ["adaptations"],
     "Grab rails, bath seats and other aids on loan.",
     {"who_for": "People with mobility difficulties.", "target_days": 14},
     var("mobility_difficulty"),
     form(["equipment"], equipment=text("What equipment do you need?", 500))),
    (HEALTH, "carers-health-check", "Carer's health check", ["carers"],
     "A health check and support for unpaid carers.",
     {"who_for": "Unpaid carers.", "target_days": 21},
     var("is_carer"),
     form(["gp_practice"], gp_practice=text("Your GP practice", 100))),
    # --- Food Bank
    (FOOD_BANK, "food-parcels", "Emergency food parcels", ["food-support"],
     "Three days of nutritionally balanced food.",
     {"who_for": "Riverton households in a crisis, usually with a referral.",
      "how_to_apply": "Ask for a referral from the Advice Centre, your health visitor or "
      "school, or apply here."},
     all_of(IN_RIVERTON, any_of(var("behind_on_bills"), below("weekly_income", 200))),
     form(["people", "dietary_needs"], people=number("How many people in your household?",
                                                     1, 15),
          dietary_needs=choice("Dietary needs", "None", "Halal", "Vegetarian", "No nuts",
                               "Other"),
          can_collect=yes_no("Can you collect the parcel?"))),
    (FOOD_BANK, "baby-bank", "Baby bank", ["having-a-baby", "food-support"],
     "Nappies, formula, clothes and equipment for babies and toddlers.",
     {"who_for": "Families expecting a baby or with a child under 4."},
     var("expecting_or_child_under_4"),
     form(["needs"], needs=text("What do you need?", 500))),
    (FOOD_BANK, "holiday-meals", "Holiday meals club", ["food-support", "free-school-meals"],
     "Free meals and activities for children in the school holidays.",
     {"who_for": "Children who get free school meals."},
     all_of(at_least("children_under_16", 1), LOW_INCOME),
     form(["children"], children=number("How many children?", 1, 10))),
    # --- Advice Centre
    (ADVICE, "debt-advice", "Free debt advice", ["debt-advice"],
     "An adviser helps you deal with debts and talks to creditors for you.",
     {"who_for": "Anyone in Riverton behind on bills or worried about money.",
      "target_days": 10},
     var("behind_on_bills"),
     form(["debts"], debts=text("Who do you owe money to?", 1000),
          court_papers=yes_no("Have you had court papers?"))),
    (ADVICE, "benefits-check", "Benefits check", ["benefits"],
     "Find out which benefits you could claim.",
     {"who_for": "Anyone.", "target_days": 10}, None,
     form(["question"], question=text("What would you like help with?", 1000))),
    (ADVICE, "housing-advice", "Housing advice", ["housing-and-homelessness"],
     "Advice on renting, repairs, eviction and your rights.",
     {"who_for": "Anyone with a housing problem.", "target_days": 5}, None,
     form(["problem"], problem=text("What is the problem?", 1000))),
    # --- Riverton Energy
    (ENERGY, "energy-hardship-fund", "Energy hardship fund", ["energy-bills"],
     "A grant of up to £500 towards energy debt.",
     {"who_for": "Riverton Energy customers on a low income who are behind on their bills.",
      "target_days": 21},
     all_of(var("behind_on_bills"), LOW_INCOME),
     form(["account_ref", "arrears"], account_ref=text("Energy account number", 10),
          arrears=number("How much do you owe, in pounds?", 1, 10000))),
    (ENERGY, "priority-services-register", "Priority Services Register", ["energy-bills",
                                                                          "disability-and-caring"],
     "Extra help during power cuts and with your meter.",
     {"who_for": "Older and disabled customers, and families with young children.",
      "target_days": 5},
     any_of(at_least("age", 66), var("mobility_difficulty"), var("expecting_or_child_under_4")),
     form(["needs"], needs=choice("Why do you need extra help?", "Older age", "Disability",
                                  "Young children", "Medical equipment", "Other"))),
    (ENERGY, "emergency-credit", "Emergency credit for prepayment meters", ["energy-bills"],
     "Up to £30 of credit if your prepayment meter runs out.",
     {"who_for": "Customers with a prepayment meter.", "target_days": 0},
     var("prepayment_meter"),
     form(["meter_number"], meter_number=text("Meter number", 20))),
    # --- Northbank Tenants' Association
    (TENANTS, "repairs-surgery", "Repairs surgery", ["repairs"],
     "Bring your repair problems to our monthly drop-in; we chase the landlord with you.",
     {"who_for": "Northbank Estate tenants."}, None,
     form(["issue"], issue=text("What is the problem?", 1000))),
    (TENANTS, "hardship-fund", "Tenants' hardship fund", ["struggling-with-bills"],
     "Small grants for tenants in a crisis.",
     {"who_for": "Northbank Estate tenants behind on rent or bills.", "target_days": 14},
     all_of(one_of("tenure", "social rent"), var("behind_on_bills")),
     form(["amount", "reason"], amount=number("Amount in pounds", 10, 200),
          reason=text("What is it for?", 500))),
    (TENANTS, "community-garden", "Community garden volunteering", ["looking-for-work"],
     "Grow food, meet neighbours and gain experience.",
     {"who_for": "Anyone."}, None,
     form(["availability"], availability=text("When are you free?", 300))),
]

# Where and when some services are offered (for the service pages and the HSDS export).
PLACES: dict[str, dict[str, Any]] = {
    "food-parcels": {"name": "Riverton Food Bank warehouse", "address": "Unit 4, Mill Lane",
                     "postal_code": "RV2 4ML", "lat": 51.512, "long": -0.131,
                     "byday": "MO,WE,FR", "opens": time(10), "closes": time(14),
                     "contact": ("Food bank team", "help@riverton-foodbank.example",
                                 "01632 960400")},
    "baby-bank": {"name": "Riverton Food Bank warehouse", "address": "Unit 4, Mill Lane",
                  "postal_code": "RV2 4ML", "lat": 51.512, "long": -0.131,
                  "byday": "TH", "opens": time(10), "closes": time(13)},
    "repairs-surgery": {"name": "Northbank Community Room", "address": "Block C, Northbank Estate",
                        "postal_code": "RV3 1NB", "lat": 51.521, "long": -0.118,
                        "byday": "SA", "opens": time(11), "closes": time(13),
                        "description": "First Saturday of the month, 11am to 1pm."},
    "debt-advice": {"name": "Riverton Advice Centre", "address": "12 High Street",
                    "postal_code": "RV1 1HS", "lat": 51.515, "long": -0.125,
                    "byday": "MO,TU,WE,TH,FR", "opens": time(9, 30), "closes": time(16, 30),
                    "contact": ("Advice line", "advice@riverton-advice.example", "01632 960500")},
}


def _places(service: Service, seed: int) -> None:
    spec = PLACES.get(service.code)
    if spec is None or service.at_locations.exists():
        return
    location, _ = Location.objects.get_or_create(
        public_id=stable_uuid(seed, "location", spec["name"]),
        defaults={"organization": service.provider, "name": spec["name"],
                  "address": spec["address"], "city": "Riverton",
                  "postal_code": spec["postal_code"], "country": "GB",
                  "latitude": spec["lat"], "longitude": spec["long"]})
    at = ServiceAtLocation.objects.create(
        public_id=stable_uuid(seed, "service-at-location", service.code), service=service,
        location=location)
    Schedule.objects.create(
        public_id=stable_uuid(seed, "schedule", service.code), service=service,
        at_location=at, freq="WEEKLY", byday=spec["byday"], opens_at=spec["opens"],
        closes_at=spec["closes"], description=spec.get("description", ""))
    if "contact" in spec:
        name, email, phone = spec["contact"]
        Contact.objects.create(public_id=stable_uuid(seed, "contact", service.code),
                               service=service, name=name, email=email, phone=phone)


def _topics_ensure() -> None:
    """Put back the starting topics if they are missing (a flushed test database)."""
    known = set(Topic.objects.values_list("slug", flat=True))
    saved: dict[str, Topic] = {}
    for item in topics_flat():
        if item["slug"] not in known:
            saved[item["slug"]] = topic_save(
                actor=SYSTEM, slug=item["slug"], name=item["name"],
                summary=item.get("summary", ""), position=item["position"],
                parent=saved.get(item["parent"]) or Topic.objects.filter(
                    slug=item["parent"]).first() if item["parent"] else None)


def catalog_load(*, seed: int, step: Callable[[str], None]) -> int:
    """Add Riverton's services that are missing (with their places); return how many new.

    Runs inside `demo_load`'s transaction. A service already there under its code is left
    alone, so loading again changes nothing.
    """
    if Question.objects.count() < len(QUESTIONS):  # a flushed test database lost them
        questions_load(Question)
    _topics_ensure()
    providers = {o.slug: o for o in Organization.objects.filter(
        slug__in={spec[0] for spec in SERVICES})}
    existing = set(Service.objects.filter(code__in=[spec[1] for spec in SERVICES])
                   .values_list("code", flat=True))
    created = 0
    for provider, code, name, topics, summary, details, rule, form_schema in SERVICES:
        # The applications part's forms fill answers in from the town's records; they win.
        form_schema = DEMO_FORMS.get(code, form_schema)
        if code not in existing:
            service = service_create(
                actor=SYSTEM, provider=providers[provider], code=code, topics=topics,
                public_id=stable_uuid(seed, "service", code),
                details={"name": name, "summary": summary, "status": "published",
                         "eligibility_rule": rule, "form_schema": form_schema, **details})
            _places(service, seed)
            created += 1
    step(f"Catalogue: {len(SERVICES)} services ({created} new)")
    return created
