"""Load Riverton into the database: one transaction, safe to run again.

Every row is found by its natural key first (an organisation by slug, an account by
email, a household or person by its stable UUID) and only created when missing, so a
second load changes nothing and public ids are the same on every machine. Writes go
through the organisations services with the `SYSTEM` actor; accounts, households and
people are created here because no service for them takes a fixed public id yet.
"""

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.db import transaction

from agora.audit.services import tree_head_sign
from agora.core.actors import SYSTEM
from agora.demo.answers import answers_load
from agora.demo.applications import applications_load
from agora.demo.cases import cases_events
from agora.demo.catalog import catalog_load
from agora.demo.challenges import challenges_load
from agora.demo.generator import (
    DEFAULT_SEED,
    AccountPlan,
    HouseholdPlan,
    OrganisationPlan,
    TownPlan,
    town_plan,
)
from agora.demo.history import SETUP_AT, demo_clock, history_load, history_wanted
from agora.demo.hub import hub_load
from agora.demo.open311 import open311_load
from agora.demo.opendata import opendata_load, statistics_load
from agora.demo.purposes import purposes_load
from agora.demo.records import records_load
from agora.demo.sharing import sharing_load
from agora.notifications.outbox import outbox_settle
from agora.organizations.models import Organization
from agora.organizations.services import membership_add, organization_create
from agora.people.models import Household, Person, User

# The one password of every demo account; printed by `agora demo load`. Demo only.
DEMO_PASSWORD = "riverton-demo-2026"

Progress = Callable[[str], None]


@dataclass
class LoadSummary:
    plan: TownPlan
    organisations_created: int = 0
    accounts_created: int = 0
    households_created: int = 0
    people_created: int = 0

    @property
    def created_anything(self) -> bool:
        return any(
            (self.organisations_created, self.accounts_created,
             self.households_created, self.people_created)
        )


def demo_step_count(plan: TownPlan) -> int:
    """Return how many steps `demo_load` reports, for a progress bar."""
    return len(plan.organisations) + len(plan.staff) + len(plan.households) + 6


def _organisation_ensure(plan: OrganisationPlan, summary: LoadSummary) -> Organization:
    organisation = Organization.objects.filter(slug=plan.slug).first()
    if organisation is None:
        organisation = organization_create(
            actor=SYSTEM,
            name=plan.name,
            kind=plan.kind,
            slug=plan.slug,
            description=plan.description,
            contact_email=plan.contact_email,
            contact_phone=plan.contact_phone,
            website=plan.website,
        )
        # organization_create draws a random public id; the demo's must be stable.
        Organization.objects.filter(pk=organisation.pk).update(public_id=plan.public_id)
        summary.organisations_created += 1
    return organisation


def _account_ensure(plan: AccountPlan, password_hash: str, summary: LoadSummary) -> User:
    """Return the account for this email, creating it signed-in-ready when missing."""
    user = User.objects.filter(email__iexact=plan.email).first()
    if user is None:
        user = User.objects.create(
            email=plan.email,
            public_id=plan.public_id,
            first_name=plan.given_name,
            last_name=plan.family_name,
            is_staff=plan.is_operator,
            password=password_hash,
        )
        summary.accounts_created += 1
    EmailAddress.objects.get_or_create(
        user=user, email=plan.email, defaults={"verified": True, "primary": True}
    )
    if plan.totp_secret and not Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists():
        TOTP.activate(user, plan.totp_secret)
    return user


def _household_ensure(plan: HouseholdPlan, password_hash: str, summary: LoadSummary) -> None:
    household, created = Household.objects.get_or_create(
        public_id=plan.public_id,
        defaults={
            "address_line": plan.address_line,
            "town": plan.town,
            "postcode": plan.postcode,
            "tenure": plan.tenure,
        },
    )
    summary.households_created += created
    for member in plan.members:
        user = _account_ensure(member.account, password_hash, summary) if member.account else None
        _, created = Person.objects.get_or_create(
            public_id=member.public_id,
            defaults={
                "user": user,
                "given_name": member.given_name,
                "family_name": member.family_name,
                "date_of_birth": member.date_of_birth,
                "email": member.email,
                "phone": member.phone,
                "household": household,
                "household_role": member.household_role,
            },
        )
        summary.people_created += created


@transaction.atomic
def demo_load(
    *,
    seed: int = DEFAULT_SEED,
    plan: TownPlan | None = None,
    progress: Progress | None = None,
    reads: bool = True,
    hub: bool = True,
    requests: bool = True,
) -> LoadSummary:
    """Load the town of Riverton drawn from `seed`; a failure leaves nothing behind.

    A fresh town is set up as of `history.SETUP_AT` and then lives through its history
    (consents, months of reads) up to yesterday, so its log reads in time order.
    `reads=False` leaves out the months of reads, `hub=False` the information hub's
    documents and `requests=False` the requests to its services (tests of other parts of
    the town).
    """
    plan = plan or town_plan(seed)
    backdate = history_wanted()
    with demo_clock(SETUP_AT) if backdate else nullcontext():
        summary = _town_load(plan, hub=hub, step=progress or (lambda label: None))
    # The requests are events of the town's past; after the catalogue's part, whose
    # services they are requests for.
    more = cases_events(plan=plan) if requests else []
    applications_load()  # forms for the services that have none yet
    history_load(plan=plan, backdate=backdate, reads=reads, more=more,
                 step=progress or (lambda label: None))
    # Today's street reports over Open311, to the street services the requests' part made.
    open311_load(plan=plan, step=progress or (lambda label: None))
    # A question the guidance could not answer, handed to the council (it needs the hub's
    # documents to find the topic's owner).
    if hub:
        answers_load(plan=plan, step=progress or (lambda label: None))
    # The requests' statistics as open data, as the daily `agora opendata statistics` makes.
    if requests:
        statistics_load(step=progress or (lambda label: None))
    # The town's past is not news: nobody is emailed or sent webhooks about it.
    outbox_settle()
    # Sign today's head too, so every entry can be checked before the worker's first run.
    tree_head_sign()
    return summary


def _town_load(plan: TownPlan, *, hub: bool, step: Progress) -> LoadSummary:
    summary = LoadSummary(plan=plan)
    # Every demo account shares one password, so hash it once: slow hashing is the
    # point in production, but sixty identical hashes would only slow the demo down.
    password_hash = make_password(DEMO_PASSWORD)

    organisations = {}
    for organisation_plan in plan.organisations:
        organisations[organisation_plan.slug] = _organisation_ensure(organisation_plan, summary)
        step(f"Organisation {organisation_plan.name}")
    for account in plan.staff:
        user = _account_ensure(account, password_hash, summary)
        for role in account.roles:
            membership_add(
                actor=SYSTEM,
                organization=organisations[account.organisation],
                email=user.email,
                role=role,
            )
        step(f"Staff {account.email}")
    for household in plan.households:
        _household_ensure(household, password_hash, summary)
        step(f"Household at {household.address_line}")
    records_load(plan=plan, step=step)
    purposes_load(step=step)
    sharing_load(plan=plan, step=step)
    catalog_load(seed=plan.seed, step=step)
    if hub:
        hub_load(step=step)
        opendata_load(step=step)
        challenges_load(step=step)
    return summary
