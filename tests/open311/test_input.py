"""Reading what Open311 clients send: dates, a report's fields, typed attributes."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.http import QueryDict

from agora.cases.open311_input import answers_read, report_read, w3c, w3c_parse
from agora.cases.open311_services import attributes_from_schema
from agora.cases.open311_wire import Open311Error
from tests.open311.helpers import POTHOLE_FORM


def form(**fields) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            data.appendlist(name.replace("__", "[").replace("_X", "]"), item)
    return data


def refused(call, words: str) -> None:
    with pytest.raises(Open311Error) as caught:
        call()
    assert caught.value.status == 400
    assert words.lower() in caught.value.description.lower(), caught.value.description


@pytest.mark.parametrize("text, expected", [
    ("2026-01-31T09:30:00Z", datetime(2026, 1, 31, 9, 30, tzinfo=UTC)),
    ("2026-01-31T09:30:00+01:00", datetime(2026, 1, 31, 8, 30, tzinfo=UTC)),
    ("2026-01-31T09:30:00 01:00", datetime(2026, 1, 31, 8, 30, tzinfo=UTC)),  # unencoded +
    ("2026-01-31T09:30:00.250-05:00", datetime(2026, 1, 31, 14, 30, 0, 250000, tzinfo=UTC)),
])
def test_w3c_dates_with_a_zone_are_read(text, expected):
    assert w3c_parse(text, "start_date") == expected


@pytest.mark.parametrize("text", ["2026-01-31T09:30:00", "2026-01-31", "yesterday", "",
                                  "2026-13-01T00:00:00Z", "2026-01-31T25:00:00Z"])
def test_dates_without_a_zone_or_not_dates_are_refused(text):
    refused(lambda: w3c_parse(text, "end_date"), "end_date must be a W3C date and time")


def test_times_go_out_with_their_offset(settings):
    settings.TIME_ZONE = "Europe/London"
    summer = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert w3c(summer) == "2026-07-01T13:00:00+01:00"
    assert w3c(datetime(2026, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))) == (
        "2026-01-01T10:00:00+00:00")


def test_a_complete_report_is_read():
    report = report_read(form(service_code=" pothole ", lat="51.5", long="-0.12",
                              email="Ana@Example.org", first_name="Ana", description="Deep",
                              media_url="https://example.org/p.jpg"))
    assert (report.service_code, report.lat, report.long) == ("pothole", 51.5, -0.12)
    assert report.email == "ana@example.org"
    assert report.media_url == "https://example.org/p.jpg"


def test_an_address_alone_is_a_location():
    assert report_read(form(service_code="pothole", address_string="1 High St")).address == (
        "1 High St")


@pytest.mark.parametrize("fields, words", [
    ({}, "service_code is missing"),
    ({"service_code": "pothole"}, "no location"),
    ({"service_code": "pothole", "lat": "51.5"}, "both lat and long"),
    ({"service_code": "pothole", "lat": "91", "long": "0"}, "lat must be a number"),
    ({"service_code": "pothole", "lat": "nan", "long": "0"}, "lat must be a number"),
    ({"service_code": "pothole", "lat": "1", "long": "east"}, "long must be a number"),
    ({"service_code": "pothole", "address_string": "x", "description": "d" * 4001},
     "description is 4,001 characters long; at most 4,000"),
    ({"service_code": "pothole", "address_string": "x", "description": "a\x00b"},
     "control characters"),
    ({"service_code": "pothole", "address_string": "x", "email": "not-an-address"},
     "is not an email address"),
    ({"service_code": "pothole", "address_string": "x", "media_url": "javascript:alert(1)"},
     "media_url must be an http or https address"),
])
def test_bad_reports_are_refused_naming_the_field(fields, words):
    refused(lambda: report_read(form(**fields)), words)


def test_a_description_of_exactly_4000_characters_is_fine():
    assert len(report_read(form(service_code="p", address_string="x",
                                description="é" * 4000)).description) == 4000


ATTRIBUTES = attributes_from_schema(POTHOLE_FORM)


def test_attributes_are_typed_for_the_form():
    answers = answers_read(form(**{
        "attribute__size_X": "large", "attribute__depth_cm_X": "7.5",
        "attribute__hazards_X[]": ["deep", "water"],
        "attribute__noticed_X": "2026-01-31T09:30:00Z", "attribute__road_type_X": "road",
    }), ATTRIBUTES, POTHOLE_FORM)
    assert answers == {"size": "large", "depth_cm": 7.5, "hazards": ["deep", "water"],
                       "noticed": "2026-01-31T09:30:00+00:00", "road_type": "road"}


@pytest.mark.parametrize("fields, words", [
    ({}, "attribute[size] (How big is the pothole?) is required"),
    ({"attribute__size_X": "huge"}, "attribute[size] must be one of: large, small"),
    ({"attribute__size_X": ["small", "large"]}, "takes one value"),
    ({"attribute__size_X": "small", "attribute__depth_cm_X": "deep"}, "must be a number"),
    ({"attribute__size_X": "small", "attribute__colour_X": "red"}, "no attribute colour"),
    ({"attribute__size_X": "small", "attribute__hazards_X[]": ["deep", "lava"]},
     "attribute[hazards] must be one of"),
    ({"attribute__size_X": "small", "attribute__noticed_X": "today"}, "W3C date"),
])
def test_bad_attributes_are_refused(fields, words):
    refused(lambda: answers_read(form(**fields), ATTRIBUTES, POTHOLE_FORM), words)


def test_integer_and_boolean_properties_get_their_types():
    schema = {"type": "object", "properties": {
        "count": {"type": "integer"}, "blocking": {"type": "boolean", "title": "Blocking?"}}}
    attributes = attributes_from_schema(schema)
    assert [a.datatype for a in attributes] == ["singlevaluelist", "number"]
    assert answers_read(form(attribute__count_X="3", attribute__blocking_X="false"),
                        attributes, schema) == {"count": 3, "blocking": False}
    refused(lambda: answers_read(form(attribute__count_X="2.5"), attributes, schema),
            "whole number")
