"""Words: how a query and a text are split, folded and trimmed before they meet an engine.

The query a user types is never handed to an engine as syntax: it is cut into words
(letters and digits, in any script), so quotes, `*`, `NEAR`, `-`, `OR`, brackets and SQL
fragments are plain text and never an error. Engines get words back in their own quoted
form (`engines.*.match_expression`).
"""

import re
import unicodedata

MAX_QUERY_CHARS = 2000
MAX_QUERY_WORDS = 32
WORD = re.compile(r"\w+", re.UNICODE)

# Words too common to help find a page; dropped from queries with other words in them.
# A short hand-written list: the engines' own lists differ (FTS5 has none), and the two
# engines must answer alike.
STOPWORDS = frozenset("""
a about all am an and any are as at be been but by can could did do does doing for from
get got had has have how i if in into is it its me my of on or our so than that the their
them then there these they this to was we were what when where which who why will with
would you your yours cant dont don t s im m want need please help
""".split())  # noqa: SIM905 (a word list reads better as text)

# Local words residents use, and the words the guidance uses for the same thing. A query
# word on the left also finds the words on the right. Deployments extend this list.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "tip": ("recycling", "household waste"),
    "dump": ("recycling", "household waste"),
    "rubbish": ("waste", "bin"),
    "bins": ("bin", "collection"),
    "dole": ("jobseeker", "universal credit"),
    "giro": ("benefit", "payment"),
    "skint": ("money", "debt"),
    "broke": ("money", "debt"),
    "council house": ("social housing",),
    "flat": ("home", "housing"),
    "mould": ("damp", "repairs"),
    "mold": ("mould", "damp"),
    "homeless": ("homelessness",),
    "kicked": ("eviction", "homelessness"),
    "evicted": ("eviction", "homelessness"),
    "telly": ("tv", "television"),
    "brew": ("tea",),
    "nursery": ("childcare", "early years"),
    "pram": ("baby",),
    "pregnant": ("pregnancy", "baby"),
    "died": ("death", "bereavement"),
    "passed": ("death", "bereavement"),
    "funeral": ("bereavement",),
    "job": ("work", "employment"),
    "jobs": ("work", "employment"),
    "sen": ("send", "special educational needs"),
    "wheelchair": ("disability", "adaptation"),
    "ramp": ("adaptation",),
    "pothole": ("road", "street"),
    "streetlight": ("street light",),
    "fly": ("fly-tipping",),
    "lecky": ("electricity", "energy"),
    "gas": ("energy",),
    "heating": ("energy", "warm"),
    "foodbank": ("food bank",),
}


def fold(word: str) -> str:
    """Return a word lower-cased with its accents removed ("Café" -> "cafe")."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words_of(text: str) -> list[str]:
    """Return the folded words of a text, in order."""
    if text.isascii():  # nothing to decompose: folding is lower-casing (most of a publish)
        return WORD.findall(text.lower())
    return [fold(word) for word in WORD.findall(text)]


def query_words(query: str) -> list[str]:
    """Return the words a query searches for: stopwords out (unless nothing else is left)."""
    words = words_of(query[:MAX_QUERY_CHARS])
    kept = [word for word in words if word not in STOPWORDS]
    return (kept or words)[:MAX_QUERY_WORDS]


def vocabulary_words(text: str) -> set[str]:
    """Return the words of a text worth offering as a correction (letters, 3 to 60 long)."""
    return {word for word in words_of(text) if 3 <= len(word) <= 60 and word.isalpha()}


Alternative = tuple[str, ...]  # one word, or a phrase of words
Group = tuple[Alternative, ...]  # any of these alternatives


def query_groups(words: list[str]) -> list[Group]:
    """Return one group per query word (or word pair with a local synonym), with synonyms."""
    groups: list[Group] = []
    index = 0
    while index < len(words):
        pair = " ".join(words[index:index + 2])
        if index + 1 < len(words) and pair in SYNONYMS:
            key, index = pair, index + 2
        else:
            key, index = words[index], index + 1
        alternatives = [tuple(key.split())]
        alternatives += [tuple(words_of(synonym)) for synonym in SYNONYMS.get(key, ())]
        groups.append(tuple(dict.fromkeys(alt for alt in alternatives if alt)))
    return groups
