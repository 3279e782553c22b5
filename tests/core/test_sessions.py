"""Agora's session store reads what Django's database sessions wrote, and nothing expired."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from agora.core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_session_django_wrote_is_read_back():
    written = db.SessionStore()
    written["answer"] = 42
    written.create()

    assert SessionStore(written.session_key)["answer"] == 42


def test_an_expired_or_unknown_session_is_empty_and_forgets_its_key():
    written = db.SessionStore()
    written["answer"] = 42
    written.create()
    Session.objects.filter(pk=written.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1))

    for key in (written.session_key, "x" * 32):
        store = SessionStore(key)
        assert store.load() == {}
        assert store.session_key is None


def test_reading_a_session_compiles_nothing_after_the_first(django_assert_num_queries):
    written = db.SessionStore()
    written["answer"] = 42
    written.create()
    SessionStore(written.session_key).load()

    with mock.patch.object(SQLCompiler, "as_sql", side_effect=AssertionError), \
            django_assert_num_queries(1):
        assert SessionStore(written.session_key).load() == {"answer": 42}
