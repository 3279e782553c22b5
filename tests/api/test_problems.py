"""Every error under /api/ is application/problem+json, whatever produced it."""

import json
import logging

import pytest
from django.test import RequestFactory
from django.urls import resolve
from django.utils.html import escape

from agora.core.problems import problem_types
from agora.organizations.models import Organization
from tests.api.helpers import assert_problem

TEN_MB = b"x" * (10 * 1024 * 1024)


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def test_unknown_api_path_is_problem_even_with_debug(client, db, debug):
    response = client.get("/api/v1/no-such-thing")
    body = assert_problem(response, 404, "not-found")
    assert "Traceback" not in body["detail"] and "URLconf" not in response.content.decode()


def test_unknown_path_outside_api_is_still_a_page(client, db):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_wrong_method_is_problem_with_allow(client, db, debug):
    response = client.delete("/api/v1/whoami")
    body = assert_problem(response, 405, "method-not-allowed")
    assert response["Allow"] == "GET"
    assert "GET" in body["detail"]


def test_oversize_body_is_refused_before_reading(client, db):
    response = client.post("/api/v1/whoami", TEN_MB, content_type="application/json")
    assert_problem(response, 413, "payload-too-large")


pytestmark_urls = pytest.mark.urls("tests.api.urls")


@pytestmark_urls
def test_oversize_body_to_a_route_writes_nothing(client, db):
    response = client.post("/api/test/things", TEN_MB, content_type="application/json")
    assert_problem(response, 413, "payload-too-large")
    assert not Organization.objects.exists()


@pytestmark_urls
def test_body_too_big_when_read_is_413(db):
    # Bypass the middleware to reach ninja's handler for Django's RequestDataTooBig.
    request = RequestFactory().post(
        "/api/test/things", b"{}" + b" " * (2 * 1024 * 1024), content_type="application/json"
    )
    response = resolve("/api/test/things").func(request)
    assert response.status_code == 413
    assert json.loads(response.content)["code"] == "payload-too-large"


@pytestmark_urls
@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b'{"name": "x",}'])
def test_malformed_json_is_400_and_writes_nothing(client, db, body, debug):
    response = client.post("/api/test/things", body, content_type="application/json")
    assert_problem(response, 400, "malformed-body")
    assert not Organization.objects.exists()


@pytestmark_urls
def test_valid_body_is_accepted(client, db):
    response = client.post(
        "/api/test/things", {"name": "Food bank"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert Organization.objects.count() == 1


@pytestmark_urls
def test_unknown_field_is_refused(client, db):
    response = client.post(
        "/api/test/things", {"name": "Food bank", "colour": "red"}, content_type="application/json"
    )
    body = assert_problem(response, 422, "invalid-input")
    assert body["errors"] == [{"field": "colour", "message": "Extra inputs are not permitted"}]
    assert not Organization.objects.exists()


@pytestmark_urls
@pytest.mark.parametrize(
    ("payload", "field"),
    [({}, "name"), ({"name": "x", "count": "many"}, "count"), ([1, 2], "body"), ("text", "body")],
)
def test_invalid_values_are_422_with_field_errors(client, db, payload, field):
    body = json.dumps(payload)
    response = client.post("/api/test/things", body, content_type="application/json")
    body = assert_problem(response, 422, "invalid-input")
    assert field in {error["field"] for error in body["errors"]}, body
    assert all(error["message"] for error in body["errors"])


@pytestmark_urls
def test_invalid_query_parameter_is_422(client, db):
    body = assert_problem(client.get("/api/test/numbers?limit=ten"), 422, "invalid-input")
    assert body["errors"][0]["field"] == "limit"


@pytestmark_urls
def test_agora_error_keeps_its_code(client, db):
    assert_problem(client.get("/api/test/conflict"), 409, "conflict")


@pytestmark_urls
@pytest.mark.parametrize("path", ["/api/test/boom", "/api/plain/boom"])
def test_unexpected_exception_is_generic_500_and_logged(client, db, debug, caplog, path):
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR):
        response = client.get(path)
    assert_problem(response, 500, "server-error")
    content = response.content.decode()
    assert "secret-internal-detail" not in content and "Traceback" not in content
    assert "secret-internal-detail" in caplog.text


def test_problem_type_pages(client, db):
    codes = problem_types()
    for code in [
        "invalid-token", "bad-signature", "alg-not-allowed", "token-expired",
        "token-not-yet-valid", "token-lifetime-too-long", "wrong-audience",
        "unknown-client", "token-replayed", "purpose-missing", "scope-not-granted",
        "unauthenticated", "not-found", "method-not-allowed", "malformed-body",
        "payload-too-large", "invalid-input", "server-error",
    ]:
        assert code in codes
        page = client.get(f"/problems/{code}")
        assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
        assert escape(codes[code].title) in page.content.decode()
    described = client.get("/problems/token-replayed", HTTP_ACCEPT="application/json").json()
    assert described["status"] == 401
    assert described["type"] == "http://testserver/problems/token-replayed"
    assert "jti" in described["description"]
    assert client.get("/problems/").status_code == 200
    assert client.get("/problems/no-such-problem").status_code == 404


def test_problem_codes_are_unique():
    seen = {}
    from agora.core.exceptions import AgoraError

    pending = list(AgoraError.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if "code" in cls.__dict__:
            assert seen.setdefault(cls.code, cls) is cls, f"{cls} reuses the code {cls.code}"
