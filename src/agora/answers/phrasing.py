"""How residents ask: the fact a question wants, its content words, whether it is personal.

People write "how much is the garden bin", "who do i ring about a broken boiler", "my
housing application whats happening": lower case, no punctuation, misspelt. This module
reads only the question's own words; nothing here touches the database.
"""

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from agora.search.words import MAX_QUERY_WORDS, STOPWORDS, SYNONYMS, words_of


class Want(StrEnum):
    """The kind of fact a question asks for; it decides which sentence of a section answers."""

    AMOUNT = "amount"  # how much, what does it cost, what rate
    COUNT = "count"  # how many
    NEED = "need"  # what do I need, what to bring
    WHEN = "when"  # a date, a day, a time, a deadline, opening times
    DURATION = "duration"  # how long (does it last, have I got): a length of time
    TAKES = "takes"  # how long does it take: the time the service takes to do something
    CONTACT = "contact"  # who do I call, a phone number
    YESNO = "yesno"  # can I, do I get, am I eligible (answered with its condition)
    WHO = "who"  # who can get it
    RESPONSIBLE = "responsible"  # who fixes it, who deals with it
    WHERE = "where"  # where is it, where do I apply: an address, an office, a website, a form
    AGE = "age"  # how old, from what age
    APPLY = "apply"  # how do I apply, claim, report, pay, which form: the way in
    HOW = "how"  # how do I stop condensation: the section that matches best says
    ANY = "any"


# Checked in order: the first that matches wins ("how much can i get" wants an amount).
WANT_PATTERNS: list[tuple[Want, re.Pattern]] = [
    (Want.AMOUNT, re.compile(r"\bhow much\b|\bhow many pounds\b")),
    (Want.COUNT, re.compile(r"\bhow many\b(?!.*\byears? old\b)")),
    (Want.TAKES, re.compile(r"\bhow long (does|do|will|would|did|is|should) .*\btake\b")),
    (Want.AGE, re.compile(r"\bhow old\b|\bwhat age\b|\bage limit\b|\bminimum age\b"
                          r"|\bhow many years old\b")),
    # "how long" asks for a length of time ("lasts up to 3 years", "within 21 days"),
    # not a day of the week or an hour.
    (Want.DURATION, re.compile(r"\bhow long\b")),
    (Want.WHEN, re.compile(
        r"^when\b|\bwhen (is|are|do|does|will|can|should|must)\b"
        r"|\bhow (soon|early|late)\b|\bhow (quick|quickly|fast)\b|\bdeadline\b|\bby when\b"
        r"|\bwhat time\b|\bwhat day\b"
        r"|\bwhich day\b|\bhow often\b")),
    (Want.NEED, re.compile(r"\bwhat (do|will|should|would) (i|you|we) (need|bring|have to bring)\b"
                           r"|\bwhat to bring\b|\bwhat documents\b|\bwhat proof\b")),
    (Want.CONTACT, re.compile(
        r"\bwho (do|should|can) (i|we|you) (call|ring|phone|contact|speak to|talk to)\b"
        r"|\bwho to (call|ring|phone|contact)\b|\b(phone|telephone|contact) (number|details)\b"
        r"|\bnumber (for|to call|to ring)\b|\bnumber$|^(call|ring|phone)\b"
        r"|\bnumber\b(?! of\b)")),
    (Want.AMOUNT, re.compile(
        r"\bcost(s|ing)? (of|for|to)\b|\bdoes .* cost\b|\b(cost|price|fee|charge)$"
        r"|\bwhat( i|)s the (cost|price|fee|charge|rate|fine|penalty)\b|\bprice\b|\bfees?\b"
        r"|\bthe (most|max|maximum|least|minimum)\b"
        r"|\bcharges?\b|\bamount\b|\bpercent\b|\bworth\b")),
    (Want.WHEN, re.compile(r"\bopening (times|hours)\b|\bopen\b|\bdays?\b|\bdate\b"
                           r"|\bwithin\b")),
    # "where do I apply", "where can I get", "where to send": a place, an office, a
    # website or a form, whatever the verb; "where am I on the list" is personal.
    (Want.WHERE, re.compile(r"^where\b|\bwhere(s| is| are| do| can| should| to| would)\b"
                            r"|\baddress\b")),
    (Want.RESPONSIBLE, re.compile(
        r"\bwho (is|s|are) (responsible|in charge)\b|\bresponsible for\b"
        r"|\bwho (fixes|repairs|deals with|looks after|mends|clears|empties|collects)\b")),
    (Want.WHO, re.compile(r"^who\b|\bwho (can|is|gets|deals|fixes|pays)\b|\bresponsible\b"
                          r"|\beligible\b|\bqualify\b")),
    # "how do I apply", "how to report", "which form": the way to the service (online, a
    # form, a number, a place); "how do I stop condensation" asks for advice instead.
    (Want.APPLY, re.compile(
        r"\bhow (do|can|to|should|would|could)( i| we| you)?( go about)? (apply|claim|get|"
        r"report|register|book|join|contact|renew|order|request|sign up|pay|volunteer|"
        r"complain|appeal|challenge|cancel|subscribe|refer|put in|ask for|make a)\b"
        r"|\bwhich form\b|\bwhat form\b")),
    (Want.HOW, re.compile(r"\bhow (do|can|to|should)\b|\bapply\b|\breport\b")),
    (Want.YESNO, re.compile(r"^(can|do|does|is|am|are|will|should|could|would|if|have)\b")),
]

# Words that say what kind of fact is wanted, or are the chatter around it: they find
# nothing by themselves, so they neither count towards nor against a section's coverage.
QUESTION_WORDS = frozenset("""
how much many long soon often quickly what whats when where who whom whose which why is are
do does did can could would should will shall may might must am be being been get gets
getting got give given go going tell know find out let lets like just really also still
ok okay hi hello thanks thank please pls plz someone somebody anyone anybody anything
something thing things stuff cost costs costing price fee fees charge charges pay paying
call ring phone telephone contact number numbers day days date time times deadline open
opening hours amount money pounds rate eligible qualify allowed able anything there here
apply applying application form forms report reporting happens happen happened does mean
u ur im ive id dont cant wont isnt arent doesnt didnt whats wheres whos hows theres yes no
about regarding re abt wanna gonna gotta one lot lots bit happening whats quick quicker
soon take takes taking not come comes out hiya mate asap urgent urgently need needs
off old fast gave given sent send got received told said asked put made make making
want wanted tried trying look looking till til until way ways still yet already
whens hows whys wot wat responsible age aged ages
he she him her his hers yous ye rid shut shuts close closes closing worth value
""".split()) | STOPWORDS  # noqa: SIM905 (a word list reads better as text)

# Phrases that ask about the resident's own affairs: only their own requests and records
# can answer them, never the guidance.
PERSONAL = re.compile(
    r"\b(my|mine|our)\b[\w\s']{0,30}?\b(application|applications|request|requests|claim|claims"
    r"|case|enquiry|enquiries|referral|appeal|complaint|report|reference|appointment"
    r"|assessment|bid|booking|payment|payments|balance|account|statement|arrears|band"
    r"|position|decision|tenancy number|repair request|records?|data)\b"
    r"|\bhow much do i owe\b|\bwhat do i owe\b|\bam i (on|still on) the (list|register)\b"
    r"|\bwhere am i on\b|\bhave (you|they) (got|received|had) my\b|\bdid (you|they) get my\b"
    r"|\bwhen (will|do|should) i (get|hear|receive) (my|a decision|an answer|back)\b"
    r"|\bhas (my|our)\b|\bhave i been\b"
    r"|\bwhat do you (hold|have|know) (on|about) me\b|\bstatus of (my|our)\b"
    r"|\bwhats happening with (my|our)\b|\bwhat is happening with (my|our)\b"
    r"|\bany news on (my|our)\b|\bupdate on (my|our)\b"
)

# "my" followed by one of these is about guidance, not the resident's own file ("my
# landlord", "my flat has mould", "my dad died", "my son needs a school place").
NOT_PERSONAL_AFTER_MY = re.compile(
    r"\b(my|our)\s+(flat|house|home|landlord|dad|mum|mother|father|son|daughter|child|"
    r"children|kids?|baby|wife|husband|partner|neighbou?r|road|street|bin|bins|boiler|"
    r"electric|gas|meter|bill|rent|car|job|employer|gp|doctor|friend|family|nan|gran|first|"
    r"own|garden|street light|old)\b"
)


# Words residents use for what the guidance says in other words, beside the search's own
# local words (`search.words.SYNONYMS`). A deployment extends both.
ANSWER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "fine": ("penalty",), "fined": ("penalty",), "fines": ("penalty",),
    "limit": ("under", "up to", "less than", "maximum"), "max": ("up to", "maximum"),
    "alone": ("only adult",), "own": ("only adult",),
    "afford": ("struggling", "cannot pay", "affordable"),
    "fix": ("repair",), "fixed": ("repair",), "mend": ("repair",), "sort": ("repair",),
    "dinners": ("meals",), "dinner": ("meals",), "lunches": ("meals",),
    "doctor": ("gp",), "doctors": ("gp",),
    "electric": ("electricity", "energy"),
    "leak": ("leaks",), "lamp": ("street light",), "far": ("miles",),
    "distance": ("miles",), "elderly": ("pension age",), "pensioner": ("pension",),
    "pensioners": ("pension",), "baby": ("birth",), "newborn": ("birth",),
    "reduction": ("support",), "inspected": ("inspect",), "dead": ("death",),
    "money": ("payment", "grant"), "sofa": ("large items",),
    "list": ("register",), "waiting": ("register",), "house": ("home",), "houses": ("homes",),
    "bus": ("transport",), "stop": ("reducing", "prevent"), "away": ("miles",),
    "owe": ("arrears", "balance", "debt"), "owing": ("arrears", "balance", "debt"),
    "most": ("up to", "maximum"), "tip": ("recycling centre",), "dump": ("recycling centre",),
    "son": ("child", "children"),
    "daughter": ("child", "children"), "kid": ("child", "children"),
    "kids": ("child", "children"), "nursery": ("childcare",),
}


# "not collected", "wasn't emptied": the guidance calls it a missed collection.
NOT_DONE = re.compile(r"\b(not|never|wasnt|werent|didnt|havent|hasnt|hasn't|haven't|"
                      r"wasn't|weren't|didn't)\s+(been\s+)?(collected|emptied|picked up|"
                      r"taken|collect|empty)\b", re.IGNORECASE)


# "how long do i have to wait for", "how early can i": ways of asking when, whose words
# ("wait", "early") are not what the question is about.
ASKS_WHEN = re.compile(r"\bhow long (do|will|would|does|did) (i|you|we|they|it) "
                       r"(have to |need to )?wait\b|\bhow (early|late|soon)\b", re.IGNORECASE)


def rephrased(question: str) -> str:
    """Return the question with residents' turns of phrase put in the guidance's words."""
    return ASKS_WHEN.sub("when", NOT_DONE.sub("missed collection", question))


def folded(question: str) -> str:
    """Return the question as plain folded words separated by single spaces."""
    return " ".join(words_of(question.replace("'", "")))


def want_of(question: str) -> Want:
    """Return the kind of fact the question asks for (ANY when nothing says)."""
    text = folded(question)
    for want, pattern in WANT_PATTERNS:
        if pattern.search(text):
            return want
    return Want.ANY


def is_personal(question: str) -> bool:
    """Say whether the question asks about the resident's own requests, payments or records."""
    text = folded(question)
    match = PERSONAL.search(text)
    if match is None:
        return False
    # "my flat has mould, how do I report it" is a guidance question; "my repair request"
    # is the resident's own. A personal phrase that only names a household thing is not.
    stripped = NOT_PERSONAL_AFTER_MY.sub(" ", text)
    return PERSONAL.search(stripped) is not None


# "applications" and "apply" meet at "apply", "qualification" and "qualify" at "qualify".
SUFFIXES = ("ications", "ication", "ations", "ation", "ings", "ing", "ies", "ied", "iest", "ed",
            "es", "s", "ly")


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """Return a light stem: "collections" and "collected" meet at "collect".

    Kept per process: an answer stems every word of every section it scores (at 100k
    sections, a quarter of an abstention's time went here), and words repeat.
    """
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not (
                suffix == "s" and word.endswith("ss")) and not (
                suffix == "ly" and word.endswith("ply")):  # apply, reply: not adverbs
            base = word[: -len(suffix)]
            word = base + "y" if suffix in ("ies", "ied", "iest", "ications", "ication") \
                else base
            break
    # "live" and "living", "charge" and "charged": a final e does not count.
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


@dataclass(frozen=True)
class Term:
    """A content word of a question and the forms that count as finding it."""

    word: str
    forms: frozenset[str]  # stems of the word and its local synonyms (single words)
    phrases: tuple[tuple[str, ...], ...] = ()  # multi-word synonyms, as stems


# "band a", "section 21", "year 7": the letter or number is what the question is about.
NAMED_BY = frozenset({"band", "section", "year", "class", "stage", "level", "tier", "grade"})


def content_words(question: str) -> list[str]:
    """Return the question's words that name what it is about (no question chatter).

    A word such as "band" followed by a letter or number is kept with it ("band a"), so a
    page about band D does not answer a question about band A.
    """
    words = words_of(rephrased(question).replace("'", ""))
    kept = []
    index = 0
    while index < len(words):
        word = words[index]
        following = words[index + 1] if index + 1 < len(words) else ""
        if word in NAMED_BY and following and (len(following) == 1 or following.isdigit()):
            kept.append(f"{word} {following}")
            index += 1
        elif word not in QUESTION_WORDS and (len(word) > 1 or word.isdigit()):
            kept.append(word)
        index += 1
    return list(dict.fromkeys(kept))[:MAX_QUERY_WORDS]  # as many as the search takes


def terms_of(words: list[str]) -> list[Term]:
    """Return each content word with the stems that count as finding it (synonyms included)."""
    terms = []
    for word in words:
        if " " in word:  # a named thing ("band a"): only the phrase counts
            terms.append(Term(word, frozenset(), (tuple(stem(p) for p in word.split()),)))
            continue
        forms = {stem(word)}
        phrases = []
        # A synonym of the word or of its stem ("fixing" finds what "fix" finds).
        synonyms = {*SYNONYMS.get(word, ()), *ANSWER_SYNONYMS.get(word, ()),
                    *ANSWER_SYNONYMS.get(stem(word), ())}
        for synonym in sorted(synonyms):
            parts = tuple(stem(part) for part in words_of(synonym))
            if len(parts) == 1:
                forms.add(parts[0])
            elif parts:
                phrases.append(parts)
        terms.append(Term(word, frozenset(forms), tuple(phrases)))
    return terms
