"""“Download my data”: a page saying what is in the download, and the button that makes it."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from agora.access.viewers import Viewer
from agora.portal.exports import person_export
from agora.portal.residents import resident_view


@require_http_methods(["GET", "HEAD", "POST"])
@resident_view
def download(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    """Explain the download (GET); build it and send it as a zip attachment (POST)."""
    if request.method != "POST":
        return render(request, "portal/download.html")
    export = person_export(viewer=viewer)
    response = HttpResponse(export.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response
