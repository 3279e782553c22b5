"""Load the standard data categories and purposes (update_or_create by code, so safe to re-run)."""

from django.db import migrations

from agora.access.vocabulary import load_vocabulary


def load(apps, schema_editor):
    load_vocabulary(apps.get_model("access", "DataCategory"), apps.get_model("access", "Purpose"))


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
