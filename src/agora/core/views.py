"""Operator probes and the error pages."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer while the process can serve requests at all."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Answer 200 only when the database answers too, so a balancer can hold traffic back."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not ready"
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Answer a malformed request with the GOV.UK-styled 400 page."""
    return render(request, "core/400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Tell the person they cannot open this page (403)."""
    return render(request, "core/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Tell the person the page does not exist (404)."""
    return render(request, "core/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Apologise for a failure (500) without touching the database or the session.

    The page leaves out everything that needs the signed-in user (the navigation),
    because the failure may be the database itself. If even that cannot be drawn,
    a plain page still goes out.
    """
    try:
        return render(request, "core/500.html", {"minimal_chrome": True}, status=500)
    except Exception:  # the error page must never fail
        return HttpResponseServerError(
            "<!DOCTYPE html><html lang=en><title>Sorry, there is a problem with the service"
            "</title><h1>Sorry, there is a problem with the service</h1><p>Try again later.</p>",
        )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Explain a refused form post (missing or stale CSRF token) in plain words (403)."""
    return render(request, "core/csrf_failure.html", status=403)
