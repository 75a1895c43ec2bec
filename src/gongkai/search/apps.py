from django.apps import AppConfig


def _on_connection_created(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        from .index import register_sqlite_functions

        register_sqlite_functions(connection.connection)


TEXT_FIELDS = {"title", "doc_number", "summary", "body"}


def _on_policy_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    """PostgreSQL only (SQLite's triggers already did it): rewrites the policy's index rows inside the
    transaction that saved the record, from the row as stored (a draft revision's `save(update_fields=...)`
    leaves unsaved draft text on the instance)."""
    from django.db import connection

    if raw or connection.vendor != "postgresql":
        return
    if update_fields is not None and not TEXT_FIELDS & set(update_fields):
        return
    from . import pg

    pg.index_stored(instance.pk)


class SearchConfig(AppConfig):
    name = "gongkai.search"
    label = "search"
    verbose_name = "全文检索"

    def ready(self):
        from django.db import connections
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_save

        connection_created.connect(_on_connection_created, dispatch_uid="gongkai.search.sqlite_functions")
        # Connections opened before this app was ready (rare) get the functions now.
        for conn in connections.all(initialized_only=True):
            if conn.vendor == "sqlite" and conn.connection is not None:
                _on_connection_created(None, conn)
        post_save.connect(
            _on_policy_saved, sender="policies.Policy", dispatch_uid="gongkai.search.policy_saved"
        )

        from gongkai.core.jobs import register_job

        from .maintenance import merge_delta

        register_job(
            "search.merge_delta",
            merge_delta,
            every_minutes=60,
            description="夜间把增量检索索引并入基础索引（PostgreSQL）",
        )

        from gongkai.core.demo_steps import register_demo_step

        from .demo import load_demo

        register_demo_step("无结果检索词（演示）", load_demo)
