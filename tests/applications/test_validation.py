"""Checking answers with jsonschema, and the GOV.UK message a resident reads for each problem."""

import pytest

from agora.applications.questions import questions_of
from agora.applications.validation import answer_problems
from tests.applications.helpers import GOOD_ANSWERS, form


def problems(answers, only=None, schema=None):
    schema = schema or form()
    return answer_problems(schema, questions_of(schema), answers, only=only)


def one(name, value):
    found = problems({name: value} if value is not None else {}, only=[name])
    return found[0]["message"] if found else None


def test_good_answers_have_no_problems():
    assert problems(GOOD_ANSWERS) == []


def test_every_missing_required_answer_is_named_in_asking_order():
    found = problems({"full_name": "Ann Lee", "adults": 2})
    assert [p["field"] for p in found] == [
        "email", "address", "monthly_income", "payment_method", "lives_alone", "moved_in"]
    assert found[0]["message"] == "Enter your email address"


@pytest.mark.parametrize("name, value, message", [
    # missing
    ("full_name", None, "Enter your full name"),
    ("payment_method", None, "Select how you pay your council tax"),
    ("lives_alone", None, "Select yes if you live alone"),
    ("moved_in", None, "Enter the date you moved in"),
    # wrong type
    ("adults", "two", "The number of adults must be a whole number, like 2"),
    ("adults", 2.5, "The number of adults must be a whole number, like 2"),
    ("monthly_income", "lots", "Your monthly income must be a number, like 12.50"),
    ("lives_alone", "maybe", "Select yes or no"),
    # too long, too small, too big
    ("full_name", "x" * 101, "Your full name must be 100 characters or less"),
    ("adults", 0, "The number of adults must be between 1 and 20"),
    ("adults", 21, "The number of adults must be between 1 and 20"),
    # not one of the options
    ("payment_method", "cheque", "Select how you pay your council tax from the options"),
    ("benefits", ["universal-credit", "lottery"], "Select one of the options"),
    # formats
    ("email", "ann.example.org",
     "Enter an email address in the correct format, like name@example.com"),
    ("moved_in", "2019-02-31", "The date you moved in must be a real date"),
    ("moved_in", "2019-x-1", "The date you moved in must be a real date"),
])
def test_each_problem_has_its_govuk_message(name, value, message):
    assert one(name, value) == message


def test_good_single_answers_pass():
    for name, value in GOOD_ANSWERS.items():
        assert one(name, value) is None, name


def test_an_optional_question_may_be_left_out():
    assert one("circumstances", None) is None
    assert one("benefits", None) is None


def test_a_question_without_a_noun_is_named_by_its_title():
    schema = form()
    del schema["properties"]["full_name"]["x-agora-noun"]
    found = problems({"full_name": "x" * 101}, only=["full_name"], schema=schema)
    assert found[0]["message"] == (
        "The answer to “What is your full name?” must be 100 characters or less")
    found = problems({}, only=["full_name"], schema=schema)
    assert found[0]["message"] == "Enter an answer to “What is your full name?”"


def test_a_form_may_word_a_message_its_own_way():
    schema = form()
    schema["properties"]["full_name"]["x-agora-errors"] = {
        "required": "Enter your name as it appears on your council tax bill"}
    found = problems({}, only=["full_name"], schema=schema)
    assert found[0]["message"] == "Enter your name as it appears on your council tax bill"


def test_one_message_per_question_the_first_thing_to_fix():
    schema = form()
    schema["properties"]["full_name"]["pattern"] = "^[A-Za-z ]+$"
    found = problems({"full_name": 12}, only=["full_name"], schema=schema)
    assert found == [{"field": "full_name", "message": "Enter your full name as text"}]
