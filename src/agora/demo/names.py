"""The fixed tables Riverton is drawn from: organisations, staff roles, names and streets.

Small hand-written lists rather than a fake-data library, so the town is the same on
every machine and every version of every package. Phone numbers come from the ranges
Ofcom reserves for drama (01632 960xxx, 07700 900xxx); addresses are invented and
email addresses use the reserved `.example` top-level domain.
"""

EMAIL_DOMAIN = "riverton.example"
TOWN = "Riverton"

# slug, name, kind, mail subdomain, description, roles of its staff (one account per role
# entry; a tuple gives one person several roles).
ORGANISATIONS: list[dict] = [
    {
        "slug": "riverton-borough-council",
        "name": "Riverton Borough Council",
        "kind": "government",
        "mail": "council",
        "description": (
            "The local authority for Riverton: council tax, bins and recycling, school "
            "places, adult social care, planning and local welfare support."
        ),
        "staff": ["admin", "caseworker", "caseworker", "publisher", "analyst", "dpo"],
    },
    {
        "slug": "riverton-housing-authority",
        "name": "Riverton Housing Authority",
        "kind": "government",
        "mail": "housing",
        "description": (
            "Social housing in Riverton: the housing register, homelessness advice, "
            "temporary accommodation, repairs and tenancy support."
        ),
        "staff": ["admin", "caseworker", "caseworker", "publisher", "analyst", "dpo"],
    },
    {
        "slug": "benefits-agency-riverton",
        "name": "Benefits Agency (Riverton office)",
        "kind": "government",
        "mail": "benefits",
        "description": (
            "The Riverton office of the national Benefits Agency: income support, "
            "housing costs, disability and carer's payments, and pension credit."
        ),
        "staff": ["admin", "caseworker", "caseworker", "publisher", "analyst", "dpo"],
    },
    {
        "slug": "riverton-health-board",
        "name": "Riverton Health Board",
        "kind": "government",
        "mail": "health",
        "description": (
            "Community health services for Riverton: GP registration, district nursing, "
            "health visitors, mental health support and help with health costs."
        ),
        "staff": ["admin", "caseworker", "caseworker", "publisher", "analyst", "dpo"],
    },
    {
        "slug": "riverton-food-bank",
        "name": "Riverton Food Bank",
        "kind": "ngo",
        "mail": "foodbank",
        "description": (
            "Emergency food parcels, a community pantry and fuel vouchers for people "
            "in crisis, on referral from agencies and advice services."
        ),
        "staff": ["admin", "caseworker", "publisher"],
    },
    {
        "slug": "riverton-advice-centre",
        "name": "Riverton Advice Centre",
        "kind": "ngo",
        "mail": "advice",
        "description": (
            "Free, independent advice on benefits, debt, housing and employment, with "
            "help filling in forms and representation at appeals."
        ),
        "staff": ["admin", "caseworker", "caseworker", "publisher", "dpo"],
    },
    {
        "slug": "riverton-energy",
        "name": "Riverton Energy",
        "kind": "business",
        "mail": "energy",
        "description": (
            "The local gas and electricity supplier, with a priority services register "
            "and a hardship fund for customers struggling with bills."
        ),
        "staff": ["admin", "caseworker", "dpo"],
    },
    {
        "slug": "northbank-tenants",
        "name": "Northbank Tenants' Association",
        "kind": "community",
        "mail": "northbank",
        "description": (
            "Volunteers representing tenants on the Northbank estate: repairs "
            "campaigns, a weekly drop-in and a newsletter."
        ),
        "staff": [("admin", "publisher")],
    },
]

GIVEN_NAMES = [
    "Aisha", "Alfie", "Amara", "Amelia", "Arjun", "Ava", "Bethan", "Callum", "Chloe",
    "Connor", "Daniel", "Deborah", "Declan", "Eleanor", "Elijah", "Emily", "Ewan",
    "Fatima", "Finley", "Freya", "Gareth", "Grace", "Hamza", "Hannah", "Harvey", "Ibrahim",
    "Imogen", "Isla", "Jack", "Jasmine", "Joseph", "Kai", "Kiran", "Layla", "Leah", "Liam",
    "Lucy", "Maja", "Marcus", "Maryam", "Megan", "Mohammed", "Niamh", "Noah", "Olivia",
    "Oscar", "Priya", "Rhys", "Rosa", "Ruby", "Samuel", "Sana", "Sophie", "Stanislaw",
    "Tariq", "Theo", "Tomasz", "Victoria", "Wei", "Yusuf", "Zara", "Zofia",
]
OLDER_GIVEN_NAMES = [
    "Barbara", "Brian", "Dorothy", "Eileen", "Frank", "Geoffrey", "Gwen", "Harold",
    "Irene", "Joan", "Kenneth", "Margaret", "Maureen", "Norman", "Patricia", "Raymond",
    "Sheila", "Stanley", "Valerie", "Winston",
]
FAMILY_NAMES = [
    "Adeyemi", "Ahmed", "Bailey", "Begum", "Brennan", "Campbell", "Chen", "Clarke",
    "Davies", "Doherty", "Evans", "Fletcher", "Gallagher", "Green", "Hughes", "Hussain",
    "Jones", "Kaur", "Kowalski", "Lewis", "Mensah", "Morgan", "Murphy", "Nguyen",
    "Novak", "O'Brien", "Okafor", "Osei", "Patel", "Price", "Reid", "Robinson", "Shah",
    "Singh", "Taylor", "Thomas", "Walker", "Wiśniewska", "Wright", "Yilmaz",
]
# (street, postcode district); house numbers are drawn, flats get a block name.
STREETS = [
    ("Mill Lane", "RV1"), ("Station Road", "RV1"), ("Church Street", "RV1"),
    ("Riverside Walk", "RV2"), ("Ferry Road", "RV2"), ("Willow Close", "RV2"),
    ("Orchard Way", "RV3"), ("Kingfisher Drive", "RV3"), ("Bridge Street", "RV3"),
    ("Market Place", "RV1"), ("Canal Row", "RV2"), ("Meadow View", "RV4"),
    ("Hawthorn Avenue", "RV4"), ("Quarry Hill", "RV4"), ("Elm Grove", "RV3"),
]
# Flats on the Northbank estate (social housing).
ESTATE_BLOCKS = ["Heron House", "Kestrel House", "Otter Court", "Wharf Court"]
ESTATE_STREET = ("Northbank Estate", "RV2")
# Temporary accommodation the housing authority places people in.
TEMPORARY_ADDRESSES = ["Riverside Lodge (hostel)", "Station Hotel (emergency placement)"]
