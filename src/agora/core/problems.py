"""Turn every error under /api/ into an RFC 9457 `application/problem+json` document.

One place renders problems: `problem_response`. The ninja handlers (`install`), the
middleware (errors that never reach ninja) and the OpenAPI document (`document`) all
go through this module, so a client sees the same shape whatever failed.

Each problem has a stable `code`; its `type` is the URI of a page that explains it,
`<AGORA_BASE_URL>/problems/<code>` (see `core.problem_views`).
"""

import inspect
import json
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from agora.core.exceptions import (
    AgoraError,
    AuthenticationFailed,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from agora.core.schemas import Problem

logger = logging.getLogger("agora.api")

CONTENT_TYPE = "application/problem+json"
BEARER_REALM = "agora"


class BadRequest(AgoraError):
    """The request could not be understood as it was sent."""

    code = "bad-request"
    status = 400
    title = "The request could not be understood"


class MalformedBody(AgoraError):
    """The request body is not well-formed JSON. Send a JSON object with
    `Content-Type: application/json`."""

    code = "malformed-body"
    status = 400
    title = "The request body is not valid JSON"


class MethodNotAllowed(AgoraError):
    """This address exists but does not answer to this HTTP method; the `Allow`
    header lists the methods it does answer to."""

    code = "method-not-allowed"
    status = 405
    title = "This method is not allowed here"


class PayloadTooLarge(AgoraError):
    """The request body is larger than the platform accepts (1 MiB unless the operator
    changed AGORA_MAX_BODY_BYTES). Nothing was read or stored."""

    code = "payload-too-large"
    status = 413
    title = "The request body is too large"


class UnsupportedMediaType(AgoraError):
    code = "unsupported-media-type"
    status = 415
    title = "The request body is not in a format this address accepts"


class TooManyRequests(AgoraError):
    """Too many requests in a short time; wait for the number of seconds in the
    `Retry-After` header before trying again."""

    code = "too-many-requests"
    status = 429
    title = "Too many requests"


class ServerError(AgoraError):
    """Something failed on the platform's side. It has been logged; the request can be
    retried later. Nothing about the failure is disclosed in the response."""

    code = "server-error"
    status = 500
    title = "Something went wrong on our side"


_BY_STATUS: dict[int, type[AgoraError]] = {
    400: BadRequest,
    401: AuthenticationFailed,
    403: PermissionDenied,
    404: NotFound,
    405: MethodNotAllowed,
    409: Conflict,
    413: PayloadTooLarge,
    415: UnsupportedMediaType,
    422: InvalidInput,
    429: TooManyRequests,
    500: ServerError,
}


def error_class_for_status(status: int) -> type[AgoraError]:
    """Return the problem type that stands for a bare HTTP status."""
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    return ServerError if status >= 500 else BadRequest


def problem_types() -> dict[str, type[AgoraError]]:
    """Return every problem type the platform can answer with, by code.

    Walks the subclasses of `AgoraError`; the modules that declare them are imported
    with the URL configuration (each app's API imports its own errors).
    """
    found: dict[str, type[AgoraError]] = {}
    pending = list(AgoraError.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        found.setdefault(cls.code, cls)
    return dict(sorted(found.items()))


def problem_description(cls: type[AgoraError]) -> str:
    """Return the explanation of a problem type: its docstring, or its title."""
    doc = cls.__dict__.get("__doc__")
    return inspect.cleandoc(doc) if doc else cls.title


def type_uri(code: str) -> str:
    return f"{settings.BASE_URL}/problems/{code}"


def problem_response(
    request: HttpRequest,
    *,
    code: str,
    title: str,
    status: int,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """Render one problem document."""
    body: dict[str, Any] = {
        "type": type_uri(code),
        "code": code,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if errors:
        body["errors"] = errors
    response = HttpResponse(json.dumps(body), status=status, content_type=CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    if status == 401 and "WWW-Authenticate" not in response:
        response["WWW-Authenticate"] = f'Bearer realm="{BEARER_REALM}"'
    return response


def error_response(
    request: HttpRequest, error: AgoraError, *, status: int | None = None
) -> HttpResponse:
    """Render an `AgoraError` (or a subclass) as a problem document."""
    status = status or error.status
    headers = dict(getattr(error, "headers", None) or {})
    if status == 401:
        challenge = f'Bearer realm="{BEARER_REALM}"'
        if type(error) is not AuthenticationFailed:  # a credential was sent and refused
            challenge += f', error="invalid_token", error_description="{error.title}"'
        headers.setdefault("WWW-Authenticate", challenge)
    return problem_response(
        request,
        code=error.code,
        title=error.title,
        status=status,
        detail=error.detail,
        errors=error.errors,
        headers=headers,
    )


def status_response(
    request: HttpRequest, status: int, detail: str | None = None
) -> HttpResponse:
    """Render a problem for a bare HTTP status, e.g. a 404 from Django's URL resolver."""
    cls = error_class_for_status(status)
    return error_response(request, cls(detail), status=status)


def server_error_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """Log an unexpected exception with its traceback and answer a generic 500."""
    logger.error(
        "Unhandled error on %s %s", request.method, request.path, exc_info=exc
    )
    return error_response(
        request,
        ServerError("The platform could not complete this request. It has been logged."),
    )


# --- ninja exception handlers -------------------------------------------------------


def _field_errors(exc: ValidationError) -> list[dict[str, str]]:
    errors = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ())]
        source, rest = (loc[0], loc[1:]) if loc else ("", [])
        if source == "body":
            rest = rest[1:]  # drop the handler's parameter name; clients never see it
        errors.append({"field": ".".join(rest) or source, "message": error.get("msg", "")})
    return errors


def _on_agora_error(request: HttpRequest, exc: AgoraError) -> HttpResponse:
    return error_response(request, exc)


def _on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = _field_errors(exc)
    fields = ", ".join(sorted({e["field"] for e in errors}))
    return error_response(
        request, InvalidInput(f"Check these values: {fields}.", errors=errors)
    )


def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    cause = exc.__cause__
    if exc.status_code == 400 and isinstance(cause, ValueError):  # ninja's body parser
        if isinstance(cause, json.JSONDecodeError):
            detail = f"The request body is not valid JSON: {cause.msg} at line {cause.lineno}."
        else:
            detail = "The request body is not valid UTF-8 JSON."
        return error_response(request, MalformedBody(detail))
    cls = error_class_for_status(exc.status_code)
    # ninja's own messages ("Unauthorized", "Forbidden") say less than our titles.
    detail = cls.title if exc.message in {"Unauthorized", "Forbidden"} else exc.message
    response = error_response(request, cls(detail), status=exc.status_code)
    wait = getattr(exc, "wait", None)
    if wait is not None:
        response["Retry-After"] = str(int(wait) + 1)
    return response


def _on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, NotFound())


def _on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    if isinstance(exc, RequestDataTooBig):
        return error_response(request, PayloadTooLarge(too_large_detail()))
    logger.warning("Suspicious request on %s: %s", request.path, exc)
    return error_response(request, BadRequest())


def _on_exception(request: HttpRequest, exc: Exception) -> HttpResponse:
    return server_error_response(request, exc)


def install(api: NinjaAPI) -> None:
    """Make every error a ninja API raises come out as problem+json."""
    api.add_exception_handler(Exception, _on_exception)
    api.add_exception_handler(AgoraError, _on_agora_error)
    api.add_exception_handler(ValidationError, _on_validation_error)
    api.add_exception_handler(HttpError, _on_http_error)
    api.add_exception_handler(Http404, _on_not_found)
    api.add_exception_handler(SuspiciousOperation, _on_suspicious)


def too_large_detail() -> str:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return f"Send at most {limit} bytes in the request body."


# --- the OpenAPI document ---------------------------------------------------------

_RESPONSE_TEXT = {
    400: "The request could not be understood (for example, a body that is not JSON).",
    401: "No token, or the token was refused; `code` says why.",
    403: "The client lacks the scope this operation needs.",
    404: "Nothing is there, or this client may not see it.",
    409: "The request conflicts with what is there; `code` says how.",
    413: "The request body is larger than 1 MiB.",
    422: "Some values are invalid; `errors` lists them.",
    428: "The change must say which version it is based on (`If-Match` or `version`).",
    500: "Something failed on the platform's side.",
}


def problems(*statuses: int) -> dict[str, Any]:
    """Return `openapi_extra` declaring problems an operation gives beyond the usual ones.

    Use as `@router.get(..., openapi_extra=problems(404))`; `document` turns it into
    references to the shared problem responses.
    """
    unknown = set(statuses) - set(_RESPONSE_TEXT)
    if unknown:
        raise ValueError(f"No problem response is declared for {sorted(unknown)}.")
    return {"x-problems": list(statuses)}


def document(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the Problem schema and the problem responses every operation can give."""
    components = schema.setdefault("components", {})
    problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in problem_schema.pop("$defs", {}).items():
        components.setdefault("schemas", {})[name] = definition
    components.setdefault("schemas", {})["Problem"] = problem_schema
    responses = components.setdefault("responses", {})
    for status, text in _RESPONSE_TEXT.items():
        responses[f"Problem{status}"] = {
            "description": text,
            "content": {CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
    responses["Problem401"]["headers"] = {
        "WWW-Authenticate": {
            "description": "The Bearer challenge, e.g. "
            '`Bearer realm="agora", error="invalid_token"`.',
            "schema": {"type": "string"},
        }
    }
    for path, path_item in schema.get("paths", {}).items():
        for operation in path_item.values():
            scope = operation.get("x-required-scope")
            if scope:
                operation["security"] = [
                    {name: [scope] for name in requirement}
                    for requirement in operation.get("security", [])
                ]
            statuses = [400, 422, 500]
            if operation.get("security"):
                statuses += [401, 403]
            if "{" in path:
                statuses.append(404)
            statuses += operation.pop("x-problems", [])
            if "requestBody" in operation:
                statuses.append(413)
            for status in sorted(statuses):
                operation["responses"].setdefault(
                    status, {"$ref": f"#/components/responses/Problem{status}"}
                )
    return schema


class ProblemAPI(NinjaAPI):
    """A NinjaAPI whose errors are problem+json and whose document declares them."""

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        install(self)

    def get_openapi_schema(self, **kwargs: Any) -> dict[str, Any]:
        return document(super().get_openapi_schema(**kwargs))
