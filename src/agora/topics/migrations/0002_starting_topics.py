"""Load the starting tree of needs and life events (`topics.vocabulary`); re-running updates."""

from django.db import migrations


def load(apps, schema_editor):
    from agora.topics.vocabulary import topics_flat

    Topic = apps.get_model("topics", "Topic")
    by_slug = {}
    for item in topics_flat():
        topic, _ = Topic.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "summary": item.get("summary", ""),
                "parent": by_slug.get(item["parent"]),
                "position": item["position"],
            },
        )
        by_slug[topic.slug] = topic


class Migration(migrations.Migration):
    dependencies = [("topics", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
