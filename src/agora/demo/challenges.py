"""Riverton's challenges: the council asks about missed bins (prioritising its proposals),
the housing authority tracks the result of one about emergency repairs.

Made through the challenges' own services (so each step is in the log and its events in
the outbox, which the demo settles at the end: the town's past is not news). A challenge
that is already there is left alone, so a second load adds nothing.
"""

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from agora.catalog.models import Service
from agora.challenges import services
from agora.challenges.models import Challenge
from agora.core.actors import SYSTEM
from agora.demo.hub_corpus import COUNCIL, FOODBANK, HOUSING
from agora.opendata.models import DatasetMeta
from agora.organizations.models import Membership, Organization
from agora.people.models import Person
from agora.topics.models import Topic


def _dates(start_days_ago: int) -> dict:
    start = timezone.now().date() - timedelta(days=start_days_ago)
    return {name: start + timedelta(days=offset) for name, offset in (
        ("propose_from", 14), ("prioritise_from", 42), ("respond_from", 70),
        ("track_from", 98))}


def _advance(challenge: Challenge, times: int) -> Challenge:
    for _ in range(times):
        challenge = services.challenge_phase_advance(actor=SYSTEM, challenge=challenge)
    return challenge


def challenges_load(*, step: Callable[[str], None]) -> int:
    """Open Riverton's two challenges if they are not there yet; return how many were new."""
    organisations = {org.slug: org for org in Organization.objects.filter(
        slug__in=[COUNCIL, FOODBANK, HOUSING])}
    residents = [person.user for person in Person.objects.filter(user__isnull=False)
                 .select_related("user").order_by("pk")[:12]]
    datasets = {meta.name: meta for meta in DatasetMeta.objects.select_related("document")
                .filter(name__in=["missed-bin-collections", "housing-repairs"])}
    if len(organisations) < 3 or len(residents) < 6 or len(datasets) < 2:
        step("Challenges: skipped (the town, its residents or its datasets are missing)")
        return 0
    existing = set(Challenge.objects.values_list("slug", flat=True))
    created = 0
    if "fewer-missed-bins" not in existing:
        _bins(organisations, residents, datasets["missed-bin-collections"])
        created += 1
    if "faster-emergency-repairs" not in existing:
        _repairs(organisations, residents, datasets["housing-repairs"])
        created += 1
    step(f"Challenges: {created} new")
    return created


def _bins(organisations: dict, residents: list, meta: DatasetMeta) -> None:
    council = organisations[COUNCIL]
    challenge = services.challenge_open(actor=SYSTEM, organization=council,
                                        data=services.ChallengeInput(
        slug="fewer-missed-bins", title="Fewer missed bin collections",
        summary="Some streets see their bins missed far more often than others. Help us "
                "find out why, and what would make the biggest difference.",
        topic=Topic.objects.filter(slug="bin-collections").first(), dataset=meta.document,
        service=Service.objects.filter(provider=council, code="missed-bin").first(),
        **_dates(30)))
    challenge = _advance(challenge, 1)  # taking proposals
    resource = meta.document.resources.first()
    ward = resource.datastore.fields[0]["id"] if hasattr(resource, "datastore") else ""
    first = services.proposal_submit(actor=residents[0], challenge=challenge,
                                     data=services.ProposalInput(
        title="Collect narrow streets with a smaller lorry",
        body="The big lorry cannot get down the lanes behind Quay Street when cars are "
             "parked, so the crew skips them. A smaller vehicle on those rounds would help.",
        evidence_dataset=meta.document, evidence_resource=resource,
        evidence_query={"filters": {ward: "Riverside"}} if ward else {}))
    foodbank = organisations[FOODBANK]
    member = Membership.objects.filter(organization=foodbank).select_related("user").first()
    second = services.proposal_submit(actor=member.user if member else residents[1],
                                      challenge=challenge, data=services.ProposalInput(
        title="Text reminders the evening before",
        body="Many of the families we see work shifts. A text the evening before collection "
             "day would get bins out on time.",
        on_behalf_of=foodbank if member else None))
    for supporter in residents[1:6]:
        services.proposal_support(actor=supporter, proposal=first)
    for supporter in residents[3:5]:
        services.proposal_support(actor=supporter, proposal=second)
    services.comment_post(actor=residents[2], challenge=challenge, proposal=first,
                          body="Same on Castle Court: the lorry turns back most weeks.")
    _advance(challenge, 1)  # prioritising


def _repairs(organisations: dict, residents: list, meta: DatasetMeta) -> None:
    housing = organisations[HOUSING]
    service = Service.objects.filter(provider=housing, code="housing-repairs").first()
    challenge = services.challenge_open(actor=SYSTEM, organization=housing,
                                        data=services.ChallengeInput(
        slug="faster-emergency-repairs", title="Faster emergency repairs",
        summary="Emergency repairs should be made within a day. Our repairs data shows "
                "they often are not. What should we change first?",
        topic=Topic.objects.filter(slug="repairs").first(), dataset=meta.document,
        service=service, **_dates(120)))
    challenge = _advance(challenge, 1)
    proposal = services.proposal_submit(actor=residents[5], challenge=challenge,
                                        data=services.ProposalInput(
        title="An out-of-hours repairs line that answers",
        body="Most leaks start at night. The out-of-hours number goes to voicemail.",
        evidence_dataset=meta.document))
    for supporter in residents[:4]:
        services.proposal_support(actor=supporter, proposal=proposal)
    challenge = _advance(challenge, 2)  # prioritising, then responding
    services.proposal_answer(actor=SYSTEM, proposal=proposal, status="accepted",
                             reason="We will staff the out-of-hours line from next month.")
    _advance(challenge, 1)  # tracking results
    today = timezone.now().date()
    services.milestone_save(actor=SYSTEM, proposal=proposal, title="Recruit two call handlers",
                            due=today - timedelta(days=10), done_at=today - timedelta(days=12),
                            service=service)
    services.milestone_save(actor=SYSTEM, proposal=proposal,
                            title="The line answers every night", due=today + timedelta(days=30),
                            service=service)
