"""The Open311 GeoReport v2 endpoint at /open311/v2/: thin views over the Open311 face.

Each view checks the format and the method, calls one selector or service, and renders
the answer in the asked format. Every refusal is an `Open311Error`, answered in the
spec's error shape with 400, 403 or 404 (405 for a wrong method); a request body that is
too big or malformed is a 400 too, never a 500.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.views.decorators.csrf import csrf_exempt

from agora.cases import open311
from agora.cases.open311_input import w3c
from agora.cases.open311_services import (
    definition_as_wire,
    open311_service,
    open311_services,
    service_as_wire,
)
from agora.cases.open311_wire import FORMATS, Open311Error, error_response, respond
from agora.core.exceptions import AgoraError

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


def open311_view(*methods: str) -> Callable:
    """Wrap a view: known format, allowed method, and every refusal in the spec's shape."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt  # machine clients post forms with a key, not a session
        @wraps(view)
        def wrapped(request: HttpRequest, *args, fmt: str, **kwargs) -> HttpResponse:
            try:
                if fmt not in FORMATS:
                    raise Open311Error(404, f"Unknown format “{fmt[:20]}”: use .json or .xml.")
                if request.method not in methods:
                    response = error_response(fmt, Open311Error(
                        405, f"Use {' or '.join(methods)} here."))
                    response["Allow"] = ", ".join(methods)
                    return response
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as error:
                return error_response(fmt, error)
            except AgoraError as error:  # a service's refusal: its status, its plain detail
                status = error.status if error.status in (403, 404) else 400
                return error_response(fmt, Open311Error(status, error.detail))
            except RequestDataTooBig:
                return error_response(fmt, Open311Error(400, "The request body is too large."))
            except (SuspiciousOperation, MultiPartParserError):
                return error_response(fmt, Open311Error(400, "The request could not be read."))

        return wrapped

    return decorate


@open311_view("GET")
def discovery(request: HttpRequest, *, fmt: str) -> HttpResponse:
    """Say where the endpoint is, which formats it speaks and how to get a key."""
    changed = open311_services().aggregate(latest=Max("updated_at"))["latest"]
    changeset = w3c(changed) if changed else None
    endpoint = request.build_absolute_uri("/open311/v2/").rstrip("/")
    return respond(fmt, "discovery", {
        "changeset": changeset,
        "contact": f"The operator of {settings.SERVICE_NAME} at {settings.BASE_URL}",
        "key_service": "Keys are issued to a member organisation's API client by the "
                       "platform's operator (agora open311 key create --org SLUG).",
        "endpoints": [{
            "specification": SPECIFICATION,
            "url": endpoint,
            "changeset": changeset,
            "type": "production",
            "formats": ["application/json", "text/xml"],
        }],
    })


@open311_view("GET")
def services(request: HttpRequest, *, fmt: str) -> HttpResponse:
    """List the street-problem services that take reports."""
    return respond(fmt, "services", [service_as_wire(service) for service in open311_services()])


@open311_view("GET")
def service_definition(request: HttpRequest, code: str, *, fmt: str) -> HttpResponse:
    """Describe the attributes a report to one service carries."""
    service = open311_service(code)
    if service is None:
        raise Open311Error(404, f"No service has the service_code “{code[:80]}”.")
    return respond(fmt, "service_definition", definition_as_wire(service))


@open311_view("GET", "POST")
def requests(request: HttpRequest, *, fmt: str) -> HttpResponse:
    """Search reports (GET) or make one (POST, with an `api_key`)."""
    if request.method == "POST":
        created = open311.report_create(form=request.POST)
        return respond(fmt, "service_requests", [created])
    return respond(fmt, "service_requests", open311.reports_search(request.GET))


@open311_view("GET")
def request_detail(request: HttpRequest, request_id: str, *, fmt: str) -> HttpResponse:
    """Show one report, as a list of one, as the spec says."""
    report = open311.report_get(request_id, api_key=request.GET.get("api_key", ""))
    return respond(fmt, "service_requests", [report])


@open311_view("GET")
def token(request: HttpRequest, token_id: str, *, fmt: str) -> HttpResponse:
    """Give the service_request_id of the report a token stands for."""
    return respond(fmt, "service_requests", [open311.token_get(token_id)])


@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """Answer an unknown address under /open311/v2/ in the spec's shape, not with a page."""
    fmt = path.rsplit(".", 1)[-1] if "." in path else "json"
    return error_response(fmt, Open311Error(
        404, "There is nothing at this address; start from discovery.json or services.json."))

