"""GET discovery, services and service definitions, in JSON and XML."""

import pytest

from tests.open311.helpers import assert_error, json_body, street_service, xml_root

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"


def test_services_lists_published_street_problems_only(client):
    council = street_service("pothole").provider
    street_service("fly-tipping", provider=council, form=None, topic="Clean streets")
    street_service("draft-lamp", provider=council, status="draft")
    street_service("council-tax-reduction", provider=council, location_based=False)

    services = json_body(client.get(f"{BASE}/services.json"))

    assert [s["service_code"] for s in services] == ["fly-tipping", "pothole"]
    pothole = services[1]
    assert pothole == {
        "service_code": "pothole", "service_name": "Pothole",
        "description": "Report a pothole.", "metadata": True, "type": "realtime",
        "keywords": "Streets and roads", "group": "Streets and roads",
    }
    assert services[0]["metadata"] is False  # no form: nothing to ask


def test_services_in_xml(client):
    street_service("pothole")
    root = xml_root(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    [service] = root.findall("service")
    assert service.findtext("service_code") == "pothole"
    assert service.findtext("metadata") == "true"
    assert service.findtext("type") == "realtime"
    assert service.findtext("group") == "Streets and roads"


def test_definition_maps_the_form_to_attributes_in_a_stable_order(client):
    street_service("pothole")
    definition = json_body(client.get(f"{BASE}/services/pothole.json"))

    assert definition["service_code"] == "pothole"
    attributes = definition["attributes"]
    # x-order first, then propertyOrder, then by name; the object property is left out.
    assert [a["code"] for a in attributes] == [
        "size", "road_type", "depth_cm", "details", "hazards", "noticed"]
    assert [a["order"] for a in attributes] == [1, 2, 3, 4, 5, 6]
    size = attributes[0]
    assert size == {
        "variable": True, "code": "size", "datatype": "singlevaluelist", "required": True,
        "datatype_description": "Roughly, across its widest part.", "order": 1,
        "description": "How big is the pothole?",
        "values": [{"key": "small", "name": "Smaller than a dinner plate"},
                   {"key": "large", "name": "Larger than a dinner plate"}],
    }
    datatypes = {a["code"]: a["datatype"] for a in attributes}
    assert datatypes == {"size": "singlevaluelist", "road_type": "singlevaluelist",
                         "depth_cm": "number", "details": "text",
                         "hazards": "multivaluelist", "noticed": "datetime"}
    assert attributes[1]["values"][2] == {"key": "cycle_path", "name": "Cycle path"}
    assert attributes[2]["required"] is False


def test_definition_in_xml(client):
    street_service("pothole")
    root = xml_root(client.get(f"{BASE}/services/pothole.xml"))
    assert root.tag == "service_definition"
    attributes = root.find("attributes").findall("attribute")
    assert [a.findtext("code") for a in attributes][:2] == ["size", "road_type"]
    values = attributes[0].find("values").findall("value")
    assert [(v.findtext("key"), v.findtext("name")) for v in values] == [
        ("small", "Smaller than a dinner plate"), ("large", "Larger than a dinner plate")]
    assert attributes[0].findtext("required") == "true"
    assert attributes[0].findtext("variable") == "true"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_or_unoffered_service_is_404(client, fmt):
    street_service("council-tax-reduction", location_based=False)
    assert_error(client.get(f"{BASE}/services/nope.{fmt}"), 404, "no service", fmt)
    assert_error(client.get(f"{BASE}/services/council-tax-reduction.{fmt}"), 404,
                 "no service", fmt)


def test_discovery_names_the_endpoint_and_its_formats(client):
    street_service("pothole")
    discovery = json_body(client.get(f"{BASE}/discovery.json"))
    [endpoint] = discovery["endpoints"]
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["formats"] == ["application/json", "text/xml"]
    assert discovery["changeset"].endswith(("Z", "+00:00", "+01:00"))
    assert "agora open311 key create" in discovery["key_service"]

    root = xml_root(client.get(f"{BASE}/discovery.xml"))
    formats = root.find("endpoints").find("endpoint").find("formats").findall("format")
    assert [f.text for f in formats] == ["application/json", "text/xml"]


def test_unknown_format_is_404_in_json(client):
    street_service("pothole")
    assert_error(client.get(f"{BASE}/services.yaml"), 404, "unknown format")
    assert_error(client.get(f"{BASE}/services/pothole.html"), 404, "unknown format")


@pytest.mark.parametrize("path", ["/open311/v2/", "/open311/v2/nothing.xml", "/open311/v2/a/b"])
def test_unknown_address_is_an_open311_404(client, path):
    fmt = "xml" if path.endswith(".xml") else "json"
    assert_error(client.get(path), 404, "nothing at this address", fmt)


def test_wrong_method_is_405_with_allow(client):
    response = client.post(f"{BASE}/services.json")
    assert_error(response, 405, "use GET")
    assert response["Allow"] == "GET"


def test_services_list_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    council = street_service("pothole").provider
    for code in ("street-light", "fly-tipping", "graffiti"):
        street_service(code, provider=council)
    with django_assert_max_num_queries(3):
        assert len(json_body(client.get(f"{BASE}/services.json"))) == 4
