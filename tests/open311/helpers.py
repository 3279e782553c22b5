"""Build street-problem services for the Open311 tests, and read answers as a client would."""

import json
import xml.etree.ElementTree as ElementTree

from agora.catalog.models import Service
from agora.topics.models import Topic
from tests.factories import OrganizationFactory

POTHOLE_FORM = {
    "type": "object",
    "x-order": ["size", "road_type"],
    "required": ["size"],
    "properties": {
        "size": {
            "type": "string", "title": "How big is the pothole?",
            "description": "Roughly, across its widest part.",
            "oneOf": [{"const": "small", "title": "Smaller than a dinner plate"},
                      {"const": "large", "title": "Larger than a dinner plate"}],
        },
        "road_type": {"type": "string", "title": "Where is it?",
                      "enum": ["road", "pavement", "cycle_path"],
                      "enumNames": ["Road", "Pavement", "Cycle path"]},
        "depth_cm": {"type": "number", "title": "Depth in centimetres", "propertyOrder": 1},
        "hazards": {"type": "array", "title": "What makes it dangerous?",
                    "items": {"enum": ["deep", "near_school", "water"]}},
        "noticed": {"type": "string", "format": "date-time", "title": "When did you notice it?"},
        "details": {"type": "string", "title": "Anything else", "maxLength": 2000},
        "reporter": {"type": "object", "title": "Not offered over Open311"},
    },
}


def street_service(code: str = "pothole", *, provider=None, form=POTHOLE_FORM,
                   location_based: bool = True, status: str = "published",
                   topic: str = "Streets and roads") -> Service:
    """Return a published street-problem service filed under one topic."""
    provider = provider or OrganizationFactory(name="Riverton Council")
    service = Service.objects.create(
        provider=provider, code=code, name=code.replace("-", " ").capitalize(),
        summary=f"Report a {code.replace('-', ' ')}.", form_schema=form,
        location_based=location_based, status=status,
    )
    slug = topic.lower().replace(" ", "-")
    service.topics.add(Topic.objects.get_or_create(slug=slug, defaults={"name": topic})[0])
    return service


def xml_root(response) -> ElementTree.Element:
    """Parse an XML answer with a real parser, after checking it says it is XML in UTF-8."""
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    body = response.content
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ElementTree.fromstring(body)


def json_body(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def assert_error(response, status: int, words: str, fmt: str = "json") -> None:
    """Check an answer is one Open311 error with this status whose description says `words`."""
    assert response.status_code == status
    if fmt == "xml":
        root = xml_root(response)
        assert root.tag == "errors"
        errors = [{"code": int(e.findtext("code")), "description": e.findtext("description")}
                  for e in root.findall("error")]
    else:
        errors = json_body(response)
    assert len(errors) == 1 and errors[0]["code"] == status
    assert words.lower() in errors[0]["description"].lower(), errors[0]["description"]
