"""Riverton's requests: a few hundred, in every status, across organisations and residents.

Each request is made and moved through the real services (`case_create`,
`case_status_change`, messages, documents, referrals) by the resident and by a
caseworker of the handling organisation. Its steps are events of the town's history
(`history_load` runs them in time order under the clock at each moment), so the queue
and "Your requests" show requests received weeks ago, some overdue, some paused while
waiting for the resident, and the log reads in time order.

A request is known by its demo reference (`external_ref` "demo-<n>"); one that exists is
left alone, so loading again changes nothing. The catalogue's demo part runs first; the
few services needed here are found by code, or created (published, with their
provider) when the catalogue's part has not made them.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from agora.access.viewers import Viewer, viewer_for_resident, viewer_for_staff
from agora.cases.models import Case
from agora.cases.services import (
    Location,
    case_create,
    case_deadline_extend,
    case_document_request,
    case_message_send,
    case_refer,
    case_reply,
    case_status_change,
    status_model_define,
)
from agora.catalog.models import Service
from agora.core.actors import SYSTEM
from agora.demo.generator import TownPlan
from agora.organizations.models import Membership, Organization
from agora.people.models import User

REQUESTS = 320
SEED_SALT = 10


@dataclass(frozen=True)
class DemoService:
    code: str
    name: str
    provider: str
    target_days: int
    location_based: bool = False
    questions: tuple[tuple[str, object], ...] = ()


SERVICES = (
    DemoService("council-tax-reduction", "Council Tax Reduction", "riverton-borough-council", 28,
                questions=(("household_income", 14200), ("children_under_16", 2))),
    DemoService("housing-register", "Join the housing register", "riverton-housing-authority",
                56, questions=(("current_tenure", "private_rent"), ("bedrooms_needed", 3))),
    DemoService("food-parcels", "Emergency food parcel", "riverton-food-bank", 3,
                questions=(("people_in_household", 4), ("dietary_needs", "none"))),
    DemoService("energy-hardship-fund", "Energy hardship fund", "riverton-energy", 21,
                questions=(("arrears", 420), ("prepayment_meter", True))),
    DemoService("debt-advice", "Debt advice appointment", "riverton-advice-centre", 10,
                questions=(("debts", "council tax, energy"),)),
    DemoService("blue-badge", "Blue Badge", "riverton-borough-council", 42,
                questions=(("mobility_need", "walking"),)),
    DemoService("pothole", "Report a pothole", "riverton-borough-council", 14,
                location_based=True),
)

POTHOLE_MODEL = [
    {"code": "reported", "label": "Reported", "is_initial": True, "expected_days": 3,
     "resident_text": "We have your report of the pothole.",
     "next_step": "An inspector will look at it within 3 working days.",
     "next_codes": ["inspected", "not-our-road", "duplicate"]},
    {"code": "inspected", "label": "Inspected", "expected_days": 10,
     "resident_text": "An inspector has looked at the pothole and it needs repair.",
     "next_step": "We will book the repair crew.", "next_codes": ["scheduled", "fixed"]},
    {"code": "scheduled", "label": "Repair booked", "expected_days": 7,
     "resident_text": "The repair is booked.", "next_step": "The crew will fix it soon.",
     "next_codes": ["fixed"]},
    {"code": "fixed", "label": "Fixed", "is_final": True,
     "resident_text": "The pothole has been fixed. Thank you for reporting it."},
    {"code": "not-our-road", "label": "Not our road", "is_final": True,
     "resident_text": "This road is not looked after by the council; we passed your report on."},
    {"code": "duplicate", "label": "Already reported", "is_final": True,
     "resident_text": "Someone had already reported this pothole; it is being dealt with."},
]

STREETS = ("Mill Lane", "River Street", "Station Road", "Northbank Road", "Church Walk",
           "Market Square", "Bridge Street", "Ferry Road")

# The stories a request can have, with their weights: each is the statuses it passes
# through after "received", the last being where it is now.
STORIES = (
    ((), 6),
    (("in-progress",), 6),
    (("waiting-for-you",), 4),
    (("in-progress", "waiting-for-you"), 3),
    (("in-progress", "waiting-for-you", "in-progress"), 3),
    (("in-progress", "approved"), 6),
    (("in-progress", "refused"), 3),
    (("completed",), 3),
    (("withdrawn",), 1),
)
POTHOLE_STORIES = (
    ((), 3), (("inspected",), 3), (("inspected", "scheduled"), 3),
    (("inspected", "scheduled", "fixed"), 4), (("duplicate",), 1), (("not-our-road",), 1),
)


def _services_ensure() -> dict[str, Service]:
    organisations = {o.slug: o for o in Organization.objects.filter(
        slug__in={s.provider for s in SERVICES})}
    services: dict[str, Service] = {}
    for spec in SERVICES:
        if spec.provider not in organisations:
            continue
        service, _ = Service.objects.get_or_create(code=spec.code, defaults={
            "provider": organisations[spec.provider], "name": spec.name,
            "target_days": spec.target_days, "location_based": spec.location_based,
            "status": Service.Status.PUBLISHED,
        })
        services[spec.code] = service
    pothole = services.get("pothole")
    if pothole is not None and not pothole.status_types.exists():
        status_model_define(actor=SYSTEM, service=pothole, statuses=POTHOLE_MODEL)
    return services


def _caseworkers(plan: TownPlan) -> dict[str, Viewer]:
    """Return a caseworker (or admin) viewer of each organisation that has one."""
    users = {u.email.lower(): u for u in User.objects.filter(
        email__in=[a.email for a in plan.staff])}
    organisations = {o.slug: o for o in Organization.objects.all()}
    viewers: dict[str, Viewer] = {}
    for account in plan.staff:
        if account.organisation and account.organisation not in viewers and set(
                account.roles) & {Membership.Role.CASEWORKER, Membership.Role.ADMIN}:
            user = users.get(account.email.lower())
            if user is not None:
                viewers[account.organisation] = viewer_for_staff(
                    user, organisations[account.organisation])
    return viewers


def _pick(rng: random.Random, stories) -> tuple[str, ...]:
    options, weights = zip(*stories, strict=True)
    return rng.choices(options, weights=weights)[0]


Event = tuple[datetime, Callable[[], None]]


def cases_events(*, plan: TownPlan, count: int = REQUESTS) -> list[Event]:
    """Return the steps of the demo requests that are missing, each at its moment.

    `history_load` runs them in time order among the town's other events, each under the
    clock at its moment, so the log stays in time order. A story is cut where it would
    reach today: the town's past ends yesterday.
    """
    services = _services_ensure()
    staff = _caseworkers(plan)
    services = {code: s for code, s in services.items() if s.provider.slug in staff}
    residents = [p for p in plan.residents if p.account]
    users = {u.email.lower(): u for u in User.objects.filter(
        email__in=[p.account.email for p in residents])}
    if not services or not residents:
        return []
    done = set(Case.objects.filter(external_ref__startswith="demo-").values_list(
        "external_ref", flat=True))
    rng = random.Random(plan.seed * SEED_SALT)  # noqa: S311 - demo data, not a secret
    today = datetime.now(tz=UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    codes = sorted(services)
    events: list[Event] = []
    for n in range(count):
        # Draw everything for every request, made or not, so the town is the same each time.
        resident = residents[rng.randrange(len(residents))]
        service = services[codes[rng.randrange(len(codes))]]
        start = today - timedelta(days=rng.randint(1, 80), hours=rng.randint(0, 14))
        story = _pick(rng, POTHOLE_STORIES if service.location_based else STORIES)
        extras = rng.random()
        story_rng = random.Random(rng.random())  # noqa: S311 - demo data, not a secret
        ref = f"demo-{n:04d}"
        user = users.get(resident.account.email.lower())
        if ref in done or user is None:
            continue
        steps = _request_story(
            service=service, resident=viewer_for_resident(user),
            caseworker=staff[service.provider.slug], staff=staff, story=story,
            extras=extras, start=start, ref=ref, rng=story_rng,
        )
        events += [(moment, step) for moment, step in steps if moment < today - timedelta(hours=1)]
    return events


def _request_story(*, service: Service, resident: Viewer, caseworker: Viewer,
                   staff: dict[str, Viewer], story: tuple[str, ...], extras: float,
                   start: datetime, ref: str, rng: random.Random) -> list[Event]:
    """Return the steps of one request's story; each step reads the reference made first."""
    spec = next(s for s in SERVICES if s.code == service.code)
    made: dict[str, str] = {}
    steps: list[Event] = []

    def at(moment: datetime, make: Callable[[str], object]) -> None:
        steps.append((moment, lambda: make(made["reference"]) if "reference" in made
                      else None))

    if service.location_based:
        street = STREETS[rng.randrange(len(STREETS))]
        arguments = {
            "location": Location(51.45 + rng.random() / 50, -0.97 + rng.random() / 50,
                                 f"{rng.randint(1, 120)} {street}, Riverton"),
            "description": f"A deep pothole in the road on {street}.",
        }
    else:
        arguments = {"answers": dict(spec.questions)}

    def create() -> None:
        made["reference"] = case_create(viewer=resident, service=service, external_ref=ref,
                                        **arguments).reference

    steps.append((start, create))
    moment = start
    for status in story:
        moment += timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 5))
        if status == "waiting-for-you":
            at(moment, lambda reference: case_document_request(
                viewer=caseworker, reference=reference,
                document_name="Proof of income for the last 3 months",
                text="We need this to work out what you can get."))
            moment += timedelta(minutes=5)
        at(moment, lambda reference, status=status: case_status_change(
            viewer=caseworker, reference=reference, status=status, note=_note(status)))
        if status == "in-progress" and extras < 0.3:
            moment += timedelta(hours=3)
            at(moment, lambda reference: case_message_send(
                viewer=caseworker, reference=reference,
                text="Thank you for your request. Could you tell us your landlord's name?"))
            moment += timedelta(hours=20)
            at(moment, lambda reference: case_reply(
                viewer=resident, reference=reference,
                text="It is Riverton Lettings on Station Road."))
    if not story and extras > 0.85 and service.code == "council-tax-reduction" and \
            "riverton-advice-centre" in staff:
        target = staff["riverton-advice-centre"].organization
        at(moment + timedelta(hours=2), lambda reference: case_refer(
            viewer=caseworker, reference=reference, to_organization=target,
            reason="The advice centre can help with the debts you mentioned."))
    elif story and story[-1] == "in-progress" and extras > 0.9:
        at(moment + timedelta(hours=1), lambda reference: case_deadline_extend(
            viewer=caseworker, reference=reference, days=14,
            reason="We are waiting for information from another office."))
    return steps


def _note(status: str) -> str:
    return {
        "approved": "You will get the reduction from your next bill.",
        "refused": "Your household income is above the limit for this scheme. You can ask "
                   "us to look at it again within one month.",
        "waiting-for-you": "Please send the document we asked for.",
        "fixed": "Repaired by the highways crew.",
    }.get(status, "")


def requests_by_resident(plan: TownPlan, limit: int = 3) -> list[tuple[str, str, int, str]]:
    """Return (email, name, how many, a few references with their status) per resident."""
    people = {p.public_id: p for p in plan.residents if p.account}
    rows: dict[str, list[Case]] = {}
    for case in Case.objects.filter(person__public_id__in=list(people)).select_related(
            "person").order_by("-created_at"):
        rows.setdefault(case.person.public_id, []).append(case)
    out = []
    for public_id, cases in rows.items():
        person = people[public_id]
        shown = ", ".join(f"{c.reference} ({c.status})" for c in cases[:limit])
        out.append((person.account.email, f"{person.given_name} {person.family_name}",
                    len(cases), shown))
    return sorted(out)
