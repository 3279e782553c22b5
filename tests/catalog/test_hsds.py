"""HSDS 3.0: a directory round-trips through import and export, the export passes the
HSDS schema, and a bad directory names its problem and imports nothing."""

import copy
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from agora.audit.models import LogEntry
from agora.catalog.hsds import InvalidDirectory, hsds_export, hsds_import
from agora.catalog.models import Contact, Location, Schedule, Service
from agora.organizations.models import Organization
from tests.catalog.helpers import FORM, RULE, add_service

VECTORS = Path(__file__).with_name("vectors") / "hsds-3.0"
ORG = "0b9a7cc4-1f0e-4d38-9c55-2a8a9d3b4a01"


def _schema_validator() -> Draft202012Validator:
    path = VECTORS / "schema" / "compiled" / "service_with_definitions.json"
    schema = json.loads(path.read_text())
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _example(name: str) -> dict:
    return json.loads((VECTORS / "examples" / name).read_text())


def directory() -> dict:
    """A small community directory of the HSDS shape: one organisation, two services."""
    organization = {"id": ORG, "name": "Northbank Community Pantry",
                    "description": "A pantry run by volunteers.", "email": "hi@pantry.example",
                    "website": "https://pantry.example"}
    location = {"id": "5f7e2d1c-0a9b-4c8d-8e7f-6a5b4c3d2e01", "location_type": "physical",
                "name": "Northbank Hall", "latitude": 51.5, "longitude": -0.12,
                "addresses": [{"id": "5f7e2d1c-0a9b-4c8d-8e7f-6a5b4c3d2e02",
                               "address_1": "2 Quay Road", "city": "Riverton",
                               "state_province": "", "postal_code": "RV1 2QR",
                               "country": "GB", "address_type": "physical"}]}
    pantry = {
        "id": "a1b2c3d4-0000-4000-8000-000000000001", "organization_id": ORG,
        "name": "Community pantry", "status": "active",
        "description": "Low-cost groceries for members. Join on your first visit.",
        "application_process": "Come along with proof of address.",
        "fees_description": "£3.50 a visit", "eligibility_description": "Anyone in Northbank.",
        "wait_time": "0 days", "organization": organization,
        "attributes": [{"id": "a1b2c3d4-0000-4000-8000-0000000000a1",
                        "taxonomy_term_id": "a1b2c3d4-0000-4000-8000-0000000000b1",
                        "taxonomy_term": {"id": "a1b2c3d4-0000-4000-8000-0000000000b1",
                                          "code": "food-support", "name": "Food support",
                                          "description": "Food", "taxonomy": "agora-topics"}}],
        "service_at_locations": [{
            "id": "a1b2c3d4-0000-4000-8000-0000000000c1", "location": location,
            "schedules": [{"id": "a1b2c3d4-0000-4000-8000-0000000000d1", "freq": "WEEKLY",
                           "byday": "TU,TH", "opens_at": "10:00:00", "closes_at": "13:00:00"}]}],
        "contacts": [{"id": "a1b2c3d4-0000-4000-8000-0000000000e1", "name": "Sam Okafor",
                      "title": "Coordinator", "email": "sam@pantry.example",
                      "phones": [{"id": "a1b2c3d4-0000-4000-8000-0000000000f1",
                                  "number": "01632 960123"}]}],
    }
    club = {"id": "a1b2c3d4-0000-4000-8000-000000000002", "organization_id": ORG,
            "name": "Cook and eat club", "status": "active", "organization": organization,
            "description": "Cook a meal together every Friday."}
    return {"total_items": 2, "total_pages": 1, "page_number": 1, "size": 2,
            "first_page": True, "last_page": True, "empty": False, "contents": [pantry, club]}


def test_a_directory_round_trips_and_the_export_passes_the_hsds_schema(db):
    report = hsds_import(directory())
    assert (report.organisations_created, report.services_created) == (1, 2)
    pantry = Service.objects.get(name="Community pantry")
    assert (pantry.provider.name, pantry.cost, pantry.target_days, pantry.status) == (
        "Northbank Community Pantry", "£3.50 a visit", 0, "published")
    assert [t.slug for t in pantry.topics.all()] == ["food-support"]
    assert Schedule.objects.get().byday == "TU,TH"

    exported = hsds_export()
    validator = _schema_validator()
    for service in exported["contents"]:
        assert not list(validator.iter_errors(service)), service["name"]
    assert exported["total_items"] == 2

    again = hsds_import(copy.deepcopy(exported))
    assert (again.services_created, again.services_changed, again.services_unchanged) == (0, 0, 2)
    assert hsds_export() == exported
    # the original and the round trip agree on what HSDS says about each service
    original = {s["id"]: s for s in directory()["contents"]}
    for service in exported["contents"]:
        source = original[service["id"]]
        for key in ("name", "status", "description", "organization_id",
                    "application_process", "fees_description", "eligibility_description"):
            assert service.get(key) == source.get(key), key
    exported_pantry = next(s for s in exported["contents"] if s["name"] == "Community pantry")
    location = exported_pantry["service_at_locations"][0]["location"]
    assert (location["name"], location["addresses"][0]["postal_code"]) == (
        "Northbank Hall", "RV1 2QR")
    assert exported_pantry["contacts"][0]["phones"][0]["number"] == "01632 960123"


def test_agoras_own_services_export_with_topics_and_code_and_come_back_the_same(db):
    council = Organization.objects.create(name="Riverton Council", slug="council",
                                          kind="government", description="The council.")
    add_service(council, "council-tax-reduction", "Council Tax Reduction",
                topics=["council-tax"], rule=RULE, form=FORM, target_days=14,
                who_for="People on a low income.")
    exported = hsds_export()
    [service] = exported["contents"]
    assert not list(_schema_validator().iter_errors(service))
    assert {a["value"] for a in service["attributes"]} == {"council-tax-reduction",
                                                           "council-tax"}
    assert service["wait_time"] == "14 days"
    assert hsds_import(exported).services_unchanged == 1


def test_the_specifications_own_example_imports(db):
    report = hsds_import(_example("service_full.json"))
    assert (report.services_created, report.organisations_created) == (1, 1)
    service = Service.objects.get()
    assert service.name == "Community Counselling"
    assert service.provider.name == "Example Organization Inc."
    assert Location.objects.exists() and Contact.objects.exists()
    assert not list(_schema_validator().iter_errors(hsds_export()["contents"][0]))


@pytest.mark.parametrize(("damage", "says"), [
    (lambda d: d["contents"][1].pop("status"),
     "service 2 (“Cook and eat club”): 'status' is a required"),
    (lambda d: d["contents"][0].update(id="not-a-uuid"), "is not a 'uuid'"),
    (lambda d: d["contents"][0]["attributes"][0]["taxonomy_term"].update(code="nowhere"),
     "Unknown topic: nowhere"),
    (lambda d: [d["contents"][1].pop(k) for k in ("organization", "organization_id")],
     "names no organisation"),
    (lambda d: d.update(contents="nothing"), "This is not an HSDS directory"),
])
def test_a_bad_directory_names_the_problem_and_nothing_is_imported(db, damage, says):
    document = directory()
    damage(document)
    with pytest.raises(InvalidDirectory) as refused:
        hsds_import(document)
    assert says in json.dumps([refused.value.detail, refused.value.errors], ensure_ascii=False)
    assert not Service.objects.exists()
    assert not Organization.objects.filter(public_id=ORG).exists()
    assert not Location.objects.exists()
    assert not LogEntry.objects.filter(resource_type="service").exists()
