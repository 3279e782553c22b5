from django.db import migrations


def load(apps, schema_editor):
    from agora.catalog.questions import questions_load

    questions_load(apps.get_model("catalog", "Question"))


class Migration(migrations.Migration):

    dependencies = [("catalog", "0002_hsds_and_questions")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
