"""Folding the PostgreSQL delta into the base index at night (docs/search.md, "Keeping it current").

On PostgreSQL every record written since the last rebuild lives in the delta (the tsvector/GIN tables) and, if
it was in the base, in the stale list. Both stay cheap while small; this job, run hourly by `gongkai worker`,
rebuilds the base index when the delta has grown past `GONGKAI_SEARCH_DELTA_REBUILD` records, and only in the
night hours `GONGKAI_SEARCH_REBUILD_HOURS` (a rebuild holds a SHARE lock on the policy table, so editors' saves
wait for it). SQLite has no delta: its FTS5 index is always whole."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.utils import timezone


def rebuild_hours() -> tuple[int, int]:
    """(first hour, last hour) of the local night window, both included, from e.g. "2-5"."""
    value = str(getattr(settings, "GONGKAI_SEARCH_REBUILD_HOURS", "2-5")).strip()
    try:
        first, last = (int(part) for part in value.split("-", 1))
    except ValueError as error:
        raise ValueError(f"GONGKAI_SEARCH_REBUILD_HOURS 应为“起-止”小时，如 2-5，现为 {value!r}") from error
    if not (0 <= first <= 23 and 0 <= last <= 23):
        raise ValueError(f"GONGKAI_SEARCH_REBUILD_HOURS 的小时应在 0–23 之间，现为 {value!r}")
    return first, last


def in_window(hour: int, first: int, last: int) -> bool:
    return first <= hour <= last if first <= last else hour >= first or hour <= last


def merge_delta(now=None) -> str:
    """The worker job: rebuilds when the delta is large and it is night; says what it did, in Chinese."""
    if connection.vendor != "postgresql":
        return "SQLite 全文索引无增量，无需合并"
    from . import pg

    size = pg.delta_count()
    limit = settings.GONGKAI_SEARCH_DELTA_REBUILD
    if size < limit:
        return f"增量索引 {size} 件，未达 {limit} 件，不重建"
    first, last = rebuild_hours()
    hour = timezone.localtime(now).hour
    if not in_window(hour, first, last):
        return f"增量索引 {size} 件，待夜间 {first}–{last} 时重建"
    total = pg.rebuild()
    return f"增量索引 {size} 件已并入基础索引（重建 {total} 件）"
