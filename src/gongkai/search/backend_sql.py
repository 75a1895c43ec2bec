"""The vendor-specific part of a search: which policy ids match a parsed query, as a SQL subquery that the
ORM embeds (`pk__in=RawSQL(...)`)."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models.expressions import RawSQL

from . import text
from .index import SQLITE_TABLE


def match_ids(parsed: text.ParsedQuery) -> RawSQL:
    if connection.vendor == "sqlite":
        return RawSQL(
            f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s", [text.fts5_match(parsed)]
        )
    if connection.vendor == "postgresql":
        from . import pg

        return pg.as_subquery_sql(pg.match(parsed))
    raise ImproperlyConfigured(f"全文检索不支持数据库 {connection.vendor}，请使用 SQLite 或 PostgreSQL")


def materialised(ids: RawSQL) -> RawSQL:
    """On PostgreSQL, runs the matching subquery once and hands the ids back as one array parameter. Embedded as a
    subquery, the planner may re-run the literal recheck (strpos over whole bodies) for every facet and every
    outer row, which took tens of seconds on a few hundred laws; SQLite's FTS5 subquery is cheap and stays as is."""
    return ids  # PostgreSQL's match_ids/word_match_ids already hand over an array of ids


def word_match_ids(parsed: text.ParsedQuery) -> RawSQL | None:
    """Records where every term is also a whole word (rjieba), or None when a term has no words."""
    if connection.vendor == "sqlite":
        expression = text.fts5_words_match(parsed)
        if expression is None:
            return None
        return RawSQL(f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s", [expression])
    from . import pg

    found = pg.word_match(parsed)
    return None if found is None else pg.as_subquery_sql(found)
