"""The catalogue's API: anyone lists; a provider's signed client adds and changes its own."""

import json

import pytest

from agora.audit.models import LogEntry
from agora.catalog.models import Service
from tests.api.helpers import assert_problem, make_client
from tests.catalog.helpers import FORM, RULE, add_service


def _post(client, keyed, body):
    return client.post("/api/v1/services", json.dumps(body), content_type="application/json",
                       **keyed.headers())


def _patch(client, keyed, code, body):
    return client.patch(f"/api/v1/services/{code}", json.dumps(body),
                        content_type="application/json", **keyed.headers())


def test_anyone_lists_the_published_services_by_topic_and_provider(client, council, foodbank):
    add_service(council, "council-tax-reduction", "Council Tax Reduction",
                topics=["council-tax"], rule=RULE, form=FORM)
    add_service(foodbank, "food-parcels", "Food parcels", topics=["food-support"])
    add_service(council, "draft-thing", status="draft")
    body = client.get("/api/v1/services").json()
    assert [s["code"] for s in body["services"]] == ["council-tax-reduction", "food-parcels"]
    first = body["services"][0]
    assert (first["provider"], first["topics"], first["eligibility_rule"]) == (
        "council", ["council-tax"], RULE)
    assert first["page"] == "http://testserver/services/council-tax-reduction/"
    bills = client.get("/api/v1/services", {"topic": "struggling-with-bills"}).json()
    assert bills["total"] == 2  # the sub-topics count
    assert client.get("/api/v1/services", {"provider": "foodbank"}).json()["total"] == 1
    assert client.get("/api/v1/services", {"topic": "nowhere"}).json()["total"] == 0
    assert client.get("/api/v1/services/food-parcels").json()["name"] == "Food parcels"
    assert_problem(client.get("/api/v1/services/draft-thing"), 404, "not-found")
    questions = client.get("/api/v1/services/questions").json()
    assert "children_under_16" in [q["key"] for q in questions]


def test_a_client_adds_then_changes_then_withdraws_its_service(client, council):
    keyed = make_client(council, scopes=("services:write",))
    created = _post(client, keyed, {
        "code": "bulky-waste", "name": "Bulky waste collection", "status": "published",
        "topics": ["bin-collections"], "cost": "£25 for up to 3 items", "form_schema": FORM,
        "location_based": True})
    assert created.status_code == 201, created.content
    assert created.json()["provider"] == "council"
    changed = _patch(client, keyed, "bulky-waste", {"target_days": 7, "eligibility_rule": RULE})
    assert changed.status_code == 200, changed.content
    assert (changed.json()["target_days"], changed.json()["cost"]) == (7, "£25 for up to 3 items")
    withdrawn = _patch(client, keyed, "bulky-waste", {"status": "withdrawn"})
    assert withdrawn.json()["status"] == "withdrawn"
    assert_problem(client.get("/api/v1/services/bulky-waste"), 404, "not-found")
    entries = LogEntry.objects.filter(resource_type="service").order_by("seq")
    assert [(e.action, e.actor_kind) for e in entries] == [
        ("service.publish", "client"), ("service.change", "client"),
        ("service.withdraw", "client")]


@pytest.mark.parametrize(("body", "code", "says"), [
    ({"eligibility_rule": {"nope": [1]}}, "invalid-rule", "“nope” is not a JSON Logic"),
    ({"form_schema": {"type": "object", "properties": {"a": {"type": 3}}}},
     "invalid-form-schema", "not a valid JSON Schema"),
    ({"topics": ["nowhere"]}, "invalid-input", "Unknown topic: nowhere"),
    ({"colour": "red"}, "invalid-input", "colour"),
])
def test_bad_input_is_a_problem_and_changes_nothing(client, council, body, code, says):
    keyed = make_client(council, scopes=("services:write",))
    response = _post(client, keyed, {"code": "grant", "name": "Grant", **body})
    problem = assert_problem(response, 422, code)
    assert says in json.dumps(problem, ensure_ascii=False)
    assert not Service.objects.exists()


def test_another_organisations_service_is_a_404_and_a_taken_code_a_409(
        client, council, foodbank):
    add_service(council, "pothole", "Report a pothole")
    keyed = make_client(foodbank, scopes=("services:write",))
    assert_problem(_patch(client, keyed, "pothole", {"name": "Ours"}), 404, "not-found")
    assert_problem(_post(client, keyed, {"code": "pothole", "name": "Ours"}), 409, "conflict")
    assert Service.objects.get().name == "Report a pothole"
    reader = make_client(foodbank, name="Reader", scopes=("whoami",))
    assert_problem(_post(client, reader, {"code": "x", "name": "X"}), 403, "scope-not-granted")
    assert_problem(client.post("/api/v1/services", "{}", content_type="application/json"),
                   401, "unauthenticated")
