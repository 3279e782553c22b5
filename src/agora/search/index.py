"""Writes to the search index: replace a document's rows, drop them, rebuild everything.

The content app calls these inside the transaction that publishes or changes a document,
so the index never shows half a document and never lags a commit: the index lives in the
same database, and writing it there costs less than queueing it.
"""

import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction

from agora.access.decisions import OPEN_LEVELS
from agora.search.engines import engine
from agora.search.models import IndexedSection, IndexedTopic, Term
from agora.search.words import vocabulary_words


@dataclass(frozen=True)
class DocumentEntry:
    """What the index needs to know about a document, whatever app it comes from."""

    key: int
    owner_id: int
    classification: str
    restricted_roles: str
    kind: str
    updated_at: datetime
    title: str
    topic_ids: tuple[int, ...]


@dataclass(frozen=True)
class SectionEntry:
    key: int
    heading: str
    anchor: str
    body: str


TERMS_PER_STATEMENT = 500  # 2,000 parameters: well under SQLite's and PostgreSQL's limits


def _terms_count(words: Iterable[set[str]]) -> None:
    """Add one to the document count of each word (one set of words per document).

    One multi-row upsert per 500 words rather than one statement per word: a document
    brings a few hundred words, and a round trip (and on PostgreSQL an index probe and a
    WAL record) each made this most of the cost of publishing.
    """
    counts = Counter(word for document_words in words for word in document_words)
    rows = [(word, word[0], len(word), count) for word, count in sorted(counts.items())]
    table = Term._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(rows), TERMS_PER_STATEMENT):
            chunk = rows[start:start + TERMS_PER_STATEMENT]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} (term, initial, length, frequency) "  # noqa: S608
                f"VALUES {values} ON CONFLICT (term) DO UPDATE "
                f"SET frequency = {table}.frequency + excluded.frequency",
                [value for row in chunk for value in row],
            )


@dataclass
class TermsBatch:
    """The words of the documents indexed in a batch, counted once when the batch ends."""

    words: list[set[str]] = field(default_factory=list)

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Forget the words added inside when it fails (pair it with the savepoint it mirrors)."""
        mark = len(self.words)
        try:
            yield
        except BaseException:
            del self.words[mark:]
            raise


_batch = threading.local()


@contextmanager
def terms_batch() -> Iterator[TermsBatch]:
    """Count the vocabulary of every document indexed inside in one upsert, at the end.

    Use it inside the transaction that indexes the documents, so the counts commit with
    them. A batch of documents shares most of its words; counting them per document
    updated the same rows again and again (on PostgreSQL a new row version each time).
    """
    batch = TermsBatch()
    _batch.current = batch
    try:
        yield batch
    finally:
        _batch.current = None
    _terms_count(batch.words)


def document_index(
    document: DocumentEntry, sections: list[SectionEntry], *, fresh: bool = False
) -> None:
    """Replace the document's rows in the index with these sections.

    `fresh` says the document is new in this transaction, so it has no rows to remove.
    """
    with transaction.atomic(savepoint=False):
        if not fresh:
            IndexedSection.objects.filter(document_key=document.key).delete()
            IndexedTopic.objects.filter(document_key=document.key).delete()
        IndexedSection.objects.bulk_create(
            IndexedSection(
                document_key=document.key, section_key=section.key, owner_id=document.owner_id,
                classification=document.classification,
                restricted_roles=document.restricted_roles, kind=document.kind,
                updated_at=document.updated_at, title=document.title,
                heading=section.heading, anchor=section.anchor, body=section.body,
            )
            for section in sections
        )
        IndexedTopic.objects.bulk_create(
            IndexedTopic(document_key=document.key, topic_id=topic_id)
            for topic_id in document.topic_ids
        )
        engine().after_write(document.key)
        if document.classification in OPEN_LEVELS:
            words = vocabulary_words(document.title)
            for section in sections:
                words |= vocabulary_words(f"{section.heading} {section.body}")
            batch = getattr(_batch, "current", None)
            if batch is not None:
                batch.words.append(words)
            else:
                _terms_count([words])


def document_unindex(document_key: int) -> None:
    """Remove a document from the index."""
    with transaction.atomic():
        IndexedSection.objects.filter(document_key=document_key).delete()
        IndexedTopic.objects.filter(document_key=document_key).delete()


def index_clear() -> None:
    """Empty the index and the vocabulary, before a rebuild."""
    with transaction.atomic():
        IndexedSection.objects.all().delete()
        IndexedTopic.objects.all().delete()
        Term.objects.all().delete()
