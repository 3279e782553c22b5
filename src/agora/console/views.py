"""Staff console pages: organisations, their members and their API clients.

Each view parses a form, calls one selector or service and renders. A service's
AgoraError is shown in the GOV.UK error summary; an organisation the viewer may not
see is a 404 whether it exists or not.
"""

from itertools import groupby
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from agora.console.forms import (
    ConfirmForm,
    MemberAddForm,
    OrganizationCreateForm,
    OrganizationForm,
    OrganizationOperatorForm,
    add_agora_error,
)
from agora.console.invitations import member_invite
from agora.core import exceptions as errors
from agora.organizations.exceptions import DuplicateSlug
from agora.organizations.models import Organization
from agora.organizations.selectors import (
    apiclient_list,
    membership_list,
    organization_get,
    organization_list,
    user_can_manage_members,
    user_is_operator,
    user_memberships,
)
from agora.organizations.services import (
    apiclient_deactivate,
    membership_remove,
    organization_create,
    organization_update,
)

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _posted(request: HttpRequest):
    """Return the submitted data of a POST (even an empty one), or None to leave a form unbound."""
    return request.POST if request.method == "POST" else None


def _organization_or_404(request: HttpRequest, slug: str) -> Organization:
    organization = organization_get(viewer=request.user, slug=slug)
    if organization is None:
        raise Http404("No such organisation.")
    return organization


def _require_manager(request: HttpRequest, organization: Organization) -> None:
    if not user_can_manage_members(request.user, organization):
        raise PermissionDenied


def _require_operator(request: HttpRequest) -> None:
    if not user_is_operator(request.user):
        raise PermissionDenied


def _reraise_access(error: errors.AgoraError) -> None:
    """Turn a service's refusal into the project's 403 or 404 page."""
    if isinstance(error, errors.PermissionDenied):
        raise PermissionDenied(error.detail) from error
    if isinstance(error, errors.NotFound):
        raise Http404(error.detail) from error


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """List the organisations the user works in with their roles there."""
    is_operator = user_is_operator(request.user)
    memberships = list(
        user_memberships(user=request.user).order_by(
            "organization__name", "organization_id", "role"
        )
    )
    if not memberships and not is_operator:
        raise PermissionDenied
    organizations = [
        (organization, [m.get_role_display() for m in group])
        for organization, group in groupby(memberships, key=lambda m: m.organization)
    ]
    return render(
        request,
        "console/dashboard.html",
        {"organizations": organizations, "is_operator": is_operator},
    )


@login_required
@require_safe
def organization_index(request: HttpRequest) -> HttpResponse:
    """List every organisation with its number of members (operators only)."""
    _require_operator(request)
    organizations = organization_list(viewer=request.user).annotate(
        member_count=Count("memberships__user", distinct=True)
    )
    return render(request, "console/organization_list.html", {"organizations": organizations})


@login_required
@GET_POST
def organization_new(request: HttpRequest) -> HttpResponse:
    _require_operator(request)
    form = OrganizationCreateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            organization = organization_create(actor=request.user, **form.cleaned_data)
        except errors.AgoraError as error:
            _reraise_access(error)
            add_agora_error(form, error, field="slug" if isinstance(error, DuplicateSlug) else None)
        else:
            messages.success(request, f"{organization.name} has been added.")
            return redirect("console:organization", slug=organization.slug)
    return render(request, "console/organization_form.html", {"form": form, "creating": True})


@login_required
@require_safe
def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _organization_or_404(request, slug)
    return render(
        request,
        "console/organization_detail.html",
        {
            "organization": organization,
            "can_manage": user_can_manage_members(request.user, organization),
            "is_operator": user_is_operator(request.user),
            "roles": {
                membership.role
                for membership in user_memberships(user=request.user)
                if membership.organization_id == organization.pk
            },
        },
    )


@login_required
@GET_POST
def organization_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Admins edit their organisation's details; operators also its kind and activation."""
    organization = _organization_or_404(request, slug)
    _require_manager(request, organization)
    form_class = OrganizationOperatorForm if user_is_operator(request.user) else OrganizationForm
    initial = {name: getattr(organization, name) for name in form_class.base_fields}
    form = form_class(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            if changes:
                organization_update(actor=request.user, organization=organization, **changes)
        except errors.AgoraError as error:
            _reraise_access(error)
            add_agora_error(form, error)
        else:
            if changes:
                messages.success(request, f"The details of {organization.name} have been saved.")
            return redirect("console:organization", slug=organization.slug)
    return render(
        request,
        "console/organization_form.html",
        {"form": form, "organization": organization, "creating": False},
    )


def _members_by_user(memberships) -> list[dict]:
    """Group memberships into one row per person, roles in role order."""
    rows: dict[int, dict] = {}
    for membership in memberships:
        row = rows.setdefault(
            membership.user_id,
            {"user": membership.user, "memberships": [], "added": membership.created_at},
        )
        row["memberships"].append(membership)
        row["added"] = min(row["added"], membership.created_at)
    return list(rows.values())


@login_required
@require_safe
def member_index(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _organization_or_404(request, slug)
    members = _members_by_user(membership_list(viewer=request.user, organization=organization))
    return render(
        request,
        "console/member_list.html",
        {
            "organization": organization,
            "members": members,
            "can_manage": user_can_manage_members(request.user, organization),
            "is_operator": user_is_operator(request.user),
        },
    )


@login_required
@GET_POST
def member_add(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _organization_or_404(request, slug)
    _require_manager(request, organization)
    form = MemberAddForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            membership, created_user = member_invite(
                actor=request.user, organization=organization, **form.cleaned_data
            )
        except errors.AgoraError as error:
            _reraise_access(error)
            add_agora_error(form, error)
        else:
            role = membership.get_role_display().lower()
            text = f"{membership.user.email} is now {role} at {organization.name}."
            if created_user:
                text += " We have sent them an email to set their password."
            messages.success(request, text)
            return redirect("console:members", slug=organization.slug)
    return render(
        request, "console/member_add.html", {"organization": organization, "form": form}
    )


@login_required
@GET_POST
def member_remove(request: HttpRequest, slug: str, user_id: UUID, role: str) -> HttpResponse:
    """Ask to confirm, then take one role away from a member."""
    organization = _organization_or_404(request, slug)
    _require_manager(request, organization)
    membership = (
        membership_list(viewer=request.user, organization=organization)
        .filter(user__public_id=user_id, role=role)
        .first()
    )
    if membership is None:
        raise Http404("No such member.")
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            membership_remove(actor=request.user, membership=membership)
        except errors.AgoraError as error:
            _reraise_access(error)
            add_agora_error(form, error)
        else:
            messages.success(
                request,
                f"{membership.user.email} is no longer {membership.get_role_display().lower()} "
                f"at {organization.name}.",
            )
            return redirect("console:members", slug=organization.slug)
    return render(
        request,
        "console/member_remove.html",
        {"organization": organization, "membership": membership, "form": form},
    )


@login_required
@require_safe
def apiclient_index(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _organization_or_404(request, slug)
    _require_manager(request, organization)
    return render(
        request,
        "console/apiclient_list.html",
        {
            "organization": organization,
            "clients": apiclient_list(viewer=request.user, organization=organization),
            "form": ConfirmForm(),
            "is_operator": user_is_operator(request.user),
        },
    )


@login_required
@require_POST
def apiclient_deactivate_view(request: HttpRequest, slug: str, client_id: UUID) -> HttpResponse:
    organization = _organization_or_404(request, slug)
    _require_manager(request, organization)
    client = apiclient_list(viewer=request.user, organization=organization).filter(
        client_id=client_id
    ).first()
    if client is None:
        raise Http404("No such client.")
    try:
        apiclient_deactivate(actor=request.user, client=client)
    except errors.AgoraError as error:
        _reraise_access(error)
        form = ConfirmForm(request.POST)
        form.is_valid()
        add_agora_error(form, error)
        clients = apiclient_list(viewer=request.user, organization=organization)
        return render(
            request,
            "console/apiclient_list.html",
            {
                "organization": organization,
                "clients": clients,
                "form": form,
                "is_operator": user_is_operator(request.user),
            },
        )
    messages.success(request, f"{client.name} has been deactivated. It can no longer sign in.")
    return redirect("console:apiclients", slug=organization.slug)
