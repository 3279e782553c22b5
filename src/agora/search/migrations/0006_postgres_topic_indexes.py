"""PostgreSQL: each full-text index also holds the document's topics.

A topic filter met the words in the index as a second bitmap (0005's `topic_keys` index):
at 1M sections "mould | damp | repair" in "housing" and its sub-topics built a bitmap of
130,000 entries and one of 220,000, and intersected them, before the first row was read;
the broad query's title-and-heading set did it again beside its own small index. A GIN
index over two columns intersects them inside the index instead (decision 47):
`vector` with `topic_keys`, and `head_vector` with `topic_keys`. Queries on one column
use these as they used the single-column indexes, which go: one index fewer to write on
every publish. `IF NOT EXISTS`: the benchmark's kept 1M corpus was given them by hand.
"""

from django.db import migrations

POSTGRES_UP = [
    "CREATE INDEX IF NOT EXISTS search_section_vector_topics ON search_indexedsection "
    "USING GIN (vector, topic_keys)",
    "CREATE INDEX IF NOT EXISTS search_section_head_topics ON search_indexedsection "
    "USING GIN (head_vector, topic_keys)",
    "DROP INDEX IF EXISTS search_section_vector",
    "DROP INDEX IF EXISTS search_section_head",
    "DROP INDEX IF EXISTS search_section_topics",
]
POSTGRES_DOWN = [
    "CREATE INDEX search_section_vector ON search_indexedsection USING GIN (vector)",
    "CREATE INDEX search_section_head ON search_indexedsection USING GIN (head_vector)",
    "CREATE INDEX search_section_topics ON search_indexedsection USING GIN (topic_keys)",
    "DROP INDEX IF EXISTS search_section_vector_topics",
    "DROP INDEX IF EXISTS search_section_head_topics",
]


def _run(statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0005_postgres_head_and_topics")]

    operations = [migrations.RunPython(_run(POSTGRES_UP), _run(POSTGRES_DOWN))]
