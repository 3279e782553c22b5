"""Find the sentences of a section that state the fact a question asks for.

A section is cut into sentences with their exact place in the text, so the quote given
back is the passage itself, character for character, and a reader can find it on the
linked section. Each sentence is scored by the question's content words it holds (each
weighted by how rare the word is) and by whether it holds a fact of the kind wanted: an
amount, a date or duration, a phone number, a condition, a way to apply.
"""

import re
from dataclasses import dataclass

from agora.answers.phrasing import Term, Want, stem
from agora.search.words import words_of

# A sentence runs to a full stop, question or exclamation mark followed by a space or the
# end (so "£83.30" and "e.g" do not end one), or to the end of its line.
SENTENCE = re.compile(r"(?:[^\n.!?]|[.!?](?!\s|$))+(?:[.!?]+(?=\s|$))?")
ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "no.", "approx.")

MONTHS = ("january|february|march|april|may|june|july|august|september|october|november"
          "|december")
DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
NUMBER = r"\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|several"

FACTS: dict[Want, re.Pattern] = {
    Want.AMOUNT: re.compile(r"£\s?\d|\bGBP\s?\d|\d\s?%|\bper cent\b|\bfree\b|\d+p\b",
                            re.IGNORECASE),
    Want.COUNT: re.compile(r"\b\d+\b|\b(one|two|three|four|five|six|seven|eight|nine|ten|"
                           r"twelve)\b", re.IGNORECASE),
    # "how long does it take": a time the service takes ("we inspect within 5 working
    # days", "about 5 weeks"), not any duration ("lasts up to 3 years", "lived here for 2
    # years").
    Want.TAKES: re.compile(
        r"\b(within|takes?|took|about|around|usually|normally)\s+(\d+|one|two|three|four|five|"
        r"six|seven|eight|nine|ten|twelve)\s+(working\s+)?(days?|weeks?|months?|hours?|"
        r"minutes?)\b", re.IGNORECASE),
    Want.NEED: re.compile(r"\b(need|bring|proof|documents?|ID|details|statements?|"
                          r"certificate)\b", re.IGNORECASE),
    # A length of time: "lasts up to 3 years", "within 21 days", "for 56 days" ("£45 a
    # year" is a rate, so a number must say how many).
    Want.DURATION: re.compile(
        rf"\b({NUMBER})\s+(working\s+)?(days?|weeks?|months?|years?|hours?|minutes?)\b"
        r"|\bfortnight\b|\bovernight\b", re.IGNORECASE),
    # A day, an hour, a month, how often, or a length of time counted from something
    # ("within 21 days", "5 weeks after you claim"); "lasts up to 3 years" says how long,
    # not when.
    Want.WHEN: re.compile(
        rf"\b({DAYS})s?\b|\b\d{{1,2}}(:\d\d)?\s?(am|pm)\b|\bnoon\b|\b({MONTHS})\b"
        r"|\b(weekly|daily|monthly|yearly|fortnightly|alternate weeks|24 hours)\b"
        r"|\b(every|each) (day|week|month|year|weekday)\b"
        rf"|\b(within|before|after|until|by|from|in) (\d|the day|the date|({NUMBER})\s)"
        rf"|\b({NUMBER})\s+(working\s+)?(days?|weeks?|months?|years?|hours?)\s+"
        r"(after|before|from|of)\b", re.IGNORECASE),
    # Where: a named place, a postcode, an office, a website or a form ("where do I
    # apply for a blue badge" is not answered by what it costs).
    Want.WHERE: re.compile(
        r"\b[A-Z][a-z]+('s)? (Road|Street|Lane|Avenue|Square|Walk|Rise|Hill|Court|Way|Close|"
        r"Place|Hall|Centre|Library|Church|Mosque)\b|\b[A-Z]{1,2}\d{1,2}[A-Z]?\s?\d[A-Z]{2}\b"
        r"|\bhttps?://\S+|\bwww\.\S+|\b[\w-]+\.(gov\.uk|org\.uk|co\.uk|nhs\.uk|com|org)\b"
        r"|(?i:\b(online|any of our|in person|by post|website|web site|app|portal|office|"
        r"centre|center|library|libraries|branch|branches|desk|counter|reception|hub|"
        r"pharmacy|pharmacies|surgery|hall|station|forms?)\b)"),
    Want.CONTACT: re.compile(r"\b0\d{3,4}\s?\d{6}\b|\b\S+@\S+\.\w+\b|\b(999|111)\b"),
    Want.YESNO: re.compile(r"\b(if|you can|you may|can get|must|you need|only|all|yes|no)\b",
                           re.IGNORECASE),
    Want.AGE: re.compile(r"\baged?\s+\d+|\b\d+\s+(or|and)\s+(over|under|older|younger)\b"
                         r"|\b(over|under)\s+\d+\b|\b\d+\s+years?\s+old\b|\b\d+\s+year\s+olds?\b",
                         re.IGNORECASE),
    Want.RESPONSIBLE: re.compile(r"\b(we|us|our|council|landlord|authority|agency|board|"
                                 r"you must|your)\b", re.IGNORECASE),
    Want.WHO: re.compile(r"\b(if you|people who|children|anyone|everyone|families|you can|"
                         r"must|responsible|landlord|over|under|aged)\b", re.IGNORECASE),
    Want.HOW: re.compile(r"\b(apply|online|form|book|report|call|visit|ask|bring|register|"
                         r"fill in|contact|collect)\b", re.IGNORECASE),
    # The way in to a service: "tell us", "email", "write to" as well as the ways of
    # "how" (a number, a place or a website also count: `has_fact`).
    Want.APPLY: re.compile(r"\b(apply|online|form|book|report|call|visit|ask|register|"
                           r"fill in|contact|tell us|let us know|email|write to|"
                           r"in writing|sign up|subscribe)\b", re.IGNORECASE),
}


# The kinds of question whose answer must hold a fact of their kind ("how much": an
# amount). A yes/no or "how do I" question is answered by the sentence that matches best.
WANTS_FACT = frozenset({Want.AMOUNT, Want.COUNT, Want.NEED, Want.WHEN, Want.CONTACT,
                        Want.RESPONSIBLE, Want.WHERE, Want.AGE, Want.TAKES, Want.DURATION,
                        Want.APPLY})

# A sentence that tells the reader what to do ("Ask the Benefits Agency to look again
# within one month", "Report a missed bin within 2 working days") gives the reader's
# deadline, not the time the service takes: it starts with one of these verbs, or says
# what "you must" do. A short list of guidance's usual instructions, written here since
# no part-of-speech tagger is among the project's packages.
INSTRUCTION = re.compile(
    r"^(please\s+)?(ask|tell|pay|report|register|apply|claim|contact|call|ring|phone|send|"
    r"bring|book|write|email|complete|fill|return|give|let|visit|go|check|submit|request|"
    r"appeal|renew|cancel|notify|inform|make|use|keep|sign|order|arrange|challenge|"
    r"move|collect|show|post|upload)\b"
    r"|\byou (must|should|need to|have to|can|may)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def sentences(text: str) -> list[Sentence]:
    """Return the sentences of a text with their exact character span."""
    found = []
    position = 0
    for match in SENTENCE.finditer(text):
        if match.start() < position:
            continue
        start, end = match.start(), match.end()
        # Do not cut after "e.g." and friends: join with what follows.
        while any(text[start:end].lower().endswith(a) for a in ABBREVIATIONS) and end < len(text):
            following = SENTENCE.search(text, end)
            if following is None:
                break
            end = following.end()
        raw = text[start:end]
        stripped = raw.strip()
        if stripped:
            offset = raw.index(stripped)
            found.append(Sentence(start + offset, start + offset + len(stripped), stripped))
        position = end
    return found


def stems_of(text: str) -> list[str]:
    return [stem(word) for word in words_of(text.replace("'", ""))]


def term_found(term: Term, stems: list[str], stem_set: set[str]) -> bool:
    """Say whether a content word (or a synonym of it) is among the stems of a text."""
    if term.forms & stem_set:
        return True
    # A long word also meets its longer or shorter forms ("disabled", "disability").
    root = stem(term.word)
    if len(term.word) >= 6 and len(root) >= 5:
        root = root[:5]
        if any(s.startswith(root) for s in stem_set if len(s) >= 5):
            return True
    for phrase in term.phrases:
        size = len(phrase)
        if any(tuple(stems[i:i + size]) == phrase for i in range(len(stems) - size + 1)):
            return True
    return False


def has_fact(want: Want, text: str) -> bool:
    """Say whether a text states a fact of the kind wanted."""
    if want is Want.APPLY:  # the way in: online, a form, a visit, a number, a place
        return any(FACTS[kind].search(text) for kind in (Want.APPLY, Want.CONTACT,
                                                          Want.WHERE))
    pattern = FACTS.get(want)
    if not pattern or not pattern.search(text):
        return False
    if want is Want.TAKES:  # only in a sentence that says what the service does
        return any(pattern.search(s.text) and not INSTRUCTION.search(s.text)
                   for s in sentences(text))
    return True


@dataclass(frozen=True)
class Extract:
    start: int
    end: int
    answer: str  # the sentence(s) that state the fact
    fact: bool  # whether they hold a fact of the kind wanted
    words: float = 0.0  # the weight of the question's words the best sentence holds


def best_sentences(text: str, terms: list[Term], weights: dict[str, float], want: Want) -> Extract:
    """Return the one or two sentences of a section that best answer the question.

    The best sentence holds the most weight of the question's words, a fact of the kind
    asked breaking ties; when it holds no such fact and another sentence does, that one
    joins it (in the order of the text) so the answer states the fact.
    """
    cut = sentences(text)
    if not cut:
        return Extract(0, len(text), text.strip(), has_fact(want, text))
    scored = []
    for index, sentence in enumerate(cut):
        stems = stems_of(sentence.text)
        found = set(stems)
        words = sum(weights.get(t.word, 1.0) for t in terms if term_found(t, stems, found))
        fact = has_fact(want, sentence.text)
        scored.append((words + (0.75 if fact else 0.0), -index, index, fact))
    scored.sort(reverse=True)
    best = scored[0]
    chosen = [best[2]]
    fact = best[3]
    if not fact and want in WANTS_FACT:
        # The fact joins from the next or previous sentence, or from one that names some
        # of the question itself: never an unrelated figure from further down the section.
        with_fact = [item for item in scored[1:] if item[3] and (
            abs(item[2] - best[2]) == 1 or item[0] - 0.75 > 0)]
        if with_fact:
            chosen.append(with_fact[0][2])
            fact = True
    elif len(cut[best[2]].text) < 60 and len(cut) > 1:
        # A short sentence reads better with the next one, or, when it is the last, with
        # the one before ("All infants get them free." says little without who "they" are).
        chosen.append(best[2] + 1 if best[2] + 1 < len(cut) else best[2] - 1)
    chosen.sort()
    picked = [cut[i] for i in chosen]
    return Extract(picked[0].start, picked[-1].end, " ".join(s.text for s in picked), fact,
                   best[0] - (0.75 if best[3] else 0.0))
