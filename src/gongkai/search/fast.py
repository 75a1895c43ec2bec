"""The fast path of the public search: the index (FTS5 on SQLite, the gram index on PostgreSQL) finds the
matching ids, everything else (public and facet filters, facet counts, tiers of the ranking, recency
order) is done on a compact in-memory copy of the policies' metadata, so that a query matching most of the
library costs a few milliseconds beyond the index lookup instead of one wide-row lookup per hit.

The copy belongs to the process and is checked on every search against the database's generation mark,
so a publication, withdrawal or validity change made by any process is seen by the next search of every
other process:

* SQLite: `search_generation`, set to a new random number by a trigger on every insert, update and delete of
  `policies_policy` (random rather than a counter so that a rolled-back change can never bring back a value
  that a cached copy was loaded at); reading it is one indexed row. The copy is read from a covering index
  (`search_policy_meta`), never from the wide policy rows.
* PostgreSQL: the sum over `search_changes` (one row per committed statement that changed
  `policies_policy`, from statement triggers; see `pg.generation`). A copy loaded inside a transaction that
  has written is used for that search only, never kept.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import Counter

import numpy as np
from django.db import connection

from . import text
from .index import SQLITE_TABLE

GENERATION_TABLE = "search_generation"


@dataclasses.dataclass
class Meta:
    generation: int
    size: int  # largest id + 1: the arrays below are indexed by policy id
    public: np.ndarray  # bool
    issuer: np.ndarray  # int32, -1 = none
    year: np.ndarray  # int16, 0 = none
    policy_type: np.ndarray  # int8 code into `codes["type"]`
    theme: np.ndarray  # int32, 0 = none
    validity: np.ndarray  # int8 code into `codes["validity"]`
    rank: np.ndarray  # int32 position in the recency order (0 = newest), for every id
    order: np.ndarray  # ids, newest first (publish date desc, id desc)
    codes: dict  # facet -> list of values for the coded columns
    titles: str  # SQLite only: every policy's normalised "title 发文字号", separated by NUL, in `order`
    title_offsets: np.ndarray  # where each policy's part of `titles` starts

    def nbytes(self) -> int:
        arrays = (self.public, self.issuer, self.year, self.policy_type, self.theme, self.validity, self.rank)
        return (
            sum(a.nbytes for a in arrays)
            + self.order.nbytes
            + self.title_offsets.nbytes
            + len(self.titles) * 2
        )


_lock = threading.Lock()
_cache: dict[str, Meta] = {}


def _generation(cursor) -> tuple[int, bool]:
    """(generation, whether a copy loaded now may be kept)."""
    if connection.vendor == "postgresql":
        from . import pg

        generation, cacheable, pending = pg.generation()
        if pending:
            pg.catch_up()
        return generation, cacheable
    cursor.execute(f"SELECT n FROM {GENERATION_TABLE} WHERE id = 1")
    row = cursor.fetchone()
    return (row[0] if row else 0), True


def _encode(values, codes: list) -> np.ndarray:
    index = {v: i for i, v in enumerate(codes)}
    for value in values:
        if value not in index:
            index[value] = len(codes)
            codes.append(value)
    return np.fromiter((index[v] for v in values), dtype=np.int8, count=len(values))


def _cache_key() -> str:
    return connection.alias + ":" + str(connection.settings_dict.get("NAME"))


def load_meta() -> Meta:
    """The metadata copy for the current generation, reloaded (about 0.1 s per 100,000 policies) when stale."""
    key = _cache_key()
    with connection.cursor() as cursor:
        generation, cacheable = _generation(cursor)
        meta = _cache.get(key)
        if meta is not None and meta.generation == generation and cacheable:
            return meta
        with _lock:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT id, live, disclosure, issuer_id, substr(publish_date, 1, 4), policy_type, theme_id,"
                    " validity, title, doc_number"
                    " FROM policies_policy INDEXED BY search_policy_meta"
                    " ORDER BY publish_date DESC, id DESC"  # NULL dates sort last in SQLite's DESC
                )
                meta = _build(generation, cursor.fetchall(), titles=True)
            else:
                meta = _load_postgresql(cursor, generation)
    if cacheable:
        _cache[key] = meta
    return meta


# PostgreSQL: each column as one bytea of fixed-size binary integers (no row objects, no text parsing): about
# ten times faster than fetching 100,000 rows.
_PG_META = """SELECT count(*), string_agg(int8send(id), ''::bytea),
    string_agg(int4send(coalesce(publish_date - DATE '2000-01-01', -2147483648)), ''::bytea),
    string_agg(int2send((live AND disclosure = 'proactive')::int::int2), ''::bytea),
    string_agg(int4send(coalesce(issuer_id, -1)::int4), ''::bytea),
    string_agg(int2send(coalesce(EXTRACT(year FROM publish_date), 0)::int2), ''::bytea),
    string_agg(int4send(coalesce(theme_id, 0)::int4), ''::bytea),
    string_agg(policy_type, ','), string_agg(validity, ',')
    FROM policies_policy"""


def _load_postgresql(cursor, generation) -> Meta:
    cursor.execute(_PG_META)
    count, ids, day, public, issuer, year, theme, types, validities = cursor.fetchone()
    if not count:
        return _build(generation, [], titles=False)

    def numbers(value, dtype):
        return np.frombuffer(bytes(value), dtype=dtype).astype(dtype.lstrip(">"))

    ids = numbers(ids, ">i8")
    size = int(ids.max()) + 1

    def column(values, dtype, fill=0):
        out = np.full(size, fill, dtype=dtype)
        out[ids] = values
        return out

    codes = {"type": [], "validity": []}
    policy_type = column(_encode(types.split(","), codes["type"]), np.int8)
    validity = column(_encode(validities.split(","), codes["validity"]), np.int8)
    order = ids[np.lexsort((-ids, -numbers(day, ">i4").astype(np.int64)))]  # newest first, undated last
    rank = np.full(size, len(ids), dtype=np.int32)
    rank[order] = np.arange(len(ids), dtype=np.int32)
    return Meta(
        generation,
        size,
        column(numbers(public, ">i2") > 0, bool, fill=False),
        column(numbers(issuer, ">i4"), np.int32, fill=-1),
        column(numbers(year, ">i2"), np.int16),
        policy_type,
        column(numbers(theme, ">i4"), np.int32),
        validity,
        rank,
        order,
        codes,
        "",
        np.zeros(0, dtype=np.int64),
    )


def _build(generation, rows, titles: bool) -> Meta:
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    size = int(ids.max()) + 1 if len(rows) else 1

    def column(values, dtype, fill=0):
        out = np.full(size, fill, dtype=dtype)
        out[ids] = np.fromiter(values, dtype=dtype, count=len(rows))
        return out

    codes = {"type": [], "validity": []}
    public = column((bool(r[1]) and r[2] == "proactive" for r in rows), dtype=bool, fill=False)
    issuer = column((r[3] if r[3] is not None else -1 for r in rows), np.int32, fill=-1)
    year = column((int(r[4]) if r[4] and r[4].isdigit() else 0 for r in rows), np.int16)
    policy_type = np.zeros(size, dtype=np.int8)
    policy_type[ids] = _encode([r[5] for r in rows], codes["type"])
    theme = column((r[6] or 0 for r in rows), np.int32)
    validity = np.zeros(size, dtype=np.int8)
    validity[ids] = _encode([r[7] for r in rows], codes["validity"])
    rank = np.full(size, len(rows), dtype=np.int32)
    rank[ids] = np.arange(len(rows), dtype=np.int32)
    parts = [text.normalise(f"{r[8]} {r[9]}") for r in rows] if titles else []
    lengths = np.fromiter((len(p) + 1 for p in parts), dtype=np.int64, count=len(parts))
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1])) if len(parts) else np.zeros(0, dtype=np.int64)
    return Meta(
        generation,
        size,
        public,
        issuer,
        year,
        policy_type,
        theme,
        validity,
        rank,
        ids,
        codes,
        "\0".join(parts),
        offsets,
    )


def _ids(cursor, expression: str) -> np.ndarray:
    """Matching rowids, transferred as one comma-separated string (far cheaper than one row each)."""
    cursor.execute(
        f"SELECT group_concat(rowid) FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s", [expression]
    )
    value = cursor.fetchone()[0]
    if not value:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(value, dtype=np.int64, sep=",")


def _title_ids(cursor, meta: Meta, parsed: text.ParsedQuery) -> np.ndarray:
    """Policies whose title or 发文字号 contains every term. Single-bigram terms ask FTS5 (one short lookup);
    longer ones search the in-memory titles, which is much cheaper than FTS5 walking the position lists of
    several common bigrams only to keep the few in the title column."""
    terms = parsed.usable_terms
    if all(len(t.tokens) == 1 and not t.prefix for t in terms):
        return _ids(cursor, text.fts5_match(parsed, columns="title"))
    found = None
    for term in terms:
        needle = text.normalise(term.text)
        positions = []
        start = meta.titles.find(needle)
        while start >= 0:
            positions.append(start)
            start = meta.titles.find(needle, start + 1)
        if positions:
            term_ids = meta.order[np.searchsorted(meta.title_offsets, positions, side="right") - 1]
        else:
            term_ids = np.zeros(0, dtype=np.int64)
        found = term_ids if found is None else np.intersect1d(found, term_ids)
    return found if found is not None else np.zeros(0, dtype=np.int64)


@dataclasses.dataclass
class FastResult:
    total: int
    page: list[tuple[int, int]]  # (id, score) in display order
    facets: dict[str, Counter]


def _filter_value(meta: Meta, key: str, value):
    """The array and the coded value a facet filter compares; None when the value cannot match."""
    if key in ("department", "year", "theme"):
        try:
            return int(value)
        except (TypeError, ValueError):
            return None
    codes = meta.codes["type" if key == "type" else "validity"]
    return codes.index(value) if value in codes else None


ARRAYS = {
    "department": "issuer",
    "year": "year",
    "type": "policy_type",
    "theme": "theme",
    "validity": "validity",
}


def _counts(meta: Meta, name: str, ids: np.ndarray) -> Counter:
    values = getattr(meta, ARRAYS[name])[ids]
    if name == "department":
        values = values + 1  # -1 (none) becomes 0 for bincount
    counts = np.bincount(values) if len(values) else np.zeros(0, dtype=np.int64)
    nonzero = np.nonzero(counts)[0]
    result = Counter()
    for value in nonzero.tolist():
        n = int(counts[value])
        if name == "department":
            value = value - 1 if value else None
        elif name in ("type", "validity"):
            value = meta.codes[name][value]
        elif value == 0:
            value = None
        result[value] = n
    return result


def search(parsed: text.ParsedQuery, filters, offset: int, limit: int) -> FastResult:
    meta = load_meta()
    if parsed.is_empty:
        ids = meta.order
        titles = words = None
    elif connection.vendor == "postgresql":
        from . import pg

        ids, titles, words = pg.search_ids(parsed)
    else:
        with connection.cursor() as cursor:
            ids = _ids(cursor, text.fts5_match(parsed))
            titles = _title_ids(cursor, meta, parsed)
            word_expression = text.fts5_words_match(parsed)
            words = _ids(cursor, word_expression) if word_expression else None
    return rank(meta, ids, titles, words, filters, offset, limit)


def _member(meta: Meta, found: np.ndarray, ids: np.ndarray) -> np.ndarray:
    mask = np.zeros(meta.size, dtype=bool)
    mask[found[found < meta.size]] = True
    return mask[ids]


NEWEST_FOR_WORDS = 400  # candidates whose whole-word test is asked first when a term is in many records


def _words_for_page(meta: Meta, ids, score, words, needed: int) -> np.ndarray:
    """The whole-word matches among `ids`, or enough of them to rank the first `needed` hits exactly.

    The order is (title match, whole word, recency). Title matches (few) and the newest `NEWEST_FOR_WORDS`
    other hits are tested; if these hold at least `needed` whole-word matches beyond the title matches, no
    older hit can reach the page (an older whole-word match ranks below all of them), so the page is exact
    and a term found in 70,000 records costs a test of a few hundred. Otherwise every hit is tested."""
    if len(ids) <= 4 * NEWEST_FOR_WORDS:
        return words()
    titled = ids[score > 0]
    others = ids[score == 0]
    if len(others) > NEWEST_FOR_WORDS:
        others = others[np.argpartition(meta.rank[others], NEWEST_FOR_WORDS)[:NEWEST_FOR_WORDS]]
    newest = others
    found = words(np.concatenate((titled, newest)))
    if len(np.intersect1d(found, newest)) >= needed - min(len(titled), needed):
        return found
    return words()


def rank(meta: Meta, ids, titles, words, filters, offset: int, limit: int) -> FastResult:
    """Public and facet filters, facet counts and the ranked page, on the metadata copy."""
    ids = ids[ids < meta.size]
    ids = ids[meta.public[ids]]
    for key, value in (filters or {}).items():
        if key not in ARRAYS or value in (None, ""):
            continue
        wanted_value = _filter_value(meta, key, value)
        if wanted_value is None:
            ids = ids[:0]
            continue
        ids = ids[getattr(meta, ARRAYS[key])[ids] == wanted_value]
    facets = {name: _counts(meta, name, ids) for name in ARRAYS}
    # Ranking: score 2 for a title (or 发文字号) match, 1 for a whole-word match; then recency.
    score = np.zeros(len(ids), dtype=np.int64)
    if titles is not None and len(titles):
        score += 2 * _member(meta, titles, ids)
    if callable(words):
        words = _words_for_page(meta, ids, score, words, offset + limit)
    if words is not None and len(words):
        score += _member(meta, words, ids)
    key = (3 - score) * (len(meta.order) + 1) + meta.rank[ids].astype(np.int64)
    wanted = min(offset + limit, len(ids))
    if wanted:
        top = np.argpartition(key, wanted - 1)[:wanted] if wanted < len(ids) else np.arange(len(ids))
        top = top[np.argsort(key[top], kind="stable")][offset:wanted]
        page = [(int(ids[i]), int(score[i])) for i in top]
    else:
        page = []
    return FastResult(total=int(len(ids)), page=page, facets=facets)


# --- schema (created by the search app's migration) -------------------------------------------------------

SCHEMA = [
    f"CREATE TABLE IF NOT EXISTS {GENERATION_TABLE} (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
    f"INSERT OR IGNORE INTO {GENERATION_TABLE} (id, n) VALUES (1, 0)",
    "CREATE INDEX IF NOT EXISTS search_policy_meta ON policies_policy (publish_date, id, live, disclosure,"
    " issuer_id, policy_type, theme_id, validity, title, doc_number)",
    f"""CREATE TRIGGER IF NOT EXISTS search_generation_insert AFTER INSERT ON policies_policy BEGIN
        UPDATE {GENERATION_TABLE} SET n = random() WHERE id = 1; END""",
    f"""CREATE TRIGGER IF NOT EXISTS search_generation_update AFTER UPDATE ON policies_policy BEGIN
        UPDATE {GENERATION_TABLE} SET n = random() WHERE id = 1; END""",
    f"""CREATE TRIGGER IF NOT EXISTS search_generation_delete AFTER DELETE ON policies_policy BEGIN
        UPDATE {GENERATION_TABLE} SET n = random() WHERE id = 1; END""",
]
DROP = [
    "DROP TRIGGER IF EXISTS search_generation_insert",
    "DROP TRIGGER IF EXISTS search_generation_update",
    "DROP TRIGGER IF EXISTS search_generation_delete",
    "DROP INDEX IF EXISTS search_policy_meta",
    f"DROP TABLE IF EXISTS {GENERATION_TABLE}",
]
