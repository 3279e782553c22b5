"""Find the section that answers a question, among what the reader may read.

Candidates come from the hub's search (`search.query.search`), which applies the reader's
access rule inside its statement; only the documents it returns are read further, and
they are read again through `content.selectors.document_list`, the same rule as an ORM
filter. So an answer is never drawn from a document the reader could not open.

Each section of the best few documents is then scored here, in Python: how much of the
question's weight (each content word weighted by how rare it is in the public vocabulary)
the section holds, in its text, heading or title, and whether it holds a fact of the kind
asked for. A question word that no public page uses at all (a place the hub does not
cover, a service no one publishes) is "unknown", and its absence sinks the score.
"""

import math
import re
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from agora.access.documents import DocumentReader
from agora.answers import embeddings
from agora.answers.extraction import (
    WANTS_FACT,
    Extract,
    best_sentences,
    has_fact,
    stems_of,
    term_found,
)
from agora.answers.phrasing import ANSWER_SYNONYMS, Term, Want, content_words, stem, terms_of
from agora.content.models import Document, Section
from agora.content.selectors import document_list
from agora.search import suggest
from agora.search.models import Term as VocabularyTerm
from agora.search.query import Hit, search
from agora.search.words import SYNONYMS, words_of

CANDIDATE_DOCUMENTS = 6
TIE_DEPTH = 30  # sections tied on coverage whose sentences are compared
HEADING_NOISE = frozenset({"a", "an", "the", "i", "you", "we", "my", "your", "our", "to", "of",
                           "in", "on", "at", "is", "are", "be", "do", "does", "it", "for", "and",
                           "or"})
RELATED = 5
MAX_WEIGHT = 3.0  # a rare word that the vocabulary knows counts at most this much
# The words every document uses: their count stands for the number of public documents.
COMMON = ("the", "and")
# "Food bank pantry at Riverside Library": the words after " at " say where, not what.
QUALIFIER = re.compile(r"\s(?:at|in|on)\s", re.IGNORECASE)
DATASET_DISCOUNT = 0.85  # a row of a table is weaker evidence than a sentence that says it
# "my son is 9", "im 67", "aged 16", "9 years old": a figure the page compares, not names.
OWN_FIGURE = re.compile(
    r"\b(?:is|am|im|aged|age|turned|turning)\s+(\d{1,3})\b"
    r"(?!\s*(?:hours?|days?|weeks?|months?|miles?|pounds?|percent))"
    r"|\b(\d{1,3})\s+(?:years?\s+old|yo)\b")


@dataclass
class Candidate:
    document: Document
    section: Section
    coverage: float  # share of the question's weight the section holds (0..1)
    missing: list[str]  # content words it does not hold
    fact: bool  # whether the section holds a fact of the kind wanted
    rank: int  # the document's rank in the search (0 = best)
    extract: Extract | None = None


@dataclass
class Retrieved:
    words: list[str]  # content words, corrected where misspelt
    corrections: dict[str, str]
    weights: dict[str, float]
    unknown: set[str]  # words no public document uses (and no correction was found for)
    terms: list[Term]
    want: Want
    candidates: list[Candidate] = field(default_factory=list)
    related: list[Hit] = field(default_factory=list)
    documents: dict[int, Document] = field(default_factory=dict)
    # The stems of each section's heading and text, by section id: a wider search scores
    # the first documents' sections again.
    stems: dict[int, list[str]] = field(default_factory=dict)


def _variants(word: str) -> list[str]:
    """Return the inflections of a word that count as knowing it ("leak": "leaks")."""
    base = stem(word)
    return [base + ending for ending in ("", "s", "es", "e", "ed", "ing", "er", "d", "y")]


def _corrections(words: list[str], known: set[str]) -> dict[str, str]:
    """Return the spelling corrections to apply, from the hub's "did you mean".

    A correction is taken only where it is safe: a word the vocabulary knows in another
    form ("leak", "leaks") or that has a synonym is left alone, and a short word is not
    corrected at all ("taxi" is not "tax"); otherwise one edit from five letters, two
    from eight ("counsil", "benifits").
    """
    asked = [w for w in words if w not in known and w not in SYNONYMS
             and w not in ANSWER_SYNONYMS and " " not in w and len(w) >= 5]
    fixes = {}
    for word, fix in suggest.corrections(asked).items():
        distance = Levenshtein.distance(word, fix)
        if distance <= 1 or (distance == 2 and len(word) >= 8):
            fixes[word] = fix
    return fixes


def _compounds(words: list[str], known: set[str]) -> dict[str, str]:
    """Return the run-together words the vocabulary knows apart ("flytipping": "fly tipping").

    Only a word no public page uses is split, and only into two parts of three letters or
    more that the vocabulary both knows, so "flytipping" finds "fly-tipping".
    """
    asked = [w for w in words if w not in known and " " not in w and len(w) >= 7
             and w.isalpha()]
    pairs = {w: [(w[:i], w[i:]) for i in range(3, len(w) - 2)] for w in asked}
    parts = {part for options in pairs.values() for pair in options for part in pair}
    if not parts:
        return {}
    forms = {form: part for part in parts for form in _variants(part)}
    counts = set(VocabularyTerm.objects.filter(term__in=[*parts, *forms], frequency__gt=0)
                 .values_list("term", flat=True))
    seen = {part for part in parts if part in counts} | {forms[f] for f in counts if f in forms}
    splits = {}
    for word, options in pairs.items():
        found = [f"{a} {b}" for a, b in options if a in seen and b in seen]
        if len(found) == 1:  # more than one way to split it is a guess
            splits[word] = found[0]
    return splits


def vocabulary(words: list[str]) -> tuple[dict[str, int], int]:
    """Return how many public documents use each word (or a form of it), and how many there are.

    One query reads the words' counts, their inflections' and the commonest words', whose
    count stands for the number of public documents.
    """
    looked_up = {part for word in words for part in word.split()}
    forms = {form: word for word in looked_up for form in _variants(word)}
    counts = dict(VocabularyTerm.objects.filter(term__in=[*looked_up, *forms, *COMMON])
                  .values_list("term", "frequency"))
    documents = max([counts.get(word, 0) for word in COMMON] + [1])
    frequency = {}
    for word in words:
        parts = word.split()
        frequency[word] = min(
            max([counts.get(part, 0)] + [counts.get(f, 0) for f in _variants(part)])
            for part in parts
        ) if not all(p.isdigit() or len(p) == 1 for p in parts) else documents
    return frequency, documents


def weights_for(frequency: dict[str, int], documents: int) -> dict[str, float]:
    """Return each word's weight: its inverse document frequency, capped."""
    weights = {}
    for word, count in frequency.items():
        if word.isdigit():
            weights[word] = 1.0
        elif count == 0:
            weights[word] = math.log(documents + 1) + 1.0
        else:
            weights[word] = max(0.3, min(MAX_WEIGHT, math.log((documents + 1) / (count + 0.5))))
        if " " in word:  # a named thing ("band a") weighs what its name weighs, and more
            weights[word] = max(weights[word], MAX_WEIGHT)
    return weights


def _sections(documents: dict[int, Document]) -> list[Section]:
    versions = [d.current_version_id for d in documents.values() if d.current_version_id]
    return list(Section.objects.filter(version_id__in=versions).order_by("version_id", "position"))


def _title_parts(title: str) -> tuple[str, str]:
    """Return a title's head and its qualifier ("Food bank pantry", "Riverside Library")."""
    parts = QUALIFIER.split(title, maxsplit=1)
    return (parts[0], parts[1]) if len(parts) == 2 else (title, "")


def own_figures(question: str) -> set[str]:
    """Return the figures that are the asker's own ("my son is 9", "im 67", "aged 16")."""
    return {a or b for a, b in OWN_FIGURE.findall(" ".join(words_of(question)))}


def _coverage(document: Document, section: Section, body: list[str], terms: list[Term],
              weights: dict[str, float], elsewhere: set[str],
              own: frozenset[str] = frozenset(),
              paraphrasable: frozenset[str] = frozenset()) -> tuple[float, list[str]]:
    """Return the share of the question's weight a section holds, and the words it lacks.

    The asker's own figure counts as held where the section states a limit to compare it
    with ("my son is 9" against "under 8"). A word found only in the
    qualifier of the title ("… at Riverside Library") counts half unless the question also
    names the title's head: a question about the library is not answered by the food
    bank's page that meets there. A word found only in another section of the same
    document counts half too (the section's context). With the optional embeddings, a
    word of `paraphrasable` that the section lacks counts almost in full when the section
    uses a close word ("return" for "come back"; `answers.embeddings`).
    """
    head, qualifier = _title_parts(document.title)
    # Who publishes the page is part of what it says ("Riverton Energy's number").
    head_stems = stems_of(f"{head} {document.owner.name}")
    qualifier_stems = stems_of(qualifier)
    body_set, head_set, qualifier_set = set(body), set(head_stems), set(qualifier_stems)
    names_head = any(term_found(t, head_stems, head_set) for t in terms)
    total = sum(weights.values()) or 1.0
    held, missing = 0.0, []
    # Only a page that states a limit to compare with ("under 8", "aged 18 or over").
    numbers = bool(own) and has_fact(Want.AGE, section.text)
    close: dict[str, float] | None = None
    for term in terms:
        if term_found(term, body, body_set) or term_found(term, head_stems, head_set):
            held += weights[term.word]
        elif term.word in own and numbers:
            # "my son is 9": a figure of the asker's own, to compare with the page's
            # ("under 8", "3 miles"), not a word the page must repeat.
            held += weights[term.word]
        elif term_found(term, qualifier_stems, qualifier_set):
            held += weights[term.word] * (1.0 if names_head else 0.5)
        else:
            share = 0.5 if term.word in elsewhere else 0.0
            if term.word in paraphrasable:
                if close is None:  # once per section, for every word it may stand for
                    close = embeddings.closeness(
                        sorted(paraphrasable), f"{head} {section.heading} {section.text}")
                paraphrased = embeddings.credit(close.get(term.word, 0.0))
                if paraphrased > share:  # said in other words: held, not missing
                    held += weights[term.word] * paraphrased
                    continue
            held += weights[term.word] * share
            missing.append(term.word)
    return held / total, missing


def _is_title_only(document: Document, section: Section) -> bool:
    """Say whether a section only repeats the title (a PDF's first page heading)."""
    text = " ".join(section.text.split()).strip(" .").lower()
    if not text or text == " ".join(document.title.split()).lower():
        return True
    return len(text.split()) < 4 and (text in document.title.lower() or not section.heading)


def retrieve(*, reader: DocumentReader | None, question: str, want: Want) -> Retrieved:
    """Return the question's words and the scored sections of its best documents."""
    raw_words = content_words(question)
    frequency, documents = vocabulary(raw_words)
    known = {w for w, n in frequency.items() if n}
    fixes = _corrections(raw_words, known)
    fixes |= _compounds([w for w in raw_words if w not in fixes], known)
    words = list(dict.fromkeys(fixes.get(word, word) for word in raw_words))
    if fixes:
        frequency, documents = vocabulary(words)
    weights = weights_for(frequency, documents)
    terms = terms_of(words)
    unknown = {w for w in words if frequency.get(w, 0) == 0}
    retrieved = Retrieved(words, fixes, weights, unknown, terms, want)
    if not words or reader is None:
        return retrieved
    query = " ".join(part for word in words for part in word.split() if len(part) > 1)
    result = search(reader=reader, query=query or " ".join(words), limit=CANDIDATE_DOCUMENTS)
    retrieved.related = result.hits[:RELATED]
    ranks = {hit.document_key: rank for rank, hit in enumerate(result.hits)}
    _score_sections(retrieved, reader, question, ranks)
    if _worth_a_wider_search(retrieved):
        # The page that states it may not use every word asked: "the food bank's fuel
        # voucher" is on a page the food bank publishes that never says "bank". Search
        # again without the question's commonest word; its documents rank after these.
        rest = sorted(words, key=lambda w: weights[w])[1:]
        wider = search(reader=reader, query=" ".join(p for w in rest for p in w.split()),
                       limit=CANDIDATE_DOCUMENTS)
        more = [h.document_key for h in wider.hits if h.document_key not in ranks]
        if more:
            ranks |= {key: len(ranks) + rank for rank, key in enumerate(dict.fromkeys(more))}
            _score_sections(retrieved, reader, question, ranks)
    return retrieved


def _worth_a_wider_search(retrieved: Retrieved) -> bool:
    """Say whether the best section falls short: it lacks a word asked, or the fact wanted."""
    if len(retrieved.words) < 2 or not retrieved.candidates:
        return False
    best = retrieved.candidates[0]
    return best.coverage < 0.99 or (retrieved.want in WANTS_FACT and not (
        best.extract and best.extract.fact))


def _score_sections(retrieved: Retrieved, reader: DocumentReader, question: str,
                    ranks: dict[int, int]) -> None:
    """Score every section of the ranked documents and put the best first."""
    words, terms, weights, want = (retrieved.words, retrieved.terms, retrieved.weights,
                                   retrieved.want)
    retrieved.candidates = []
    own = frozenset(own_figures(question))
    # Words the embeddings may find said in other words in a section: not a named thing
    # ("band a") nor a figure. A word no public page uses counts only where the very
    # section uses a close word ("answer": "We reply within …"); otherwise it still sinks.
    paraphrasable = frozenset(
        t.word for t in terms
        if embeddings.enabled() and " " not in t.word and t.word.isalpha())
    found = document_list(reader=reader).filter(pk__in=list(ranks)).select_related(
        "owner").in_bulk()
    retrieved.documents = found
    by_version = {d.current_version_id: d for d in found.values()}
    sections = _sections(found)
    in_document: dict[int, set[str]] = {}
    for section in sections:
        if section.pk not in retrieved.stems:
            retrieved.stems[section.pk] = stems_of(" ".join([section.heading, section.text]))
        stems = retrieved.stems[section.pk]
        held = {t.word for t in terms if term_found(t, stems, set(stems))}
        in_document.setdefault(section.version_id, set()).update(held)
    for section in sections:
        document = by_version[section.version_id]
        if _is_title_only(document, section):
            continue
        coverage, missing = _coverage(document, section, retrieved.stems[section.pk], terms,
                                      weights,
                                      in_document[section.version_id], own, paraphrasable)
        if document.kind == Document.Kind.DATASET:
            coverage *= DATASET_DISCOUNT
        retrieved.candidates.append(Candidate(
            document=document, section=section, coverage=coverage, missing=missing,
            fact=has_fact(want, section.text), rank=ranks[document.pk],
        ))
    # Best coverage first; among equals, the search's better documents, so the tie-break
    # below compares the likeliest sections when more than TIE_DEPTH are tied.
    retrieved.candidates.sort(key=lambda c: (-c.coverage, c.rank, c.section.position))
    best = retrieved.candidates[0].coverage if retrieved.candidates else 0.0
    top = [c for c in retrieved.candidates if c.coverage >= best - 1e-6]
    asked = _asked_words(question) - {part for word in words for part in word.split()}
    for candidate in top[:TIE_DEPTH]:
        candidate.extract = best_sentences(candidate.section.text, terms, weights, want)
    # Among sections that hold as much of the question, prefer one with a fact of the kind
    # asked ("how much": an amount), then an FAQ whose heading asks it ("Is the advice
    # free?"), then the document whose title names more of it in its own words (synonyms
    # count half) and is more about it ("Council tax" before "Council tax support"), then
    # the section whose heading echoes how it was asked ("what do I get": "What you
    # get"), then the one whose best sentence holds more of it.
    top = top[:TIE_DEPTH]
    needs_fact = want in WANTS_FACT
    titles = {c.document.pk: _title_weight(c.document, terms, weights) for c in top}
    top.sort(key=lambda c: (
        needs_fact and not c.fact, not _heading_asks_it(c.section.heading, terms),
        -titles[c.document.pk][0], -titles[c.document.pk][1],
        -len(asked & set(words_of(c.section.heading))),
        -(c.extract.words if c.extract else 0), not c.fact,
        c.document.kind == Document.Kind.DATASET, c.rank, c.section.position))
    retrieved.candidates = top + [c for c in retrieved.candidates if c not in top]


def _heading_asks_it(heading: str, terms: list[Term]) -> bool:
    """Say whether a heading is a question naming every word asked (an FAQ's entry)."""
    if not heading.rstrip().endswith("?"):
        return False
    stems = stems_of(heading)
    found = set(stems)
    return bool(terms) and all(term_found(t, stems, found) for t in terms)


def _title_weight(document: Document, terms: list[Term],
                  weights: dict[str, float]) -> tuple[float, float]:
    """Return the weight of the question the title names, and the share of the title's
    words that are the question's ("Council tax" is more about council tax than "Council
    tax support" is)."""
    stems = stems_of(document.title)
    found = set(stems)
    own = {stem(part) for t in terms for part in t.word.split()}  # the words, not synonyms
    named = sum(
        weights[t.word] * (1.0 if {stem(part) for part in t.word.split()} <= found else 0.5)
        for t in terms if term_found(t, stems, found))
    share = sum(1 for s in stems if s in own) / len(stems) if stems else 0.0
    return named, share


def _asked_words(question: str) -> set[str]:
    """Return the words of how a question asks ("what", "get", "who", "join")."""
    return {w for w in words_of(question) if w not in HEADING_NOISE}
