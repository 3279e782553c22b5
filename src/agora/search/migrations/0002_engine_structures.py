"""The full-text structures each engine needs beside `search_indexedsection`.

SQLite: an external-content FTS5 table (Porter stemming over unicode61, diacritics
folded) kept in step by triggers, so every insert, update and delete of an indexed section
reaches the index in the same transaction. Django's SQLite schema editor rebuilds a table
to alter it, which drops triggers: a later migration that alters `search_indexedsection`
must run this one's SQL again.

PostgreSQL: a tsvector column, filled when a document is indexed (`engines.postgres`, in
the language configuration AGORA_SEARCH_LANGUAGE), with a GIN index.
"""

from django.db import migrations

SQLITE_UP = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, heading, body,
        content='search_indexedsection', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_indexedsection BEGIN
        INSERT INTO search_fts(rowid, title, heading, body)
        VALUES (new.id, new.title, new.heading, new.body);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_indexedsection BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, heading, body)
        VALUES ('delete', old.id, old.title, old.heading, old.body);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE ON search_indexedsection BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, heading, body)
        VALUES ('delete', old.id, old.title, old.heading, old.body);
        INSERT INTO search_fts(rowid, title, heading, body)
        VALUES (new.id, new.title, new.heading, new.body);
    END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_UP = [
    "ALTER TABLE search_indexedsection ADD COLUMN vector tsvector",
    "CREATE INDEX search_section_vector ON search_indexedsection USING GIN (vector)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS search_section_vector",
    "ALTER TABLE search_indexedsection DROP COLUMN IF EXISTS vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
