"""The vendor-specific part of a search: which policy ids match a parsed query, as a SQL subquery that the
ORM embeds (`pk__in=RawSQL(...)`)."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models.expressions import RawSQL

from . import text
from .index import PG_TABLE, POLICY_TABLE, SQLITE_TABLE


def match_ids(parsed: text.ParsedQuery) -> RawSQL:
    if connection.vendor == "sqlite":
        return RawSQL(
            f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s", [text.fts5_match(parsed)]
        )
    if connection.vendor == "postgresql":
        # The GIN index finds the records holding every bigram of every term; terms of more than one bigram
        # are then checked literally, so that the bigrams must also be consecutive.
        sql = f"SELECT d.policy_id FROM {PG_TABLE} d"
        params: list = []
        recheck = [t for t in parsed.usable_terms if len(t.tokens) > 1 or t.prefix]
        if recheck:
            sql += f" JOIN {POLICY_TABLE} p ON p.id = d.policy_id"
        sql += " WHERE d.grams @@ %s::tsquery"
        params.append(text.tsquery(parsed))
        for term in recheck:
            sql += (
                " AND (strpos(lower(p.title), %s) > 0 OR strpos(lower(p.doc_number), %s) > 0"
                " OR strpos(lower(p.summary), %s) > 0 OR strpos(lower(p.body), %s) > 0)"
            )
            params.extend([term.text.lower()] * 4)
        return RawSQL(sql, params)
    raise ImproperlyConfigured(f"全文检索不支持数据库 {connection.vendor}，请使用 SQLite 或 PostgreSQL")


def materialised(ids: RawSQL) -> RawSQL:
    """On PostgreSQL, runs the matching subquery once and hands the ids back as one array parameter. Embedded as a
    subquery, the planner may re-run the literal recheck (strpos over whole bodies) for every facet and every
    outer row, which took tens of seconds on a few hundred laws; SQLite's FTS5 subquery is cheap and stays as is."""
    if connection.vendor != "postgresql":
        return ids
    with connection.cursor() as cursor:
        cursor.execute(ids.sql, ids.params)
        found = [row[0] for row in cursor.fetchall()]
    return RawSQL("SELECT unnest(%s::bigint[])", [found])


def word_match_ids(parsed: text.ParsedQuery) -> RawSQL | None:
    """Records where every term is also a whole word (rjieba), or None when a term has no words."""
    if connection.vendor == "sqlite":
        expression = text.fts5_words_match(parsed)
        if expression is None:
            return None
        return RawSQL(f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s", [expression])
    expression = text.tsquery_words(parsed)
    if expression is None:
        return None
    return RawSQL(f"SELECT policy_id FROM {PG_TABLE} WHERE words @@ %s::tsquery", [expression])
