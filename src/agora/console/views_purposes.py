"""The register of processing in the console: an organisation's declared purposes.

An administrator proposes a declaration; the data protection officer approves or
rejects it; either may withdraw one. The register is seen by the organisation's
administrators and data protection officers (and operators); to anyone else it does not
exist (404). It exports as the Art. 30 record, in CSV and JSON. The access services
decide and log every change; these views parse, call one service and render.
"""

import json
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from agora.access.models import PurposeDeclaration
from agora.access.register import (
    art30_csv,
    art30_record,
    declaration_get,
    declarations_for_organization,
    declared_purposes,
)
from agora.access.services import (
    apiclient_purposes_set,
    purpose_declaration_approve,
    purpose_declaration_propose,
    purpose_declaration_reject,
    purpose_declaration_withdraw,
)
from agora.audit.reports import resource_history
from agora.console.forms import add_agora_error
from agora.console.forms_purposes import (
    ClientPurposesForm,
    DeclarationChangeForm,
    DeclarationProposeForm,
)
from agora.console.views import (
    GET_POST,
    _organization_or_404,
    _posted,
    _require_manager,
    _reraise_access,
)
from agora.core import exceptions as errors
from agora.organizations.models import Membership, Organization
from agora.organizations.selectors import apiclient_list, user_has_role, user_is_operator

ADMIN, DPO = Membership.Role.ADMIN, Membership.Role.DPO
Status = PurposeDeclaration.Status

# change → (service, question, button, done, who may: roles)
CHANGES = {
    "approve": (purpose_declaration_approve, "Approve this declaration?", "Approve",
                "approved", (DPO,)),
    "reject": (purpose_declaration_reject, "Reject this declaration?", "Reject", "rejected",
               (DPO,)),
    "withdraw": (purpose_declaration_withdraw, "Withdraw this declaration?", "Withdraw",
                 "withdrawn", (ADMIN, DPO)),
}
ALLOWED_FROM = {"approve": (Status.PROPOSED,), "reject": (Status.PROPOSED,),
                "withdraw": (Status.PROPOSED, Status.APPROVED)}


def _register_org(request: HttpRequest, slug: str) -> Organization:
    """Return the organisation if the user is its admin or DPO (or an operator); else 404."""
    organization = _organization_or_404(request, slug)
    user = request.user
    if not (user_is_operator(user) or user_has_role(user, organization, ADMIN, DPO)):
        raise Http404("No such organisation.")
    return organization


def _declaration_or_404(request, organization, public_id) -> PurposeDeclaration:
    try:
        return declaration_get(viewer=request.user, organization=organization,
                               public_id=public_id)
    except errors.NotFound as error:
        raise Http404(error.detail) from error


def _changes_for(request: HttpRequest, declaration: PurposeDeclaration) -> list[str]:
    """Return the changes this user may make to the declaration now."""
    return [
        change for change, (*_, roles) in CHANGES.items()
        if declaration.status in ALLOWED_FROM[change]
        and user_has_role(request.user, declaration.organization, *roles)
    ]


@login_required
@require_safe
def purpose_index(request: HttpRequest, slug: str) -> HttpResponse:
    """List the organisation's declarations: in force, waiting for approval, and past."""
    organization = _register_org(request, slug)
    declarations = list(declarations_for_organization(viewer=request.user,
                                                      organization=organization))
    return render(request, "console/purposes/list.html", {
        "organization": organization,
        "approved": [d for d in declarations if d.status == Status.APPROVED],
        "proposed": [d for d in declarations if d.status == Status.PROPOSED],
        "past": [d for d in declarations
                 if d.status not in (Status.APPROVED, Status.PROPOSED)],
        "can_propose": user_has_role(request.user, organization, ADMIN),
        "is_dpo": user_has_role(request.user, organization, DPO),
        "is_operator": user_is_operator(request.user),
    })


@login_required
@GET_POST
def purpose_new(request: HttpRequest, slug: str) -> HttpResponse:
    """An administrator proposes a declaration; it counts once the DPO approves it."""
    organization = _register_org(request, slug)
    if not user_has_role(request.user, organization, ADMIN):
        raise PermissionDenied
    form = DeclarationProposeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            declaration = purpose_declaration_propose(
                actor=request.user, organization=organization, **form.service_arguments())
        except errors.AgoraError as error:
            _reraise_access(error)
            add_agora_error(form, error)
        else:
            messages.success(
                request, f"“{declaration.purpose.name}” has been proposed. It counts once "
                "your data protection officer approves it.")
            return redirect("console:purpose", slug=organization.slug,
                            public_id=declaration.public_id)
    return render(request, "console/purposes/form.html",
                  {"organization": organization, "form": form})


@login_required
@require_safe
def purpose_detail(request: HttpRequest, slug: str, public_id: UUID) -> HttpResponse:
    """Show a declaration, who proposed and decided it, and its history from the log."""
    organization = _register_org(request, slug)
    declaration = _declaration_or_404(request, organization, public_id)
    return render(request, "console/purposes/detail.html", {
        "organization": organization,
        "declaration": declaration,
        "changes": _changes_for(request, declaration),
        "history": resource_history(resource_type="purpose-declaration",
                                    resource_id=str(declaration.public_id)),
    })


@login_required
@GET_POST
def purpose_change(request: HttpRequest, slug: str, public_id: UUID,
                   change: str) -> HttpResponse:
    """Confirm, then approve, reject or withdraw a declaration through its service."""
    if change not in CHANGES:
        raise Http404("No such change.")
    organization = _register_org(request, slug)
    declaration = _declaration_or_404(request, organization, public_id)
    service, question, button, done, _ = CHANGES[change]
    form = DeclarationChangeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        arguments = {"actor": request.user, "declaration": declaration}
        if change != "approve":
            arguments["reason"] = form.cleaned_data["reason"]
        try:
            declaration = service(**arguments)
        except errors.AgoraError as error:
            _reraise_access(error)
            add_agora_error(form, error)
        else:
            messages.success(request, f"The declaration of “{declaration.purpose.name}” "
                                      f"has been {done}.")
            return redirect("console:purpose", slug=organization.slug,
                            public_id=declaration.public_id)
    return render(request, "console/purposes/change.html", {
        "organization": organization, "declaration": declaration, "form": form,
        "change": change, "question": question, "button": button,
        "destructive": change != "approve", "asks_reason": change != "approve",
    })


def _art30(request: HttpRequest, slug: str) -> tuple[Organization, list[dict], str]:
    organization = _register_org(request, slug)
    rows = art30_record(viewer=request.user, organization=organization)
    stamp = timezone.localtime().strftime("%Y%m%d")
    return organization, rows, f"art30-{organization.slug}-{stamp}"


@login_required
@require_safe
def art30_export_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Download the Art. 30 record of processing activities as CSV."""
    _, rows, name = _art30(request, slug)
    response = StreamingHttpResponse(art30_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@login_required
@require_safe
def art30_export_json(request: HttpRequest, slug: str) -> HttpResponse:
    """Download the Art. 30 record of processing activities as JSON."""
    organization, rows, name = _art30(request, slug)
    body = {"controller": organization.name, "generated_at": timezone.now().isoformat(),
            "activities": rows}
    response = HttpResponse(json.dumps(body, indent=2, ensure_ascii=False),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


@login_required
@GET_POST
def apiclient_purposes(request: HttpRequest, slug: str, client_id: UUID) -> HttpResponse:
    """An administrator limits an API client to some of the declared purposes."""
    organization = _organization_or_404(request, slug)
    _require_manager(request, organization)
    client = apiclient_list(viewer=request.user, organization=organization).filter(
        client_id=client_id).first()
    if client is None:
        raise Http404("No such client.")
    declared = declared_purposes(organization=organization).order_by("name")
    initial = {"purposes": list(declared.filter(code__in=client.purposes))}
    form = ClientPurposesForm(_posted(request), initial=initial, declared=declared)
    if request.method == "POST" and form.is_valid():
        try:
            apiclient_purposes_set(actor=request.user, client=client,
                                   purposes=list(form.cleaned_data["purposes"]))
        except errors.AgoraError as error:
            _reraise_access(error)
            add_agora_error(form, error)
        else:
            messages.success(request, f"The purposes of {client.name} have been saved.")
            return redirect("console:apiclients", slug=organization.slug)
    return render(request, "console/purposes/client.html",
                  {"organization": organization, "client": client, "form": form})
