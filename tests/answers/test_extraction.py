"""The sentences that state the fact: exact spans, the fact asked for, nothing unrelated."""

from agora.answers.extraction import best_sentences, sentences
from agora.answers.phrasing import Want, content_words, terms_of


def extract(text, question, want):
    words = content_words(question)
    return best_sentences(text, terms_of(words), {w: 1.0 for w in words}, want)


def test_sentences_keep_their_exact_place_in_the_text():
    text = "Pay by direct debit, e.g. monthly.  Call 01632 960100!\nOpen 9am to 5pm"
    cut = sentences(text)
    assert [s.text for s in cut] == ["Pay by direct debit, e.g. monthly.", "Call 01632 960100!",
                                     "Open 9am to 5pm"]
    assert all(text[s.start:s.end] == s.text for s in cut)


def test_the_sentence_with_the_amount_answers_how_much():
    text = ("Garden waste is collected every two weeks from March. Garden waste collection "
            "costs £45 a year. Subscribe online.")
    found = extract(text, "how much is garden waste collection", Want.AMOUNT)
    assert "£45 a year" in found.answer and found.fact
    assert text[found.start:found.end].startswith("Garden waste collection costs £45")


def test_the_next_sentence_brings_the_fact_the_best_one_lacks():
    text = "Call us at any time for gas leaks or floods. We attend within 4 hours."
    found = extract(text, "how quick do you come out for a gas leak", Want.WHEN)
    assert found.answer == text and found.fact


def test_an_unrelated_figure_further_down_is_not_joined():
    text = ("Pension credit tops up your weekly income if you are over state pension age. "
            "Bring your bank statements. Our office is on the high street. "
            "The TV licence is free over 75.")
    found = extract(text, "how old for pension credit", Want.AGE)
    assert "75" not in found.answer and not found.fact


def test_a_short_last_sentence_comes_with_the_one_before_it():
    text = ("Children whose families get universal credit with income under £7,400 a year, "
            "or certain other benefits. All infants get them free.")
    found = extract(text, "who gets free school meals", Want.WHO)
    assert found.answer == text
    assert text[found.start:found.end] == text


def test_how_long_it_takes_is_not_any_duration():
    text = "A blue badge costs £10 and lasts up to 3 years."
    assert not extract(text, "how long does a blue badge application take", Want.TAKES).fact
    text = "Report online. We inspect within 5 working days."
    found = extract(text, "how long does an inspection take", Want.TAKES)
    assert found.fact and "within 5 working days" in found.answer


def test_the_readers_own_deadline_is_not_how_long_the_service_takes():
    # "Ask … within one month" tells the reader what to do by when: it is how long they
    # have got, not how long a mandatory reconsideration takes.
    text = "Ask the Benefits Agency to look again within one month of the decision letter."
    assert not extract(text, "how long does mandatory reconsideration take", Want.TAKES).fact
    found = extract(text, "how long have i got to ask for a mandatory reconsideration",
                    Want.DURATION)
    assert found.fact and "within one month" in found.answer


def test_where_wants_a_place_a_website_an_office_or_a_form():
    text = ("People who cannot walk far can get one. A blue badge costs £10 and lasts up to "
            "3 years.")
    assert not extract(text, "where do i apply for a blue badge", Want.WHERE).fact
    for place in ("Apply online at www.riverton.example/badge.", "Apply at the civic centre.",
                  "Fill in the blue badge form.", "Apply at Riverside Library."):
        found = extract(f"{text} {place}", "where do i apply for a blue badge", Want.WHERE)
        assert found.fact and place in found.answer, place


def test_how_long_wants_a_length_of_time_and_when_a_day_or_a_deadline():
    text = "A blue badge costs £10 and lasts up to 3 years."
    assert extract(text, "how long does a blue badge last", Want.DURATION).fact
    assert not extract(text, "when can i apply for a blue badge", Want.WHEN).fact
    # "£45 a year" is a rate, not a length of time.
    assert not extract("Garden waste costs £45 a year.", "how long is garden waste",
                       Want.DURATION).fact
    assert extract("Register a birth within 42 days.", "when do i register a birth",
                   Want.WHEN).fact
