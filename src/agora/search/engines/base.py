"""The interface every search engine implements."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from agora.search.words import Group

# Private-use characters mark highlights inside engine output; they cannot come from the
# indexed text in any meaningful way and are swapped for <mark> after escaping.
MARK_START, MARK_END = "\ue000", "\ue001"
ELLIPSIS = "\u2026"


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


@dataclass(frozen=True)
class Match:
    """SQL to match a query: FROM (with alias `s` for the indexed section), WHERE, score."""

    from_sql: str
    from_params: list
    where_sql: str
    where_params: list
    score_sql: str


@dataclass(frozen=True)
class PageSection:
    """A section of a results page: where it belongs, and its highlighted extract."""

    document_key: int
    section_key: int
    heading: str
    anchor: str
    snippet: str
    opening: str  # the text's first 240 characters, shown when there is no snippet


def highlighted(text: str) -> SafeString:
    """Return engine output as safe HTML: everything escaped, highlights as <mark>."""
    text = text or ""
    if text.count(MARK_START) > text.count(MARK_END):  # cut inside a highlight
        text += MARK_END
    html = escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)  # noqa: S308 (escaped above; only our own <mark> tags added)


class Engine:
    name = "engine"

    def match(self, groups: list[Group], *, every: bool, in_heading: bool = False) -> Match:
        """Return SQL matching sections holding every group (`every`) or any of them.

        With `in_heading`, only sections whose title or heading also holds one of the
        words: the cheap candidates a broad query ranks (`search.query`).
        """
        raise NotImplementedError

    def page_sections(
        self, ids: list[int], groups: list[Group], *, every: bool
    ) -> dict[int, PageSection]:
        """Return the page's sections with a highlighted extract each, by indexed section id."""
        raise NotImplementedError

    def topic_filter(self, topic_ids: tuple[int, ...]) -> tuple[str, list]:
        """Return SQL keeping the sections of documents filed under any of these topics."""
        marks = ", ".join(["%s"] * len(topic_ids))
        sql = "s.document_key IN (SELECT document_key FROM search_indexedtopic WHERE topic_id IN "
        return f"{sql}({marks}))", list(topic_ids)

    @contextmanager
    def search_statement(self) -> Iterator:
        """Give a cursor for the search statement (PostgreSQL sets its memory first)."""
        with connection.cursor() as cursor:
            yield cursor

    def year_sql(self, column: str) -> str:
        """Return SQL giving the four-digit year (text) of a datetime column."""
        raise NotImplementedError

    def rows_write(self, document: DocumentEntry, sections: list[SectionEntry]) -> None:
        """Write a document's rows (it has none): its sections, and its topics.

        Here through the ORM (SQLite's triggers fill FTS5); PostgreSQL writes the engine's
        columns in the same statement.
        """
        from agora.search.models import IndexedSection, IndexedTopic

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
