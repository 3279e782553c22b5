"""The data protection officer's pages: the organisation's agreements and who accessed what.

Only the organisation's data protection officers and platform operators open them.
Not its administrators: they approve agreements and manage the staff whose accesses
the report shows, and the officer's job is to check on exactly that. Operators answer
for the platform's log as a whole and step in for an organisation without an officer.
Reading or exporting the report is itself logged (`log.read`), since its entries name
the people they are about.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from agora.access.models import Purpose
from agora.access.selectors import agreements_for_organization
from agora.audit.models import LogEntry
from agora.audit.reports import (
    ReportFilter,
    acting_organizations,
    entries_concerning,
    entries_counts,
    entries_csv,
    entries_filter,
    report_read_log,
    resource_key,
)
from agora.audit.services import AuditActor
from agora.console.forms_dpo import AccessReportForm
from agora.console.sharing_display import expiry_warning, status_tag
from agora.console.views import _organization_or_404
from agora.organizations.models import Membership, Organization
from agora.organizations.selectors import user_has_role, user_is_operator
from agora.records.models import Record

PAGE_SIZE = 50


def _dpo_org(request: HttpRequest, slug: str) -> Organization:
    """Return the organisation if the user is its data protection officer or an operator."""
    organization = _organization_or_404(request, slug)
    if not (
        user_has_role(request.user, organization, Membership.Role.DPO)
        or user_is_operator(request.user)
    ):
        raise PermissionDenied
    return organization


def _concerning(request: HttpRequest, organization: Organization):
    """Return the log entries about the organisation: its people's, and anyone's on its data.

    Its resources are its agreements (through the access selector) and its records. The
    record ids are a plain subquery here, as no records selector offers them yet; both
    stay subqueries, so the report is one query however much the organisation holds.
    """
    records = Record.objects.filter(owner=organization).values(key=resource_key("public_id"))
    agreements = agreements_for_organization(
        viewer=request.user, organization=organization
    ).values(key=resource_key("public_id"))
    return entries_concerning(organization=organization.slug, owned=[records, agreements])


def _actor(request: HttpRequest, organization: Organization) -> tuple[AuditActor, str]:
    """Return how the log names the reader, and the organisation they act for."""
    user = request.user
    acts_for = organization.slug if user_has_role(user, organization, Membership.Role.DPO) else ""
    kind = "staff"
    label = f"{user.email} ({'dpo at ' + organization.slug if acts_for else 'operator'})"
    return AuditActor(kind=kind, id=str(user.public_id), label=label), acts_for


def _report_form(request: HttpRequest, organization: Organization, concerning):
    slugs = acting_organizations(concerning)
    names = dict(Organization.objects.filter(slug__in=slugs).values_list("slug", "name"))
    actors = [(slug, names.get(slug, slug)) for slug in slugs]
    purposes = dict(Purpose.objects.values_list("code", "name"))
    form = AccessReportForm(request.GET or None, actors=actors, purposes=purposes)
    return form, names, purposes


@login_required
@require_safe
def dpo_overview(request: HttpRequest, slug: str) -> HttpResponse:
    """List all the organisation's agreements, those needing attention (ending, ended) first."""
    organization = _dpo_org(request, slug)
    now = timezone.now()
    rows = [
        {"agreement": a, "tag": status_tag(a, now), "warning": expiry_warning(a, now)}
        for a in agreements_for_organization(viewer=request.user, organization=organization)
    ]
    return render(request, "console/dpo/overview.html", {
        "organization": organization,
        "attention": [row for row in rows if row["warning"]],
        "providing": [row for row in rows if row["agreement"].provider_id == organization.pk],
        "receiving": [row for row in rows if row["agreement"].recipient_id == organization.pk],
        "is_operator": user_is_operator(request.user),
    })


@login_required
@require_safe
def access_report(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the entries about the organisation, filtered, with counts and refusals first."""
    organization = _dpo_org(request, slug)
    concerning = _concerning(request, organization)
    form, names, purposes = _report_form(request, organization, concerning)
    context = {"organization": organization, "form": form, "names": names,
               "purposes": purposes, "is_operator": user_is_operator(request.user)}
    if form.is_bound and not form.is_valid():
        return render(request, "console/dpo/access_report.html", context)
    report_filter = form.report_filter() if form.is_bound else ReportFilter()
    page, counts, refused = report_page(concerning, report_filter, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context.update({
        "results": True,
        "page": page,
        "counts": counts,
        "refused": refused,
        "refused_query": _with(query, decision=LogEntry.Decision.DENY),
        "query": query.urlencode(),
        "filtered": any(report_filter.__dict__.values()),
    })
    response = render(request, "console/dpo/access_report.html", context)
    # Logged once the page is drawn, so the report shows the log as it was when opened.
    actor, acts_for = _actor(request, organization)
    report_read_log(actor=actor, actor_organization=acts_for, organization=organization.slug,
                    report_filter=report_filter)
    return response


def report_page(concerning, report_filter: ReportFilter, number) -> tuple[Page, list, int]:
    """Return the report's page of entries, its counts and how many were refused.

    The counts per organisation, purpose and result already add up to the total and the
    refusals, so the period's entries are gone over twice (counts, page), not four times
    (docs/benchmarks.md, "Latency at size").
    """
    entries = entries_filter(concerning, report_filter)
    counts = entries_counts(entries)
    paginator = Paginator(entries, PAGE_SIZE)
    paginator.count = sum(row.count for row in counts)  # a cached property: set, not asked
    page = paginator.get_page(number)
    return page, counts, sum(row.count for row in counts if row.refused)


def _with(query, **values) -> str:
    copy = query.copy()
    for name, value in values.items():
        copy[name] = value
    return copy.urlencode()


@login_required
@require_safe
def access_report_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Stream the filtered entries as CSV, header row first; log the export."""
    organization = _dpo_org(request, slug)
    concerning = _concerning(request, organization)
    form, names, _ = _report_form(request, organization, concerning)
    if form.is_bound and not form.is_valid():
        return render(
            request, "console/dpo/access_report.html",
            {"organization": organization, "form": form, "names": names,
             "is_operator": user_is_operator(request.user)},
            status=400,
        )
    report_filter = form.report_filter() if form.is_bound else ReportFilter()
    entries = entries_filter(concerning, report_filter)
    actor, acts_for = _actor(request, organization)
    report_read_log(actor=actor, actor_organization=acts_for, organization=organization.slug,
                    report_filter=report_filter, exported=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(entries_csv(entries), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="access-{organization.slug}-{stamp}.csv"'
    )
    return response
