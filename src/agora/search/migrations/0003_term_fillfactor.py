"""PostgreSQL: leave room in `search_term`'s pages so a count's update stays on its page.

Every publish adds one to the count of a few hundred words, most of them the same common
words. With full pages each update writes the row elsewhere and a new entry into each of
the table's three indexes; with room on the page it is a heap-only update (HOT) and no
index is touched. Applies to pages written from now on (`agora search reindex` rewrites
the vocabulary).
"""

from django.db import migrations


def _fillfactor(value: int):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE search_term SET (fillfactor = {value})")
    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_engine_structures")]

    operations = [migrations.RunPython(_fillfactor(60), _fillfactor(100))]
