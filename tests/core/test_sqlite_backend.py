"""Agora's SQLite backend: Django's, with the `%s` → `?` rewriting kept per statement."""

import sqlite3

import pytest
from django.db import connection

from agora.core.sqlite3.base import LONGEST_KEPT, SQLiteCursorWrapper, _qmark


def cursor():
    return sqlite3.connect(":memory:").cursor(factory=SQLiteCursorWrapper)


def test_statements_run_as_with_djangos_backend():
    rows = cursor().execute("SELECT %s || '%%s', %s", ["a", 2]).fetchall()
    assert rows == [("a%s", 2)]
    named = cursor().execute("SELECT %(first)s, %(second)s", {"first": 1, "second": "x"})
    assert named.fetchall() == [(1, "x")]
    assert cursor().execute("SELECT '%%s'").fetchall() == [("%%s",)]  # no parameters


def test_a_statement_text_is_rewritten_once():
    statement = "SELECT %s + 40 AS answer_kept_once"
    first = cursor().execute(statement, [2]).fetchall()
    hits = _qmark.cache_info().hits
    again = cursor().execute(statement, [3]).fetchall()
    assert (first, again) == ([(42,)], [(43,)])
    assert _qmark.cache_info().hits == hits + 1


def test_long_statements_are_not_kept():
    values = ", ".join(["(%s)"] * (LONGEST_KEPT // 5))
    statement = f"SELECT COUNT(*) FROM (VALUES {values})"
    size = _qmark.cache_info().currsize
    count = cursor().execute(statement, list(range(LONGEST_KEPT // 5))).fetchall()
    assert count == [(LONGEST_KEPT // 5,)]
    assert _qmark.cache_info().currsize == size


@pytest.mark.django_db
def test_the_default_sqlite_database_uses_it():
    if connection.vendor == "sqlite":
        assert connection.settings_dict["ENGINE"] == "agora.core.sqlite3"
        with connection.cursor() as django_cursor:
            assert isinstance(django_cursor.cursor, SQLiteCursorWrapper)
    else:
        assert connection.settings_dict["ENGINE"] == "django.db.backends.postgresql"
