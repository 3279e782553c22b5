"""Read what an Open311 client sends: W3C dates, a report's form, its attributes.

Everything a client sends is checked here before anything is written, and every problem
is an `Open311Error` naming the field (400), so a bad report leaves nothing behind.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.http import QueryDict
from django.utils import timezone

from agora.cases.open311_services import Attribute, key_of
from agora.cases.open311_wire import Open311Error

MAX_DESCRIPTION = 4000
_CONTROL = re.compile(r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]")
_ATTRIBUTE = re.compile(r"^attribute\[(?P<code>[^\[\]]{1,80})\](?P<many>\[\])?$")
# "…T10:00:00 01:00": a `+` sent unencoded in a query string arrives as a space.
_SPACED_OFFSET = re.compile(r" (\d{2}:?\d{2})$")


def w3c(moment: datetime) -> str:
    """Return a time as the spec's W3C date-time, in the deployment's zone with its offset."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def w3c_parse(value: str, name: str) -> datetime:
    """Read a W3C date-time that carries a time zone (Z or ±hh:mm), or refuse it."""
    text = _SPACED_OFFSET.sub(r"+\1", value.strip())
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or "T" not in text:
        raise Open311Error(400, f"{name} must be a W3C date and time with a time zone, such "
                                "as 2026-01-31T09:30:00Z or 2026-01-31T09:30:00+01:00.")
    return moment


def _text(form: QueryDict, name: str, limit: int) -> str:
    value = form.get(name, "").strip()
    if _CONTROL.search(value):
        raise Open311Error(400, f"{name} contains control characters.")
    if len(value) > limit:
        raise Open311Error(400, f"{name} is {len(value):,} characters long; "
                                f"at most {limit:,} are allowed.")
    return value


def _coordinate(form: QueryDict, name: str, bound: float) -> float | None:
    raw = form.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not -bound <= value <= bound:  # NaN fails both comparisons
        raise Open311Error(400, f"{name} must be a number from -{bound:g} to {bound:g} "
                                "(WGS84 degrees).")
    return value


@dataclass(frozen=True)
class Report:
    """A report as a client sent it, checked: where, what, and who to contact."""

    service_code: str
    lat: float | None
    long: float | None
    address: str
    description: str
    media_url: str
    email: str
    first_name: str
    last_name: str
    phone: str
    answers: dict[str, Any] = field(default_factory=dict)


def report_read(form: QueryDict) -> Report:
    """Check a POSTed report's own fields (not yet its attributes, which need the service)."""
    service_code = form.get("service_code", "").strip()
    if not service_code:
        raise Open311Error(400, "service_code is missing: name the service the report is for.")
    lat, long = _coordinate(form, "lat", 90), _coordinate(form, "long", 180)
    address = _text(form, "address_string", 300)
    if (lat is None) != (long is None):
        raise Open311Error(400, "Send both lat and long, or neither with an address_string.")
    if lat is None and not address:
        raise Open311Error(400, "The report has no location: send lat and long, or an "
                                "address_string.")
    email = _text(form, "email", 254)
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise Open311Error(400, f"email “{email[:60]}” is not an email address.") from error
    media_url = _text(form, "media_url", 500)
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError as error:
            raise Open311Error(400, "media_url must be an http or https address.") from error
    return Report(
        service_code=service_code, lat=lat, long=long, address=address,
        description=_text(form, "description", MAX_DESCRIPTION), media_url=media_url,
        email=email.lower(), first_name=_text(form, "first_name", 99),
        last_name=_text(form, "last_name", 100), phone=_text(form, "phone", 32),
    )


def _sent_attributes(form: QueryDict) -> dict[str, list[str]]:
    sent: dict[str, list[str]] = {}
    for key in form:
        match = _ATTRIBUTE.match(key)
        if match:
            values = [value.strip() for value in form.getlist(key) if value.strip()]
            sent.setdefault(match["code"], []).extend(values)
    return sent


def _number(code: str, raw: str, schema_type: str | None) -> int | float:
    try:
        number = float(raw)
        if schema_type == "integer":
            if not number.is_integer():
                raise ValueError
            return int(number)
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError
        return number
    except ValueError as error:
        kind = "a whole number" if schema_type == "integer" else "a number"
        raise Open311Error(400, f"attribute[{code}] must be {kind}.") from error


def _value(attribute: Attribute, raw: str, prop: dict[str, Any]) -> Any:
    code = attribute.code
    if _CONTROL.search(raw) or len(raw) > MAX_DESCRIPTION:
        raise Open311Error(400, f"attribute[{code}] is too long or has control characters.")
    if attribute.values:
        keys = {key for key, _name in attribute.values}
        if raw not in keys:
            raise Open311Error(400, f"attribute[{code}] must be one of: "
                                    f"{', '.join(sorted(keys))}.")
        item = prop.get("items", {}) if attribute.datatype == "multivaluelist" else prop
        for choice in item.get("enum") or [o.get("const") for o in item.get("oneOf") or []]:
            if key_of(choice) == raw:
                return choice
        return raw == "true" if item.get("type") == "boolean" else raw
    if attribute.datatype == "number":
        return _number(code, raw, prop.get("type"))
    if attribute.datatype == "datetime":
        moment = w3c_parse(raw, f"attribute[{code}]")
        return moment.date().isoformat() if prop.get("format") == "date" else moment.isoformat()
    return raw


def answers_read(form: QueryDict, attributes: list[Attribute],
                 schema: dict[str, Any] | None) -> dict[str, Any]:
    """Return the form's `attribute[code]` values as answers typed for the service's form.

    An unknown code, a missing required attribute or a value of the wrong kind is refused.
    """
    properties = (schema or {}).get("properties") or {}
    by_code = {attribute.code: attribute for attribute in attributes}
    sent = _sent_attributes(form)
    unknown = sorted(set(sent) - set(by_code))
    if unknown:
        raise Open311Error(400, f"This service has no attribute {', '.join(unknown)[:200]}; "
                                "see its definition for the ones it has.")
    answers: dict[str, Any] = {}
    for code, attribute in by_code.items():
        values = sent.get(code, [])
        if not values:
            if attribute.required:
                raise Open311Error(400, f"attribute[{code}] ({attribute.description}) is "
                                        "required.")
            continue
        prop = properties.get(code, {})
        if attribute.datatype == "multivaluelist":
            answers[code] = [_value(attribute, value, prop) for value in values]
        elif len(values) > 1:
            raise Open311Error(400, f"attribute[{code}] takes one value.")
        else:
            answers[code] = _value(attribute, values[0], prop)
    return answers
