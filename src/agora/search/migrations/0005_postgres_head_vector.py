"""PostgreSQL: a second, small full-text index of each section's title and heading alone.

A broad query (thousands of matching sections) ranks only the sections whose title or
heading holds one of its words (`search.query`, decision 37); this index finds them
without visiting every match. SQLite gets the same from an FTS5 column filter, so it
needs nothing here. Like 0002's vector, the column is not in the model's state.
"""

from django.conf import settings
from django.db import migrations

POSTGRES_UP = [
    "ALTER TABLE search_indexedsection ADD COLUMN head_vector tsvector",
    "UPDATE search_indexedsection SET head_vector = "
    "to_tsvector(%s::regconfig, title || ' ' || heading)",
    "CREATE INDEX search_section_head ON search_indexedsection USING GIN (head_vector)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS search_section_head",
    "ALTER TABLE search_indexedsection DROP COLUMN IF EXISTS head_vector",
]


def _run(statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            params = [settings.SEARCH_LANGUAGE] if "%s" in statement else None
            schema_editor.execute(statement, params)
    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0004_sqlite_hit_index")]

    operations = [migrations.RunPython(_run(POSTGRES_UP), _run(POSTGRES_DOWN))]
