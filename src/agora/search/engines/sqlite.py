"""SQLite FTS5: the `search_fts` table (migration 0002) ranked by BM25.

Query words go in as FTS5 strings ("word"), so nothing a user types is FTS5 syntax.
Title hits weigh most, then the heading path, then the text.
"""

from django.db import connection

from agora.search.engines.base import (
    ELLIPSIS,
    MARK_END,
    MARK_START,
    Engine,
    Match,
    PageSection,
)
from agora.search.words import Group

WEIGHTS = "10.0, 4.0, 1.0"  # title, heading, body


def match_expression(groups: list[Group], *, every: bool, in_heading: bool = False) -> str:
    """Return the FTS5 query: each alternative a quoted string (a phrase when several words).

    `in_heading`: any of the words, in the title or the heading (an FTS5 column filter).
    """
    rendered = []
    for group in groups:
        alternatives = [f'"{" ".join(alternative)}"' for alternative in group]
        rendered.append(alternatives[0] if len(alternatives) == 1
                        else "(" + " OR ".join(alternatives) + ")")
    if in_heading:
        return f"{{title heading}} : ({' OR '.join(rendered)})"
    return (" AND " if every else " OR ").join(rendered)


class SqliteEngine(Engine):
    name = "sqlite-fts5"

    def match(self, groups: list[Group], *, every: bool, in_heading: bool = False) -> Match:
        where_sql, where_params = "search_fts MATCH %s", [match_expression(groups, every=every)]
        if in_heading:
            # A set of its own, read once: bm25 scores every phrase of the MATCH it sits on,
            # so the heading words there would raise these sections' scores above the same
            # sections' scores in the plain search they are ranked against. The unary plus
            # keeps SQLite from handing each rowid to FTS5 as a look-up of its own.
            where_sql += (" AND +search_fts.rowid IN (SELECT rowid FROM search_fts "
                          "WHERE search_fts MATCH %s)")
            where_params.append(match_expression(groups, every=False, in_heading=True))
        return Match(
            from_sql="search_fts JOIN search_indexedsection s ON s.id = search_fts.rowid",
            from_params=[],
            where_sql=where_sql,
            where_params=where_params,
            score_sql=f"-bm25(search_fts, {WEIGHTS})",
        )

    def page_sections(
        self, ids: list[int], groups: list[Group], *, every: bool
    ) -> dict[int, PageSection]:
        if not ids:
            return {}
        marks = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT s.id, s.document_key, s.section_key, s.heading, s.anchor, "  # noqa: S608
                "snippet(search_fts, 2, %s, %s, %s, 30), substr(s.body, 1, 240) "
                "FROM search_fts JOIN search_indexedsection s ON s.id = search_fts.rowid "
                f"WHERE search_fts MATCH %s AND search_fts.rowid IN ({marks})",
                [MARK_START, MARK_END, ELLIPSIS, match_expression(groups, every=every), *ids],
            )
            return {row[0]: PageSection(*row[1:]) for row in cursor.fetchall()}

    def year_sql(self, column: str) -> str:
        return f"substr({column}, 1, 4)"
