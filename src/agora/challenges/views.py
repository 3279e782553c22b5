"""The public challenge pages: the list, a challenge with its proposals and comments, the
proposal form, and the support, comment and follow buttons. Thin views: each parses a
form and calls one service; a service's refusal goes in the GOV.UK error summary."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from agora.challenges import selectors, services
from agora.challenges.forms import CommentForm, ProposalForm
from agora.challenges.models import PHASES, PROPOSING, SUPPORTING, Challenge, Phase
from agora.core import exceptions as errors
from agora.opendata import selectors as opendata

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _challenge(slug: str) -> Challenge:
    try:
        return selectors.challenge_get(slug=slug)
    except errors.NotFound as error:
        raise Http404(error.detail) from error


def _show(form, error: errors.AgoraError) -> None:
    attached = False
    for item in error.errors:
        if item.get("field") in form.fields:
            form.add_error(item["field"], item.get("message") or error.detail)
            attached = True
    if not attached:
        form.add_error(None, error.detail)


@require_safe
def challenge_index(request: HttpRequest) -> HttpResponse:
    """Every challenge, open ones first, with its phase and number of proposals."""
    return render(request, "challenges/list.html",
                  {"challenges": selectors.challenge_list()})


def _timeline(challenge: Challenge) -> list[dict]:
    current = PHASES.index(Phase(challenge.phase))
    return [{"label": phase.label, "from": challenge.planned_from(phase),
             "state": "done" if index < current else "now" if index == current else "later"}
            for index, phase in enumerate(PHASES) if phase != Phase.CLOSED]


def _detail(request: HttpRequest, challenge: Challenge, form: CommentForm | None = None,
            error: errors.AgoraError | None = None, status: int = 200) -> HttpResponse:
    viewer = selectors.viewer_state(request.user, challenge)
    comments = selectors.comments_of(challenge)
    found = list(selectors.proposals_of(challenge))
    proposals = [{"proposal": proposal, "evidence": selectors.evidence_link(proposal),
                  "supported": proposal.pk in viewer.supported,
                  "comments": comments.get(proposal.pk, [])}
                 for proposal in found]
    if form is None:
        form = CommentForm(proposals=found, organizations=viewer.organizations)
    return render(request, "challenges/detail.html", {
        "challenge": challenge, "timeline": _timeline(challenge), "proposals": proposals,
        "comments": comments.get(None, []), "viewer": viewer,
        "can_propose": challenge.phase in PROPOSING,
        "can_support": challenge.phase in SUPPORTING,
        "can_comment": challenge.phase != Phase.CLOSED,
        "form": form, "page_has_errors": bool(form.errors) or error is not None,
        "action_errors": [{"text": error.detail}] if error is not None else [],
    }, status=status)


@require_safe
def challenge_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _detail(request, _challenge(slug))


def _datasets() -> list[tuple[str, str]]:
    return [(document.dataset_meta.name, document.title)
            for document in opendata.catalogue().filter(dataset_meta__isnull=False)
            .select_related("dataset_meta").order_by("title")[:500]]


@login_required
@GET_POST
def proposal_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Propose: a title, the proposal, who proposes, and evidence (a dataset, a query)."""
    challenge = _challenge(slug)
    viewer = selectors.viewer_state(request.user, challenge)
    form = ProposalForm(request.POST if request.method == "POST" else None,
                        organizations=viewer.organizations, datasets=_datasets())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            query = dict(data["evidence_query"])
            resource = opendata.resource_get(query.pop("resource_id")) if query else None
            dataset = opendata.dataset_get(id_or_name=data["evidence_dataset"]) \
                if data["evidence_dataset"] else None
            on_behalf_of = next((o for o in viewer.organizations
                                 if o.slug == data.get("on_behalf_of")), None)
            services.proposal_submit(actor=request.user, challenge=challenge,
                                     data=services.ProposalInput(
                                         title=data["title"], body=data["body"],
                                         on_behalf_of=on_behalf_of, evidence_dataset=dataset,
                                         evidence_resource=resource, evidence_query=query))
        except errors.NotFound as error:
            form.add_error("evidence_query", f"{error.detail} Check the link.")
        except errors.AgoraError as error:
            _show(form, error)
        else:
            messages.success(request, "Your proposal has been published. You now follow "
                                      "this challenge.")
            return redirect("challenges:detail", slug=challenge.slug)
    return render(request, "challenges/propose.html", {
        "challenge": challenge, "form": form, "viewer": viewer,
        "open": challenge.phase in PROPOSING,
    }, status=422 if form.errors else 200)


@login_required
@require_POST
def proposal_support(request: HttpRequest, slug: str, proposal_id: str) -> HttpResponse:
    challenge = _challenge(slug)
    try:
        proposal = selectors.proposal_get(challenge, proposal_id)
    except errors.NotFound as error:
        raise Http404(error.detail) from error
    try:
        services.proposal_support(actor=request.user, proposal=proposal)
    except errors.AgoraError as error:
        return _detail(request, challenge, error=error, status=error.status)
    messages.success(request, f"You support “{proposal.title}”.")
    return redirect("challenges:detail", slug=challenge.slug)


@login_required
@require_POST
def comment_new(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = _challenge(slug)
    viewer = selectors.viewer_state(request.user, challenge)
    form = CommentForm(request.POST, proposals=list(selectors.proposals_of(challenge)),
                       organizations=viewer.organizations)
    if form.is_valid():
        data = form.cleaned_data
        try:
            proposal = selectors.proposal_get(challenge, data["proposal"]) \
                if data.get("proposal") else None
            on_behalf_of = next((o for o in viewer.organizations
                                 if o.slug == data.get("on_behalf_of")), None)
            services.comment_post(actor=request.user, challenge=challenge,
                                  body=form.cleaned_data["body"], proposal=proposal,
                                  on_behalf_of=on_behalf_of)
        except errors.AgoraError as error:
            _show(form, error)
        else:
            messages.success(request, "Your comment has been added.")
            return redirect("challenges:detail", slug=challenge.slug)
    return _detail(request, challenge, form, status=422)


@login_required
@require_POST
def follow(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = _challenge(slug)
    wanted = request.POST.get("follow") == "yes"
    try:
        services.challenge_follow(actor=request.user, challenge=challenge, follow=wanted)
    except errors.AgoraError as error:
        return _detail(request, challenge, error=error, status=error.status)
    messages.success(request, "You follow this challenge: we will email you when it moves "
                     "on." if wanted else "You no longer follow this challenge.")
    return redirect("challenges:detail", slug=challenge.slug)
