"""The search engines behind one interface: each writes the engine-specific SQL fragments.

`engine()` picks the one for the database in use: SQLite FTS5 or PostgreSQL full text.
An engine answers four questions for `search.query`: how to match words (FROM, WHERE and
a score to sort by, higher better), how to cut highlighted snippets, how to name a row's
year, and how to write a document's rows (PostgreSQL computes its columns as it inserts).
Another engine (OpenSearch, say) would implement the same methods.
"""

from django.db import connection

from agora.search.engines.base import Engine


def engine() -> Engine:
    """Return the engine for the default database."""
    if connection.vendor == "postgresql":
        from agora.search.engines.postgres import PostgresEngine

        return PostgresEngine()
    from agora.search.engines.sqlite import SqliteEngine

    return SqliteEngine()
