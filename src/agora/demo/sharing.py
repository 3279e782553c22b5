"""Who shares what in Riverton: agreements between organisations and residents' consents.

A plan of plain data first (fixed dates, stable ids), then the loader. The agreements
show each kind of rule: fields allowed (the council sees a benefit award but not the
case notes), a special category under an Art. 9 purpose (health for social care), one
that has expired and one still a draft. The consents show one in force, one withdrawn
and one expired, so the demo can show a refusal for each reason.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from agora.access.models import Agreement, Consent, DataCategory, Purpose
from agora.audit.services import AuditActor, EntryDraft, log_append_many
from agora.core.actors import SYSTEM
from agora.demo import records as r
from agora.demo.generator import TownPlan, stable_uuid
from agora.organizations.models import Organization
from agora.people.models import Person


def _at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


@dataclass(frozen=True)
class AgreementPlan:
    public_id: uuid.UUID
    title: str
    provider: str
    recipient: str
    categories: tuple[str, ...]
    purposes: tuple[str, ...]
    legal_basis: str
    fields_allowed: tuple[str, ...]
    valid_from: datetime
    valid_to: datetime
    status: str = "active"
    description: str = ""


@dataclass(frozen=True)
class ConsentPlan:
    public_id: uuid.UUID
    person: uuid.UUID
    recipient: str
    categories: tuple[str, ...]
    purpose: str
    given_at: datetime
    expires_at: datetime
    withdrawn_at: datetime | None = None


def agreement_plans(plan: TownPlan) -> list[AgreementPlan]:
    """Return Riverton's sharing agreements."""
    def agreement(key: str, **fields) -> AgreementPlan:
        return AgreementPlan(public_id=stable_uuid(plan.seed, "agreement", key), **fields)

    return [
        agreement(
            "benefits-council", title="Benefit awards for council tax reduction",
            provider=r.BENEFITS, recipient=r.COUNCIL, categories=("income-and-benefits",),
            purposes=("benefit-assessment",), legal_basis="6.1.e",
            fields_allowed=("benefit", "status", "award_start", "weekly_amount"),
            valid_from=_at(2025, 4, 1), valid_to=_at(2029, 3, 31),
            description="The council checks entitlement to council tax reduction and local "
            "welfare support against current awards; claim notes stay with the agency.",
        ),
        agreement(
            "housing-advice", title="Tenancy and arrears for debt advice",
            provider=r.HOUSING, recipient=r.ADVICE, categories=("housing",),
            purposes=("debt-advice",), legal_basis="6.1.e",
            fields_allowed=("tenancy_type", "start_date", "weekly_rent", "rent_arrears"),
            valid_from=_at(2025, 1, 1), valid_to=_at(2029, 12, 31),
            description="Advisers see rent and arrears to prevent evictions for debt.",
        ),
        agreement(
            "health-council", title="Care needs for adult social care",
            provider=r.HEALTH, recipient=r.COUNCIL, categories=("health",),
            purposes=("social-care-support",), legal_basis="6.1.e",
            fields_allowed=("care_needs", "mobility", "care_package_hours"),
            valid_from=_at(2025, 4, 1), valid_to=_at(2029, 3, 31),
            description="Health data (Art. 9(2)(h)) for arranging care; clinical notes and "
            "restricted records are never shared.",
        ),
        agreement(
            "council-housing", title="Household details for housing allocation",
            provider=r.COUNCIL, recipient=r.HOUSING, categories=("household",),
            purposes=("housing-allocation",), legal_basis="6.1.e",
            fields_allowed=("address", "adults", "children", "tenure"),
            valid_from=_at(2025, 1, 1), valid_to=_at(2029, 12, 31),
        ),
        agreement(
            "energy-council-winter", title="Energy arrears for the 2024/25 winter support scheme",
            provider=r.ENERGY, recipient=r.COUNCIL, categories=("energy",),
            purposes=("energy-support",), legal_basis="6.1.e",
            fields_allowed=("payment_method", "arrears", "priority_services_register"),
            valid_from=_at(2024, 10, 1), valid_to=_at(2025, 3, 31),
            description="Ran for one winter; it has expired and grants nothing now.",
        ),
        agreement(
            "benefits-foodbank", title="Benefit status for food bank referrals",
            provider=r.BENEFITS, recipient=r.FOOD_BANK, categories=("income-and-benefits",),
            purposes=("emergency-food-support",), legal_basis="6.1.e",
            fields_allowed=("benefit", "status"), status="draft",
            valid_from=_at(2026, 1, 1), valid_to=_at(2028, 12, 31),
            description="Proposed by the food bank; not yet approved by the agency.",
        ),
    ]


def consent_plans(plan: TownPlan) -> list[ConsentPlan]:
    """Return the consents of residents the food bank and the advice centre help.

    The first food bank client withdrew theirs, the second let theirs expire; the others
    are in force. Every advice centre client consented to debt advice.
    """
    records = r.record_plans(plan)
    consents = []
    food = [item.subject for item in records if item.owner == r.FOOD_BANK]
    for index, person in enumerate(food):
        given, expires, withdrawn = _at(2025, 10, 1), _at(2028, 9, 30), None
        if index == 0:
            withdrawn = _at(2025, 12, 15)
        elif index == 1:
            given, expires = _at(2024, 9, 1), _at(2025, 9, 1)
        consents.append(ConsentPlan(
            public_id=stable_uuid(plan.seed, "consent", "foodbank", person),
            person=person, recipient=r.FOOD_BANK,
            categories=("household", "income-and-benefits"), purpose="emergency-food-support",
            given_at=given, expires_at=expires, withdrawn_at=withdrawn,
        ))
    for person in [item.subject for item in records if item.owner == r.ADVICE]:
        consents.append(ConsentPlan(
            public_id=stable_uuid(plan.seed, "consent", "advice", person),
            person=person, recipient=r.ADVICE, categories=("income-and-benefits", "energy"),
            purpose="debt-advice", given_at=_at(2025, 11, 1), expires_at=_at(2027, 10, 31),
        ))
    return consents


def _entry(action: str, reason: str, organization: str, subject: uuid.UUID | None,
           resource_type: str, resource_id: uuid.UUID) -> EntryDraft:
    return EntryDraft(
        actor=AuditActor(kind="system", id="cli", label=str(SYSTEM)), action=action,
        decision="permit", reason=reason, organization=organization,
        subject=str(subject) if subject else None, resource_type=resource_type,
        resource_id=str(resource_id),
    )


def _agreements_ensure(items: list[AgreementPlan], drafts: list[EntryDraft]) -> int:
    # Interim: written directly until the access services for agreements land; then
    # agreement_propose / agreement_approve with the SYSTEM actor replace this.
    organisations = {o.slug: o for o in Organization.objects.all()}
    created = 0
    for item in items:
        if Agreement.objects.filter(public_id=item.public_id).exists():
            continue
        agreement = Agreement.objects.create(
            public_id=item.public_id, title=item.title, description=item.description,
            provider=organisations[item.provider], recipient=organisations[item.recipient],
            legal_basis=item.legal_basis, fields_allowed=list(item.fields_allowed),
            valid_from=item.valid_from, valid_to=item.valid_to, status=item.status,
            provider_approved_at=item.valid_from if item.status == "active" else None,
            recipient_approved_at=item.valid_from if item.status == "active" else None,
        )
        agreement.categories.set(DataCategory.objects.filter(code__in=item.categories))
        agreement.purposes.set(Purpose.objects.filter(code__in=item.purposes))
        action = "agreement.activate" if item.status == "active" else "agreement.propose"
        drafts.append(_entry(action, f"Demo agreement “{item.title}”.", item.provider, None,
                             "agreement", item.public_id))
        created += 1
    return created


def _consents_ensure(items: list[ConsentPlan], drafts: list[EntryDraft]) -> int:
    # Interim, as above: consent_give / consent_withdraw will issue the signed receipts.
    organisations = {o.slug: o for o in Organization.objects.all()}
    people = {p.public_id: p for p in Person.objects.filter(
        public_id__in=[item.person for item in items])}
    created = 0
    for item in items:
        if Consent.objects.filter(public_id=item.public_id).exists():
            continue
        consent = Consent.objects.create(
            public_id=item.public_id, person=people[item.person],
            recipient=organisations[item.recipient],
            purpose=Purpose.objects.get(code=item.purpose), given_at=item.given_at,
            expires_at=item.expires_at, withdrawn_at=item.withdrawn_at,
        )
        consent.categories.set(DataCategory.objects.filter(code__in=item.categories))
        drafts.append(_entry("consent.give", f"Demo consent to {item.recipient}.",
                             item.recipient, item.person, "consent", item.public_id))
        if item.withdrawn_at:
            drafts.append(_entry("consent.withdraw", "Demo consent, withdrawn.",
                                 item.recipient, item.person, "consent", item.public_id))
        created += 1
    return created


def sharing_load(*, plan: TownPlan, step: Callable[[str], None]) -> tuple[int, int]:
    """Load the agreements and consents inside `demo_load`'s transaction; return how many
    of each were created. Loading again changes nothing."""
    drafts: list[EntryDraft] = []
    created = (_agreements_ensure(agreement_plans(plan), drafts),
               _consents_ensure(consent_plans(plan), drafts))
    log_append_many(drafts)
    step("Sharing agreements and consents")
    return created
