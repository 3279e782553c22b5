"""Reading a JSON Schema form as questions: each shape becomes the right GOV.UK control."""

import pytest

from agora.applications import questions as q
from agora.applications.questions import FormSchemaError, Prefill, questions_of
from tests.applications.helpers import form


def by_name(schema=None):
    return {question.name: question for question in questions_of(schema or form())}


def test_each_shape_becomes_its_control():
    kinds = {name: question.kind for name, question in by_name().items()}
    assert kinds == {
        "full_name": q.TEXT, "email": q.EMAIL, "address": q.TEXT, "adults": q.INTEGER,
        "monthly_income": q.NUMBER, "payment_method": q.RADIOS, "benefits": q.CHECKBOXES,
        "lives_alone": q.YES_NO, "moved_in": q.DATE, "circumstances": q.TEXTAREA,
    }


def test_questions_come_in_the_forms_order_not_the_keys_order():
    schema = form()
    schema["properties"] = dict(reversed(list(schema["properties"].items())))
    assert [question.name for question in questions_of(schema)] == schema["x-agora-order"]


def test_without_an_order_required_questions_come_first():
    schema = form()
    del schema["x-agora-order"]
    names = [question.name for question in questions_of(schema)]
    assert names[:len(schema["required"])] == schema["required"]


def test_title_description_required_and_options_are_read():
    questions = by_name()
    income = questions["monthly_income"]
    assert income.title == "What is your household's income each month, in pounds?"
    assert questions["email"].hint.startswith("We only use this")
    assert questions["full_name"].required and not questions["benefits"].required
    assert questions["benefits"].options[0] == ("universal-credit", "Universal Credit")
    assert questions["payment_method"].options[1] == ("online", "online")
    assert questions["address"].prefill == Prefill("household", "address")


def test_a_long_string_or_the_textarea_widget_gets_a_textarea():
    schema = form()
    schema["properties"]["full_name"]["maxLength"] = 201
    schema["properties"]["address"]["x-agora-widget"] = "textarea"
    questions = by_name(schema)
    assert questions["full_name"].kind == q.TEXTAREA
    assert questions["address"].kind == q.TEXTAREA


def test_answers_read_as_the_resident_wrote_them():
    questions = by_name()
    assert questions["lives_alone"].label_of(False) == "No"
    assert questions["moved_in"].label_of("2019-03-27") == "27 March 2019"
    assert questions["benefits"].label_of(["universal-credit", "housing-benefit"]) == (
        "Universal Credit, Housing Benefit")
    assert questions["adults"].label_of(2) == "2"


@pytest.mark.parametrize("schema, says", [
    (None, "no application form"),
    ({"type": "object", "properties": {}}, "no application form"),
    ({"type": "object", "properties": {"a": {"type": "strung"}}}, "not valid JSON Schema"),
    ({"type": "object", "properties": {"a": {"type": "object"}}}, "cannot ask"),
    ({"type": "object", "properties": {"a": {"type": "array", "items": {"type": "string"}}}},
     "list of options"),
])
def test_a_form_that_cannot_be_asked_is_refused_whole(schema, says):
    with pytest.raises(FormSchemaError, match=says):
        questions_of(schema)
