"""Riverton's past: months of people reading residents' records, replayed through the
real services, so the log, "Who has seen your data" and the DPO's report have something
to show on the first visit.

The town is set up on `SETUP_AT`; then, in time order, residents give and withdraw their
consents on the dates their plans say, and caseworkers and partner systems read records
for named purposes: every week from `READS_FROM` to yesterday. A few attempts are refused
(a tenants' association looking up someone who is not its member; the food bank and the
energy supplier asking for purposes they never declared; a partner system whose consent
was withdrawn the week before). Each event runs under a simulated clock
(time-machine) so its log entries, consent receipts and records carry the day it happened,
and the log stays in time order; a tree head is signed each simulated week, as the
worker's cadence would have. Nothing here writes the log directly: it is whatever the
services wrote while the clock said so.

Why a simulated clock rather than a `now=` argument: every read passes the access
decision and appends to the log in its own services, which take the time from Django;
threading a clock through all of them for the demo's sake would put a back door into the
log's timestamps.
"""

import random
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import time_machine

from agora.audit.models import LogEntry
from agora.audit.services import tree_head_sign
from agora.demo import records as r
from agora.demo.generator import TownPlan
from agora.demo.sharing import (
    ADVICE_CONSENT_GIVEN,
    ADVICE_CONSENT_WITHDRAWN,
    consent_exists,
    consent_give_planned,
    consent_plans,
    consent_withdraw_planned,
    withdrawn_consent_person,
)

SETUP_AT = datetime(2024, 8, 1, 9, 0, tzinfo=UTC)
READS_FROM = datetime(2025, 6, 2, tzinfo=UTC)
READ_ACTIONS = ("record.read", "record.list", "person.view")

# Who reads, for what, and whose records: (organisation, who, purpose, whose).
# "who" is "staff" (the organisation's caseworker in the console's single view) or the
# name of the organisation's partner system (an API client); "whose" picks the people
# whose records the reader would look at in real work.
ROUTINE = [
    (r.COUNCIL, "staff", "benefit-assessment", r.BENEFITS),
    (r.COUNCIL, "staff", "social-care-support", r.HEALTH),
    (r.HOUSING, "Lettings system", "housing-allocation", r.COUNCIL),
    (r.HOUSING, "staff", "tenancy-management", r.HOUSING),
    (r.BENEFITS, "staff", "benefit-assessment", r.BENEFITS),
    (r.HEALTH, "staff", "healthcare-provision", r.HEALTH),
    (r.FOOD_BANK, "staff", "emergency-food-support", r.FOOD_BANK),
    (r.ADVICE, "Casebook", "debt-advice", r.ADVICE),
    (r.ENERGY, "staff", "energy-support", r.ENERGY),
]
PARTNER_SYSTEMS = {"Lettings system": r.HOUSING, "Casebook": r.ADVICE}


@contextmanager
def demo_clock(moment: datetime) -> Iterator[None]:
    """Run the block as if it were `moment` (time moves on from there)."""
    with time_machine.travel(moment, tick=True):
        yield


def history_wanted() -> bool:
    """Say whether this load may write the past: only into a log with nothing after it.

    A demo loaded before this history existed keeps its log in time order: reloading it
    adds no backdated entries behind newer ones.
    """
    latest = LogEntry.objects.order_by("-seq").values_list("created_at", flat=True).first()
    return latest is None or latest <= SETUP_AT + timedelta(days=1)


@dataclass(frozen=True)
class ReadPlan:
    at: datetime
    organisation: str
    who: str
    purpose: str
    person: uuid.UUID


def read_plans(plan: TownPlan, *, until: datetime) -> list[ReadPlan]:
    """Return the reads of the story, in time order, on working days up to `until`."""
    rng = random.Random(f"{plan.seed}/history")  # noqa: S311 (a story, not a secret)
    subjects: dict[str, list[uuid.UUID]] = {}
    for item in r.record_plans(plan):
        if item.subject not in subjects.setdefault(item.owner, []):
            subjects[item.owner].append(item.subject)
    # Residents who sign in (the sign-in table shows some) see a fuller history.
    signs_in = {m.public_id for h in plan.households for m in h.members if m.account}
    reads = []
    day = READS_FROM
    while day < until:
        if day.weekday() < 5:
            for organisation, who, purpose, whose in rng.sample(ROUTINE, k=rng.randint(1, 3)):
                people = subjects.get(whose, [])
                if not people:
                    continue
                favoured = [p for p in people if p in signs_in] or people
                person = rng.choice(favoured if rng.random() < 0.7 else people)
                at = day + timedelta(hours=rng.randint(8, 16), minutes=rng.randint(0, 59))
                reads.append(ReadPlan(at, organisation, who, purpose, person))
        day += timedelta(days=1)
    # Refused: the tenants' association looking up residents who are not its members.
    members = set(subjects.get(r.TENANTS, []))
    outsiders = [p for p in signs_in if p not in members]
    for month in range(0, 18, 4):
        at = READS_FROM + timedelta(days=30 * month + 11, hours=10)
        if outsiders and at < until:
            reads.append(ReadPlan(at, r.TENANTS, "staff", "tenancy-management",
                                  rng.choice(sorted(outsiders))))
    # Purposes an organisation never declared: refused, whoever's records they are.
    food_clients = subjects.get(r.FOOD_BANK, [])
    for at, organisation, purpose in (
        (datetime(2025, 9, 16, 11, 20, tzinfo=UTC), r.FOOD_BANK, "healthcare-provision"),
        (datetime(2026, 4, 22, 15, 5, tzinfo=UTC), r.ENERGY, "fraud-prevention"),
    ):
        if food_clients and at < until:
            reads.append(ReadPlan(at, organisation, "staff", purpose, food_clients[0]))
    # The withdrawn consent: the advice centre reads twice under it, and once after.
    person = withdrawn_consent_person(plan)
    for at in (ADVICE_CONSENT_GIVEN + timedelta(days=8, hours=2),
               ADVICE_CONSENT_GIVEN + timedelta(days=79, hours=4),
               ADVICE_CONSENT_WITHDRAWN + timedelta(days=7, hours=-2)):
        if at < until:
            reads.append(ReadPlan(at, r.ADVICE, "Casebook", "debt-advice", person))
    return sorted(reads, key=lambda item: item.at)


def _viewers(plan: TownPlan):
    """Return a function giving the viewer of (organisation, who) as of the clock's now."""
    from agora.access.viewers import viewer_for_client, viewer_for_staff
    from agora.organizations.models import ApiClient, Organization
    from agora.people.models import User

    organisations = {o.slug: o for o in Organization.objects.all()}
    caseworkers = {}  # each organisation's first caseworker, or its first member of staff
    for account in sorted(plan.staff, key=lambda a: "caseworker" not in a.roles):
        if account.organisation and account.organisation not in caseworkers:
            caseworkers[account.organisation] = account.email
    users = {u.email: u for u in User.objects.filter(email__in=caseworkers.values())}
    clients = {(c.organization.slug, c.name): c
               for c in ApiClient.objects.select_related("organization")}

    def viewer(organisation: str, who: str):
        if who == "staff":
            return viewer_for_staff(users[caseworkers[organisation]], organisations[organisation])
        return viewer_for_client(clients[(organisation, who)])

    return viewer


def partner_systems_ensure() -> None:
    """Register the partner systems that read in the story (their keys are thrown away)."""
    from agora.core.actors import SYSTEM
    from agora.organizations.keys import keypair_generate
    from agora.organizations.models import ApiClient, Organization
    from agora.organizations.services import apiclient_create

    for name, slug in PARTNER_SYSTEMS.items():
        organisation = Organization.objects.get(slug=slug)
        if not ApiClient.objects.filter(organization=organisation, name=name).exists():
            _, public_jwk = keypair_generate("EdDSA")
            apiclient_create(actor=SYSTEM, organization=organisation, name=name,
                             public_jwk=public_jwk, scopes=["records:read", "people:lookup"])


def history_load(
    *, plan: TownPlan, backdate: bool, reads: bool = True, step: Callable[[str], None],
    more: list[tuple[datetime, Callable[[], None]]] = (),
) -> int:
    """Give and withdraw the plan's consents and replay its reads, all in time order, each
    under the clock at its moment; return how many reads ran.

    Staff open the person's page in the single view (`person_view`, which logs the visit
    and each record read); partner systems ask for the person's records as the exchange
    API does (`records_for_person`); both for the purpose of the plan. Without `backdate`
    (a log that already holds newer entries: a demo loaded before the history existed)
    only missing consents are given, at the real time, and no reads are replayed.
    `more` are other events of the past, (moment, step) each, run in the same order.
    """
    from agora.access.models import Purpose
    from agora.console.single_view import person_view
    from agora.people.models import Person
    from agora.records.selectors import records_for_person

    events: list[tuple[datetime, int, Callable[[], None]]] = []
    for item in consent_plans(plan):
        if consent_exists(item):
            continue
        given: dict = {}
        events.append((item.given_at, len(events),
                       lambda item=item, given=given: given.setdefault(
                           "consent", consent_give_planned(item))))
        if item.withdrawn_at:
            events.append((item.withdrawn_at, len(events),
                           lambda item=item, given=given: consent_withdraw_planned(
                               item, given["consent"])))
    planned = read_plans(plan, until=_yesterday()) if backdate and reads else []
    if planned:
        partner_systems_ensure()
        people = {p.public_id: p for p in Person.objects.filter(
            public_id__in={item.person for item in planned})}
        purposes = {p.code: p for p in Purpose.objects.all()}
        viewer_of = _viewers(plan)

        def read(item: ReadPlan) -> None:
            viewer = viewer_of(item.organisation, item.who)
            person, purpose = people[item.person], purposes[item.purpose]
            if item.who == "staff":
                person_view(viewer=viewer, person=person, purpose=purpose)
            else:
                records_for_person(viewer=viewer, person=person, purpose=purpose)

        events += [(item.at, len(events) + n, lambda item=item: read(item))
                   for n, item in enumerate(planned)]
    # Other parts of the town's past (the requests of `demo.cases`), in the same order.
    events += [(moment, len(events) + n, event) for n, (moment, event) in enumerate(more)]
    clock_after_last = None  # two events in one minute must not overlap in the log
    week_signed = None
    for moment, _, event in sorted(events, key=lambda event: event[:2]):
        if backdate:
            with demo_clock(max(moment, clock_after_last or moment)):
                if moment.isocalendar()[:2] != week_signed:  # the cadence, once a week here
                    tree_head_sign()
                    week_signed = moment.isocalendar()[:2]
                event()
                clock_after_last = datetime.now(tz=UTC)
        else:
            event()
    step(f"Consents, and {len(planned)} reads of residents' records since {READS_FROM:%B %Y}")
    return len(planned)


def _yesterday() -> datetime:
    """The end of the story: the reads stop the day before the demo is loaded."""
    today = datetime.now(tz=UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=1)
