"""The OpenAPI document: declared problems and security, and a committed snapshot."""

import json

from tests.api.openapi_snapshot import REGENERATE, SNAPSHOT, generate, render


def test_document_matches_the_committed_snapshot():
    expected = SNAPSHOT.read_text()
    assert generate() == expected, (
        "The OpenAPI document changed. If the change is intended, regenerate the "
        f"snapshot with\n\n    {REGENERATE}\n\nand commit tests/api/openapi.snapshot.json "
        "with the change that caused it."
    )


def test_served_document_is_the_snapshot(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert render(response.json()) == SNAPSHOT.read_text()


def test_document_declares_security_and_problems(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    scheme = document["components"]["securitySchemes"]["ClientToken"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    assert scheme["bearerFormat"] == "JWT"
    assert "Problem" in document["components"]["schemas"]
    whoami = document["paths"]["/api/v1/whoami"]["get"]
    assert whoami["security"] == [{"ClientToken": ["whoami"]}]
    for status in ("400", "401", "403", "422", "500"):
        ref = whoami["responses"][status]["$ref"]
        problem = document["components"]["responses"][ref.rsplit("/", 1)[1]]
        assert "application/problem+json" in problem["content"]


def test_docs_page_loads_local_scripts_only_under_csp(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower()
    assert '<script src="/static/ninja/swagger-ui-bundle.js">' in html
    # The only other script element is JSON data, which CSP does not execute.
    assert html.count("<script") == 3
    assert '<script type="application/json" id="swagger-settings">' in html
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    json.loads(html.split('id="swagger-settings">')[1].split("</script>")[0])


def test_swagger_assets_are_served_locally():
    from django.contrib.staticfiles import finders

    for name in ("swagger-ui-bundle.js", "swagger-ui-init.js", "swagger-ui.css"):
        assert finders.find(f"ninja/{name}"), name


# Operations anyone may call without a token, each for a stated reason. Keep it short.
PUBLIC_OPERATIONS = {
    # The transparency log's signed head and proofs hold only hashes (like a Certificate
    # Transparency log), so residents and auditors can check entries without an account.
    ("GET", "/api/v1/audit/tree-head"),
    ("GET", "/api/v1/audit/proofs/inclusion"),
    ("GET", "/api/v1/audit/proofs/consistency"),
    ("GET", "/api/v1/audit/public-key"),
    ("GET", "/api/v1/audit/public-keys"),
    ("GET", "/api/v1/purposes"),
    # The catalogue is public: residents and other directories read every published service.
    ("GET", "/api/v1/services"),
    ("GET", "/api/v1/services/questions"),
    ("GET", "/api/v1/services/{code}"),
    ("GET", "/api/v1/purposes/{organization}"),
    # Challenges are an open conversation (residents are not named in them).
    ("GET", "/api/v1/challenges"),
    ("GET", "/api/v1/challenges/{slug}"),
}


def test_every_operation_requires_a_scoped_token(client):
    """Fail closed: an operation added without `client_auth(...)` shows up here."""
    document = client.get("/api/v1/openapi.json").json()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if (method.upper(), path) in PUBLIC_OPERATIONS:
                assert not operation.get("security"), f"{method.upper()} {path} is public"
                continue
            assert operation.get("security"), f"{method.upper()} {path} has no auth"
            assert all(scopes for req in operation["security"] for scopes in req.values())


def test_document_says_free_text_may_not_hold_nul(client):
    """The 422 for a NUL character is documented, in queries and in bodies alike."""
    import re

    document = client.get("/api/v1/openapi.json").json()
    search = document["paths"]["/api/v1/search"]["get"]["parameters"]
    query = next(parameter for parameter in search if parameter["name"] == "q")["schema"]
    pattern = re.compile(query["pattern"])
    assert pattern.match("how much is council tax") and not pattern.match("tax\u0000")
    body = document["components"]["schemas"]["CaseIn"]["properties"]["description"]
    assert body["pattern"] == query["pattern"]
    response = client.get("/api/v1/search", {"q": "tax\u0000"})  # open without a token
    assert response.status_code == 422
    assert "NUL character" in response.json()["errors"][0]["message"]
