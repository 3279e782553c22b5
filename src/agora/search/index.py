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

from django.db import connection, transaction

from agora.access.decisions import OPEN_LEVELS
from agora.search.engines import engine
from agora.search.engines.base import DocumentEntry, SectionEntry
from agora.search.models import IndexedSection, IndexedTopic, Term
from agora.search.words import vocabulary_words

__all__ = ["DocumentEntry", "SectionEntry", "document_index", "document_unindex",
           "index_clear", "terms_batch"]

TERMS_PER_STATEMENT = 500  # 2,000 parameters: well under SQLite's limit

# PostgreSQL: the whole batch's words in one upsert, as four arrays. As thousands of
# parameters each statement was parsed afresh by psycopg (in Python: it caches statements
# of up to 50 parameters only), a few milliseconds a statement on this machine.
TERMS_UPSERT_POSTGRES = (
    "INSERT INTO search_term (term, initial, length, frequency) "
    "SELECT * FROM unnest(%s::text[], %s::text[], %s::int[], %s::int[]) "
    "ON CONFLICT (term) DO UPDATE SET frequency = search_term.frequency + excluded.frequency"
)


def _terms_count(words: Iterable[set[str]]) -> None:
    """Add one to the document count of each word (one set of words per document).

    One multi-row upsert (per 500 words on SQLite) rather than one statement per word: a
    document brings a few hundred words, and a round trip (and on PostgreSQL an index
    probe and a WAL record) each made this most of the cost of publishing. Sorted, so two
    publishes lock the rows they share in the same order.
    """
    counts = Counter(word for document_words in words for word in document_words)
    rows = [(word, word[0], len(word), count) for word, count in sorted(counts.items())]
    if not rows:
        return
    table = Term._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(TERMS_UPSERT_POSTGRES, [list(column) for column in zip(*rows,
                                                                                  strict=True)])
            return
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
        engine().rows_write(document, sections)
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
