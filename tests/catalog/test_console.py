"""A provider's services in the console: add, change, withdraw; errors in the summary."""

import json

import pytest

from agora.audit.models import LogEntry
from agora.catalog.models import Service
from agora.organizations.models import Membership
from tests.catalog.helpers import add_service
from tests.console.test_views import error_summary, sign_in
from tests.factories import MembershipFactory

BASE = "/console/organisations/council/services/"


@pytest.fixture
def publisher(client, council):
    user = MembershipFactory(organization=council, role=Membership.Role.PUBLISHER).user
    return sign_in(client, user)


def _form(**changes):
    data = {"name": "Garden waste collection", "code": "garden-waste", "summary": "",
            "description": "", "who_for": "", "how_to_apply": "", "cost": "£45 a year",
            "target_days": "10", "topics": ["bin-collections"], "eligibility_rule": "",
            "form_schema": json.dumps({"type": "object",
                                       "properties": {"bins": {"type": "integer"}}}),
            "status": "published"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_publisher_adds_changes_and_withdraws_a_service(client, publisher):
    assert client.get(BASE).status_code == 200
    assert "Add a service" in client.get(BASE + "new").content.decode()
    response = client.post(BASE + "new", _form())
    assert response.status_code == 302, response.content.decode()[:3000]
    service = Service.objects.get(code="garden-waste")
    assert (service.cost, service.target_days, service.status) == ("£45 a year", 10,
                                                                   "published")
    assert "Garden waste collection" in client.get(BASE).content.decode()
    edit = client.get(BASE + "garden-waste/edit").content.decode()
    assert "&quot;bins&quot;" in edit  # the form schema, shown as JSON
    client.post(BASE + "garden-waste/edit", _form(cost="£50 a year", code=None))
    service.refresh_from_db()
    assert service.cost == "£50 a year"
    client.post(BASE + "garden-waste/withdraw")
    service.refresh_from_db()
    assert service.status == "withdrawn"
    assert list(LogEntry.objects.filter(resource_type="service").values_list(
        "action", "actor_label")) == [
        ("service.publish", publisher.email), ("service.change", publisher.email),
        ("service.withdraw", publisher.email)]


@pytest.mark.parametrize(("changes", "says"), [
    ({"eligibility_rule": "{not json"}, "The eligibility rule is not valid JSON"),
    ({"eligibility_rule": json.dumps({">=": [{"var": "shoe_size"}, 9]})},
     "No question asks for shoe_size"),
    ({"form_schema": json.dumps({"type": "object", "properties": {"a": {"type": "nope"}}})},
     "not a valid JSON Schema"),
    ({"code": "Bad Code"}, "Use only lower-case letters, digits and hyphens in the code"),
    ({"name": ""}, "Enter name of the service"),
    ({"target_days": "soon"}, "Enter the target handling time as a whole number of days"),
])
def test_bad_input_shows_in_the_error_summary_and_saves_nothing(client, publisher, changes,
                                                                  says):
    response = client.post(BASE + "new", _form(**changes))
    page = response.content.decode()
    assert response.status_code == 200
    assert says in error_summary(response)
    assert page.startswith("<!DOCTYPE html>") and "<title>Error: " in page
    assert not Service.objects.exists()


def test_a_taken_code_is_an_error_on_the_code(client, publisher, foodbank):
    add_service(foodbank, "garden-waste")
    page = client.post(BASE + "new", _form()).content.decode()
    assert "already used by another service" in page


def test_other_organisations_services_and_people_without_the_role_get_a_404(
        client, council, foodbank):
    add_service(foodbank, "food-parcels", "Food parcels")
    add_service(council, "pothole", "Report a pothole")
    user = MembershipFactory(organization=council, role=Membership.Role.ADMIN).user
    sign_in(client, user)
    assert client.get("/console/organisations/council/services/food-parcels/edit"
                      ).status_code == 404
    assert client.post("/console/organisations/council/services/food-parcels/withdraw"
                       ).status_code == 404
    assert client.get("/console/organisations/foodbank/services/").status_code == 404
    caseworker = MembershipFactory(organization=council, role=Membership.Role.CASEWORKER).user
    sign_in(client, caseworker)
    assert client.get(BASE).status_code == 404
    assert client.get(BASE + "pothole/edit").status_code == 404
    assert Service.objects.get(code="food-parcels").status == "published"
