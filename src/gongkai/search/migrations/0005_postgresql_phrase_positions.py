from django.db import migrations


def forwards(apps, schema_editor):
    """PostgreSQL: adds the `pos` column (4-gram positions) to the base index `search_pg_post`. The rows of an
    existing index have none (NULL: "unknown"), so long phrases keep being checked with strpos as before
    until `gongkai reindex` stores the positions. SQLite: nothing changes."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from gongkai.search import pg

    with schema_editor.connection.cursor() as cursor:
        pg.create_schema(cursor)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_postgresql_posting_lists")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
