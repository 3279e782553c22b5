"""The search: ranked sections with snippets, facet counts, "did you mean", access inside.

One call runs at most three attempts, each one statement (total, facets and the page)
and the snippets of the page:

1. every query word (with its local synonyms) must appear in a section;
2. when nothing matched and a word looked misspelt, the same with the corrected words
   ("Showing results for council tax");
3. when still nothing matched, any of the words, ranked (for long, chatty questions).

Every statement applies the reader's access rule (`access.documents`) in its WHERE
clause, beside the words and the filters, so totals, facets and pages only ever count what
the reader may read. A document counts once, at its best-matching section.

A broad query (more than `EXACT_UP_TO` matching sections) is not visited whole: the total
and the facets count the first `EXACT_UP_TO` matches the engine gives, and say they are
lower bounds (`total_exact` false); the page ranks the matches whose title or heading holds
one of the words, which a small index finds cheaply (decision 45).
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import connection
from django.utils.safestring import SafeString

from agora.access.documents import DocumentReader, readable_documents_sql
from agora.search import suggest
from agora.search.engines import engine
from agora.search.engines.base import Engine, highlighted
from agora.search.words import MAX_QUERY_CHARS, Group, query_groups, query_words

MAX_LIMIT = 100

# Up to this many matching sections an attempt is counted and ranked whole; past it, the
# counts are lower bounds and the page ranks title and heading matches (decision 45).
EXACT_UP_TO = 2000


@dataclass(frozen=True)
class Filters:
    """What a search is narrowed to; topics include their sub-topics (the caller expands)."""

    topic_ids: tuple[int, ...] = ()
    owner_id: int | None = None
    kind: str = ""
    year: int | None = None


@dataclass
class Hit:
    document_key: int
    section_key: int
    heading: str
    anchor: str
    snippet: SafeString
    score: float


@dataclass
class Facets:
    owners: dict[int, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)
    topics: dict[int, int] = field(default_factory=dict)
    years: dict[str, int] = field(default_factory=dict)


@dataclass
class SearchResult:
    query: str
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: Facets = field(default_factory=Facets)
    total_exact: bool = True  # False when total and facet counts are lower bounds
    corrected: str = ""  # the query the results are for, when a misspelling was corrected
    did_you_mean: str = ""  # a corrected query to offer, when the results are for the original
    matched_all: bool = True  # False when no section held every word and any word counted
    problem: str = ""  # why nothing was searched (an empty or too long query)


def _matching_cte(
    eng: Engine, reader: DocumentReader | None, groups: list[Group], filters: Filters,
    every: bool, *, up_to: int, in_heading: bool = False,
) -> tuple[str, list]:
    """Return the CTE `hits`: the matching sections the reader may read, with their score.

    At most `up_to` of them, in the order the engine finds them (not by score).
    """
    match = eng.match(groups, every=every, in_heading=in_heading)
    access_sql, access_params = readable_documents_sql(
        reader, owner="s.owner_id", classification="s.classification", roles="s.restricted_roles"
    )
    where, params = [match.where_sql, access_sql], [*match.where_params, *access_params]
    if filters.owner_id is not None:
        where.append("s.owner_id = %s")
        params.append(filters.owner_id)
    if filters.kind:
        where.append("s.kind = %s")
        params.append(filters.kind)
    if filters.topic_ids:
        topic_sql, topic_params = eng.topic_filter(filters.topic_ids)
        where.append(topic_sql)
        params.extend(topic_params)
    if filters.year is not None:
        adapt = connection.ops.adapt_datetimefield_value
        where.append("s.updated_at >= %s AND s.updated_at < %s")
        params += [adapt(datetime(filters.year, 1, 1, tzinfo=UTC)),
                   adapt(datetime(filters.year + 1, 1, 1, tzinfo=UTC))]
    # Every fragment below is our own SQL; values travel as parameters.
    sql = (
        "WITH hits AS MATERIALIZED (SELECT s.id AS id, s.document_key AS document_key, "
        "s.owner_id AS owner_id, s.kind AS kind, s.updated_at AS updated_at, "
        f"{match.score_sql} AS score FROM {match.from_sql} WHERE {' AND '.join(where)} "
        "LIMIT %s)"
    )
    return sql, [*match.from_params, *params, up_to]


@dataclass
class _Counted:
    sections: int = 0  # matching sections seen (at most the CTE's limit)
    total: int = 0  # documents among them
    facets: Facets = field(default_factory=Facets)
    page: list[tuple[int, float, int]] = field(default_factory=list)  # section, score, document


def _ranked_and_counted(
    eng: Engine, cte: str, params: list, limit: int, offset: int, *, counted: bool = True,
) -> _Counted:
    """Return the sections seen, the total, the facets and the page's best sections.

    One statement: the engine matches and scores once (`hits` is materialised), then the
    hits fold into one row per document (`docs`: its best score, owner, kind, date), and
    the total, the facets and the page all read those rows with plain counts; the page's
    documents come back with every one of their hits, and the best section of each is
    picked here (the highest score, then the lowest id), so no window sorts all the hits.
    """
    year = eng.year_sql("updated_at")
    counts = (
        "SELECT 'sections', '', COUNT(*), CAST(0 AS REAL) FROM hits "
        "UNION ALL SELECT 'total', '', COUNT(*), 0 FROM docs "
        "UNION ALL SELECT 'owner', CAST(owner_id AS TEXT), COUNT(*), 0 FROM docs "
        "GROUP BY owner_id "
        "UNION ALL SELECT 'kind', kind, COUNT(*), 0 FROM docs GROUP BY kind "
        f"UNION ALL SELECT 'year', {year}, COUNT(*), 0 FROM docs GROUP BY {year} "
        "UNION ALL SELECT 'topic', CAST(t.topic_id AS TEXT), COUNT(*), 0 FROM docs d "
        "JOIN search_indexedtopic t ON t.document_key = d.document_key GROUP BY t.topic_id "
        "UNION ALL "
    ) if counted else ""
    sql = (
        f"{cte}, docs AS (SELECT document_key, MAX(score) AS score, MIN(owner_id) AS owner_id, "
        "MIN(kind) AS kind, MIN(updated_at) AS updated_at FROM hits GROUP BY document_key), "
        "page AS (SELECT document_key, score FROM docs "
        "ORDER BY score DESC, document_key LIMIT %s OFFSET %s) "
        f"{counts}SELECT 'page', CAST(h.id AS TEXT), h.document_key, h.score FROM hits h "
        "JOIN page p ON p.document_key = h.document_key AND h.score = p.score"
    )
    result, best = _Counted(), {}
    with eng.search_statement() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        rows = cursor.fetchall()
    facets = result.facets
    for facet, key, count, score in rows:
        if facet == "sections":
            result.sections = count
        elif facet == "total":
            result.total = count
        elif facet == "owner":
            facets.owners[int(key)] = count
        elif facet == "kind":
            facets.kinds[key] = count
        elif facet == "topic":
            facets.topics[int(key)] = count
        elif facet == "year":
            facets.years[key] = count
        elif facet == "page":
            section = (float(score), -int(key))
            best[count] = max(best.get(count, section), section)
    # A UNION ALL keeps no order: best score first, then the lower document key.
    page = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
    result.page = [(-pk, score, document) for document, (score, pk) in page]
    return result


def _hits(
    eng: Engine, ranked: list[tuple[int, float]], groups: list[Group], every: bool,
) -> list[Hit]:
    rows = eng.page_sections([pk for pk, _ in ranked], groups, every=every)
    return [
        Hit(
            document_key=rows[pk].document_key, section_key=rows[pk].section_key,
            heading=rows[pk].heading, anchor=rows[pk].anchor,
            snippet=highlighted(rows[pk].snippet or rows[pk].opening), score=score,
        )
        for pk, score in ranked if pk in rows
    ]


def _attempt(
    eng: Engine, reader: DocumentReader | None, groups: list[Group], filters: Filters,
    every: bool, limit: int, offset: int,
) -> tuple[int, bool, Facets, list[Hit]]:
    """Return the total, whether it is exact, the facets and the page's hits.

    Both statements rank their first `offset + limit` documents (at most `EXACT_UP_TO`
    sections are ever ranked) and the page is cut here, so a broad query's pages, merged
    from two rankings, follow one order.
    """
    cte, params = _matching_cte(eng, reader, groups, filters, every, up_to=EXACT_UP_TO + 1)
    counted = _ranked_and_counted(eng, cte, params, offset + limit, 0)
    exact = counted.sections <= EXACT_UP_TO
    ranked = counted.page
    if not exact:
        # Too broad to rank whole: the counted sample is the first matches the engine
        # found, not the best. Add the matches with a word in the title or heading (the
        # highest scores are among them) and rank the two together.
        cte, params = _matching_cte(eng, reader, groups, filters, every,
                                    up_to=EXACT_UP_TO, in_heading=True)
        headed = _ranked_and_counted(eng, cte, params, offset + limit, 0, counted=False).page
        best: dict[int, tuple[int, float, int]] = {}
        for hit in (*headed, *ranked):
            if hit[2] not in best or hit[1] > best[hit[2]][1]:
                best[hit[2]] = hit
        ranked = sorted(best.values(), key=lambda hit: (-hit[1], hit[2]))
    pairs = [(pk, score) for pk, score, _ in ranked[offset:offset + limit]]
    return (counted.total, exact, counted.facets,
            _hits(eng, pairs, groups, every) if pairs else [])


def search(
    *, reader: DocumentReader | None, query: str, filters: Filters | None = None,
    limit: int = 20, offset: int = 0,
) -> SearchResult:
    """Return the sections the reader may read that match the query, best first."""
    filters = filters or Filters()
    limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, offset)
    result = SearchResult(query=query)
    if len(query) > MAX_QUERY_CHARS:
        result.problem = f"Your search is too long: use at most {MAX_QUERY_CHARS} characters."
        return result
    words = query_words(query)
    if not words:
        result.problem = "Enter the words you are looking for."
        return result
    if reader is None:
        return result
    eng = engine()
    fixes = suggest.corrections(words)
    fixed_words = [fixes.get(word, word) for word in words]
    total, exact, facets, hits = _attempt(
        eng, reader, query_groups(words), filters, True, limit, offset
    )
    if total:
        result.did_you_mean = " ".join(fixed_words) if fixes else ""
    elif fixes:
        total, exact, facets, hits = _attempt(
            eng, reader, query_groups(fixed_words), filters, True, limit, offset
        )
        result.corrected = " ".join(fixed_words) if total else ""
    if not total and len(words) > 1:
        chosen = fixed_words if fixes else words
        total, exact, facets, hits = _attempt(
            eng, reader, query_groups(chosen), filters, False, limit, offset
        )
        result.matched_all = False
        result.corrected = " ".join(fixed_words) if (total and fixes) else ""
    result.total, result.total_exact, result.facets, result.hits = total, exact, facets, hits
    return result
