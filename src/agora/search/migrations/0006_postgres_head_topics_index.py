"""PostgreSQL: the title-and-heading index also holds the document's topics.

A broad query's second set (decision 45: the matches whose title or heading holds one of
its words) with a topic filter met two bitmaps, the small `head_vector` one and the
topics' (220,000 entries for "housing" and its sub-topics at 1M sections). One GIN index
over (`head_vector`, `topic_keys`) intersects them inside the index, where the rare head
words let it skip most of the topics' entries (decision 47). Queries on `head_vector`
alone use it as they used the old index.
"""

from django.db import migrations

POSTGRES_UP = [
    "CREATE INDEX search_section_head_topics ON search_indexedsection "
    "USING GIN (head_vector, topic_keys)",
    "DROP INDEX IF EXISTS search_section_head",
]
POSTGRES_DOWN = [
    "CREATE INDEX search_section_head ON search_indexedsection USING GIN (head_vector)",
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
