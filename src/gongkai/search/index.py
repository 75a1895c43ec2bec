"""The policy full-text index, one implementation per database vendor.

SQLite: an FTS5 contentless table ``search_policy_fts`` (rowid = policy id; columns ``title`` = bigrams of
title and 发文字号, ``body`` = bigrams of summary and body, ``words`` = rjieba words) kept up to date by
triggers on ``policies_policy`` that call two SQL functions written in Python (``gk_grams``, ``gk_words``,
registered on every SQLite connection). The index row is therefore written by the same statement as the
record: same transaction, whatever path changed the record (action, admin, ``QuerySet.update``, bulk
import).

PostgreSQL: a table ``search_policy_pg`` (policy id, ``grams`` and ``words`` tsvectors without positions,
GIN indexes) written by Python in the ``post_save``/``post_delete`` handlers of ``Policy``, which run in
the record's transaction (see ``gongkai.search.apps``).
"""

from __future__ import annotations

from django.db import connection, transaction

from . import text

SQLITE_TABLE = "search_policy_fts"
PG_TABLE = "search_policy_pg"
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

PG_SCHEMA = [
    f"""CREATE TABLE IF NOT EXISTS {PG_TABLE} (
        policy_id bigint PRIMARY KEY REFERENCES {POLICY_TABLE}(id) ON DELETE CASCADE,
        grams tsvector NOT NULL,
        title_grams tsvector NOT NULL,
        words tsvector NOT NULL)""",
    f"CREATE INDEX IF NOT EXISTS search_policy_pg_grams ON {PG_TABLE} USING gin (grams)",
    f"CREATE INDEX IF NOT EXISTS search_policy_pg_title ON {PG_TABLE} USING gin (title_grams)",
    f"CREATE INDEX IF NOT EXISTS search_policy_pg_words ON {PG_TABLE} USING gin (words)",
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

    if conn.vendor == "sqlite":
        statements = SQLITE_SCHEMA + FAST_SCHEMA
    elif conn.vendor == "postgresql":
        statements = PG_SCHEMA
    else:
        statements = []
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [PG_TABLE])
            if cursor.fetchone()[0]:
                return
        for sql in statements:
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
            cursor.execute(f"DROP TABLE IF EXISTS {PG_TABLE}")


# --- PostgreSQL row maintenance (SQLite needs none: the triggers do it) ---------------------------------


def _pg_row(policy_id, title, doc_number, summary, body):
    grams = text.grams(title, doc_number, summary, body).split()
    title_grams = text.grams(title, doc_number).split()
    word_tokens = text.words(title, summary, body).split()
    return (
        policy_id,
        text.tsvector_literal(grams),
        text.tsvector_literal(title_grams),
        text.tsvector_literal(word_tokens),
    )


_PG_UPSERT = f"""INSERT INTO {PG_TABLE} (policy_id, grams, title_grams, words)
    VALUES (%s, %s::tsvector, %s::tsvector, %s::tsvector)
    ON CONFLICT (policy_id) DO UPDATE SET grams = EXCLUDED.grams, title_grams = EXCLUDED.title_grams,
        words = EXCLUDED.words"""


def pg_index_rows(rows) -> None:
    """rows: iterable of (id, title, doc_number, summary, body)."""
    data = [_pg_row(*row) for row in rows]
    if data:
        with connection.cursor() as cursor:
            cursor.executemany(_PG_UPSERT, data)


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


def indexed_count() -> int:
    with connection.cursor() as cursor:
        if vendor() == "sqlite":
            # contentless FTS5: count the docsize-less index through a full-table MATCH is not possible;
            # the policy table is the source of truth, and every row has an index row.
            cursor.execute(f"SELECT count(*) FROM {POLICY_TABLE}")
        else:
            cursor.execute(f"SELECT count(*) FROM {PG_TABLE}")
        return cursor.fetchone()[0]


def rebuild(progress=None, batch_size: int = 200) -> int:
    """Rebuilds the whole policy index in one transaction (searches keep seeing the old index until it
    commits). `progress(n)` is called after each batch with the number of records done in it."""
    from gongkai.policies.models import Policy

    total = 0
    with transaction.atomic():
        create_schema()
        ids = list(Policy.objects.order_by("pk").values_list("pk", flat=True))
        with connection.cursor() as cursor:
            if vendor() == "sqlite":
                cursor.execute(f"INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}) VALUES ('delete-all')")
            elif vendor() == "postgresql":
                cursor.execute(f"DELETE FROM {PG_TABLE}")
            for start in range(0, len(ids), batch_size):
                chunk = ids[start : start + batch_size]
                if vendor() == "sqlite":
                    placeholders = ",".join(["%s"] * len(chunk))
                    cursor.execute(
                        f"INSERT INTO {SQLITE_TABLE}(rowid, title, body, words) SELECT p.id, {_values('p')} "
                        f"FROM {POLICY_TABLE} p WHERE p.id IN ({placeholders})",
                        chunk,
                    )
                elif vendor() == "postgresql":
                    pg_index_rows(
                        Policy.objects.filter(pk__in=chunk).values_list(
                            "id", "title", "doc_number", "summary", "body"
                        )
                    )
                total += len(chunk)
                if progress:
                    progress(len(chunk))
            if vendor() == "sqlite":
                cursor.execute(f"INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}) VALUES ('optimize')")
    return total
