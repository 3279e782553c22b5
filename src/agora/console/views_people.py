"""The caseworker's single view of a person, built from every organisation's records.

A caseworker states a purpose before anything about a person is shown: when finding
them, and again whenever they open or change the purpose of a person's page. Only the
purposes their organisation has declared are offered; one it has not declared (typed
into the address, say) is refused in the error summary and logged as refused, like an
API client's. Every step is logged by the selectors it calls (`person.lookup`,
`person.view`, one `record.read` per record shown). A person who is unknown and a
person with nothing readable look the same.
"""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from agora.access.decisions import PERSONAL_DATA_ROLES, Basis
from agora.access.selectors import agreements_for_organization
from agora.access.viewers import Viewer, viewer_for_staff
from agora.console.forms_people import PersonFindForm, PurposeForm
from agora.console.single_view import basis_refs, group_records, person_view
from agora.console.views import GET_POST, _organization_or_404, _posted
from agora.core.exceptions import AgoraError
from agora.organizations.models import Organization
from agora.organizations.selectors import user_has_role
from agora.people.models import Person
from agora.people.selectors import person_find, person_find_by_national_id
from agora.records.selectors import people_search, person_lookup
from agora.records.services import purpose_require


def _caseworker_org(request: HttpRequest, slug: str) -> Organization:
    """Return the organisation if the user holds a role there that handles personal data."""
    organization = _organization_or_404(request, slug)
    if not user_has_role(request.user, organization, *PERSONAL_DATA_ROLES):
        raise PermissionDenied
    return organization


def _refuse_purpose(viewer: Viewer, form, *, action: str, subject: Person | None = None) -> None:
    """Log the refusal of a purpose the form did not accept and say why on the form.

    The form offers only declared purposes; a code sent anyway is one the platform does
    not know or the organisation has not declared, and asking with it is logged.
    """
    code = form.submitted_code()
    if not code:
        return
    try:
        purpose_require(viewer=viewer, code=code, action=action, subject=subject)
    except AgoraError as error:
        form.errors["purpose"] = form.error_class([error.detail])


def _person_url(organization: Organization, person_id, purpose_code: str) -> str:
    url = reverse("console:person", args=[organization.slug, person_id])
    return f"{url}?{urlencode({'purpose': purpose_code})}"


@login_required
@GET_POST
def person_search(request: HttpRequest, slug: str) -> HttpResponse:
    """Find a person by national identifier, for a purpose; log the lookup either way.

    The identifier travels in a POST body, never in an address that browsers and
    proxies keep.
    """
    organization = _caseworker_org(request, slug)
    form = PersonFindForm(_posted(request), organization=organization)
    not_found = False
    results = None
    if request.method == "POST" and not form.is_valid() and form.has_error("purpose"):
        _refuse_purpose(viewer_for_staff(request.user, organization), form,
                        action="person.lookup")
    elif request.method == "POST" and form.is_valid():
        viewer = viewer_for_staff(request.user, organization)
        purpose = form.cleaned_data["purpose"]
        if form.cleaned_data["name"]:
            people = people_search(viewer=viewer, purpose=purpose, name=form.cleaned_data["name"])
            results = [
                (person, _person_url(organization, person.public_id, purpose.code))
                for person in people
            ]
            not_found = not results
        else:
            candidate = person_find_by_national_id(
                viewer=viewer, national_id=form.cleaned_data["national_id"]
            )
            person = person_lookup(viewer=viewer, person=candidate, purpose=purpose)
            if person is not None:
                return redirect(_person_url(organization, person.public_id, purpose.code))
            not_found = True
    return render(
        request,
        "console/people/search.html",
        {"organization": organization, "form": form, "not_found": not_found,
         "results": results},
    )


@login_required
@GET_POST
def person_purpose(request: HttpRequest, slug: str, person_id: UUID) -> HttpResponse:
    """Ask why the caseworker needs to see this person's information before showing it."""
    organization = _caseworker_org(request, slug)
    initial = {"purpose": request.GET.get("purpose")} if request.method != "POST" else None
    form = PurposeForm(_posted(request), initial=initial, organization=organization)
    if request.method == "POST" and form.is_valid():
        return redirect(_person_url(organization, person_id, form.cleaned_data["purpose"].code))
    return render(
        request,
        "console/people/purpose.html",
        {"organization": organization, "form": form, "person_id": person_id},
    )


@login_required
@require_safe
def person_detail(request: HttpRequest, slug: str, person_id: UUID) -> HttpResponse:
    """Show what the caseworker may see of the person for the purpose in the address."""
    organization = _caseworker_org(request, slug)
    if not request.GET.get("purpose"):
        return redirect("console:person_purpose", slug=organization.slug, person_id=person_id)
    form = PurposeForm(request.GET, organization=organization)
    viewer = viewer_for_staff(request.user, organization)
    person = person_find(viewer=viewer, person_id=person_id)
    if not form.is_valid():  # unknown or undeclared: refused, logged, and asked again
        _refuse_purpose(viewer, form, action="person.view", subject=person)
        return render(
            request,
            "console/people/purpose.html",
            {"organization": organization, "form": form, "person_id": person_id},
        )
    purpose = form.cleaned_data["purpose"]
    page = person_view(viewer=viewer, person=person, purpose=purpose)
    return render(
        request,
        "console/people/person.html",
        {
            "organization": organization,
            "person_id": person_id,
            "person": person if page.total else None,
            "purpose": purpose,
            "page": page,
            "groups": group_records(
                page.items,
                _agreement_titles(request, organization, basis_refs(page.items, Basis.AGREEMENT)),
            ),
        },
    )


def _agreement_titles(
    request: HttpRequest, organization: Organization, refs: set[str]
) -> dict[str, str]:
    """Return the titles of the agreements records were shared under, by public id."""
    if not refs:
        return {}
    agreements = agreements_for_organization(
        viewer=request.user, organization=organization
    ).filter(recipient=organization, public_id__in=refs)
    return {str(a.public_id): a.title for a in agreements}
