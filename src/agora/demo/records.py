"""What Riverton's organisations hold about its residents: a plan of records, no database.

Each household's situation (tenure, ages, the notes on its members) decides which
organisations know it and what they hold, the way it would in a real town: the council
bills council tax, the housing authority runs social tenancies and temporary
placements, the benefits agency pays claims, the health board keeps care records (some
restricted to named roles), the food bank, the advice centre, the energy supplier and
the tenants' association keep their own. Values are drawn from one `random.Random`
seeded from the town's seed; dates count from the fixed reference date, so the same
seed gives the same records everywhere. Every record has a stable public id and an
`external_ref`, the owner's own reference, which makes loading it again a no-op.
"""

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from agora.access.models import DataCategory, Purpose
from agora.access.vocabulary import CATEGORIES, load_vocabulary
from agora.core.actors import SYSTEM
from agora.demo.generator import REFERENCE_DATE, HouseholdPlan, PersonPlan, TownPlan, stable_uuid
from agora.organizations.models import Organization
from agora.people.identifiers import national_id_hash
from agora.people.models import Person
from agora.records.services import record_import

COUNCIL = "riverton-borough-council"
HOUSING = "riverton-housing-authority"
BENEFITS = "benefits-agency-riverton"
HEALTH = "riverton-health-board"
FOOD_BANK = "riverton-food-bank"
ADVICE = "riverton-advice-centre"
ENERGY = "riverton-energy"
TENANTS = "northbank-tenants"

Scalar = str | int | float | bool


@dataclass(frozen=True)
class RecordPlan:
    public_id: uuid.UUID
    owner: str  # organisation slug
    subject: uuid.UUID  # the person's public id
    category: str  # data category code
    title: str
    fields: dict[str, Scalar]
    external_ref: str
    classification: str = "internal"
    restricted_roles: tuple[str, ...] = ()


@dataclass
class _Builder:
    seed: int
    rng: random.Random
    records: list[RecordPlan] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)

    def add(self, owner: str, person: PersonPlan, category: str, title: str,
            fields: dict[str, Scalar], *, prefix: str, restricted: tuple[str, ...] = ()) -> None:
        number = self.counters.get(prefix, 0) + 1
        self.counters[prefix] = number
        external_ref = f"{prefix}-{number:05d}"
        self.records.append(RecordPlan(
            public_id=stable_uuid(self.seed, "record", owner, external_ref),
            owner=owner,
            subject=person.public_id,
            category=category,
            title=title,
            fields=fields,
            external_ref=external_ref,
            classification="restricted" if restricted else "internal",
            restricted_roles=restricted,
        ))

    def day(self, years_back: tuple[int, int]) -> str:
        """Return an ISO date some years before the reference date."""
        days = self.rng.randint(years_back[0] * 365, years_back[1] * 365)
        return (REFERENCE_DATE - timedelta(days=days)).isoformat()

    def money(self, low: int, high: int, step: int = 5) -> float:
        return float(self.rng.randrange(low, high + 1, step))


def age_of(person: PersonPlan) -> int:
    born = person.date_of_birth
    before_birthday = (REFERENCE_DATE.month, REFERENCE_DATE.day) < (born.month, born.day)
    return REFERENCE_DATE.year - born.year - before_birthday


def national_ids(plan: TownPlan) -> dict[uuid.UUID, str]:
    """Return each person's national identifier ("RV" and 7 digits), unique and fixed.

    Fake by construction: the RV prefix is no real scheme's. Only its keyed hash is
    stored (`people.identifiers`).
    """
    rng = random.Random(f"{plan.seed}/national-ids")  # noqa: S311 (demo data)
    numbers = rng.sample(range(1_000_000, 10_000_000), len(plan.people))
    return {p.public_id: f"RV{n:07d}" for p, n in zip(plan.people, numbers, strict=True)}


# ------------------------------------------------------------------ by organisation

_BANDS = {"A": 1354.0, "B": 1580.0, "C": 1805.0, "D": 2031.0, "E": 2482.0}


def _council(b: _Builder, home: HouseholdPlan, head: PersonPlan, low_income: bool) -> None:
    adults = [m for m in home.members if m.household_role != "child"]
    band = b.rng.choice("AB" if home.tenure in {"social_rent", "temporary"} else "BCDE")
    charge = _BANDS[band] * (0.75 if len(adults) == 1 else 1.0)
    if home.tenure != "temporary":  # the hostel pays; residents are not billed
        b.add(COUNCIL, head, "household", "Council tax account", {
            "account": f"CT{b.rng.randint(100000, 999999)}",
            "band": band,
            "annual_charge": round(charge, 2),
            "single_person_discount": len(adults) == 1,
            "council_tax_reduction": low_income,
            "arrears": b.money(0, 400) if low_income and b.rng.random() < 0.5 else 0.0,
            "payment_method": b.rng.choice(["direct debit", "cash at post office", "online"]),
        }, prefix="ct")
    b.add(COUNCIL, head, "household", "Household on the electoral and housing records", {
        "address": f"{home.address_line}, {home.town} {home.postcode}",
        "adults": len(adults),
        "children": len(home.members) - len(adults),
        "tenure": home.tenure.replace("_", " "),
        "registered_since": b.day((1, 12)),
    }, prefix="hh")


def _housing(b: _Builder, home: HouseholdPlan, head: PersonPlan) -> None:
    if home.tenure == "social_rent":
        b.add(HOUSING, head, "housing", "Secure tenancy", {
            "tenancy_ref": f"T{b.rng.randint(10000, 99999)}",
            "property": home.address_line,
            "tenancy_type": "starter" if age_of(head) < 22 else "secure",
            "start_date": b.day((0, 15)),
            "weekly_rent": b.money(95, 140),
            "rent_arrears": b.money(0, 900, 10) if b.rng.random() < 0.4 else 0.0,
            "repairs_open": b.rng.randint(0, 3),
            "officer_note": b.rng.choice([
                "Tenancy sustainment visit due.", "Damp reported in bathroom.",
                "No concerns at last visit.", "Asked about a transfer to a larger home.",
            ]),
        }, prefix="tn")
    elif home.tenure == "temporary":
        b.add(HOUSING, head, "housing", "Temporary accommodation placement", {
            "placement": home.address_line,
            "placed_on": b.day((0, 1)),
            "duty": "main housing duty" if home.members[1:] else "relief duty",
            "weekly_charge": b.money(60, 110),
            "register_band": "A",
            "officer_note": head.note.capitalize() + "." if head.note else "",
        }, prefix="ta")
    elif home.tenure == "private_rent" and b.rng.random() < 0.5:
        b.add(HOUSING, head, "housing", "Housing register application", {
            "register_band": b.rng.choice(["C", "D"]),
            "bedrooms_needed": max(1, len(home.members) - 1),
            "applied_on": b.day((0, 4)),
            "weekly_rent": b.money(150, 260),
            "rent_arrears": 0.0,
        }, prefix="hr")


def _claim(b: _Builder, person: PersonPlan, benefit: str, low: int, high: int,
           note: str = "") -> None:
    b.add(BENEFITS, person, "income-and-benefits", benefit, {
        "benefit": benefit,
        "claim_ref": f"BA{b.rng.randint(1000000, 9999999)}",
        "status": "in payment",
        "award_start": b.day((0, 6)),
        "weekly_amount": b.money(low, high),
        "next_review": (REFERENCE_DATE + timedelta(days=b.rng.randint(30, 360))).isoformat(),
        "case_note": note or b.rng.choice([
            "Evidence of rent received.", "No change reported.",
            "Identity verified in person.", "Payment to bank account ending 4821.",
        ]),
    }, prefix="bn")


def _benefits(b: _Builder, home: HouseholdPlan) -> bool:
    """Add each adult's claims; return whether the household lives on a low income."""
    low_income = home.tenure in {"social_rent", "temporary"} or "single parent" in home.label
    children = [m for m in home.members if m.household_role == "child"]
    for person in home.members:
        age, note = age_of(person), person.note
        if person.household_role == "child":
            continue
        if age >= 66:
            _claim(b, person, "State Pension", 170, 225)
            if low_income or "widowed" in home.label:
                _claim(b, person, "Pension Credit", 20, 80)
        elif note == "disabled":
            _claim(b, person, "Personal Independence Payment", 110, 185)
            _claim(b, person, "Universal Credit", 90, 160, "Limited capability for work.")
        elif note == "carer":
            _claim(b, person, "Carer's Allowance", 80, 85)
        elif low_income or note in {"care leaver", "on parental leave"}:
            _claim(b, person, "Universal Credit", 70, 200)
        if children and person.household_role == "head":
            _claim(b, person, "Child Benefit", 25, 25 + 17 * len(children))
    return low_income


def _health(b: _Builder, home: HouseholdPlan) -> None:
    restricted = ("caseworker", "dpo")
    for person in home.members:
        note, age = person.note, age_of(person)
        if note == "disabled":
            b.add(HEALTH, person, "health", "Adult care needs assessment", {
                "care_needs": "help with washing, dressing and meals",
                "mobility": "wheelchair user",
                "care_package_hours": b.rng.choice([10, 14, 21]),
                "clinical_note": "Multiple sclerosis, relapsing-remitting.",
                "assessed_on": b.day((0, 2)),
            }, prefix="ca", restricted=restricted)
        elif note == "carer":
            b.add(HEALTH, person, "health", "Carer's health check", {
                "care_needs": "none",
                "mobility": "independent",
                "carer_for": "a parent at home",
                "clinical_note": "Reports poor sleep; offered carers' support group.",
            }, prefix="ch")
        elif age >= 78:
            b.add(HEALTH, person, "health", "District nursing", {
                "care_needs": "weekly visit after a fall",
                "mobility": "walks with a frame",
                "care_package_hours": 2,
                "clinical_note": "Falls risk; community alarm fitted.",
            }, prefix="dn", restricted=restricted)
        elif "domestic abuse" in note:
            b.add(HEALTH, person, "health", "Mental health support", {
                "care_needs": "talking therapy",
                "clinical_note": "Referred by the housing officer; trauma-informed care.",
                "next_appointment": (REFERENCE_DATE + timedelta(days=9)).isoformat(),
            }, prefix="mh", restricted=restricted)
        elif person.household_role == "child" and age < 1:
            b.add(HEALTH, person, "health", "Health visitor record", {
                "care_needs": "routine checks",
                "last_visit": b.day((0, 1)),
                "clinical_note": "Growth on the 50th centile.",
            }, prefix="hv")


def _community(b: _Builder, home: HouseholdPlan, head: PersonPlan, low_income: bool) -> None:
    if home.tenure == "temporary" or "single parent" in home.label or head.note == "care leaver":
        b.add(FOOD_BANK, head, "case-history", "Emergency food parcels", {
            "parcels_received": b.rng.randint(1, 6),
            "last_parcel": b.day((0, 1)),
            "referred_by": b.rng.choice(["Riverton Advice Centre", "health visitor", "school"]),
            "dietary_needs": b.rng.choice(["none", "halal", "vegetarian", "no nuts"]),
        }, prefix="fb")
    if (low_income and b.rng.random() < 0.6) or head.note == "care leaver":
        b.add(ADVICE, head, "case-history", "Debt advice case", {
            "total_debt": b.money(400, 6000, 50),
            "priority_debts": b.rng.choice(["rent arrears", "council tax", "energy", "none"]),
            "creditors": b.rng.randint(1, 7),
            "status": b.rng.choice(["open", "debt relief order applied for", "closed"]),
            "adviser_note": "Budget drawn up with the client; income maximised.",
        }, prefix="da")
    prepay = low_income and b.rng.random() < 0.7
    psr_needs = [m.note for m in home.members if m.note in {"disabled", "retired"}]
    if any(m.household_role == "child" and age_of(m) < 5 for m in home.members):
        psr_needs.append("young children")
    b.add(ENERGY, head, "energy", "Energy account", {
        "account_ref": f"RE{b.rng.randint(1000000, 9999999)}",
        "tariff": "standard variable",
        "payment_method": "prepayment meter" if prepay else "direct debit",
        "arrears": b.money(50, 700, 10) if prepay and b.rng.random() < 0.5 else 0.0,
        "priority_services_register": bool(psr_needs),
        "psr_needs": ", ".join(sorted(set(psr_needs))),
    }, prefix="en")
    if "Northbank Estate" in home.address_line:
        b.add(TENANTS, head, "contact", "Member contact details", {
            "email": head.email,
            "phone": head.phone,
            "block": home.address_line.split(", ")[1],
            "newsletter": True,
        }, prefix="nt")


def record_plans(plan: TownPlan) -> list[RecordPlan]:
    """Return every record Riverton's organisations hold about its people, in a fixed order."""
    b = _Builder(seed=plan.seed, rng=random.Random(f"{plan.seed}/records"))  # noqa: S311
    for home in plan.households:
        head = home.members[0]
        low_income = _benefits(b, home)
        _council(b, home, head, low_income)
        _housing(b, home, head)
        _health(b, home)
        _community(b, home, head, low_income)
    return b.records


def records_load(*, plan: TownPlan, step: Callable[[str], None]) -> int:
    """Give everyone their national identifier and load the records; return how many new.

    Runs inside `demo_load`'s transaction. People who already have an identifier keep
    it, and records already held under their reference are left alone, so loading again
    changes nothing. Each record created appends one `record.create` entry (system).
    """
    if DataCategory.objects.filter(code__in=[c["code"] for c in CATEGORIES]).count() < len(
        CATEGORIES
    ):  # the migration loads it; a flushed test database may have lost it
        load_vocabulary(DataCategory, Purpose)
    people = {p.public_id: p for p in Person.objects.filter(
        public_id__in=[member.public_id for member in plan.people])}
    for public_id, number in national_ids(plan).items():
        if public_id in people and not people[public_id].national_id_hash:
            Person.objects.filter(pk=people[public_id].pk).update(
                national_id_hash=national_id_hash(number)
            )
    organisations = {o.slug: o for o in Organization.objects.filter(
        slug__in={o.slug for o in plan.organisations})}
    created = 0
    for item in record_plans(plan):
        _, new = record_import(
            actor=SYSTEM,
            owner=organisations[item.owner],
            subject=people[item.subject],
            category=item.category,
            title=item.title,
            fields=item.fields,
            external_ref=item.external_ref,
            classification=item.classification,
            restricted_roles=item.restricted_roles,
            public_id=item.public_id,
        )
        created += new
    step(f"Records held by {len(organisations)} organisations")
    return created
