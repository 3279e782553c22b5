"""Answer a resident's question from the hub, or say plainly that the guidance does not.

`answer_question` is the one read behind the ask page, the API and the evaluation:

1. A personal question ("what's happening with my application") is never answered from
   guidance: anonymously it asks the resident to sign in; signed in, their own requests
   answer it (`answers.personal`).
2. Otherwise the best section among the documents the reader may read is found
   (`answers.retrieval`), its one or two sentences that state the fact asked for are
   taken as the answer, and the exact passage is quoted with a link to the section.
3. The raw score of that section is calibrated into a confidence (`answers.calibration`);
   below the threshold the answer is `abstained`: no answer, the closest pages, and the
   offer to ask a person.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from agora.access.documents import DocumentReader
from agora.answers import calibration
from agora.answers.extraction import WANTS_FACT
from agora.answers.phrasing import Want, is_personal, want_of
from agora.answers.retrieval import Candidate, Retrieved, retrieve
from agora.content.models import Document, Section
from agora.core.exceptions import InvalidInput
from agora.search.query import Hit

MAX_QUESTION_CHARS = 500
ABSTAINED = ("I can't answer that from the published guidance. The pages below are the "
             "closest; you can also ask a person.")
SIGN_IN = ("That question is about your own requests or records. Sign in to see them; "
           "the published guidance cannot answer it.")


@dataclass(frozen=True)
class Citation:
    document: Document
    section: Section
    quote: str

    @property
    def url(self) -> str:
        path = reverse("portal:document", args=[self.document.public_id])
        return f"{path}#{self.section.anchor}" if self.section.anchor else path


@dataclass(frozen=True)
class Related:
    document: Document
    hit: Hit

    @property
    def url(self) -> str:
        path = reverse("portal:document", args=[self.document.public_id])
        return f"{path}#{self.hit.anchor}" if self.hit.anchor else path


@dataclass
class Answer:
    question: str
    status: str  # answered, abstained, personal
    answer: str
    confidence: float
    raw: float = 0.0
    want: Want = Want.ANY
    citations: list[Citation] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)
    topic: str = ""  # slug of the best page's first topic, for routing a hand-over
    sign_in: bool = False  # a personal question asked without signing in
    cases: list = field(default_factory=list)  # the resident's requests it speaks of
    # What would have been answered, kept when abstaining (for calibration, never shown).
    draft: str = ""
    draft_citations: list[Citation] = field(default_factory=list)


def question_check(question: str) -> str:
    """Return the question trimmed; refuse an empty or overlong one (422)."""
    text = " ".join((question or "").split())
    if not text:
        raise InvalidInput("Enter your question.", errors=[
            {"field": "question", "message": "Enter your question."}])
    if len(text) > MAX_QUESTION_CHARS:
        message = f"Your question must be {MAX_QUESTION_CHARS} characters or fewer."
        raise InvalidInput(message, errors=[{"field": "question", "message": message}])
    return text


def _related(retrieved: Retrieved) -> list[Related]:
    return [Related(retrieved.documents[hit.document_key], hit)
            for hit in retrieved.related if hit.document_key in retrieved.documents]


def _topic_of(retrieved: Retrieved) -> str:
    for candidate in retrieved.candidates[:1]:
        for topic in candidate.document.topics.all():
            return topic.slug
    return ""


def _score(best: Candidate, retrieved: Retrieved) -> float:
    missing = max((retrieved.weights[w] for w in best.missing if w in retrieved.unknown),
                  default=0.0)
    return calibration.raw_score(
        coverage=best.coverage, fact=bool(best.extract and best.extract.fact),
        missing_weight=missing, wants_fact=retrieved.want in WANTS_FACT,
    )


def answer_question(
    *, reader: DocumentReader | None, question: str, viewer=None,
) -> Answer:
    """Answer the question from what the reader may read, or abstain; never guess.

    `viewer` is the signed-in resident (an `access.viewers.Viewer`), when there is one:
    only then can a personal question be answered, from their own requests.
    """
    text = question_check(question)
    want = want_of(text)
    if is_personal(text):
        from agora.answers.personal import personal_answer

        return personal_answer(question=text, viewer=viewer, want=want)
    retrieved = retrieve(reader=reader, question=text, want=want)
    answer = Answer(question=text, status="abstained", answer=ABSTAINED, confidence=0.0,
                    want=want, related=_related(retrieved), topic=_topic_of(retrieved))
    if not retrieved.candidates:
        return answer
    best = retrieved.candidates[0]
    answer.raw = _score(best, retrieved)
    answer.confidence = calibration.confidence(answer.raw)
    if best.extract is None:
        return answer
    extract = best.extract
    answer.draft = extract.answer
    answer.draft_citations = [Citation(best.document, best.section,
                                       best.section.text[extract.start:extract.end])]
    if answer.confidence < calibration.THRESHOLD:
        return answer
    answer.status = "answered"
    answer.answer, answer.citations = answer.draft, answer.draft_citations
    # The cited page is not "related" to itself.
    answer.related = [r for r in answer.related if r.document.pk != best.document.pk]
    return answer
