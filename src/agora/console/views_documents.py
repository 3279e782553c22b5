"""The console's document pages: an organisation's publishers list its documents, upload a
new document or version, change a document's details and topics, read its history and
compare two versions.

The content services do the work (extraction, checks, the version, the index, the log) in
one transaction each, so a refused upload leaves nothing behind; these views parse a form,
call one selector or service and render. To anyone who does not publish for the
organisation, its documents do not exist here (404).
"""

from dataclasses import replace
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from agora.console.diff_display import diff_rows
from agora.console.forms import add_agora_error
from agora.console.forms_documents import CompareForm, DocumentDetailsForm, DocumentUploadForm
from agora.console.views import GET_POST, _organization_or_404, _posted, _reraise_access
from agora.content.models import Document
from agora.content.permissions import user_may_publish
from agora.content.selectors import (
    document_for_publisher,
    documents_for_publisher,
    version_diff,
    version_get,
    version_list,
)
from agora.content.services import Upload, document_change, document_publish
from agora.core import exceptions as errors
from agora.organizations.models import Membership, Organization

OUTCOMES = {
    "created": "{title} has been published.",
    "new-version": "Version {number} of {title} has been published.",
    "details-changed": "That file is already the current version of {title}; its details "
                       "have been updated.",
    "unchanged": "That file is already the current version of {title}: nothing changed.",
}


def _publisher_org(request: HttpRequest, slug: str) -> Organization:
    """Return the organisation if the user publishes for it; else 404."""
    organization = _organization_or_404(request, slug)
    if not user_may_publish(request.user, organization):
        raise Http404("No such organisation.")
    return organization


def _document_or_404(request: HttpRequest, organization: Organization, public_id: UUID):
    try:
        return document_for_publisher(actor=request.user, owner=organization,
                                      public_id=public_id)
    except errors.AgoraError as error:
        raise Http404("There is no such document.") from error


def _publish(request: HttpRequest, form: DocumentUploadForm, organization: Organization,
             source_key: str, source_url: str = ""):
    """Publish the form's file; return the result, or None with the error on the form."""
    upload = form.cleaned_data["file"]
    details = form.details()
    if source_url and not details.source_url:
        details = replace(details, source_url=source_url)
    try:
        return document_publish(
            actor=request.user, owner=organization,
            upload=Upload(upload.name or "upload", upload.read()),
            source_key=source_key or details.source_url or f"upload/{upload.name}",
            details=details,
        )
    except errors.AgoraError as error:
        _reraise_access(error)
        add_agora_error(form, error, field="file")
        return None


def _done(request: HttpRequest, organization: Organization, published) -> HttpResponse:
    messages.success(request, OUTCOMES[published.outcome].format(
        title=published.document.title, number=published.version.number))
    return redirect("console:document", slug=organization.slug,
                    public_id=published.document.public_id)


@login_required
@require_safe
def document_index(request: HttpRequest, slug: str) -> HttpResponse:
    """List the organisation's documents at every level, with their current version."""
    organization = _publisher_org(request, slug)
    documents = documents_for_publisher(actor=request.user, owner=organization)
    return render(request, "console/documents/list.html",
                  {"organization": organization, "documents": documents})


@login_required
@GET_POST
def document_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload a file as a new document (a file already published adds its version)."""
    organization = _publisher_org(request, slug)
    form = DocumentUploadForm(_posted(request), request.FILES or None,
                              initial={"classification": "public"})
    if request.method == "POST" and form.is_valid():
        published = _publish(request, form, organization, source_key="")
        if published is not None:
            return _done(request, organization, published)
    return render(request, "console/documents/upload.html",
                  {"organization": organization, "form": form, "document": None})


@login_required
@GET_POST
def document_upload(request: HttpRequest, slug: str, public_id: UUID) -> HttpResponse:
    """Upload a new version of a document: its details start as they are now."""
    organization = _publisher_org(request, slug)
    document = _document_or_404(request, organization, public_id)
    form = DocumentUploadForm(_posted(request), request.FILES or None,
                              initial=_details_initial(document))
    if request.method == "POST" and form.is_valid():
        # A document named by its source URL stays named by it, whatever the file declares.
        keep_url = document.source_url if document.source_key == document.source_url else ""
        published = _publish(request, form, organization, source_key=document.source_key,
                             source_url=keep_url)
        if published is not None:
            return _done(request, organization, published)
    return render(request, "console/documents/upload.html",
                  {"organization": organization, "form": form, "document": document})


def _details_initial(document: Document) -> dict:
    return {"classification": document.classification, "kind": document.kind,
            "restricted_roles": [r for r in document.restricted_roles.split(",") if r],
            "topics": [topic.slug for topic in document.topics.all()]}


@login_required
@GET_POST
def document_detail(request: HttpRequest, slug: str, public_id: UUID) -> HttpResponse:
    """A document's details (changed here, topics too), its versions and a comparison."""
    organization = _publisher_org(request, slug)
    document = _document_or_404(request, organization, public_id)
    form = DocumentDetailsForm(_posted(request), initial=_details_initial(document))
    if request.method == "POST" and form.is_valid():
        details = form.details()
        try:
            document_change(actor=request.user, document=document,
                            classification=details.classification,
                            restricted_roles=details.restricted_roles, topics=details.topics,
                            kind=details.kind)
        except errors.AgoraError as error:
            _reraise_access(error)
            add_agora_error(form, error)
        else:
            messages.success(request, f"The details of {document.title} have been saved.")
            return redirect("console:document", slug=organization.slug,
                            public_id=document.public_id)
    versions = list(version_list(document))
    numbers = [version.number for version in versions]
    compare = CompareForm(numbers=numbers, initial={
        "old": numbers[1] if len(numbers) > 1 else None, "new": numbers[0] if numbers else None})
    return render(request, "console/documents/detail.html", {
        "organization": organization, "document": document, "form": form,
        "versions": versions, "compare": compare,
        "roles": [Membership.Role(role).label
                  for role in _details_initial(document)["restricted_roles"]],
    })


@login_required
@require_safe
def document_compare(request: HttpRequest, slug: str, public_id: UUID) -> HttpResponse:
    """Show what changed between two versions: lines added and removed, in words too."""
    organization = _publisher_org(request, slug)
    document = _document_or_404(request, organization, public_id)
    numbers = list(version_list(document).values_list("number", flat=True))
    form = CompareForm(request.GET, numbers=numbers)
    if not form.is_valid():
        raise Http404("Choose two versions of the document to compare.")
    try:
        old = version_get(document, form.cleaned_data["old"])
        new = version_get(document, form.cleaned_data["new"])
    except errors.NotFound as error:
        raise Http404(error.detail) from error
    lines = version_diff(old, new)
    return render(request, "console/documents/compare.html", {
        "organization": organization, "document": document, "old": old, "new": new,
        "rows": diff_rows(lines), "compare": form,
        "added": sum(line.kind == "added" for line in lines),
        "removed": sum(line.kind == "removed" for line in lines),
    })
