"""An organisation's challenges in the console: open one, move it to its next phase,
answer its proposals, hide comments that break the rules, and track accepted proposals
with milestones. Administrators and publishers see these pages; to anyone else they do
not exist (404). Each view parses a form and calls one challenges service, which logs
the change and tells the followers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from agora.catalog.models import Service
from agora.challenges import selectors, services
from agora.challenges.models import ANSWERING, Challenge, Phase, Proposal
from agora.challenges.permissions import user_may_run
from agora.console.forms import add_agora_error
from agora.console.forms_challenges import AnswerForm, ChallengeForm, HideForm, MilestoneForm
from agora.console.views import GET_POST, _organization_or_404, _posted
from agora.core import exceptions as errors
from agora.opendata import selectors as opendata
from agora.organizations.models import Organization
from agora.topics.models import Topic


def _runner(request: HttpRequest, slug: str) -> Organization:
    organization = _organization_or_404(request, slug)
    if not user_may_run(request.user, organization):
        raise Http404("No such organisation.")
    return organization


def _challenge(organization: Organization, slug: str) -> Challenge:
    try:
        return selectors.challenge_get(slug=slug, organization=organization)
    except errors.NotFound as error:
        raise Http404(error.detail) from error


def _proposal(challenge: Challenge, proposal_id: str) -> Proposal:
    try:
        return selectors.proposal_get(challenge, proposal_id)
    except errors.NotFound as error:
        raise Http404(error.detail) from error


def _services(organization: Organization) -> list[tuple[str, str]]:
    return list(Service.objects.filter(provider=organization).order_by("name")
                .values_list("code", "name"))


@login_required
@require_safe
def challenge_index(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _runner(request, slug)
    return render(request, "console/challenges/list.html", {
        "organization": organization,
        "challenges": selectors.challenge_list(organization=organization),
    })


@login_required
@GET_POST
def challenge_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Open a challenge on a topic, a dataset or the requests to one of the services."""
    organization = _runner(request, slug)
    datasets = list(opendata.catalogue().filter(dataset_meta__isnull=False)
                    .order_by("title").values_list("dataset_meta__name", "title")[:500])
    form = ChallengeForm(_posted(request), datasets=datasets,
                         topics=Topic.objects.filter(is_active=True).order_by("name")
                         .values_list("slug", "name"),
                         services=_services(organization))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            challenge = services.challenge_open(
                actor=request.user, organization=organization, data=services.ChallengeInput(
                    slug=data["slug"], title=data["title"], summary=data["summary"],
                    propose_from=data["propose_from"], prioritise_from=data["prioritise_from"],
                    respond_from=data["respond_from"], track_from=data["track_from"],
                    topic=Topic.objects.filter(slug=data["topic"]).first(),
                    dataset=opendata.dataset_get(id_or_name=data["dataset"])
                    if data["dataset"] else None,
                    service=Service.objects.filter(provider=organization,
                                                   code=data["service"]).first()))
        except errors.AgoraError as error:
            add_agora_error(form, error)
        else:
            messages.success(request, f"The challenge {challenge.title} is open.")
            return redirect("console:challenge", organization.slug, challenge.slug)
    return render(request, "console/challenges/form.html",
                  {"organization": organization, "form": form})


@login_required
@require_safe
def challenge_manage(request: HttpRequest, slug: str, challenge: str) -> HttpResponse:
    """The challenge as its organisation runs it: phase, proposals to answer, comments."""
    organization = _runner(request, slug)
    found = _challenge(organization, challenge)
    comments = selectors.comments_of(found)
    return render(request, "console/challenges/manage.html", {
        "organization": organization, "challenge": found,
        "proposals": [(proposal, comments.get(proposal.pk, []))
                      for proposal in selectors.proposals_of(found)],
        "comments": comments.get(None, []),
        "answering": found.phase in ANSWERING, "closed": found.phase == Phase.CLOSED,
    })


@login_required
@require_POST
def challenge_advance(request: HttpRequest, slug: str, challenge: str) -> HttpResponse:
    organization = _runner(request, slug)
    found = _challenge(organization, challenge)
    try:
        moved = services.challenge_phase_advance(actor=request.user, challenge=found)
    except errors.AgoraError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, f"The challenge is now: {moved.get_phase_display()}.")
    return redirect("console:challenge", organization.slug, found.slug)


@login_required
@GET_POST
def proposal_answer(request: HttpRequest, slug: str, challenge: str,
                    proposal_id: str) -> HttpResponse:
    organization = _runner(request, slug)
    found = _challenge(organization, challenge)
    proposal = _proposal(found, proposal_id)
    initial = {"status": proposal.status, "reason": proposal.answer} \
        if proposal.status != Proposal.Status.OPEN else {}
    form = AnswerForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_answer(actor=request.user, proposal=proposal,
                                     status=form.cleaned_data["status"],
                                     reason=form.cleaned_data["reason"])
        except errors.AgoraError as error:
            add_agora_error(form, error)
        else:
            messages.success(request, f"Your answer to “{proposal.title}” is published.")
            return redirect("console:challenge", organization.slug, found.slug)
    return render(request, "console/challenges/answer.html", {
        "organization": organization, "challenge": found, "proposal": proposal, "form": form,
    })


@login_required
@GET_POST
def comment_hide(request: HttpRequest, slug: str, challenge: str,
                 comment_id: str) -> HttpResponse:
    organization = _runner(request, slug)
    found = _challenge(organization, challenge)
    try:
        comment = selectors.comment_get(found, comment_id)
    except errors.NotFound as error:
        raise Http404(error.detail) from error
    form = HideForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_hide(actor=request.user, comment=comment,
                                  reason=form.cleaned_data["reason"])
        except errors.AgoraError as error:
            add_agora_error(form, error)
        else:
            messages.success(request, "The comment is hidden.")
            return redirect("console:challenge", organization.slug, found.slug)
    return render(request, "console/challenges/hide.html", {
        "organization": organization, "challenge": found, "comment": comment, "form": form,
    })


@login_required
@GET_POST
def milestone_new(request: HttpRequest, slug: str, challenge: str,
                  proposal_id: str) -> HttpResponse:
    organization = _runner(request, slug)
    found = _challenge(organization, challenge)
    proposal = _proposal(found, proposal_id)
    form = MilestoneForm(_posted(request), services=_services(organization))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.milestone_save(
                actor=request.user, proposal=proposal, title=data["title"], due=data["due"],
                done_at=data["done_at"], requests=data["requests"],
                service=Service.objects.filter(provider=organization,
                                               code=data["service"]).first())
        except errors.AgoraError as error:
            add_agora_error(form, error)
        else:
            messages.success(request, "The milestone is added to the result.")
            return redirect("console:challenge", organization.slug, found.slug)
    return render(request, "console/challenges/milestone.html", {
        "organization": organization, "challenge": found, "proposal": proposal, "form": form,
    })
