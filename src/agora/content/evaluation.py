"""Score the search against a question set: recall@5 and mean reciprocal rank.

Each line of the file is a JSON object with `question` and the document expected: its
`source_url`, or `document` (its public id, or its source key such as "demo/council-tax").
Nothing is ingested; the questions run against what is loaded, as an anonymous resident
would ask them (or as `reader` when given).
"""

from dataclasses import dataclass, field
from pathlib import Path

from agora.access.documents import DocumentReader, anonymous_reader
from agora.content.models import Document
from agora.content.selectors import hub_search
from agora.core.exceptions import InvalidInput
from agora.core.questionsets import question_lines

DEPTH = 10  # ranks beyond this count as not found


@dataclass(frozen=True)
class Question:
    line: int
    question: str
    expected: str


@dataclass
class Scored:
    question: Question
    rank: int | None  # 1-based, None when not in the first DEPTH results
    top: list[str] = field(default_factory=list)


@dataclass
class Evaluation:
    scored: list[Scored]

    @property
    def recall_at_5(self) -> float:
        hits = sum(1 for s in self.scored if s.rank is not None and s.rank <= 5)
        return hits / len(self.scored) if self.scored else 0.0

    @property
    def mrr(self) -> float:
        total = sum(1 / s.rank for s in self.scored if s.rank is not None)
        return total / len(self.scored) if self.scored else 0.0


def questions_read(path: Path) -> list[Question]:
    """Read the question set; refuse a malformed line by its number."""
    questions = []
    for number, item in question_lines(path):
        expected = item.get("source_url") or item.get("document")
        if not isinstance(expected, str) or not expected:
            raise InvalidInput(f"Line {number} names no “source_url” or “document”.")
        questions.append(Question(number, item["question"], expected))
    if not questions:
        raise InvalidInput("The question set is empty.")
    return questions


def _matches(document: Document, expected: str) -> bool:
    return expected in (document.source_url, str(document.public_id), document.source_key)


def search_evaluate(
    questions: list[Question], *, reader: DocumentReader | None = None
) -> Evaluation:
    """Run each question and find where its expected document ranks."""
    reader = reader or anonymous_reader()
    scored = []
    for question in questions:
        result = hub_search(reader=reader, query=question.question, limit=DEPTH)
        documents = [hit.document for hit in result.hits]
        rank = next((n for n, d in enumerate(documents, start=1)
                     if _matches(d, question.expected)), None)
        scored.append(Scored(question, rank, [d.title for d in documents[:3]]))
    return Evaluation(scored)
