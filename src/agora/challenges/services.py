"""Writes of challenges, each one transaction with its log entry and, where people are
told, its outbox events (docs/decisions.md 48).

Who may do what: the organisation's administrators and publishers run the challenge
(`permissions.runner_check`); a resident is a signed-in user with a linked person (linked
only through a verified email address, see `people.services`), and supports and follows
as that person; a member of an organisation may propose and comment for it. What each
phase allows is in `models` (PROPOSING, SUPPORTING, ANSWERING).
"""

from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from agora.access.models import Classification
from agora.audit.models import LogEntry
from agora.audit.services import AuditActor, log_append
from agora.cases.models import Case
from agora.catalog.models import Service
from agora.challenges.exceptions import AlreadySupported, WrongPhase, field_error
from agora.challenges.models import (
    ANSWERING,
    PHASES,
    PROPOSING,
    SUPPORTING,
    Challenge,
    Comment,
    Follow,
    Milestone,
    Phase,
    Proposal,
    Support,
)
from agora.challenges.permissions import runner_check, user_may_speak_for
from agora.content.models import Document
from agora.core.actors import SystemActor
from agora.core.events import announce
from agora.core.exceptions import InvalidInput, NotFound, PermissionDenied
from agora.notifications.models import EventType
from agora.opendata import datastore
from agora.opendata.models import Resource
from agora.organizations.models import Organization
from agora.people.models import Person
from agora.topics.models import Topic

MAX_TEXT = 5_000
MAX_COMMENT = 2_000


@dataclass(frozen=True)
class ChallengeInput:
    """What an organisation says when it opens a challenge."""

    slug: str
    title: str
    summary: str
    propose_from: date
    prioritise_from: date
    respond_from: date
    track_from: date
    topic: Topic | None = None
    dataset: Document | None = None
    service: Service | None = None


@dataclass(frozen=True)
class ProposalInput:
    title: str
    body: str
    on_behalf_of: Organization | None = None
    evidence_dataset: Document | None = None
    evidence_resource: Resource | None = None
    evidence_query: dict = field(default_factory=dict)


def _actor(actor, organization: Organization | None = None) -> AuditActor:
    """Return who acted as the log records it: the command line, staff, or a resident."""
    if isinstance(actor, SystemActor):
        return AuditActor(kind="system", id="cli", label=str(actor))
    person = _person_of(actor) if organization is None else None
    if person is not None:
        return AuditActor(kind="person", id=str(person.public_id))
    return AuditActor(kind="staff", id=str(actor.public_id), label=actor.email)


def _person_of(user) -> Person | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).first()


def _resident(user) -> Person:
    person = _person_of(user)
    if person is None:
        raise PermissionDenied("Only a signed-in resident with a verified email address "
                               "can do this.")
    return person


def _log(actor, action: str, challenge: Challenge, reason: str, *,
         on_behalf_of: Organization | None = None, subject: Person | None = None,
         resource_type: str = "challenge", resource_id: str = "") -> None:
    log_append(
        actor=_actor(actor, on_behalf_of), action=action, decision=LogEntry.Decision.PERMIT,
        organization=challenge.organization.slug,
        on_behalf_of=on_behalf_of.slug if on_behalf_of else "",
        subject=str(subject.public_id) if subject is not None else None, reason=reason,
        resource_type=resource_type, resource_id=resource_id or str(challenge.public_id),
    )


def _announce(type: str, challenge: Challenge, **changes) -> None:
    """Tell the organisation's systems once, and each follower by email, in this transaction.

    One event per follower, because the outbox tells one resident per event (its `person`);
    the payload names the challenge and its public page, nothing about anyone.
    """
    data = {"challenge": str(challenge.public_id), "slug": challenge.slug,
            "title": challenge.title,
            "page": reverse("challenges:detail", args=[challenge.slug]), **changes}
    announce(type, organizations=[challenge.organization], source="/challenges",
             subject=str(challenge.public_id), data=data)
    for person in Person.objects.filter(
            pk__in=Follow.objects.filter(challenge=challenge).values("person")):
        announce(type, organizations=[], person=person, source="/challenges",
                 subject=str(challenge.public_id), data=data)


def _current(challenge_id: int) -> Challenge:
    """Return the challenge as it is now (a proposal's cached one may be a phase behind)."""
    return Challenge.objects.select_related("organization").get(pk=challenge_id)


def _text(name: str, value: str, label: str, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if not value:
        raise field_error(name, f"Enter {label}.")
    if len(value) > limit:
        raise field_error(name, f"{label[0].upper()}{label[1:]} is {len(value):,} characters "
                                f"long; the limit is {limit:,}.")
    return value


def _check_challenge(organization: Organization, data: ChallengeInput) -> list[dict]:
    errors = []
    if not data.slug or slugify(data.slug) != data.slug or len(data.slug) > 100:
        errors.append({"field": "slug", "message": "Use lower-case letters, digits and "
                                                    "hyphens, at most 100 characters."})
    elif Challenge.objects.filter(slug=data.slug).exists():
        errors.append({"field": "slug", "message": f"There is already a challenge at "
                                                    f"“{data.slug}”: choose another."})
    for name, label, limit in (("title", "a title", 200), ("summary", "a summary", MAX_TEXT)):
        try:
            _text(name, getattr(data, name), label, limit)
        except InvalidInput as error:
            errors += error.errors
    if data.topic is None and data.dataset is None and data.service is None:
        errors.append({"field": "topic", "message": "Say what the challenge is about: a "
                                                     "topic, a dataset or a service's requests."})
    if data.dataset is not None and (data.dataset.kind != Document.Kind.DATASET or
                                     data.dataset.classification != Classification.OPEN):
        errors.append({"field": "dataset", "message": "Choose an open dataset."})
    if data.service is not None and data.service.provider_id != organization.pk:
        errors.append({"field": "service", "message": "Choose one of your own services: "
                                                       "their requests are yours to discuss."})
    dates = [("propose_from", data.propose_from), ("prioritise_from", data.prioritise_from),
             ("respond_from", data.respond_from), ("track_from", data.track_from)]
    for (_, earlier), (name, later) in pairwise(dates):
        if earlier and later and later < earlier:
            errors.append({"field": name, "message": "Each phase must start on or after "
                                                      "the one before it."})
    return errors


def challenge_open(*, actor, organization: Organization, data: ChallengeInput) -> Challenge:
    """Open a challenge of the organisation, in its first phase (gathering evidence)."""
    runner_check(actor, organization)
    errors = _check_challenge(organization, data)
    if errors:
        raise InvalidInput(" ".join(item["message"] for item in errors), errors=errors)
    try:
        with transaction.atomic():
            challenge = Challenge.objects.create(
                organization=organization, slug=data.slug, title=data.title.strip(),
                summary=data.summary.strip(), topic=data.topic, dataset=data.dataset,
                service=data.service, propose_from=data.propose_from,
                prioritise_from=data.prioritise_from, respond_from=data.respond_from,
                track_from=data.track_from, phase=Phase.GATHER,
                phase_changed_at=timezone.now(),
            )
            _log(actor, LogEntry.Action.CHALLENGE_OPEN, challenge,
                 f"Opened the challenge “{challenge.title}”.")
    except IntegrityError:
        raise field_error("slug", f"There is already a challenge at “{data.slug}”: "
                                  "choose another.") from None
    return challenge


def challenge_phase_advance(*, actor, challenge: Challenge) -> Challenge:
    """Move the challenge to its next phase and tell its followers."""
    runner_check(actor, challenge.organization)
    with transaction.atomic():
        locked = Challenge.objects.select_for_update().select_related("organization").get(
            pk=challenge.pk)
        if locked.phase == Phase.CLOSED:
            raise WrongPhase("The challenge is closed: it has no next phase.")
        locked.phase = PHASES[PHASES.index(Phase(locked.phase)) + 1]
        locked.phase_changed_at = timezone.now()
        locked.save(update_fields=["phase", "phase_changed_at"])
        label = Phase(locked.phase).label
        _log(actor, LogEntry.Action.CHALLENGE_PHASE, locked,
             f"Moved “{locked.title}” to its next phase: {label}.")
        _announce(EventType.CHALLENGE_PHASE_CHANGED, locked, phase=locked.phase)
    return locked


def _evidence_check(data: ProposalInput) -> dict:
    """Return the saved query once it runs on the resource's table; refuse it otherwise."""
    if data.evidence_dataset is not None and (
            data.evidence_dataset.kind != Document.Kind.DATASET
            or data.evidence_dataset.classification != Classification.OPEN):
        raise field_error("evidence_dataset", "Choose an open dataset as evidence.")
    query = data.evidence_query or {}
    if data.evidence_resource is None:
        if query:
            raise field_error("evidence_query", "A saved query needs the file it runs on.")
        return {}
    table = getattr(data.evidence_resource, "datastore", None)
    if table is None:
        raise field_error("evidence_resource", "That file has no table to query: choose a "
                                                "CSV or JSON file of the dataset.")
    unknown = set(query) - {"filters", "q", "sort"}
    if unknown:
        raise field_error("evidence_query", f"A saved query has filters, q and sort; not "
                                            f"{', '.join(sorted(unknown))}.")
    filters = query.get("filters") or {}
    if not isinstance(filters, dict):
        raise field_error("evidence_query", "The filters must be an object of column: value.")
    try:
        datastore.table_query(table.table_name, table.fields, datastore.Query(
            filters=filters, q=str(query.get("q") or ""), fields=None,
            sort=str(query.get("sort") or ""), limit=1, offset=0, include_total=False))
    except datastore.QueryInvalid as error:
        raise field_error("evidence_query", f"The saved query does not run: {error.detail}") \
            from None
    return {key: value for key, value in
            (("filters", filters), ("q", query.get("q")), ("sort", query.get("sort")))
            if value}


def proposal_submit(*, actor, challenge: Challenge, data: ProposalInput) -> Proposal:
    """Post a proposal as a resident or for a member organisation; its author follows."""
    if data.on_behalf_of is not None:
        if not user_may_speak_for(actor, data.on_behalf_of):
            raise PermissionDenied(f"You are not a member of {data.on_behalf_of}.")
        person = _person_of(actor)
    else:
        person = _resident(actor)
    if challenge.phase not in PROPOSING:
        raise WrongPhase("This challenge no longer takes proposals.")
    title = _text("title", data.title, "a title for your proposal", 200)
    body = _text("body", data.body, "your proposal")
    query = _evidence_check(data)
    with transaction.atomic():
        proposal = Proposal.objects.create(
            challenge=challenge, title=title, body=body, author=actor,
            on_behalf_of=data.on_behalf_of, evidence_dataset=data.evidence_dataset,
            evidence_resource=data.evidence_resource, evidence_query=query,
        )
        if person is not None:
            Follow.objects.get_or_create(challenge=challenge, person=person)
        _log(actor, LogEntry.Action.PROPOSAL_SUBMIT, challenge,
             f"Proposed “{title}” to “{challenge.title}”.", on_behalf_of=data.on_behalf_of,
             subject=None if data.on_behalf_of else person, resource_type="proposal",
             resource_id=str(proposal.public_id))
    return proposal


def proposal_support(*, actor, proposal: Proposal) -> Support:
    """Record one resident's support of a proposal (once per resident and proposal)."""
    person = _resident(actor)
    challenge = _current(proposal.challenge_id)
    if challenge.phase not in SUPPORTING:
        raise WrongPhase("Proposals to this challenge cannot be supported now.")
    try:
        with transaction.atomic():
            support = Support.objects.create(proposal=proposal, person=person)
            Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
            Follow.objects.get_or_create(challenge=challenge, person=person)
            _log(actor, LogEntry.Action.PROPOSAL_SUPPORT, challenge,
                 f"Supported “{proposal.title}”.", subject=person, resource_type="proposal",
                 resource_id=str(proposal.public_id))
    except IntegrityError:
        raise AlreadySupported("You already support this proposal.") from None
    return support


def comment_post(*, actor, challenge: Challenge, body: str,
                 proposal: Proposal | None = None,
                 on_behalf_of: Organization | None = None) -> Comment:
    """Comment on a challenge or one of its proposals (a resident, or for a member org)."""
    if on_behalf_of is not None:
        if not user_may_speak_for(actor, on_behalf_of):
            raise PermissionDenied(f"You are not a member of {on_behalf_of}.")
        person = None
    else:
        person = _resident(actor)
    if challenge.phase == Phase.CLOSED:
        raise WrongPhase("This challenge is closed to comments.")
    if proposal is not None and proposal.challenge_id != challenge.pk:
        raise NotFound("There is no such proposal in this challenge.")
    text = _text("body", body, "your comment", MAX_COMMENT)
    with transaction.atomic():
        comment = Comment.objects.create(challenge=challenge, proposal=proposal, author=actor,
                                         body=text)
        _log(actor, LogEntry.Action.COMMENT_POST, challenge,
             f"Commented on “{proposal.title if proposal else challenge.title}”.",
             on_behalf_of=on_behalf_of, subject=person, resource_type="comment",
             resource_id=str(comment.public_id))
    return comment


def comment_hide(*, actor, comment: Comment, reason: str) -> Comment:
    """Hide a comment that breaks the rules; the reason is shown in its place."""
    challenge = _current(comment.challenge_id)
    runner_check(actor, challenge.organization)
    reason = _text("reason", reason, "the reason for hiding it", 300)
    with transaction.atomic():
        comment.hidden_reason = reason
        comment.save(update_fields=["hidden_reason"])
        _log(actor, LogEntry.Action.COMMENT_HIDE, challenge, f"Hid a comment: {reason}",
             resource_type="comment", resource_id=str(comment.public_id))
    return comment


ANSWERS = (Proposal.Status.EVALUATING, Proposal.Status.ACCEPTED, Proposal.Status.REJECTED)


def proposal_answer(*, actor, proposal: Proposal, status: str, reason: str) -> Proposal:
    """Answer a proposal (evaluating, accepted or rejected) with a reason; tell followers."""
    challenge = _current(proposal.challenge_id)
    runner_check(actor, challenge.organization)
    if status not in ANSWERS:
        raise field_error("status", "Choose evaluating, accepted or rejected.")
    reason = _text("reason", reason, "the reason for your answer")
    if challenge.phase not in ANSWERING:
        raise WrongPhase("Proposals are answered once the challenge is prioritising them.")
    if proposal.status == Proposal.Status.ACCEPTED and status != Proposal.Status.ACCEPTED \
            and proposal.milestones.exists():
        raise WrongPhase("This proposal's result has milestones: it stays accepted.")
    with transaction.atomic():
        proposal.status, proposal.answer = status, reason
        proposal.answered_at = timezone.now()
        proposal.save(update_fields=["status", "answer", "answered_at"])
        _log(actor, LogEntry.Action.PROPOSAL_ANSWER, challenge,
             f"Answered “{proposal.title}”: {Proposal.Status(status).label}.",
             resource_type="proposal", resource_id=str(proposal.public_id))
        _announce(EventType.CHALLENGE_PROPOSAL_ANSWERED, challenge,
                  proposal=str(proposal.public_id), status=status)
    return proposal


def milestone_save(*, actor, proposal: Proposal, title: str, due: date | None,
                   done_at: date | None = None, service: Service | None = None,
                   requests: tuple[str, ...] = (),
                   milestone: Milestone | None = None) -> Milestone:
    """Add or change a milestone of an accepted proposal's result; tell followers.

    `requests` are references of the organisation's own requests that the step answers;
    they link the result to them for staff and are never shown on the public page.
    """
    challenge = _current(proposal.challenge_id)
    runner_check(actor, challenge.organization)
    if proposal.status != Proposal.Status.ACCEPTED:
        raise WrongPhase("Only an accepted proposal has a result to track.")
    title = _text("title", title, "what the milestone is", 200)
    if due is None:
        raise field_error("due", "Enter the date the milestone is due.")
    cases = list(Case.objects.filter(reference__in=requests,
                                     organization=challenge.organization))
    missing = sorted(set(requests) - {case.reference for case in cases})
    if missing:
        raise field_error("requests", f"{', '.join(missing)}: not a request of "
                                      f"{challenge.organization}.")
    with transaction.atomic():
        if milestone is None:
            milestone = Milestone(proposal=proposal)
        elif milestone.proposal_id != proposal.pk:
            raise NotFound("There is no such milestone of this proposal.")
        milestone.title, milestone.due, milestone.done_at = title, due, done_at
        milestone.service = service
        milestone.save()
        milestone.requests.set(cases)
        state = f"done on {done_at.isoformat()}" if done_at else f"due {due.isoformat()}"
        _log(actor, LogEntry.Action.MILESTONE_CHANGE, challenge,
             f"Milestone “{title}” of “{proposal.title}”: {state}.",
             resource_type="milestone", resource_id=str(milestone.public_id))
        _announce(EventType.CHALLENGE_MILESTONE_CHANGED, challenge,
                  proposal=str(proposal.public_id), milestone=str(milestone.public_id),
                  done=done_at is not None)
    return milestone


def challenge_follow(*, actor, challenge: Challenge, follow: bool) -> bool:
    """Start or stop following a challenge (a resident's own choice: not logged)."""
    person = _resident(actor)
    with transaction.atomic():
        if follow:
            Follow.objects.get_or_create(challenge=challenge, person=person)
        else:
            Follow.objects.filter(challenge=challenge, person=person).delete()
    return follow
