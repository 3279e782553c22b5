"""A published Open311 client (PyPI's `georeport`, written elsewhere) against the live server.

`georeport` reads services, definitions and requests in JSON and in XML (it parses XML
with xmltodict); it does not post, so reports are posted form-encoded with `requests`,
as any GeoReport v2 client sends them, and read back through `georeport`.
"""

import pytest
import requests
from georeport import GeoReport

from agora.cases.models import Case
from agora.cases.open311_keys import open311_key_issue
from agora.core.actors import SYSTEM
from tests.factories import ApiClientFactory, OrganizationFactory
from tests.open311.helpers import street_service


@pytest.fixture
def riverton(transactional_db):
    council = OrganizationFactory(name="Riverton Council", slug="riverton-council")
    street_service("pothole", provider=council)
    street_service("street-light", provider=council, form=None, topic="Street lighting")
    app = ApiClientFactory(name="Fix Riverton",
                           organization=OrganizationFactory(name="Riverton Streets Group"))
    return open311_key_issue(actor=SYSTEM, client=app)[1]


def _as_list(value):
    # xmltodict gives one child element as a dict and several as a list.
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_what_the_server_offers(live_server, riverton, fmt):
    client = GeoReport(f"{live_server.url}/open311/v2", output_format=fmt)

    services = _as_list(client.get_service_list())
    assert [s["service_code"] for s in services] == ["pothole", "street-light"]
    assert str(services[0]["metadata"]).lower() == "true"
    assert services[1]["group"] == "Street lighting"

    definition = client.get_service_definition("pothole")
    attributes = definition["attributes"]
    if fmt == "xml":
        attributes = _as_list(attributes["attribute"])
    size = attributes[0]
    assert (size["code"], size["datatype"], str(size["order"])) == ("size", "singlevaluelist", "1")
    values = size["values"] if fmt == "json" else _as_list(size["values"]["value"])
    assert [v["key"] for v in values] == ["small", "large"]

    with pytest.raises(requests.HTTPError) as missing:
        client.get_service_definition("no-such-service")
    assert missing.value.response.status_code == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_posted_report_is_read_back_by_georeport(live_server, riverton, fmt):
    base = f"{live_server.url}/open311/v2"
    posted = requests.post(f"{base}/requests.{fmt}", timeout=10, data={
        "api_key": riverton, "service_code": "pothole", "lat": "51.5007", "long": "-0.1246",
        "attribute[size]": "small", "description": "Pothole at the crossing",
        "email": "reporter@example.org", "first_name": "Ada",
    })
    assert posted.status_code == 200, posted.text
    reference = Case.objects.get().reference
    assert reference in posted.text

    client = GeoReport(base, output_format=fmt)
    one = client.get_service_request(reference)
    assert one["service_request_id"] == reference
    assert one["status"] == "open"
    assert one["description"] == "Pothole at the crossing"
    assert float(one["lat"]) == 51.5007
    assert "reporter@example.org" not in str(one) and "Ada" not in str(one)

    found = _as_list(client.get_service_requests(service_code="pothole", status="open"))
    assert [r["service_request_id"] for r in found] == [reference]
    by_id = _as_list(client.get_service_requests(service_request_id=reference))
    assert by_id[0]["agency_responsible"] == "Riverton Council"

    refused = requests.post(f"{base}/requests.{fmt}", timeout=10,
                            data={"api_key": "o311_wrong", "service_code": "pothole"})
    assert refused.status_code == 403
    assert "api_key" in refused.text
