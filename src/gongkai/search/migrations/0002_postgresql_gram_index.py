from django.db import migrations


def forwards(apps, schema_editor):
    """PostgreSQL: replaces the bigram tsvector table of 0001 by the gram index of `gongkai.search.pg`, and
    puts every record in the pending list, so the first search (or `gongkai reindex`, faster for a large
    library) indexes them. SQLite: nothing changes."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from gongkai.search import pg

    with schema_editor.connection.cursor() as cursor:
        pg.create_schema(cursor)
        cursor.execute(f"INSERT INTO {pg.PENDING} (policy_id) SELECT id FROM policies_policy ON CONFLICT DO NOTHING")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from gongkai.search import pg

    with schema_editor.connection.cursor() as cursor:
        pg.drop_schema(cursor)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_policy_index")]

    operations = [migrations.RunPython(forwards, backwards)]
