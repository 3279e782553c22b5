"""Sharing agreements in the console: list, propose, read, approve, suspend, resume, end.

The access services decide and log every change; these views parse the form, call one
service and render. An agreement is seen by the administrators and data protection
officers of its two organisations (and by operators); to anyone else, and for an
agreement that is not their organisation's, it does not exist (404).
"""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from agora.access.models import Agreement
from agora.access.selectors import agreement_get, agreements_for_organization
from agora.access.services import (
    agreement_approve,
    agreement_end,
    agreement_propose,
    agreement_resume,
    agreement_suspend,
)
from agora.audit.reports import resource_history
from agora.console.forms import add_agora_error
from agora.console.forms_sharing import AgreementChangeForm, AgreementProposeForm
from agora.console.sharing_display import agreement_actions, expiry_warning, status_tag
from agora.console.views import GET_POST, _organization_or_404, _posted, _reraise_access
from agora.core import exceptions as errors
from agora.organizations.models import Membership, Organization
from agora.organizations.selectors import user_has_role, user_is_operator

ADMIN, DPO = Membership.Role.ADMIN, Membership.Role.DPO

CHANGES = {
    "approve": (agreement_approve, "Approve this agreement?", "Approve", "approved"),
    "suspend": (agreement_suspend, "Suspend this agreement?", "Suspend", "suspended"),
    "resume": (agreement_resume, "Resume this agreement?", "Resume", "resumed"),
    "end": (agreement_end, "End this agreement?", "End agreement", "ended"),
}
DESTRUCTIVE = {"suspend", "end"}

# Service errors name the provider or recipient; on the form both are "the other organisation".
FIELD_NAMES = {"provider": "other", "recipient": "other"}


def _sharing_org(request: HttpRequest, slug: str) -> Organization:
    """Return the organisation if the user is its admin or DPO (or an operator); else 404."""
    organization = _organization_or_404(request, slug)
    user = request.user
    if not (user_is_operator(user) or user_has_role(user, organization, ADMIN, DPO)):
        raise Http404("No such organisation.")
    return organization


def _agreement_or_404(request: HttpRequest, organization: Organization, public_id) -> Agreement:
    try:
        agreement = agreement_get(viewer=request.user, public_id=public_id)
    except errors.NotFound as error:
        raise Http404(error.detail) from error
    if organization.pk not in (agreement.provider_id, agreement.recipient_id):
        raise Http404("There is no such agreement.")
    return agreement


def _rows(agreements, now) -> list[dict]:
    return [
        {"agreement": a, "tag": status_tag(a, now), "warning": expiry_warning(a, now)}
        for a in agreements
    ]


@login_required
@require_safe
def agreement_index(request: HttpRequest, slug: str) -> HttpResponse:
    """List the agreements the organisation provides data under and receives data under."""
    organization = _sharing_org(request, slug)
    agreements = list(agreements_for_organization(viewer=request.user, organization=organization))
    now = timezone.now()
    return render(request, "console/sharing/agreement_list.html", {
        "organization": organization,
        "providing": _rows([a for a in agreements if a.provider_id == organization.pk], now),
        "receiving": _rows([a for a in agreements if a.recipient_id == organization.pk], now),
        "can_propose": user_has_role(request.user, organization, ADMIN),
        "is_operator": user_is_operator(request.user),
    })


@login_required
@GET_POST
def agreement_new(request: HttpRequest, slug: str) -> HttpResponse:
    """An admin proposes an agreement with another organisation; it starts as a draft."""
    organization = _sharing_org(request, slug)
    if not user_has_role(request.user, organization, ADMIN):
        raise PermissionDenied
    form = AgreementProposeForm(_posted(request), organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = agreement_propose(actor=request.user, **form.service_arguments())
        except errors.AgoraError as error:
            _reraise_access(error)
            _add_service_error(form, error)
        else:
            messages.success(
                request, f"“{agreement.title}” has been proposed. Both organisations' "
                "administrators must approve it before anything is shared.",
            )
            return redirect("console:agreement", slug=organization.slug,
                            public_id=agreement.public_id)
    return render(request, "console/sharing/agreement_form.html",
                  {"organization": organization, "form": form})


def _add_service_error(form, error: errors.AgoraError) -> None:
    for item in error.errors:
        item["field"] = FIELD_NAMES.get(item.get("field"), item.get("field"))
    add_agora_error(form, error)


@login_required
@require_safe
def agreement_detail(request: HttpRequest, slug: str, public_id: UUID) -> HttpResponse:
    """Show an agreement: its terms, both sides' approvals, its status and its history."""
    organization = _sharing_org(request, slug)
    agreement = _agreement_or_404(request, organization, public_id)
    return render(request, "console/sharing/agreement_detail.html", {
        "organization": organization,
        "agreement": agreement,
        "tag": status_tag(agreement),
        "warning": expiry_warning(agreement),
        "actions": agreement_actions(request.user, agreement),
        "history": resource_history(resource_type="agreement", resource_id=str(public_id)),
        "is_operator": user_is_operator(request.user),
    })


@login_required
@GET_POST
def agreement_change(request: HttpRequest, slug: str, public_id: UUID, change: str) -> HttpResponse:
    """Confirm, then approve, suspend, resume or end an agreement through its service."""
    if change not in CHANGES:
        raise Http404("No such change.")
    organization = _sharing_org(request, slug)
    agreement = _agreement_or_404(request, organization, public_id)
    service, question, button, done = CHANGES[change]
    form = AgreementChangeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        arguments = {"actor": request.user, "agreement": agreement}
        if change != "approve":
            arguments["reason"] = form.cleaned_data["reason"]
        try:
            agreement = service(**arguments)
        except errors.AgoraError as error:
            _reraise_access(error)
            add_agora_error(form, error)
        else:
            text = f"“{agreement.title}” has been {done}."
            if change == "approve" and agreement.status == Agreement.Status.ACTIVE:
                text = f"“{agreement.title}” is approved by both organisations and now active."
            messages.success(request, text)
            return redirect("console:agreement", slug=organization.slug,
                            public_id=agreement.public_id)
    return render(request, "console/sharing/agreement_change.html", {
        "organization": organization,
        "agreement": agreement,
        "form": form,
        "change": change,
        "question": question,
        "button": button,
        "destructive": change in DESTRUCTIVE,
        "asks_reason": change != "approve",
    })
