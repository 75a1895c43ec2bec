from django.db import migrations


def create(apps, schema_editor):
    from gongkai.search.index import create_schema

    create_schema(schema_editor)


def drop(apps, schema_editor):
    from gongkai.search.index import drop_schema

    drop_schema(schema_editor)


class Migration(migrations.Migration):
    """The policy full-text index (FTS5 table and triggers on SQLite, tsvector table on PostgreSQL)."""

    dependencies = [("policies", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
