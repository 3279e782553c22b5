"""Answering from the hub: the fact and its passage, abstention, access, personal questions."""

import pytest

from agora.access.documents import anonymous_reader, reader_for_user
from agora.answers.selectors import answer_question
from agora.core.exceptions import InvalidInput
from tests.content.helpers import publish
from tests.factories import MembershipFactory, UserFactory


def ask(question, reader=None):
    return answer_question(reader=reader or anonymous_reader(), question=question)


def test_an_amount_is_answered_with_the_exact_passage_and_its_section(guidance):
    answer = ask("how much is the garden waste bin")
    assert answer.status == "answered"
    assert "£45 a year" in answer.answer
    [citation] = answer.citations
    assert citation.document.title == "Bin collections"
    assert citation.section.heading == "Garden waste"
    assert citation.quote in citation.section.text
    assert citation.url.endswith(f"#{citation.section.anchor}")
    assert answer.confidence >= 0.75


def test_lower_case_misspelt_questions_are_answered(guidance):
    answer = ask("counsil tax phone number")
    assert answer.status == "answered"
    assert "01632 960100" in answer.answer


def test_a_deadline_is_answered(guidance):
    answer = ask("bin not collected how long have i got to report it")
    assert answer.status == "answered"
    assert "2 working days" in answer.answer


def test_a_run_together_word_and_a_residents_word_find_the_page(guidance, council):
    publish(council, "fly", "Report fly-tipping", {
        "Penalties": "Fly-tipping can lead to a £400 fixed penalty or prosecution."})
    answer = ask("whats the fine for flytipping")
    assert answer.status == "answered"
    assert "£400" in answer.answer


def test_the_askers_own_figure_is_compared_not_required(guidance, council):
    publish(council, "transport", "School transport", {
        "Free transport": "Children get free transport if they live more than 2 miles "
            "(under 8) or 3 miles (8 and over) from their nearest suitable school."})
    answer = ask("my son is 9 how far away does he have to live to get free school transport")
    assert answer.status == "answered"
    assert "3 miles" in answer.answer
    # A figure that names the thing asked is not the asker's own: no page states it.
    assert ask("is there free transport for 40 miles").status == "abstained"


def test_the_askers_own_figure_needs_a_limit_on_the_page(guidance, council):
    publish(council, "badge", "Apply for a blue badge", {
        "Cost": "A blue badge costs £10 and lasts up to 3 years."})
    # The page has figures, but none an age compares with: not an answer to "im 70".
    assert ask("im 70 can i get a blue badge").status == "abstained"


def test_the_kind_of_fact_asked_decides_not_only_the_words(guidance, council):
    publish(council, "badge", "Apply for a blue badge", {
        "Who can get one": "People who cannot walk far or are registered blind.",
        "Cost": "A blue badge costs £10 and lasts up to 3 years."})
    publish(council, "appeals", "Challenging a benefit decision", {
        "Mandatory reconsideration": "Ask the Benefits Agency to look again within one month "
            "of the decision letter."})
    assert "£10" in ask("how much is a blue badge").answer
    assert "3 years" in ask("how long does a blue badge last").answer
    # The page says neither where to apply nor how long a reconsideration takes: the
    # cost and the resident's own deadline are not answers to them.
    assert ask("where do i apply for a blue badge").status == "abstained"
    assert ask("how do i apply for a blue badge").status == "abstained"
    assert ask("how long does mandatory reconsideration take").status == "abstained"
    assert "one month" in ask("how long have i got to ask for a mandatory reconsideration").answer
    publish(council, "badge", "Apply for a blue badge", {
        "Who can get one": "People who cannot walk far or are registered blind.",
        "How to apply": "Apply online or at the civic centre on Market Street.",
        "Cost": "A blue badge costs £10 and lasts up to 3 years."})
    answer = ask("where do i apply for a blue badge")
    assert answer.status == "answered"
    assert "online or at the civic centre" in answer.answer
    # "Tell us" is a way in, as a form or a number is.
    publish(council, "fly", "Report fly-tipping", {
        "How to report": "Tell us where the rubbish is and what it is.",
        "Penalties": "Fly-tipping can lead to a £400 fixed penalty."})
    assert "Tell us where" in ask("how do i report fly tipping").answer


def test_another_place_is_abstained_not_answered_from_a_neighbouring_page(guidance):
    answer = ask("bin day in leeds")
    assert answer.status == "abstained"
    assert answer.citations == []
    assert answer.confidence < 0.75
    assert "can't answer" in answer.answer


def test_something_no_page_states_is_abstained(guidance):
    assert ask("how much is band a council tax").status == "abstained"
    assert ask("swimming pool opening times").status == "abstained"


def test_an_anonymous_resident_never_gets_an_answer_from_internal_guidance(guidance, council):
    assert ask("when are unpaid accounts referred to enforcement agents").status == "abstained"
    staff = UserFactory()
    MembershipFactory(user=staff, organization=council, role="caseworker")
    answer = ask("when are unpaid accounts referred to enforcement agents",
                 reader=reader_for_user(staff))
    assert answer.status == "answered"
    assert "28 days" in answer.answer


def test_a_personal_question_asks_an_anonymous_resident_to_sign_in(guidance):
    answer = ask("whats happening with my housing application")
    assert answer.status == "personal"
    assert answer.sign_in and answer.citations == []


@pytest.mark.parametrize("question", ["", "   ", "x" * 501])
def test_an_empty_or_overlong_question_is_refused(guidance, question):
    with pytest.raises(InvalidInput):
        ask(question)
