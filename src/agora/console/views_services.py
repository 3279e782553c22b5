"""A provider's services in the console: list, add, change and withdraw them.

Administrators and publishers of the organisation see these pages; to anyone else they
do not exist (404), and another organisation's service is a 404 too. Each view parses
the form and calls one catalogue service, which checks the rule, the form and the topics
and logs the change; its errors go in the GOV.UK error summary.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from agora.catalog.models import Service
from agora.catalog.selectors import service_for_provider, services_of_provider
from agora.catalog.services import may_provide, service_create, service_update, service_withdraw
from agora.console.forms import ConfirmForm
from agora.console.forms_services import ServiceForm
from agora.console.views import GET_POST, _organization_or_404, _posted
from agora.core import exceptions as errors
from agora.organizations.models import Organization


def _provider(request: HttpRequest, slug: str) -> Organization:
    organization = _organization_or_404(request, slug)
    if not may_provide(request.user, organization):
        raise Http404("No such organisation.")
    return organization


def _service(request: HttpRequest, organization: Organization, code: str) -> Service:
    try:
        return service_for_provider(actor=request.user, provider=organization, code=code)
    except errors.NotFound as error:
        raise Http404(error.detail) from error


def _show(form: ServiceForm, error: errors.AgoraError) -> None:
    """Put a service's error on the fields it names (`eligibility_rule.and[0]` → the rule)."""
    attached = False
    for item in error.errors:
        name = (item.get("field") or "").split(".")[0].split("[")[0]
        if name in form.fields:
            form.add_error(name, item.get("message") or error.detail)
            attached = True
    if not attached:
        form.add_error(None, error.detail)


@login_required
@require_safe
def service_index(request: HttpRequest, slug: str) -> HttpResponse:
    """List the organisation's services: published, drafts and withdrawn."""
    organization = _provider(request, slug)
    services = list(services_of_provider(actor=request.user, provider=organization))
    return render(request, "console/services/list.html", {
        "organization": organization, "services": services,
    })


@login_required
@GET_POST
def service_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Add a service: a draft, or published at once."""
    organization = _provider(request, slug)
    form = ServiceForm(_posted(request), initial={"status": Service.Status.DRAFT})
    if request.method == "POST" and form.is_valid():
        try:
            service = service_create(
                actor=request.user, provider=organization, code=form.cleaned_data["code"],
                details=form.details(), topics=form.cleaned_data["topics"])
        except errors.AgoraError as error:
            _show(form, error)
        else:
            messages.success(request, f"“{service.name}” has been added.")
            return redirect("console:services", slug=organization.slug)
    return render(request, "console/services/form.html", {
        "organization": organization, "form": form, "service": None,
    })


@login_required
@GET_POST
def service_edit(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Change a service's details, rule, form, topics or status."""
    organization = _provider(request, slug)
    service = _service(request, organization, code)
    initial = {name: getattr(service, name) for name in (
        "name", "summary", "description", "who_for", "how_to_apply", "cost", "target_days",
        "location_based", "eligibility_rule", "form_schema")}
    initial["topics"] = [topic.slug for topic in service.topics.all()]
    initial["status"] = service.status if service.status != Service.Status.WITHDRAWN \
        else Service.Status.DRAFT
    form = ServiceForm(_posted(request), initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            service = service_update(actor=request.user, service=service,
                                     changes=form.details(), topics=form.cleaned_data["topics"])
        except errors.AgoraError as error:
            _show(form, error)
        else:
            messages.success(request, f"“{service.name}” has been saved.")
            return redirect("console:services", slug=organization.slug)
    return render(request, "console/services/form.html", {
        "organization": organization, "form": form, "service": service,
    })


@login_required
@GET_POST
def service_withdraw_confirm(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Ask before taking a service out of the catalogue; requests already made carry on."""
    organization = _provider(request, slug)
    service = _service(request, organization, code)
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        service_withdraw(actor=request.user, service=service)
        messages.success(request, f"“{service.name}” has been withdrawn.")
        return redirect("console:services", slug=organization.slug)
    return render(request, "console/services/withdraw.html", {
        "organization": organization, "service": service, "form": form,
    })
