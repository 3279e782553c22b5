"""The challenges' API: anyone reads the challenges, their proposals, answers and results.

Read only: proposing, supporting and commenting are done by people on the pages, as
signed-in residents (decision 48). Residents are not named here either.
"""

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router

from agora.challenges import selectors
from agora.challenges.models import Challenge, Proposal
from agora.challenges.schemas import (
    ChallengeDetailOut,
    ChallengeListOut,
    ChallengeOut,
    ChallengeQuery,
    MilestoneOut,
    ProposalOut,
)

router = Router(tags=["challenges"])


def _fields(request: HttpRequest, challenge: Challenge) -> dict:
    return {
        "id": challenge.public_id, "slug": challenge.slug, "title": challenge.title,
        "summary": challenge.summary, "organization": challenge.organization.slug,
        "topic": challenge.topic.slug if challenge.topic else None,
        "dataset": challenge.dataset.dataset_meta.name
        if challenge.dataset and hasattr(challenge.dataset, "dataset_meta") else None,
        "service": challenge.service.code if challenge.service else None,
        "phase": challenge.phase, "phase_changed_at": challenge.phase_changed_at,
        "planned": {"propose": challenge.propose_from, "prioritise": challenge.prioritise_from,
                    "respond": challenge.respond_from, "track": challenge.track_from},
        "page": request.build_absolute_uri(reverse("challenges:detail",
                                                   args=[challenge.slug])),
    }


def _proposal(request: HttpRequest, proposal: Proposal) -> ProposalOut:
    query = selectors.evidence_link(proposal)
    dataset = proposal.evidence_dataset
    return ProposalOut(
        id=proposal.public_id, title=proposal.title, body=proposal.body,
        by_organization=proposal.on_behalf_of.slug if proposal.on_behalf_of else None,
        supporters=proposal.support_count, status=proposal.status, answer=proposal.answer,
        answered_at=proposal.answered_at,
        evidence_dataset=dataset.dataset_meta.name
        if dataset and hasattr(dataset, "dataset_meta") else None,
        evidence_query=request.build_absolute_uri(query) if query else None,
        milestones=[MilestoneOut(id=m.public_id, title=m.title, due=m.due, done_on=m.done_at,
                                 service=m.service.code if m.service else None)
                    for m in proposal.milestones.all()],
    )


@router.get("/challenges", response=ChallengeListOut, summary="List the challenges")
def challenge_index(request: HttpRequest, params: Query[ChallengeQuery]) -> ChallengeListOut:
    """List the challenges, those still open first, newest first; filter by organisation."""
    found = selectors.challenge_list()
    if params.organization:
        found = found.filter(organization__slug=params.organization)
    page = list(found[params.offset:params.offset + params.limit])
    return ChallengeListOut(total=found.count(), limit=params.limit, offset=params.offset,
                            challenges=[ChallengeOut(**_fields(request, c)) for c in page])


@router.get("/challenges/{slug}", response=ChallengeDetailOut, summary="A challenge")
def challenge_detail(request: HttpRequest, slug: str) -> ChallengeDetailOut:
    """Return one challenge with its proposals (most supported first), the organisation's
    answers and the milestones of accepted ones."""
    challenge = selectors.challenge_get(slug=slug)
    return ChallengeDetailOut(**_fields(request, challenge), proposals=[
        _proposal(request, proposal) for proposal in selectors.proposals_of(challenge)])
