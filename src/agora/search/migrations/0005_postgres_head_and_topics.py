"""PostgreSQL: a small full-text index of each section's title and heading, and its topics.

A broad query (thousands of matching sections) ranks the sections whose title or heading
holds one of its words (`search.query`, decision 45); `head_vector` finds them without
visiting every match. `topic_keys` (the document's topics, copied from
`search_indexedtopic`) lets a topic filter meet the words' bitmap in the index, so the
heap rows of matches outside the topic are never read. SQLite gets the first from an
FTS5 column filter and reads hits through a covering index (0004), so it needs neither.
Like 0002's vector, the columns are not in the model's state.
"""

from django.conf import settings
from django.db import migrations

POSTGRES_UP = [
    "ALTER TABLE search_indexedsection ADD COLUMN head_vector tsvector",
    "UPDATE search_indexedsection SET head_vector = "
    "to_tsvector(%s::regconfig, title || ' ' || heading)",
    "CREATE INDEX search_section_head ON search_indexedsection USING GIN (head_vector)",
    "ALTER TABLE search_indexedsection ADD COLUMN topic_keys bigint[]",
    "UPDATE search_indexedsection s SET topic_keys = t.keys FROM (SELECT document_key, "
    "array_agg(topic_id) AS keys FROM search_indexedtopic GROUP BY document_key) t "
    "WHERE s.document_key = t.document_key",
    "CREATE INDEX search_section_topics ON search_indexedsection USING GIN (topic_keys)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS search_section_topics",
    "ALTER TABLE search_indexedsection DROP COLUMN IF EXISTS topic_keys",
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
