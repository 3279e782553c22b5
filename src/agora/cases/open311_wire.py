"""The Open311 GeoReport v2 wire: JSON and XML documents, and errors in the spec's shape.

GeoReport v2 is not problem+json: its errors are a list of `{"code", "description"}`
(in XML `<errors><error>…`), and XML is its required format, chosen by the path's
extension. Every answer of the Open311 face is rendered here, so both formats carry the
same fields in the same order. XML is written with Django's `SimplerXMLGenerator` (the
one its feeds use), which escapes text and declares UTF-8 as the spec asks.
"""

import json
import re
from io import StringIO
from typing import Any

from django.http import HttpResponse
from django.utils.xmlutils import SimplerXMLGenerator

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}

# The element that wraps each item of a list, by the list's own element name.
_ITEM_ELEMENTS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


class Open311Error(Exception):
    """An answer in the spec's error shape; the HTTP status doubles as the error's code."""

    def __init__(self, status: int, description: str):
        self.status = status
        self.description = description
        super().__init__(description)


# Characters XML 1.0 cannot carry; text is checked on the way in, this is the last guard.
_NOT_XML = re.compile(r"[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _write(xml: SimplerXMLGenerator, name: str, value: Any) -> None:
    if isinstance(value, dict):
        xml.startElement(name, {})
        for key, item in value.items():
            _write(xml, key, item)
        xml.endElement(name)
    elif isinstance(value, list):
        xml.startElement(name, {})
        item_name = _ITEM_ELEMENTS.get(name, "item")
        for item in value:
            _write(xml, item_name, item)
        xml.endElement(name)
    else:
        xml.addQuickElement(name, _text(value))


def xml_document(root: str, data: Any) -> str:
    """Return `data` as an XML document under `root` (a list's items named after it)."""
    stream = StringIO()
    xml = SimplerXMLGenerator(stream, "utf-8", short_empty_elements=True)
    xml.startDocument()
    _write(xml, root, data)
    xml.endDocument()
    return stream.getvalue()


def respond(fmt: str, root: str, data: Any, status: int = 200) -> HttpResponse:
    """Answer with `data` in the asked format; `root` names the XML document's element."""
    body = xml_document(root, data) if fmt == "xml" else json.dumps(data, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type=FORMATS.get(fmt, FORMATS["json"]))


def error_response(fmt: str, error: Open311Error) -> HttpResponse:
    """Answer with one error in the spec's shape (JSON when the format itself is unknown)."""
    errors = [{"code": error.status, "description": error.description}]
    return respond(fmt if fmt in FORMATS else "json", "errors", errors, status=error.status)
