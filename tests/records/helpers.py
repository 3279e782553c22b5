"""Helpers for the records tests: viewers, records and grants written straight to the tables."""

from datetime import timedelta

from django.utils import timezone

from agora.access.models import Agreement, Consent, DataCategory, Purpose
from agora.access.viewers import viewer_for_client, viewer_for_staff
from agora.audit.models import LogEntry
from agora.records.models import Record
from tests.factories import ApiClientFactory, MembershipFactory

BENEFIT_FIELDS = {
    "benefit": "Universal Credit",
    "status": "in payment",
    "weekly_amount": 92.5,
    "case_note": "Payment to bank account ending 4821.",
}


def purpose(code: str) -> Purpose:
    return Purpose.objects.get(code=code)


def client_viewer(organization, on_behalf_of: str = ""):
    return viewer_for_client(ApiClientFactory(organization=organization), on_behalf_of)


def staff_viewer(organization, role: str = "caseworker"):
    user = MembershipFactory(organization=organization, role=role).user
    return viewer_for_staff(user, organization)


def make_record(owner, subject, *, category: str = "income-and-benefits", fields=None,
                classification: str = "internal", restricted_roles=(), title: str = "Claim",
                external_ref: str = "") -> Record:
    """A record written straight to the table: test data, not the code under test."""
    return Record.objects.create(
        owner=owner, subject=subject, category=DataCategory.objects.get(code=category),
        classification=classification, restricted_roles=list(restricted_roles), title=title,
        fields=dict(BENEFIT_FIELDS if fields is None else fields), external_ref=external_ref,
    )


def make_agreement(provider, recipient, *, categories=("income-and-benefits",),
                   purposes=("benefit-assessment",), fields_allowed=("benefit", "status"),
                   status: str = "active", days_left: int = 30,
                   legal_basis: str = "6.1.e") -> Agreement:
    now = timezone.now()
    agreement = Agreement.objects.create(
        title=f"{provider.slug} to {recipient.slug}", provider=provider, recipient=recipient,
        legal_basis=legal_basis, fields_allowed=list(fields_allowed),
        valid_from=now - timedelta(days=60), valid_to=now + timedelta(days=days_left),
        status=status,
    )
    agreement.categories.set(DataCategory.objects.filter(code__in=categories))
    agreement.purposes.set(Purpose.objects.filter(code__in=purposes))
    return agreement


def make_consent(person, recipient, *, categories=("income-and-benefits",),
                 purpose_code: str = "emergency-food-support", days_left: int = 30,
                 withdrawn: bool = False) -> Consent:
    now = timezone.now()
    consent = Consent.objects.create(
        person=person, recipient=recipient, purpose=purpose(purpose_code),
        given_at=now - timedelta(days=10), expires_at=now + timedelta(days=days_left),
        withdrawn_at=now - timedelta(days=1) if withdrawn else None,
    )
    consent.categories.set(DataCategory.objects.filter(code__in=categories))
    return consent


def log_count() -> int:
    return LogEntry.objects.count()


def last_entries(n: int) -> list[LogEntry]:
    return list(LogEntry.objects.order_by("-seq")[:n])[::-1]
