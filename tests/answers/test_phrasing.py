"""How residents ask: the fact wanted, the words that matter, and personal questions."""

import pytest

from agora.answers.phrasing import Want, content_words, is_personal, stem, want_of


@pytest.mark.parametrize(("question", "want"), [
    ("how much is the garden waste bin", Want.AMOUNT),
    ("blue badge cost", Want.AMOUNT),
    ("how many instalments", Want.COUNT),
    ("how long have i got to register a birth", Want.DURATION),
    ("how long does a blue badge last", Want.DURATION),
    ("what time does the tip open", Want.WHEN),
    ("who do i ring about a broken boiler", Want.CONTACT),
    ("counsil tax phone number", Want.CONTACT),
    ("what do i need to claim universal credit", Want.NEED),
    ("whos responsible for fixing potholes", Want.RESPONSIBLE),
    ("where is the tip", Want.WHERE),
    ("where do i apply for a blue badge", Want.WHERE),
    ("where can i get a food parcel", Want.WHERE),
    ("where to send a council tax appeal", Want.WHERE),
    ("who can get a blue badge", Want.WHO),
    ("how do i report a pothole", Want.APPLY),
    ("how to book a bulky waste collection", Want.APPLY),
    ("which form do i fill in", Want.APPLY),
    ("how do i stop condensation", Want.HOW),
    ("can i take paint to the tip", Want.YESNO),
    ("help with funeral costs", Want.ANY),
    ("whats the fine for fly tipping", Want.AMOUNT),
    ("whats the most i can get from a grant", Want.AMOUNT),
    ("riverton energy number if i cant pay", Want.CONTACT),
    ("how early can i claim", Want.WHEN),
    ("how long does a blue badge application take", Want.TAKES),
    ("how long does mandatory reconsideration take", Want.TAKES),
])
def test_the_kind_of_fact_a_question_wants(question, want):
    assert want_of(question) == want


@pytest.mark.parametrize("question", [
    "whats happening with my housing application", "when is my next universal credit payment",
    "has my repair request been done", "how much do i owe on council tax",
    "where am i on the housing list", "any news on my pip claim",
])
def test_personal_questions_are_recognised(question):
    assert is_personal(question)


@pytest.mark.parametrize("question", [
    "my flat has black mould", "my dad died what do i do", "how long till my first payment",
    "landlord gave me a section 21 notice", "where do i collect my food parcel",
    "how do i pay my council tax",
])
def test_questions_about_ones_home_or_family_are_guidance_questions(question):
    assert not is_personal(question)


def test_content_words_drop_the_chatter_and_keep_named_things():
    assert content_words("hiya how much is band d council tax pls") == ["band d", "council",
                                                                       "tax"]
    assert content_words("landlord gave me a section 21 notice") == ["landlord", "section 21",
                                                                     "notice"]
    assert content_words("bins not collected") == ["bins", "missed", "collection"]


def test_how_old_wants_an_age():
    assert want_of("how old do you have to be for universal credit") == Want.AGE


def test_ways_of_asking_when_are_not_what_the_question_is_about():
    assert content_words("how long do you wait for the first universal credit payment") == [
        "first", "universal", "credit", "payment"]
    assert content_words("how early can i claim the maternity grant") == [
        "claim", "maternity", "grant"]
    assert content_words("my son is 9 how far does he have to live") == ["son", "9", "far",
                                                                        "live"]
    assert content_words("how much to get rid of a sofa") == ["sofa"]


def test_apply_and_its_applications_meet():
    assert stem("applications") == stem("apply") == stem("application") == "apply"
    assert stem("reply") == "reply"
