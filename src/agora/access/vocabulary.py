"""The shared vocabulary every installation starts with: data categories and purposes.

The data migration `0002_vocabulary` loads these (and re-running it only updates them),
so agreements and consents everywhere speak the same words. Organisations may add more.
"""

CATEGORIES: list[dict] = [
    {
        "code": "identity",
        "name": "Identity",
        "description": "Name, date of birth and identifiers that say who a person is.",
    },
    {
        "code": "contact",
        "name": "Contact details",
        "description": "Address, email and phone number used to reach a person.",
    },
    {
        "code": "household",
        "name": "Household",
        "description": "Who lives with the person and how they are related.",
    },
    {
        "code": "housing",
        "name": "Housing",
        "description": "Where and how the person lives: tenancy, rent, repairs, housing needs.",
    },
    {
        "code": "income-and-benefits",
        "name": "Income and benefits",
        "description": "Earnings, benefits received, debts and other money matters.",
    },
    {
        "code": "health",
        "name": "Health",
        "description": (
            "Physical and mental health, disability and care needs. A special category: "
            "it needs an extra legal condition (GDPR Art. 9) to be shared."
        ),
        "is_special": True,
    },
    {
        "code": "case-history",
        "name": "Case history",
        "description": "Past requests, applications and cases and what happened to them.",
    },
    {
        "code": "employment",
        "name": "Employment",
        "description": "Work, job seeking and training for work.",
    },
    {
        "code": "education",
        "name": "Education",
        "description": "Schools, courses and qualifications.",
    },
    {
        "code": "energy",
        "name": "Energy",
        "description": "Energy supply, meters, bills and arrears.",
    },
]

PURPOSES: list[dict] = [
    {
        "code": "benefit-assessment",
        "name": "Benefit assessment",
        "description": "Working out which benefits a person can get and how much.",
        "legal_basis": "6.1.e",
    },
    {
        "code": "housing-allocation",
        "name": "Housing allocation",
        "description": "Deciding who gets social housing and which home suits them.",
        "legal_basis": "6.1.e",
    },
    {
        "code": "social-care-support",
        "name": "Social care support",
        "description": "Assessing and arranging care and support for a person who needs it.",
        "legal_basis": "6.1.e",
        "special_condition": "9.2.h",
    },
    {
        "code": "healthcare-provision",
        "name": "Healthcare provision",
        "description": "Giving a person medical care or treatment.",
        "legal_basis": "6.1.e",
        "special_condition": "9.2.h",
    },
    {
        "code": "debt-advice",
        "name": "Debt advice",
        "description": "Helping a person understand and deal with their debts, when they ask.",
        "legal_basis": "6.1.a",
    },
    {
        "code": "emergency-food-support",
        "name": "Emergency food support",
        "description": "Giving a person or household food parcels or vouchers, when they ask.",
        "legal_basis": "6.1.a",
    },
    {
        "code": "fraud-prevention",
        "name": "Fraud prevention",
        "description": "Checking that public money goes to the people it is meant for.",
        "legal_basis": "6.1.c",
    },
    {
        "code": "energy-support",
        "name": "Energy support",
        "description": "Help with energy bills, arrears and supply under the person's contract.",
        "legal_basis": "6.1.b",
    },
    {
        "code": "tenancy-management",
        "name": "Tenancy management",
        "description": "Running a person's tenancy: rent, repairs and the home itself.",
        "legal_basis": "6.1.b",
    },
    {
        "code": "public-health-statistics",
        "name": "Public health statistics",
        "description": "Counting and studying health needs across the town, never one person.",
        "legal_basis": "6.1.e",
        "special_condition": "9.2.j",
    },
    {
        "code": "member-services",
        "name": "Member services",
        "description": "Keeping in touch with the members of an association and speaking "
        "up for them, as members agreed when they joined.",
        "legal_basis": "6.1.b",
    },
]


def load_vocabulary(category_model, purpose_model) -> None:
    """Create or update the standard categories and purposes, matched by code."""
    for item in CATEGORIES:
        category_model.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "description": item["description"],
                "is_special": item.get("is_special", False),
            },
        )
    for item in PURPOSES:
        purpose_model.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "description": item["description"],
                "legal_basis": item["legal_basis"],
                "special_condition": item.get("special_condition", ""),
            },
        )
