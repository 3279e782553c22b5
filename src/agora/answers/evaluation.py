"""Score the answers against a question set: answered right, abstained right, wrong and sure.

Each line of the file is a JSON object: `question`, `answerable`, `needs_personal_data`,
`must_contain` (the facts an answer must state), `sources` (`source_url`, public id or
source key of the documents that may be cited), and optionally `topic` (for the
confusion by topic) and `split` ("tune" or "held-out"). Questions run against what is
loaded, as an anonymous resident would ask them. An answered question counts as right
when the answer states every fact (case and spacing aside) and cites one of its sources;
an answer to a question that should have been abstained, or an answer that misses a fact
or the source, is a wrong confident answer, counted on its own.
"""

import statistics
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from agora.access.documents import DocumentReader, anonymous_reader
from agora.answers.selectors import Answer, answer_question
from agora.core.exceptions import InvalidInput
from agora.core.questionsets import question_lines


@dataclass(frozen=True)
class Question:
    line: int
    question: str
    answerable: bool
    personal: bool
    must_contain: tuple[str, ...]
    sources: tuple[str, ...]
    topic: str = ""
    split: str = ""


@dataclass
class Scored:
    question: Question
    answer: Answer
    seconds: float

    @property
    def facts_present(self) -> bool:
        return _facts_in(self.answer.answer, self.question)

    @property
    def cited_right(self) -> bool:
        return _cites(self.answer.citations, self.question)

    @property
    def draft_right(self) -> bool:
        """Whether the best section's sentences, answered or not, were right (calibration)."""
        answer = self.answer
        text, citations = (answer.answer, answer.citations) if answer.status == "answered" \
            else (answer.draft, answer.draft_citations)
        return (self.question.answerable and bool(citations)
                and _facts_in(text, self.question) and _cites(citations, self.question))

    @property
    def outcome(self) -> str:
        """right, abstained-right, missed (abstained though answerable), wrong."""
        status = self.answer.status
        if self.question.answerable:
            if status == "answered":
                return "right" if self.facts_present and self.cited_right else "wrong"
            return "missed"
        if status == "answered":
            return "wrong"
        return "abstained-right"


@dataclass
class Evaluation:
    scored: list[Scored] = field(default_factory=list)

    def part(self, split: str) -> "Evaluation":
        return Evaluation([s for s in self.scored if s.question.split == split])

    @property
    def answerable(self) -> list[Scored]:
        return [s for s in self.scored if s.question.answerable]

    @property
    def unanswerable(self) -> list[Scored]:
        return [s for s in self.scored if not s.question.answerable]

    @property
    def answered_right(self) -> float:
        items = self.answerable
        return sum(s.outcome == "right" for s in items) / len(items) if items else 1.0

    @property
    def abstained_right(self) -> float:
        items = self.unanswerable
        return sum(s.outcome == "abstained-right" for s in items) / len(items) if items else 1.0

    @property
    def wrong(self) -> list[Scored]:
        return [s for s in self.scored if s.outcome == "wrong"]

    @property
    def personal_answered_from_guidance(self) -> list[Scored]:
        return [s for s in self.scored if s.question.personal and s.answer.citations]

    def times_ms(self) -> tuple[float, float]:
        times = sorted(s.seconds * 1000 for s in self.scored)
        if not times:
            return 0.0, 0.0
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        return statistics.median(times), p95

    def cited_topics(self) -> dict[str, Counter]:
        """Return, per question topic, the topics of the documents its answers cited."""
        confusion: dict[str, Counter] = defaultdict(Counter)
        for s in self.scored:
            for citation in s.answer.citations[:1]:
                topics = [t.slug for t in citation.document.topics.all()] or ["(none)"]
                confusion[s.question.topic or "(none)"][topics[0]] += 1
        return dict(sorted(confusion.items()))

    def by_topic(self) -> dict[str, Counter]:
        confusion: dict[str, Counter] = defaultdict(Counter)
        for s in self.scored:
            confusion[s.question.topic or "(none)"][s.outcome] += 1
        return dict(sorted(confusion.items()))


def _facts_in(text: str, question: Question) -> bool:
    plain = _plain(text)
    return all(_plain(fact) in plain for fact in question.must_contain)


def _cites(citations: list, question: Question) -> bool:
    return any(
        source in (c.document.source_url, str(c.document.public_id), c.document.source_key)
        for c in citations for source in question.sources
    )


def calibration_pairs(evaluation: Evaluation) -> list[tuple[float, bool]]:
    """Return (raw score, best sentences were right) for every question guidance could answer."""
    return [(s.answer.raw, s.draft_right) for s in evaluation.scored
            if s.answer.status != "personal"]


def _plain(text: str) -> str:
    return " ".join(text.lower().replace("gbp ", "£").split())


def _strings(item: dict, key: str, number: int) -> tuple[str, ...]:
    value = item.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f"Line {number}: “{key}” must be a list of strings.")
    return tuple(value)


def questions_read(path: Path) -> list[Question]:
    """Read the question set; refuse a malformed line by its number."""
    questions = []
    for number, item in question_lines(path):
        if not isinstance(item.get("answerable"), bool):
            raise InvalidInput(f"Line {number}: “answerable” must be true or false.")
        sources = _strings(item, "sources", number)
        if item["answerable"] and not sources:
            raise InvalidInput(f"Line {number} is answerable but names no “sources”.")
        questions.append(Question(
            line=number, question=item["question"], answerable=item["answerable"],
            personal=bool(item.get("needs_personal_data", False)),
            must_contain=_strings(item, "must_contain", number), sources=sources,
            topic=str(item.get("topic", "")), split=str(item.get("split", "")),
        ))
    if not questions:
        raise InvalidInput("The question set is empty.")
    return questions


def answers_evaluate(
    questions: list[Question], *, reader: DocumentReader | None = None
) -> Evaluation:
    """Ask every question as the reader (anonymous by default) and keep what came back."""
    reader = reader or anonymous_reader()
    evaluation = Evaluation()
    for question in questions:
        started = time.perf_counter()
        answer = answer_question(reader=reader, question=question.question)
        evaluation.scored.append(Scored(question, answer, time.perf_counter() - started))
    return evaluation


def report_lines(evaluation: Evaluation, *, details: bool = False) -> list[str]:
    """Return the report as lines of text: overall, then by split, by topic, the misses."""
    lines = []
    splits = sorted({s.question.split for s in evaluation.scored} - {""})
    parts = [("all", evaluation)] + [(name, evaluation.part(name)) for name in splits]
    for name, part in parts:
        p50, p95 = part.times_ms()
        lines.append(
            f"{name}: {len(part.scored)} questions ({len(part.answerable)} answerable): "
            f"answered right {part.answered_right:.1%}, abstained right "
            f"{part.abstained_right:.1%}, wrong confident answers {len(part.wrong)}, "
            f"personal answered from guidance {len(part.personal_answered_from_guidance)}; "
            f"p50 {p50:.1f} ms, p95 {p95:.1f} ms"
        )
    lines.append("By topic (right / missed / abstained right / wrong):")
    for topic, counts in evaluation.by_topic().items():
        lines.append(f"  {topic}: {counts['right']} / {counts['missed']} / "
                     f"{counts['abstained-right']} / {counts['wrong']}")
    lines.append("Cited topic by question topic (answered questions; a question's own topic "
                 "or a neighbour's):")
    for topic, cited in evaluation.cited_topics().items():
        lines.append(f"  {topic}: " + ", ".join(f"{name} {count}"
                                               for name, count in cited.most_common()))
    for s in evaluation.scored:
        if s.outcome in ("wrong", "missed") or details:
            lines.append(
                f"  [{s.outcome}] line {s.question.line} ({s.question.split}) "
                f"{s.question.question!r} -> {s.answer.status} {s.answer.confidence:.2f} "
                f"raw {s.answer.raw:.2f}: {s.answer.answer[:140]!r}"
            )
    return lines
