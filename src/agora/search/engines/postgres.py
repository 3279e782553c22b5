"""PostgreSQL full text: a tsvector per section (GIN-indexed), ranked by ts_rank.

The language configuration is AGORA_SEARCH_LANGUAGE (english by default); changing it
needs `agora search reindex`. Query words are joined into a tsquery by us, never parsed
from what the user typed, so no input is tsquery syntax.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction

from agora.search.engines.base import (
    ELLIPSIS,
    MARK_END,
    MARK_START,
    DocumentEntry,
    Engine,
    Match,
    PageSection,
    SectionEntry,
)
from agora.search.words import Group

HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=40, MinWords=18, ShortWord=2, "
    f'MaxFragments=2, FragmentDelimiter=" {ELLIPSIS} "'
)

# Memory for the search statement alone (`SET LOCAL`): a broad query's bitmap of matching
# rows stays exact instead of going lossy (every row of a lossy block is rechecked against
# the words), and its groupings stay in memory. The server default (4 MB) is kept for the
# rest of the work.
SEARCH_WORK_MEM = "32MB"


def tsquery_text(groups: list[Group], *, every: bool) -> str:
    """Return the tsquery: phrases with <->, alternatives with |, groups with & or |."""
    rendered = []
    for group in groups:
        alternatives = [" <-> ".join(alternative) for alternative in group]
        rendered.append("(" + " | ".join(alternatives) + ")")
    return (" & " if every else " | ").join(rendered)


def language() -> str:
    return settings.SEARCH_LANGUAGE


# A document's rows in one statement (`rows_write`): its topics, and its sections with
# their engine columns computed as they are inserted: every word weighted by where it
# stands (`vector`), the title's and heading's words alone (`head_vector`, a broad query's
# candidates), and the document's topics (`topic_keys`, topic filters; search 0005).
# Filling them by an UPDATE after the insert wrote every row twice, with its index entries.
ROWS_INSERT_SQL = (
    "WITH topics AS (INSERT INTO search_indexedtopic (document_key, topic_id) "
    "SELECT %(key)s::bigint, unnest(%(topics)s::bigint[])) "
    "INSERT INTO search_indexedsection (document_key, section_key, owner_id, classification, "
    "restricted_roles, kind, updated_at, title, heading, anchor, body, vector, head_vector, "
    "topic_keys) "
    "SELECT %(key)s::bigint, u.key, %(owner)s, %(classification)s, %(roles)s, %(kind)s, "
    "%(updated)s, %(title)s::text, u.heading, u.anchor, u.body, "
    "setweight(to_tsvector(%(config)s::regconfig, %(title)s::text), 'A') || "
    "setweight(to_tsvector(%(config)s::regconfig, u.heading), 'B') || "
    "setweight(to_tsvector(%(config)s::regconfig, u.body), 'D'), "
    "to_tsvector(%(config)s::regconfig, %(title)s::text || ' ' || u.heading), "
    "%(topics)s::bigint[] "
    "FROM unnest(%(sections)s::bigint[], %(headings)s::text[], %(anchors)s::text[], "
    "%(bodies)s::text[]) AS u(key, heading, anchor, body)"
)

# The same columns for rows already written (the benchmark's bulk load; the topics from
# `search_indexedtopic`).
VECTORS_SQL = (
    "vector = setweight(to_tsvector(%s::regconfig, title), 'A') || "
    "setweight(to_tsvector(%s::regconfig, heading), 'B') || "
    "setweight(to_tsvector(%s::regconfig, body), 'D'), "
    "head_vector = to_tsvector(%s::regconfig, title || ' ' || heading), "
    "topic_keys = ARRAY(SELECT t.topic_id FROM search_indexedtopic t "
    "WHERE t.document_key = search_indexedsection.document_key)"
)


def vectors_params() -> list[str]:
    return [language()] * 4


class PostgresEngine(Engine):
    name = "postgresql"

    def match(self, groups: list[Group], *, every: bool, in_heading: bool = False) -> Match:
        where_sql, where_params = "s.vector @@ query", []
        if in_heading:  # the small title-and-heading index (search 0006) finds them
            if len(groups) == 1 or not every:
                # A title or heading holding any of the words then nearly always means a
                # match, so the words are checked on the rows the small index gives; in
                # the index, the words' bitmap (130,000 entries for "mould | damp |
                # repair" at 1M sections) took longer than the rest of the statement.
                where_sql = "(s.vector @@ query) IS TRUE"
            where_sql += " AND s.head_vector @@ to_tsquery(%s::regconfig, %s)"
            where_params = [language(), tsquery_text(groups, every=False)]
        return Match(
            from_sql="search_indexedsection s, to_tsquery(%s::regconfig, %s) query",
            from_params=[language(), tsquery_text(groups, every=every)],
            where_sql=where_sql,
            where_params=where_params,
            score_sql="ts_rank(s.vector, query)",
        )

    def page_sections(
        self, ids: list[int], groups: list[Group], *, every: bool
    ) -> dict[int, PageSection]:
        if not ids:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, document_key, section_key, heading, anchor, "
                "ts_headline(%s::regconfig, body, to_tsquery(%s::regconfig, %s), %s), "
                "LEFT(body, 240) FROM search_indexedsection WHERE id = ANY(%s)",
                [language(), language(), tsquery_text(groups, every=every), HEADLINE_OPTIONS,
                 list(ids)],
            )
            return {row[0]: PageSection(*row[1:]) for row in cursor.fetchall()}

    def topic_filter(self, topic_ids: tuple[int, ...]) -> tuple[str, list]:
        return "s.topic_keys && %s::bigint[]", [list(topic_ids)]

    @contextmanager
    def search_statement(self) -> Iterator:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{SEARCH_WORK_MEM}'")
            yield cursor

    def year_sql(self, column: str) -> str:
        return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY')"

    def rows_write(self, document: DocumentEntry, sections: list[SectionEntry]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(ROWS_INSERT_SQL, {
                "key": document.key, "topics": list(document.topic_ids),
                "owner": document.owner_id, "classification": document.classification,
                "roles": document.restricted_roles, "kind": document.kind,
                "updated": document.updated_at, "title": document.title, "config": language(),
                "sections": [section.key for section in sections],
                "headings": [section.heading for section in sections],
                "anchors": [section.anchor for section in sections],
                "bodies": [section.body for section in sections],
            })
