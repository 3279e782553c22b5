"""Make every error under /api/ a problem+json, whatever part of the stack produced it.

ninja renders the errors of its own operations (see `core.problems.install`). This
middleware covers what never reaches ninja: a body that is too large (refused before
anything reads it), an unknown path or a wrong method (Django's 404, ninja's bare 405),
a Django page for a 400 or 500, and the debug pages DEBUG would otherwise show.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase

from agora.core import problems
from agora.core.exceptions import AgoraError

API_PREFIX = "/api/"
# CKAN's Action API (agora.opendata) answers in CKAN's own error shapes, not problem+json.
CKAN_PREFIXES = ("/api/3/", "/api/action/")

# Headers of the original error response that still mean something on the problem.
_KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def _is_api(request: HttpRequest) -> bool:
    path = request.path_info
    return path.startswith(API_PREFIX) and not path.startswith(CKAN_PREFIXES)


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads no body either when the header is not a number


class ApiProblemMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not _is_api(request):
            return self.get_response(request)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and _declared_length(request) > limit:
            return problems.error_response(
                request, problems.PayloadTooLarge(problems.too_large_detail())
            )
        response = self.get_response(request)
        return self._as_problem(request, response)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        """Answer an exception raised by a non-ninja view under /api/ with a problem."""
        if not _is_api(request):
            return None
        if isinstance(exc, AgoraError):
            return problems.error_response(request, exc)
        if isinstance(exc, Http404):
            return problems.status_response(request, 404)
        if isinstance(exc, PermissionDenied):
            return problems.status_response(request, 403)
        if isinstance(exc, RequestDataTooBig):
            return problems.error_response(
                request, problems.PayloadTooLarge(problems.too_large_detail())
            )
        if isinstance(exc, SuspiciousOperation):
            return problems.status_response(request, 400)
        return problems.server_error_response(request, exc)

    @staticmethod
    def _as_problem(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith(problems.CONTENT_TYPE):
            return response
        detail = None
        if response.status_code == 405 and response.has_header("Allow"):
            detail = f"Use one of: {response['Allow']}."
        elif response.status_code == 404:
            detail = "There is nothing at this address. The API's paths are in /api/v1/docs."
        problem = problems.status_response(request, response.status_code, detail)
        for name in _KEPT_HEADERS:
            if response.has_header(name) and not problem.has_header(name):
                problem[name] = response[name]
        return problem
