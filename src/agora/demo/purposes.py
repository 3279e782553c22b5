"""What each Riverton organisation declares it uses personal data for: its register.

Every organisation declares the purposes that fit it, each with its legal basis, the
categories it needs and whom it serves; the command line proposes and approves each
one (in a real organisation an administrator proposes and the data protection officer
approves). The food bank declares emergency food support and debt advice only, so a
client of it asking for healthcare provision or fraud prevention is refused.
"""

from collections.abc import Callable
from dataclasses import dataclass

from agora.access.models import PurposeDeclaration
from agora.access.services import purpose_declaration_approve, purpose_declaration_propose
from agora.core.actors import SYSTEM
from agora.demo import records as r
from agora.organizations.models import Organization

PUBLIC_TASK, CONSENT, CONTRACT, LEGAL_OBLIGATION = "6.1.e", "6.1.a", "6.1.b", "6.1.c"
RESIDENTS = "Residents of Riverton"


@dataclass(frozen=True)
class DeclarationPlan:
    organization: str
    purpose: str
    legal_basis: str
    categories: tuple[str, ...]
    serves: str
    description: str
    retention: str
    special_condition: str = ""


def declaration_plans() -> list[DeclarationPlan]:
    """Return Riverton's registers of processing, organisation by organisation."""
    plan = DeclarationPlan
    return [
        plan(r.COUNCIL, "benefit-assessment", PUBLIC_TASK,
             ("identity", "contact", "household", "income-and-benefits"),
             f"{RESIDENTS} who pay council tax or ask for council tax reduction or local "
             "welfare support.",
             "Billing council tax and working out reductions and local welfare payments.",
             "Six years after the account closes."),
        plan(r.COUNCIL, "social-care-support", PUBLIC_TASK,
             ("identity", "contact", "household", "health"),
             "Adults in Riverton who need care and support, and their carers.",
             "Assessing care needs and arranging care packages.",
             "Eight years after care ends.", special_condition="9.2.h"),
        plan(r.COUNCIL, "energy-support", PUBLIC_TASK, ("energy", "income-and-benefits"),
             "Households in Riverton struggling with energy bills.",
             "Paying winter energy support to households in arrears.",
             "Two years after the payment."),
        plan(r.HOUSING, "housing-allocation", PUBLIC_TASK,
             ("identity", "contact", "household", "housing"),
             "People on Riverton's housing register and homeless households.",
             "Deciding who is offered social housing and temporary accommodation.",
             "Six years after the application closes."),
        plan(r.HOUSING, "tenancy-management", CONTRACT, ("contact", "housing"),
             "Tenants of the housing authority.",
             "Collecting rent, doing repairs and running tenancies.",
             "Six years after the tenancy ends."),
        plan(r.BENEFITS, "benefit-assessment", PUBLIC_TASK,
             ("identity", "contact", "household", "income-and-benefits", "employment"),
             "People who claim benefits at the Riverton office.",
             "Deciding and paying benefit claims.", "Fourteen months after the claim ends."),
        plan(r.BENEFITS, "fraud-prevention", LEGAL_OBLIGATION,
             ("identity", "income-and-benefits"),
             "People who claim benefits at the Riverton office.",
             "Checking claims against the law on benefit fraud.",
             "Six years after the check."),
        plan(r.HEALTH, "healthcare-provision", PUBLIC_TASK, ("identity", "contact", "health"),
             "Patients of the health board.", "Treating patients and keeping their records.",
             "Eight years after the last treatment.", special_condition="9.2.h"),
        plan(r.HEALTH, "public-health-statistics", PUBLIC_TASK, ("health",),
             f"{RESIDENTS}, counted together, never one by one.",
             "Counting health needs across the town to plan services.",
             "Two years, then only the published counts are kept.",
             special_condition="9.2.j"),
        plan(r.FOOD_BANK, "emergency-food-support", CONSENT,
             ("contact", "household", "income-and-benefits", "case-history"),
             "People and households who ask the food bank for help.",
             "Giving food parcels and vouchers, and noting what was given.",
             "Two years after the last parcel."),
        plan(r.FOOD_BANK, "debt-advice", CONSENT, ("income-and-benefits", "case-history"),
             "Food bank clients who ask for help with debts.",
             "Pointing clients to debt advice and noting the referral.",
             "Two years after the last visit."),
        plan(r.ADVICE, "debt-advice", CONSENT,
             ("contact", "housing", "income-and-benefits", "energy", "case-history"),
             "People who ask the advice centre for help with debts.",
             "Advising on debts, rent and energy arrears, with the client's consent.",
             "Six years after the case closes."),
        plan(r.ENERGY, "energy-support", CONTRACT,
             ("contact", "energy", "income-and-benefits"),
             "Riverton Energy's customers.",
             "Supplying energy, billing and helping customers in arrears.",
             "Six years after the account closes."),
        plan(r.TENANTS, "member-services", CONTRACT, ("contact",),
             "Members of the Northbank Tenants' Association.",
             "Keeping in touch with members and speaking up for them.",
             "Until a member leaves, then one year."),
    ]


def purposes_load(*, step: Callable[[str], None]) -> int:
    """Declare and approve every planned purpose inside `demo_load`'s transaction, through
    the access services as the command line (each step logged); return how many were
    declared. A purpose an organisation already declared is left alone (safe to re-run)."""
    organisations = {o.slug: o for o in Organization.objects.all()}
    created = 0
    for item in declaration_plans():
        organisation = organisations[item.organization]
        if PurposeDeclaration.objects.filter(
                organization=organisation, purpose__code=item.purpose).exists():
            continue
        declaration = purpose_declaration_propose(
            actor=SYSTEM, organization=organisation, purpose=item.purpose,
            legal_basis=item.legal_basis, special_condition=item.special_condition,
            categories=item.categories, serves=item.serves, description=item.description,
            retention=item.retention,
        )
        purpose_declaration_approve(actor=SYSTEM, declaration=declaration)
        created += 1
    step("Registers of processing")
    return created
