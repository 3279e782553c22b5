"""The partner API: create, read, change status, add to the timeline; versions; refusals."""

import pytest

from agora.cases.models import Case, CaseEvent
from agora.cases.services import case_create
from tests.api.helpers import assert_problem, make_client, make_organization
from tests.cases.helpers import resident, service_make

pytestmark = pytest.mark.django_db

SCOPES = ("cases:read", "cases:write")


@pytest.fixture
def council():
    return make_organization("riverton-council")


@pytest.fixture
def keyed(council):
    return make_client(council, scopes=SCOPES)


@pytest.fixture
def service(council):
    return service_make(council, name="Council tax reduction")


def post(client, keyed, path, body, **headers):
    return client.post(path, body, content_type="application/json", **keyed.headers(),
                       **headers)


def test_a_partner_creates_a_request_and_reads_it_with_its_etag(client, keyed, service):
    person = resident().person
    response = post(client, keyed, "/api/v1/cases", {
        "service": service.code, "person_id": str(person.public_id),
        "answers": {"children": 2}, "external_ref": "CRM-1"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"].startswith("RIV-") and body["status"]["code"] == "received"
    assert response["ETag"] == '"1"'
    read = client.get(f"/api/v1/cases/{body['reference']}", **keyed.headers())
    assert read.status_code == 200 and read.json()["timeline"][0]["status_to"] == "received"
    again = post(client, keyed, "/api/v1/cases", {
        "service": service.code, "person_id": str(person.public_id), "external_ref": "CRM-1"})
    assert again.json()["reference"] == body["reference"]


def test_status_change_needs_a_version_and_a_stale_one_is_a_409(client, keyed, service):
    case = case_create(viewer=resident(), service=service)
    path = f"/api/v1/cases/{case.reference}/status"
    assert_problem(post(client, keyed, path, {"status": "in-progress"}), 428,
                   "version-required")
    ok = post(client, keyed, path, {"status": "in-progress", "note": "On it"},
              HTTP_IF_MATCH='"1"')
    assert ok.status_code == 200, ok.content
    assert ok.json()["status"]["code"] == "in-progress" and ok["ETag"] == '"2"'
    stale = post(client, keyed, path, {"status": "approved"}, HTTP_IF_MATCH='"1"')
    assert_problem(stale, 409, "stale-version")
    case.refresh_from_db()
    assert (case.status, case.version) == ("in-progress", 2)


def test_a_status_not_allowed_from_the_current_one_is_a_409_listing_the_allowed(
        client, keyed, service):
    case = case_create(viewer=resident(), service=service)
    post(client, keyed, f"/api/v1/cases/{case.reference}/status",
         {"status": "refused", "version": 1})
    body = assert_problem(post(client, keyed, f"/api/v1/cases/{case.reference}/status",
                               {"status": "in-progress", "version": 2}),
                          409, "status-change-not-allowed")
    assert "ended" in body["detail"]


def test_another_organisations_request_is_a_404_like_a_missing_one(client, service):
    case = case_create(viewer=resident(), service=service)
    other = make_client(make_organization("riverton-food-bank"), scopes=SCOPES)
    refused = post(client, other, f"/api/v1/cases/{case.reference}/status",
                   {"status": "in-progress", "version": 1})
    missing = post(client, other, "/api/v1/cases/RIV-2026-999999/status",
                   {"status": "in-progress", "version": 1})
    one, two = assert_problem(refused, 404, "not-found"), assert_problem(missing, 404,
                                                                         "not-found")
    assert one["detail"] == two["detail"]
    assert_problem(client.get(f"/api/v1/cases/{case.reference}", **other.headers()), 404,
                   "not-found")
    case.refresh_from_db()
    assert case.version == 1


def test_timeline_entries_and_their_bad_input(client, keyed, service):
    case = case_create(viewer=resident(), service=service)
    path = f"/api/v1/cases/{case.reference}/events"
    sent = post(client, keyed, path, {"kind": "message", "text": "Please call us"})
    assert sent.status_code == 201 and sent.json()["visible_to_resident"]
    asked = post(client, keyed, path, {"kind": "document-request",
                                       "document_name": "Proof of income"})
    assert asked.status_code == 201
    assert_problem(post(client, keyed, path, {"kind": "message", "text": ""}), 422,
                   "invalid-input")
    assert_problem(post(client, keyed, path, {"kind": "message", "text": "x" * 4001}), 422,
                   "invalid-input")
    assert CaseEvent.objects.filter(case=case).count() == 3


def test_a_nul_character_anywhere_in_a_body_is_named_not_a_server_error(client, keyed,
                                                                        service):
    for body in ({"service": "pot\u0000hole"},
                 {"service": service.code, "reporter": {"name": "Ann\u0000"}}):
        problem = assert_problem(post(client, keyed, "/api/v1/cases", body), 422,
                                 "invalid-input")
        assert ["NUL character" in error["message"] for error in problem["errors"]] == [True]
    assert not Case.objects.exists()


def test_the_scope_is_needed(client, council, service):
    reader = make_client(council, scopes=("cases:read",))
    response = post(client, reader, "/api/v1/cases", {"service": service.code})
    assert_problem(response, 403, "scope-not-granted")
    assert not Case.objects.exists()


def test_a_partner_cannot_create_for_another_providers_service(client, keyed):
    foreign = service_make(make_organization("riverton-food-bank"))
    response = post(client, keyed, "/api/v1/cases", {"service": foreign.code,
                                                     "reporter": {"name": "Ann"}})
    assert_problem(response, 422, "invalid-input")


def test_a_status_read_is_cheap_and_logged(client, keyed, service):
    from agora.audit.models import LogEntry

    case = case_create(viewer=resident(), service=service)
    response = client.get(f"/api/v1/cases/{case.reference}/status", **keyed.headers())
    assert response.status_code == 200 and response.json()["status"] == "received"
    assert LogEntry.objects.filter(action="case.read", resource_id=case.reference).exists()
