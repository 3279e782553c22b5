"""The hub's API: search open to anyone, wider with a client token; publish with a file."""

import pytest

from agora.audit.models import LogEntry
from agora.content.models import Document
from tests.api.helpers import assert_problem, make_client
from tests.content.helpers import markdown, pdf_bytes, publish


@pytest.fixture
def hub(council, foodbank):
    publish(council, "council-tax", "Council tax", {
        "Single person discount": "If you live alone you get 25% off.",
    }, topics=["council-tax"], source_url="https://riverton.example/council-tax")
    publish(council, "arrears", "Council tax arrears procedure", {
        "Enforcement": "Refer arrears to enforcement agents.",
    }, classification="internal", topics=["council-tax"])
    publish(foodbank, "rota", "Volunteer rota", {"Tuesdays": "Council tax form helpers."},
            classification="internal")


def test_search_without_a_token_finds_public_documents_with_every_field(client, hub):
    response = client.get("/api/v1/search", {"q": "live alone", "limit": 5})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1
    hit = body["results"][0]
    assert hit["title"] == "Council tax"
    assert hit["section"] == "Single person discount"
    assert "<mark>alone</mark>" in hit["snippet"]
    assert hit["url"] == f"http://testserver/documents/{hit['id']}/#single-person-discount"
    assert hit["source_url"] == "https://riverton.example/council-tax"
    assert (hit["owner"], hit["topics"], hit["kind"]) == ("council", ["council-tax"], "guidance")
    assert body["facets"]["org"] == [{"value": "council", "label": "Riverton Council", "count": 1}]


def test_a_client_token_adds_its_organisations_internal_documents_only(client, hub, council):
    keyed = make_client(council, scopes=("documents:read",))
    anonymous = client.get("/api/v1/search", {"q": "council tax"}).json()
    assert anonymous["total"] == 1
    body = client.get("/api/v1/search", {"q": "council tax"}, **keyed.headers()).json()
    assert sorted(r["title"] for r in body["results"]) == [
        "Council tax", "Council tax arrears procedure"]
    assert [f["value"] for f in body["facets"]["org"]] == ["council"]


def test_a_bad_token_is_refused_not_read_as_anonymous(client, hub, council):
    response = client.get("/api/v1/search", {"q": "tax"}, HTTP_AUTHORIZATION="Bearer nonsense")
    assert_problem(response, 401, "invalid-token")
    keyed = make_client(council, name="Whoami only", scopes=("whoami",))
    assert_problem(client.get("/api/v1/search", {"q": "tax"}, **keyed.headers()), 403,
                   "scope-not-granted")


def test_search_filters_and_bad_queries(client, hub):
    assert client.get("/api/v1/search", {"q": "tax", "org": "foodbank"}).json()["total"] == 0
    assert client.get("/api/v1/search", {"q": "tax", "topic": "council-tax"}).json()["total"] == 1
    assert client.get("/api/v1/search", {"q": "tax", "kind": "form"}).json()["total"] == 0
    empty = client.get("/api/v1/search", {"q": ""}).json()
    assert (empty["total"], empty["message"]) == (0, "Enter the words you are looking for.")
    for query in ['"tax', "tax*", "NEAR(", "' OR 1=1 --", "налог", "🏠"]:
        assert client.get("/api/v1/search", {"q": query}).status_code == 200
    assert_problem(client.get("/api/v1/search", {"q": "x" * 2001}), 422, "invalid-input")
    assert_problem(client.get("/api/v1/search", {"q": "tax", "limit": 1000}), 422,
                   "invalid-input")


def test_publish_through_the_api_creates_then_skips_then_versions(client, council):
    keyed = make_client(council, scopes=("documents:write",))
    data = markdown("Pool times", {"Opening": "Every day."})

    def post(payload: bytes, **form):
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("pool.md", payload, content_type="text/markdown")
        return client.post("/api/v1/documents", {"file": upload, **form}, **keyed.headers())

    first = post(data, topics=["looking-for-work"])
    assert first.status_code == 201, first.content
    assert first.json()["outcome"] == "created"
    assert first.json()["version"]["number"] == 1
    assert post(data, topics=["looking-for-work"]).json()["outcome"] == "unchanged"
    changed = post(markdown("Pool times", {"Opening": "Closed Mondays."}),
                   topics=["looking-for-work"])
    assert (changed.status_code, changed.json()["version"]["number"]) == (201, 2)
    entry = LogEntry.objects.filter(action="document.publish").last()
    assert (entry.actor_kind, entry.actor_id) == ("client", keyed.client_id)


def test_publishing_bad_files_gets_a_problem_naming_it(client, council):
    from django.core.files.uploadedfile import SimpleUploadedFile

    keyed = make_client(council, scopes=("documents:write",))
    cases = [("virus.exe", b"MZ", "Unsupported file type"),
             ("broken.pdf", b"%PDF-1.4 junk", "corrupt"),
             ("locked.pdf", pdf_bytes("Locked", {"A": "b"}, encrypt="x"), "encrypted")]
    for name, data, words in cases:
        response = client.post("/api/v1/documents",
                               {"file": SimpleUploadedFile(name, data)}, **keyed.headers())
        body = assert_problem(response, 422, "unreadable-document")
        assert words in body["detail"]
    response = client.post("/api/v1/documents", {"file": SimpleUploadedFile(
        "a.md", markdown("A", {"B": "c"})), "topics": ["nope"]}, **keyed.headers())
    assert "Unknown topic: nope" in assert_problem(response, 422, "invalid-input")["detail"]
    assert not Document.objects.exists()
    reader = make_client(council, name="Reader", scopes=("documents:read",))
    response = client.post("/api/v1/documents", {"file": SimpleUploadedFile(
        "a.md", markdown("A", {"B": "c"}))}, **reader.headers())
    assert_problem(response, 403, "scope-not-granted")


def test_publish_takes_a_source_url_that_search_then_returns(client, council):
    from django.core.files.uploadedfile import SimpleUploadedFile

    keyed = make_client(council, scopes=("documents:write",))

    def post(source_url: str, text: str = "Lanes open at seven."):
        upload = SimpleUploadedFile("swim.md", markdown("Swimming lanes", {"Lanes": text}))
        return client.post("/api/v1/documents", {"file": upload, "source_url": source_url},
                           **keyed.headers())

    created = post("https://leisure.riverton.example/swimming")
    assert created.status_code == 201, created.content
    assert created.json()["source_url"] == "https://leisure.riverton.example/swimming"
    hit = client.get("/api/v1/search", {"q": "lanes"}).json()["results"][0]
    assert hit["source_url"] == "https://leisure.riverton.example/swimming"
    assert post("https://leisure.riverton.example/swimming").json()["outcome"] == "unchanged"
    for bad in ("ftp://files.example/swim", "javascript:alert(1)", "not a url",
                "https://" + "a" * 1000 + ".example"):
        body = assert_problem(post(bad, "Other text."), 422, "invalid-input")
        assert "source_url" in body["detail"]
    assert Document.objects.count() == 1
    assert Document.objects.get().versions.count() == 1
