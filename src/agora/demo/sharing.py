"""Who shares what in Riverton: agreements between organisations and residents' consents.

A plan of plain data first (fixed dates), then the loader. The agreements
show each kind of rule: fields allowed (the council sees a benefit award but not the
case notes), a special category under an Art. 9 purpose (health for social care), one
that has expired and one still a draft. The consents show one in force, one withdrawn
and one expired, so the demo can show a refusal for each reason.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from agora.access.models import Agreement, Consent
from agora.access.services import (
    agreement_approve,
    agreement_propose,
    consent_give,
    consent_withdraw,
)
from agora.core.actors import SYSTEM
from agora.demo import records as r
from agora.demo.generator import TownPlan
from agora.organizations.models import Organization
from agora.people.models import Person


def _at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


@dataclass(frozen=True)
class AgreementPlan:
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
    person: uuid.UUID
    recipient: str
    categories: tuple[str, ...]
    purpose: str
    given_at: datetime
    expires_at: datetime
    withdrawn_at: datetime | None = None


def agreement_plans(plan: TownPlan) -> list[AgreementPlan]:
    """Return Riverton's sharing agreements."""
    return [
        AgreementPlan(
            title="Benefit awards for council tax reduction",
            provider=r.BENEFITS, recipient=r.COUNCIL, categories=("income-and-benefits",),
            purposes=("benefit-assessment",), legal_basis="6.1.e",
            fields_allowed=("benefit", "status", "award_start", "weekly_amount"),
            valid_from=_at(2025, 4, 1), valid_to=_at(2029, 3, 31),
            description="The council checks entitlement to council tax reduction and local "
            "welfare support against current awards; claim notes stay with the agency.",
        ),
        AgreementPlan(
            title="Tenancy and arrears for debt advice",
            provider=r.HOUSING, recipient=r.ADVICE, categories=("housing",),
            purposes=("debt-advice",), legal_basis="6.1.e",
            fields_allowed=("tenancy_type", "start_date", "weekly_rent", "rent_arrears"),
            valid_from=_at(2025, 1, 1), valid_to=_at(2029, 12, 31),
            description="Advisers see rent and arrears to prevent evictions for debt.",
        ),
        AgreementPlan(
            title="Care needs for adult social care",
            provider=r.HEALTH, recipient=r.COUNCIL, categories=("health",),
            purposes=("social-care-support",), legal_basis="6.1.e",
            fields_allowed=("care_needs", "mobility", "care_package_hours"),
            valid_from=_at(2025, 4, 1), valid_to=_at(2029, 3, 31),
            description="Health data (Art. 9(2)(h)) for arranging care; clinical notes and "
            "restricted records are never shared.",
        ),
        AgreementPlan(
            title="Household details for housing allocation",
            provider=r.COUNCIL, recipient=r.HOUSING, categories=("household",),
            purposes=("housing-allocation",), legal_basis="6.1.e",
            fields_allowed=("address", "adults", "children", "tenure"),
            valid_from=_at(2025, 1, 1), valid_to=_at(2029, 12, 31),
        ),
        AgreementPlan(
            title="Energy arrears for the 2024/25 winter support scheme",
            provider=r.ENERGY, recipient=r.COUNCIL, categories=("energy",),
            purposes=("energy-support",), legal_basis="6.1.e",
            fields_allowed=("payment_method", "arrears", "priority_services_register"),
            valid_from=_at(2024, 10, 1), valid_to=_at(2025, 3, 31),
            description="Ran for one winter; it has expired and grants nothing now.",
        ),
        AgreementPlan(
            title="Benefit status for food bank referrals",
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
            person=person, recipient=r.FOOD_BANK,
            categories=("household", "income-and-benefits"), purpose="emergency-food-support",
            given_at=given, expires_at=expires, withdrawn_at=withdrawn,
        ))
    for person in [item.subject for item in records if item.owner == r.ADVICE]:
        consents.append(ConsentPlan(
            person=person, recipient=r.ADVICE, categories=("income-and-benefits", "energy"),
            purpose="debt-advice", given_at=_at(2025, 11, 1), expires_at=_at(2027, 10, 31),
        ))
    # A resident lets the advice centre see their energy account and benefits while it
    # helps with a debt, then withdraws; the centre's next read is refused (demo.history).
    consents.append(ConsentPlan(
        person=withdrawn_consent_person(plan), recipient=r.ADVICE,
        categories=("income-and-benefits", "energy"), purpose="debt-advice",
        given_at=ADVICE_CONSENT_GIVEN, expires_at=_at(2028, 3, 1),
        withdrawn_at=ADVICE_CONSENT_WITHDRAWN,
    ))
    return consents


# The advice centre's consent that the story withdraws, and the resident who gives it.
ADVICE_CONSENT_GIVEN = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
ADVICE_CONSENT_WITHDRAWN = datetime(2026, 7, 14, 18, 5, tzinfo=UTC)


def withdrawn_consent_person(plan: TownPlan) -> uuid.UUID:
    """Return the resident whose consent to the advice centre is withdrawn in the story.

    A household head who signs in and of whom neither the advice centre nor the housing
    authority holds a record, so once the consent goes the advice centre reads nothing.
    """
    held = {(item.owner, item.subject) for item in r.record_plans(plan)}
    for household in plan.households:
        head = household.members[0]
        if head.account and not {(r.ADVICE, head.public_id), (r.HOUSING, head.public_id)} & held:
            return head.public_id
    raise LookupError("The plan has no resident fit for the withdrawn-consent story.")


def _agreements_ensure(items: list[AgreementPlan]) -> int:
    organisations = {o.slug: o for o in Organization.objects.all()}
    created = 0
    for item in items:
        provider, recipient = organisations[item.provider], organisations[item.recipient]
        if Agreement.objects.filter(provider=provider, recipient=recipient,
                                    title=item.title).exists():
            continue
        agreement = agreement_propose(
            actor=SYSTEM, provider=provider, recipient=recipient, title=item.title,
            categories=item.categories, purposes=item.purposes, legal_basis=item.legal_basis,
            fields_allowed=list(item.fields_allowed), valid_from=item.valid_from,
            valid_to=item.valid_to, description=item.description,
        )
        if item.status == "active":  # the command line approves for both sides at once
            agreement_approve(actor=SYSTEM, agreement=agreement)
        created += 1
    return created


def consent_exists(item: ConsentPlan) -> bool:
    return Consent.objects.filter(person__public_id=item.person, recipient__slug=item.recipient,
                                  purpose__code=item.purpose, given_at=item.given_at).exists()


def consent_give_planned(item: ConsentPlan) -> Consent:
    """Give the planned consent through the access service (with its signed receipt)."""
    return consent_give(
        actor=SYSTEM, person=Person.objects.get(public_id=item.person),
        recipient=Organization.objects.get(slug=item.recipient), categories=item.categories,
        purpose=item.purpose, expires_at=item.expires_at, now=item.given_at,
    )


def consent_withdraw_planned(item: ConsentPlan, consent: Consent) -> None:
    consent_withdraw(actor=SYSTEM, consent=consent, now=item.withdrawn_at)


def sharing_load(*, plan: TownPlan, step: Callable[[str], None]) -> int:
    """Load the agreements inside `demo_load`'s transaction, through the access services
    as the command line (each change logged); return how many were created. Agreements
    are found again by provider, recipient and title, so loading again changes nothing
    (their public ids are drawn afresh on each machine: the services choose them, and the
    log entries name them). Consents are given and withdrawn on their own dates by
    `demo.history`, in time order with the reads they allow."""
    created = _agreements_ensure(agreement_plans(plan))
    step("Sharing agreements")
    return created
