"""The optional embeddings extra: a question said in other words, never a spelling or a place."""

from importlib.util import find_spec

import pytest

from agora.access.documents import anonymous_reader
from agora.answers import embeddings
from agora.answers.selectors import answer_question
from tests.content.helpers import publish

needs_model = pytest.mark.skipif(
    find_spec("wordllama") is None, reason="the embeddings extra (wordllama) is not installed: "
    "pip install -e .[embeddings] to test it")


@pytest.fixture
def embeddings_on(settings):
    settings.ANSWERS_EMBEDDINGS = True


def ask(question):
    return answer_question(reader=anonymous_reader(), question=question)


def test_another_spelling_or_a_piece_of_a_word_is_not_a_paraphrase():
    assert embeddings._same_spelling("taxi", "tax")
    assert embeddings._same_spelling("paypoint", "pay")
    assert embeddings._same_spelling("counsil", "council")
    assert not embeddings._same_spelling("answer", "reply")
    assert embeddings.credit(embeddings.CLOSE) > 0.98
    assert embeddings.credit(embeddings.CLOSE - 0.01) == 0.0


def test_the_setting_turns_them_off(settings):
    settings.ANSWERS_EMBEDDINGS = False
    assert not embeddings.enabled()
    assert embeddings.closeness(["answer"], "We reply within 10 working days.") == {}


@needs_model
def test_the_model_loads_from_the_package_and_finds_words_said_otherwise(embeddings_on):
    close = embeddings.closeness(["answer", "taxi", "leeds"],
                                 "We reply within 10 working days to council tax questions.")
    assert close["answer"] >= embeddings.CLOSE  # "reply"
    assert close["taxi"] < embeddings.CLOSE  # "tax" is another spelling, not a taxi
    assert close["leeds"] < embeddings.CLOSE


@needs_model
def test_a_question_in_other_words_is_answered_and_another_place_is_not(
        guidance, council, settings):
    publish(council, "complaints", "Complaints about the council", {
        "How to complain": "Tell us what went wrong online. We reply within 10 working days."})
    question = "how long does the council take to answer a complaint"
    settings.ANSWERS_EMBEDDINGS = False
    assert ask(question).status == "abstained"  # no page says "answer"
    settings.ANSWERS_EMBEDDINGS = True
    answer = ask(question)
    assert answer.status == "answered"
    assert "within 10 working days" in answer.answer
    assert ask("bin day in leeds").status == "abstained"
    assert ask("how much is a taxi licence").status == "abstained"
    # The resident's own word still wins over a close one.
    assert "£45" in ask("how much is the garden waste bin").answer
