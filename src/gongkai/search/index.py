"""The policy full-text index, one implementation per database vendor.

SQLite: an FTS5 contentless table ``search_policy_fts`` (rowid = policy id; columns ``title`` = bigrams of
title and 发文字号, ``body`` = bigrams of summary and body, ``words`` = rjieba words) kept up to date by
triggers on ``policies_policy`` that call two SQL functions written in Python (``gk_grams``, ``gk_words``,
registered on every SQLite connection). The index row is therefore written by the same statement as the
record: same transaction, whatever path changed the record (action, admin, ``QuerySet.update``, bulk
import).

PostgreSQL (`gongkai.search.pg`): a base index of posting lists of our own written by `rebuild`, plus a small
delta of gram tsvectors with GIN indexes for the records changed since, written by Python in the ``post_save``
handler of ``Policy`` inside the record's transaction (see ``gongkai.search.apps``); statement triggers put
records changed by other paths in a pending list that the next search indexes first.
"""

from __future__ import annotations

from django.db import connection, transaction

from . import text

SQLITE_TABLE = "search_policy_fts"
PG_TABLE = "search_pg_grams"
POLICY_TABLE = "policies_policy"

# What goes into each column, as SQL over a policies_policy row (alias given as {r}).
_SQLITE_VALUES = (
    "gk_grams({r}.title, {r}.doc_number)",
    "gk_grams({r}.summary, {r}.body)",
    "gk_words({r}.title, {r}.summary, {r}.body)",
)


def _values(alias: str) -> str:
    return ", ".join(v.format(r=alias) for v in _SQLITE_VALUES)


SQLITE_SCHEMA = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_TABLE}
        USING fts5(title, body, words, content='', columnsize=0, tokenize='ascii')""",
    f"""CREATE TRIGGER IF NOT EXISTS search_policy_insert AFTER INSERT ON {POLICY_TABLE} BEGIN
        INSERT INTO {SQLITE_TABLE}(rowid, title, body, words) VALUES (new.id, {_values("new")});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS search_policy_delete AFTER DELETE ON {POLICY_TABLE} BEGIN
        INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}, rowid, title, body, words)
            VALUES ('delete', old.id, {_values("old")});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS search_policy_update AFTER UPDATE OF title, doc_number, summary, body
        ON {POLICY_TABLE}
        WHEN old.title IS NOT new.title OR old.doc_number IS NOT new.doc_number
          OR old.summary IS NOT new.summary OR old.body IS NOT new.body BEGIN
        INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}, rowid, title, body, words)
            VALUES ('delete', old.id, {_values("old")});
        INSERT INTO {SQLITE_TABLE}(rowid, title, body, words) VALUES (new.id, {_values("new")});
    END""",
]


def register_sqlite_functions(sqlite_connection) -> None:
    """Registers the tokenizer functions the triggers call. Deterministic, so SQLite may cache them."""

    def gk_grams(*parts):
        return text.grams(*parts)

    def gk_words(*parts):
        return text.words(*parts)

    sqlite_connection.create_function("gk_grams", -1, gk_grams, deterministic=True)
    sqlite_connection.create_function("gk_words", -1, gk_words, deterministic=True)


def vendor(conn=None) -> str:
    return (conn or connection).vendor


def create_schema(schema_editor=None) -> None:
    conn = schema_editor.connection if schema_editor else connection
    from .fast import SCHEMA as FAST_SCHEMA

    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            from . import pg

            pg.create_schema(cursor)
        elif conn.vendor == "sqlite":
            for sql in SQLITE_SCHEMA + FAST_SCHEMA:
                cursor.execute(sql)


def drop_schema(schema_editor=None) -> None:
    conn = schema_editor.connection if schema_editor else connection
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            from .fast import DROP

            for sql in DROP:
                cursor.execute(sql)
            for name in ("search_policy_insert", "search_policy_delete", "search_policy_update"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {SQLITE_TABLE}")
        elif conn.vendor == "postgresql":
            from . import pg

            pg.drop_schema(cursor)


# --- PostgreSQL row maintenance (SQLite needs none: the triggers do it) ---------------------------------


def pg_index_rows(rows) -> None:
    """rows: iterable of (id, title, doc_number, summary, body)."""
    from . import pg

    pg.index_rows(rows)


def index_policy_ids(ids) -> None:
    """(Re)writes the index rows of the given policies. A no-op on SQLite, where triggers keep the index."""
    if vendor() != "postgresql":
        return
    from gongkai.policies.models import Policy

    ids = list(ids)
    rows = Policy.objects.filter(pk__in=ids).values_list("id", "title", "doc_number", "summary", "body")
    with transaction.atomic():
        pg_index_rows(rows)


def remove_policy_ids(ids) -> None:
    if vendor() != "postgresql":
        return
    ids = list(ids)
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {PG_TABLE} WHERE policy_id = ANY(%s)", [ids])
            cursor.execute("DELETE FROM search_pg_text WHERE policy_id = ANY(%s)", [ids])
            cursor.execute(
                "INSERT INTO search_pg_stale (policy_id) SELECT unnest(%s::bigint[]) ON CONFLICT DO NOTHING",
                [ids],
            )


def indexed_count() -> int:
    with connection.cursor() as cursor:
        if vendor() == "sqlite":
            # contentless FTS5: count the docsize-less index through a full-table MATCH is not possible;
            # the policy table is the source of truth, and every row has an index row.
            cursor.execute(f"SELECT count(*) FROM {POLICY_TABLE}")
        else:
            cursor.execute("SELECT count(*) FROM search_pg_text")
        return cursor.fetchone()[0]


def rebuild(progress=None, batch_size: int = 200, stage=None) -> int:
    """Rebuilds the whole policy index in one transaction (searches keep seeing the old index until it
    commits). `progress(n)` is called after each batch with the number of records done in it, `stage(text)`
    when a step without progress starts (PostgreSQL's index build)."""
    from gongkai.policies.models import Policy

    if vendor() == "postgresql":
        from . import pg

        with transaction.atomic(), connection.cursor() as cursor:
            pg.create_support(
                cursor
            )  # one transaction: no search or write sees a function or trigger missing
        return pg.rebuild(progress=progress, stage=stage)
    total = 0
    with transaction.atomic():
        create_schema()
        ids = list(Policy.objects.order_by("pk").values_list("pk", flat=True))
        with connection.cursor() as cursor:
            if vendor() == "sqlite":
                cursor.execute(f"INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}) VALUES ('delete-all')")
            for start in range(0, len(ids), batch_size):
                chunk = ids[start : start + batch_size]
                if vendor() == "sqlite":
                    placeholders = ",".join(["%s"] * len(chunk))
                    cursor.execute(
                        f"INSERT INTO {SQLITE_TABLE}(rowid, title, body, words) SELECT p.id, {_values('p')} "
                        f"FROM {POLICY_TABLE} p WHERE p.id IN ({placeholders})",
                        chunk,
                    )
                total += len(chunk)
                if progress:
                    progress(len(chunk))
            if vendor() == "sqlite":
                cursor.execute(f"INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}) VALUES ('optimize')")
    return total
