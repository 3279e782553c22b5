"""The catalogue as Open311 sees it: published street-problem services and their attributes.

Open311 offers only location-based services (`Service.location_based`), and only once
published. A service's application form is a JSON Schema; its top-level properties
become the Open311 attributes a client asks for and sends back as `attribute[code]`.
Open311 attributes are flat, so a property that is itself an object is not offered.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from agora.catalog.models import Service
from agora.topics.models import Topic

# A string longer than this is a paragraph, offered as Open311's multi-line `text`.
_LONG_TEXT = 200


@dataclass(frozen=True)
class Attribute:
    """One Open311 attribute of a service, read from one property of its form."""

    code: str
    datatype: str  # string, number, datetime, text, singlevaluelist or multivaluelist
    required: bool
    description: str
    datatype_description: str
    order: int
    values: tuple[tuple[str, str], ...]  # (key, name) of each choice of a list

    def as_wire(self) -> dict[str, Any]:
        """Return the attribute with the spec's fields, in the spec's order."""
        wire: dict[str, Any] = {
            "variable": True,
            "code": self.code,
            "datatype": self.datatype,
            "required": self.required,
            "datatype_description": self.datatype_description or None,
            "order": self.order,
            "description": self.description,
        }
        if self.values:
            wire["values"] = [{"key": key, "name": name} for key, name in self.values]
        return wire


def _choices(prop: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """Return the (key, name) choices a property allows, or () for free input."""
    if isinstance(prop.get("enum"), list):
        names = prop.get("enumNames") or prop.get("x-enumNames") or []
        return tuple(
            (key_of(value), str(names[index]) if index < len(names) else key_of(value))
            for index, value in enumerate(prop["enum"])
        )
    options = prop.get("oneOf") or prop.get("anyOf")
    if isinstance(options, list) and options and all(
        isinstance(option, dict) and "const" in option for option in options
    ):
        return tuple(
            (key_of(option["const"]), str(option.get("title") or key_of(option["const"])))
            for option in options
        )
    if prop.get("type") == "boolean":
        return (("true", "Yes"), ("false", "No"))
    return ()


def key_of(value: Any) -> str:
    """Return a choice's key as it travels in a form (booleans as true/false)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _datatype(prop: dict[str, Any]) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    """Return the Open311 datatype and choices of a property, or None if it cannot be one."""
    kind = prop.get("type")
    if kind == "array":
        items = prop.get("items") if isinstance(prop.get("items"), dict) else {}
        choices = _choices(items)
        return ("multivaluelist", choices) if choices else None
    choices = _choices(prop)
    if choices:
        return "singlevaluelist", choices
    if kind in ("number", "integer"):
        return "number", ()
    if kind in ("string", None):
        if prop.get("format") in ("date-time", "date"):
            return "datetime", ()
        long = (prop.get("maxLength") or 0) > _LONG_TEXT or prop.get("format") == "textarea"
        return ("text" if long else "string"), ()
    return None  # objects and the like: Open311 attributes are flat


def _property_order(schema: dict[str, Any], names: list[str]) -> list[str]:
    """Order properties the same way on both databases (PostgreSQL's jsonb sorts keys).

    An explicit list (`x-order` or `ui:order`) comes first; then `propertyOrder` numbers;
    then the name.
    """
    explicit = schema.get("x-order") or schema.get("ui:order") or []
    listed = [name for name in explicit if isinstance(name, str) and name in names]
    properties = schema.get("properties") or {}

    def rank(name: str) -> tuple[float, str]:
        number = properties[name].get("propertyOrder")
        return (number if isinstance(number, int | float) else float("inf"), name)

    rest = sorted((name for name in names if name not in listed), key=rank)
    return listed + rest


def attributes_from_schema(schema: dict[str, Any] | None) -> list[Attribute]:
    """Return the Open311 attributes of a form's JSON Schema, in the form's order."""
    if not isinstance(schema, dict) or not isinstance(schema.get("properties"), dict):
        return []
    properties = schema["properties"]
    required = set(schema.get("required") or [])
    attributes = []
    for name in _property_order(schema, [key for key, value in properties.items()
                                         if isinstance(value, dict)]):
        prop = properties[name]
        mapped = _datatype(prop)
        if mapped is None:
            continue
        datatype, choices = mapped
        title = str(prop.get("title") or name)
        attributes.append(Attribute(
            code=name, datatype=datatype, required=name in required,
            description=title, datatype_description=str(prop.get("description") or ""),
            order=len(attributes) + 1, values=choices,
        ))
    return attributes


def open311_services() -> QuerySet[Service]:
    """Return the services Open311 offers: published and location-based, with their topics."""
    return (
        Service.objects.filter(status=Service.Status.PUBLISHED, location_based=True)
        .select_related("provider")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("position", "name")))
        .order_by("name", "code")
    )


def open311_service(code: str) -> Service | None:
    """Return the offered service with this service_code, or None."""
    return open311_services().filter(code=code).first() if code else None


def service_as_wire(service: Service) -> dict[str, Any]:
    """Return a service as an item of GET services."""
    topics = list(service.topics.all())
    return {
        "service_code": service.code,
        "service_name": service.name,
        "description": service.summary or service.description,
        "metadata": bool(attributes_from_schema(service.form_schema)),
        "type": "realtime",
        "keywords": ", ".join(topic.name for topic in topics),
        "group": topics[0].name if topics else service.provider.name,
    }


def definition_as_wire(service: Service) -> dict[str, Any]:
    """Return a service's definition: its code and its attributes."""
    return {
        "service_code": service.code,
        "attributes": [attribute.as_wire() for attribute in
                       attributes_from_schema(service.form_schema)],
    }
