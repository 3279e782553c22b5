"""Reads of challenges. Everything here is public (a challenge is an open conversation),
except who wrote what: residents are shown as "A resident", never by name, and the
requests a milestone links to are for the organisation's staff only."""

import json
from dataclasses import dataclass
from urllib.parse import urlencode
from uuid import UUID

from django.db.models import BooleanField, Case, Count, Prefetch, QuerySet, Value, When
from django.urls import reverse

from agora.challenges.models import Challenge, Comment, Follow, Milestone, Phase, Proposal
from agora.challenges.permissions import RUNNER_ROLES
from agora.core.exceptions import NotFound
from agora.organizations.models import Membership, Organization
from agora.people.models import Person


def challenge_list(*, organization: Organization | None = None) -> QuerySet[Challenge]:
    """Return the challenges, those still open before the closed ones, newest first."""
    found = Challenge.objects.select_related("organization", "topic").annotate(
        proposal_count=Count("proposals", distinct=True),
        is_closed=Case(When(phase=Phase.CLOSED, then=Value(True)), default=Value(False),
                       output_field=BooleanField()))
    if organization is not None:
        found = found.filter(organization=organization)
    return found.order_by("is_closed", "-created_at", "-pk")


def challenge_get(*, slug: str, organization: Organization | None = None) -> Challenge:
    """Return a challenge by its slug (of the organisation, if given); NotFound otherwise."""
    found = Challenge.objects.select_related(
        "organization", "topic", "dataset__dataset_meta", "service").filter(slug=slug)
    if organization is not None:
        found = found.filter(organization=organization)
    challenge = found.first()
    if challenge is None:
        raise NotFound(f"There is no challenge “{slug}”.")
    return challenge


def proposals_of(challenge: Challenge) -> QuerySet[Proposal]:
    """Return the proposals, most supported first, with their evidence and milestones."""
    return challenge.proposals.select_related(
        "on_behalf_of", "evidence_dataset__dataset_meta",
        "evidence_resource__dataset__dataset_meta",
    ).prefetch_related(Prefetch("milestones", Milestone.objects.select_related("service")))


def proposal_get(challenge: Challenge, public_id) -> Proposal:
    found = challenge.proposals.filter(public_id=public_id).first() \
        if _is_uuid(public_id) else None
    if found is None:
        raise NotFound("There is no such proposal in this challenge.")
    found.challenge = challenge
    return found


def comment_get(challenge: Challenge, public_id) -> Comment:
    found = challenge.comments.filter(public_id=public_id).first() \
        if _is_uuid(public_id) else None
    if found is None:
        raise NotFound("There is no such comment on this challenge.")
    found.challenge = challenge
    return found


def _is_uuid(value) -> bool:
    try:
        UUID(str(value))
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class CommentView:
    comment: Comment
    author: str


def comments_of(challenge: Challenge) -> dict:
    """Return the comments by proposal id (None: on the challenge), each with its author as
    the public sees it: the organisation for its staff, else "A resident"."""
    comments = list(challenge.comments.all())
    staff = set(Membership.objects.filter(
        organization=challenge.organization, user__in={c.author_id for c in comments},
    ).values_list("user_id", flat=True))
    grouped: dict = {}
    for comment in comments:
        author = challenge.organization.name if comment.author_id in staff else "A resident"
        grouped.setdefault(comment.proposal_id, []).append(CommentView(comment, author))
    return grouped


@dataclass(frozen=True)
class ViewerState:
    person: Person | None
    following: bool
    supported: frozenset
    organizations: list[Organization]
    runs: bool


def viewer_state(user, challenge: Challenge) -> ViewerState:
    """Return what the signed-in viewer may do on the challenge's page, and has done."""
    if user is None or not user.is_authenticated:
        return ViewerState(None, False, frozenset(), [], False)
    person = Person.objects.filter(user=user).first()
    following = person is not None and Follow.objects.filter(
        challenge=challenge, person=person).exists()
    supported = frozenset(challenge.proposals.filter(supports__person=person).values_list(
        "pk", flat=True)) if person is not None else frozenset()
    organizations = list(Organization.objects.filter(
        memberships__user=user, is_active=True).distinct().order_by("name"))
    runs = Membership.objects.filter(user=user, organization=challenge.organization,
                                     role__in=RUNNER_ROLES).exists()
    return ViewerState(person, following, supported, organizations, runs)


def evidence_link(proposal: Proposal) -> str:
    """Return the DataStore API call that runs the proposal's saved query ('' if none)."""
    if proposal.evidence_resource is None:
        return ""
    params = {"resource_id": str(proposal.evidence_resource.public_id)}
    query = proposal.evidence_query or {}
    if query.get("filters"):
        params["filters"] = json.dumps(query["filters"], ensure_ascii=False)
    for key in ("q", "sort"):
        if query.get(key):
            params[key] = query[key]
    return reverse("opendata:action", kwargs={"name": "datastore_search"}) + "?" + \
        urlencode(params)
