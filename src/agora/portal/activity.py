"""“Who has seen my data”: the resident's own log entries, and the check of one of them."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from agora.access.viewers import Viewer
from agora.audit.person_log import (
    log_entries_for_subject,
    log_entry_verification,
    log_organizations_for_subject,
    signed_size,
)
from agora.organizations.models import Organization
from agora.portal.forms import ActivityFilterForm
from agora.portal.residents import resident_view, subject_id
from agora.portal.wording import activity_rows

PAGE_SIZE = 25
# The public, unauthenticated proof API of `agora.audit` (docs/audit.md).


def _organization_choices(slugs: list[str]) -> list[tuple[str, str]]:
    names = dict(Organization.objects.filter(slug__in=slugs).values_list("slug", "name"))
    return sorted(((slug, names.get(slug, slug)) for slug in slugs), key=lambda c: c[1].lower())


@require_safe
@resident_view
def activity_list(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """List every log entry about the resident, newest first, filtered and paginated.

    Reading one's own log appends nothing to it: see `agora.audit.person_log`.
    """
    subject = subject_id(viewer)
    form = ActivityFilterForm(
        request.GET or None,
        organizations=_organization_choices(log_organizations_for_subject(subject=subject)),
    )
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = log_entries_for_subject(
        subject=subject,
        organization=filters.get("organization", ""),
        decision=filters.get("result", ""),
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/activity/list.html",
        {
            "form": form,
            "page": page,
            "page_numbers": list(
                page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
            ),
            "rows": activity_rows(list(page.object_list), person=viewer.person),
            "query": query.urlencode(),
            "filtered": bool(filters.get("organization") or filters.get("result")),
            # Entries at or beyond the latest signed head wait for the next one.
            "signed_size": signed_size(),
        },
    )


@require_safe
@resident_view
def activity_verify(request: HttpRequest, viewer: Viewer, seq: int) -> HttpResponse:
    """Show one entry, its leaf hash, the signed tree head, the proof and the result."""
    check = log_entry_verification(subject=subject_id(viewer), seq=seq)
    if check is None:
        raise Http404("No such entry about you.")
    row = activity_rows([check.entry], person=viewer.person)[0]
    return render(
        request,
        "portal/activity/verify.html",
        {
            "check": check,
            "row": row,
            "proof_url": reverse("api-v1:audit-proof-inclusion")
            + "?" + urlencode(check.proof_request),
            "tree_head_url": reverse("api-v1:audit-tree-head"),
            "public_keys_url": reverse("api-v1:audit-public-keys"),
            "interval": settings.TREE_HEAD_INTERVAL,
        },
    )
