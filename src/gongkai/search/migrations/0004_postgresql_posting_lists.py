from django.db import migrations


def forwards(apps, schema_editor):
    """PostgreSQL: adds the base index of posting lists (`search_pg_post`), the list of base records changed
    since it was built (`search_pg_stale`), the strpos check function, and the triggers that fill the stale
    list. The existing gram tables keep answering as the delta until `gongkai reindex` moves every record into
    the base index (faster searches for a large library). SQLite: nothing changes."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from gongkai.search import pg

    with schema_editor.connection.cursor() as cursor:
        pg.create_schema(cursor)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_zero_result_query")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
