"""Django's SQLite backend, with its placeholder conversion cached.

Django writes SQL with `%s` placeholders and, on SQLite, rewrites every statement to
`?` placeholders with a regular expression each time it runs. For the long statements
the access filter writes (~1.5 KB) that rewrite cost ~55 µs per query, more than SQLite
took to run them (docs/benchmarks.md, "Access filter"). The same statement texts recur
(the filter's SQL depends only on the viewer's shape), so the rewritten text is kept.
Everything else is Django's backend unchanged.
"""

from functools import lru_cache

from django.db.backends.sqlite3 import base

# Statements longer than this (bulk inserts of many rows) are rewritten each time, not
# kept: they rarely recur and would fill the cache.
LONGEST_KEPT = 8192


@lru_cache(maxsize=2048)
def _qmark(query: str) -> str:
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query, *, param_names=None):
        if param_names is None and len(query) <= LONGEST_KEPT:
            return _qmark(query)
        return super().convert_query(query, param_names=param_names)


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        return self.connection.cursor(factory=SQLiteCursorWrapper)
