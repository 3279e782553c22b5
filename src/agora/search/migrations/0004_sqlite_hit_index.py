"""SQLite: a covering index for the columns a search reads of every matching section.

FTS5 finds the matching rowids; the search then needs each one's document, owner,
classification, roles, kind and date (access, filters, facets). Read from the table,
that is a look-up of a wide row (the section's text is in it) per hit, most of a broad
query's time at 100,000 sections. This index holds just those columns, keyed by id, so
SQLite answers the join from it (`SEARCH s USING COVERING INDEX search_section_hit
(id=?)`). The document comes last: a topic filter's `document_key IN (…)` on the second
column made SQLite probe the index once per hit and topic document. PostgreSQL finds its hits through a bitmap of heap rows, which no index can
cover, so it gets none.

Like 0002's triggers, the index is not in the model's state: a later migration that makes
Django rebuild `search_indexedsection` on SQLite must create it again.
"""

from django.db import migrations

SQLITE_UP = (
    "CREATE INDEX search_section_hit ON search_indexedsection "
    "(id, owner_id, classification, restricted_roles, kind, updated_at, document_key)"
)
SQLITE_DOWN = "DROP INDEX IF EXISTS search_section_hit"


def _run(statement: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_term_fillfactor")]

    operations = [migrations.RunPython(_run(SQLITE_UP), _run(SQLITE_DOWN))]
