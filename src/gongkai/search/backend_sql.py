"""The vendor-specific part of a search: which policy ids match a parsed query, as a SQL subquery that the
ORM embeds (`pk__in=RawSQL(...)`). On PostgreSQL the match is run once and its ids handed over as one
array parameter (embedded as a subquery, the planner may re-run it for every facet and every row)."""

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
