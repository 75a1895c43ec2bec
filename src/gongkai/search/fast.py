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

from . import idsets, text
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
    kind: np.ndarray  # int8 code into `codes["kind"]` (0 = other)
    rank: np.ndarray  # int32 position in the recency order (0 = newest), for every id
    order: np.ndarray  # ids, newest first (publish date desc, id desc)
    codes: dict  # facet -> list of values for the coded columns
    titles: str  # SQLite only: every policy's normalised "title 发文字号", separated by NUL, in `order`
    title_offsets: np.ndarray  # where each policy's part of `titles` starts
    day: np.ndarray = None  # int32 publication day (days since 2000-01-01), NO_DAY = none
    doc_number_rank: np.ndarray | None = None  # position in 发文字号 order, computed on first use

    def nbytes(self) -> int:
        arrays = (
            self.public,
            self.issuer,
            self.year,
            self.policy_type,
            self.theme,
            self.validity,
            self.kind,
            self.rank,
            self.day,
        )
        return (
            sum(a.nbytes for a in arrays)
            + self.order.nbytes
            + self.title_offsets.nbytes
            + len(self.titles) * 2
        )


NO_DAY = np.iinfo(np.int32).min
EPOCH_JULIAN = 2451544.5  # julianday('2000-01-01')
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


def generation_mark() -> str | None:
    """The generation of `policies_policy` as the metadata copy compares it (changed by database triggers on every
    write, whatever the path), for keys of cached search pages; None inside a transaction that has written (a
    page rendered from uncommitted rows must not be kept)."""
    if connection.vendor not in ("sqlite", "postgresql"):
        return None
    with connection.cursor() as cursor:
        generation, cacheable = _generation(cursor)
    return str(generation) if cacheable else None


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
                    " validity, title, doc_number,"
                    f" CAST(julianday(publish_date) - {EPOCH_JULIAN} AS INTEGER)"
                    " FROM policies_policy INDEXED BY search_policy_meta"
                    " ORDER BY publish_date DESC, id DESC"  # NULL dates sort last in SQLite's DESC
                )
                rows = cursor.fetchall()
                # 文件类别 from its own index: only the records that are not 其他文件 (the common case) are read.
                cursor.execute("SELECT id, document_kind FROM policies_policy WHERE document_kind <> 'other'")
                meta = _build(generation, rows, titles=True, kinds=cursor.fetchall())
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
    string_agg(policy_type, ','), string_agg(validity, ','), string_agg(document_kind, ',')
    FROM policies_policy"""


def _load_postgresql(cursor, generation) -> Meta:
    cursor.execute(_PG_META)
    count, ids, day, public, issuer, year, theme, types, validities, kinds = cursor.fetchone()
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

    codes = {"type": [], "validity": [], "kind": ["other"]}
    policy_type = column(_encode(types.split(","), codes["type"]), np.int8)
    validity = column(_encode(validities.split(","), codes["validity"]), np.int8)
    kind = column(_encode(kinds.split(","), codes["kind"]), np.int8)
    order = ids[np.lexsort((-ids, -numbers(day, ">i4").astype(np.int64)))]  # newest first, undated last
    rank = np.full(size, len(ids), dtype=np.int32)
    rank[order] = np.arange(len(ids), dtype=np.int32)
    day = numbers(day, ">i4")
    return Meta(
        generation,
        size,
        column(numbers(public, ">i2") > 0, bool, fill=False),
        column(numbers(issuer, ">i4"), np.int32, fill=-1),
        column(numbers(year, ">i2"), np.int16),
        policy_type,
        column(numbers(theme, ">i4"), np.int32),
        validity,
        kind,
        rank,
        order,
        codes,
        "",
        np.zeros(0, dtype=np.int64),
        column(day, np.int32, fill=NO_DAY),
    )


def _build(generation, rows, titles: bool, kinds=()) -> Meta:
    """The copy from the SQLite rows (covering index order); `kinds`: (id, 文件类别) of the records that are not
    其他文件."""
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    size = int(ids.max()) + 1 if len(rows) else 1

    def column(values, dtype, fill=0):
        out = np.full(size, fill, dtype=dtype)
        out[ids] = np.fromiter(values, dtype=dtype, count=len(rows))
        return out

    codes = {"type": [], "validity": [], "kind": ["other"]}
    public = column((bool(r[1]) and r[2] == "proactive" for r in rows), dtype=bool, fill=False)
    issuer = column((r[3] if r[3] is not None else -1 for r in rows), np.int32, fill=-1)
    year = column((int(r[4]) if r[4] and r[4].isdigit() else 0 for r in rows), np.int16)
    policy_type = np.zeros(size, dtype=np.int8)
    policy_type[ids] = _encode([r[5] for r in rows], codes["type"])
    theme = column((r[6] or 0 for r in rows), np.int32)
    validity = np.zeros(size, dtype=np.int8)
    validity[ids] = _encode([r[7] for r in rows], codes["validity"])
    kind = np.zeros(size, dtype=np.int8)
    kinds = [k for k in kinds if k[0] < size]
    kind[np.fromiter((k[0] for k in kinds), dtype=np.int64, count=len(kinds))] = _encode(
        [k[1] for k in kinds], codes["kind"]
    )
    rank = np.full(size, len(rows), dtype=np.int32)
    rank[ids] = np.arange(len(rows), dtype=np.int32)
    day = column(
        (r[10] if len(r) > 10 and r[10] is not None else NO_DAY for r in rows), np.int32, fill=NO_DAY
    )
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
        kind,
        rank,
        ids,
        codes,
        "\0".join(parts),
        offsets,
        day,
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
        found = term_ids if found is None else idsets.intersect(found, term_ids)
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
    codes = meta.codes[key]
    return codes.index(value) if value in codes else None


ARRAYS = {
    "department": "issuer",
    "year": "year",
    "type": "policy_type",
    "kind": "kind",
    "theme": "theme",
    "validity": "validity",
}


def _external_ids() -> np.ndarray:
    """Ids of the external organisations (read on every search: a department's kind may change)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM core_department WHERE kind = 'external'")
        return np.fromiter((row[0] for row in cursor.fetchall()), dtype=np.int64)


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
        elif name in ("type", "validity", "kind"):
            value = meta.codes[name][value]
        elif value == 0:
            value = None
        result[value] = n
    return result


def search(parsed: text.ParsedQuery, filters, offset: int, limit: int, options=None) -> FastResult:
    """`options`: a `service.SearchOptions` (order, date range, title-only, 发文字号) or None."""
    meta = load_meta()
    title_only = bool(options and options.title_only)
    if parsed.is_empty:
        ids = meta.order
        titles = words = None
    elif connection.vendor == "postgresql":
        from . import pg

        ids, titles, words = pg.search_ids(parsed)
    else:
        with connection.cursor() as cursor:
            titles = _title_ids(cursor, meta, parsed)
            ids = titles if title_only else _ids(cursor, text.fts5_match(parsed))
            word_expression = text.fts5_words_match(parsed)
            words = _ids(cursor, word_expression) if word_expression else None
    if title_only and titles is not None:
        ids = titles
    if options is not None and options.doc_number:
        from .service import doc_number_ids

        ids = ids[_member(meta, doc_number_ids(options.doc_number), ids)]
    return rank(meta, ids, titles, words, filters, offset, limit, options)


def _member(meta: Meta, found: np.ndarray, ids: np.ndarray) -> np.ndarray:
    mask = np.zeros(meta.size, dtype=bool)
    mask[found[found < meta.size]] = True
    return mask[ids]


NEWEST_FOR_WORDS = 400  # candidates whose whole-word test is asked first when a term is in many records


def _words_for_page(ids, score, within, words, needed: int) -> np.ndarray:
    """The whole-word matches among `ids`, or enough of them to rank the first `needed` hits exactly.

    The order is (title match, whole word, `within`) where `within` is the order inside a relevance tier
    (validity, origin, recency: see `rank`). Title matches (few) and the first `NEWEST_FOR_WORDS` other hits
    by `within` are tested; if these hold at least `needed` whole-word matches beyond the title matches, no
    other hit can reach the page (a whole-word match further down `within` ranks below all of them), so the
    page is exact and a term found in 70,000 records costs a test of a few hundred. Otherwise every hit is
    tested."""
    if len(ids) <= 4 * NEWEST_FOR_WORDS:
        return words()
    titled = ids[score > 0]
    others = score == 0
    first = ids[others]
    if len(first) > NEWEST_FOR_WORDS:
        first = first[np.argpartition(within[others], NEWEST_FOR_WORDS)[:NEWEST_FOR_WORDS]]
    found = words(np.concatenate((titled, first)))
    if len(np.intersect1d(found, first)) >= needed - min(len(titled), needed):
        return found
    return words()


def _doc_number_rank(meta: Meta) -> np.ndarray:
    """Every policy's position in 发文字号 order (`service.doc_number_key`), computed once per metadata copy
    when that order is first asked for (one read of the 发文字号 column)."""
    if meta.doc_number_rank is None:
        from .service import doc_number_key

        with connection.cursor() as cursor:
            cursor.execute("SELECT id, doc_number FROM policies_policy")
            rows = [r for r in cursor.fetchall() if r[0] < meta.size]
        rows.sort(key=lambda r: (doc_number_key(r[1]), int(meta.rank[r[0]])))
        positions = np.full(meta.size, len(rows), dtype=np.int32)
        if rows:
            positions[np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))] = np.arange(
                len(rows), dtype=np.int32
            )
        meta.doc_number_rank = positions
    return meta.doc_number_rank


LAPSED = ("expired", "repealed")


def _lapsed(meta: Meta, ids) -> np.ndarray:
    """1 for 失效/已废止 records among `ids`, else 0."""
    codes = [i for i, value in enumerate(meta.codes["validity"]) if value in LAPSED]
    return np.isin(meta.validity[ids], codes).astype(np.int64)


def _external(meta: Meta, ids, external_ids: np.ndarray) -> np.ndarray:
    """1 for records issued by an external organisation among `ids`, else 0 (no issuer counts as the district's)."""
    return np.isin(meta.issuer[ids], external_ids).astype(np.int64)


def _date_mask(meta: Meta, ids, options) -> np.ndarray | None:
    if options is None or not (options.date_from or options.date_to):
        return None
    import datetime

    epoch = datetime.date(2000, 1, 1)
    days = meta.day[ids]
    mask = days != NO_DAY
    if options.date_from:
        mask &= days >= (options.date_from - epoch).days
    if options.date_to:
        mask &= days <= (options.date_to - epoch).days
    return mask


def rank(meta: Meta, ids, titles, words, filters, offset: int, limit: int, options=None) -> FastResult:
    """Public and facet filters, facet counts and the ranked page, on the metadata copy."""
    ids = ids[ids < meta.size]
    ids = ids[meta.public[ids]]
    mask = _date_mask(meta, ids, options)
    if mask is not None:
        ids = ids[mask]
    external_ids = None
    for key, value in (filters or {}).items():
        if key == "origin" and value not in (None, ""):
            external_ids = _external_ids()
            external = np.isin(meta.issuer[ids], external_ids)
            ids = (
                ids[external] if value == "external" else (ids[~external] if value == "district" else ids[:0])
            )
            continue
        if key not in ARRAYS or value in (None, ""):
            continue
        wanted_value = _filter_value(meta, key, value)
        if wanted_value is None:
            ids = ids[:0]
            continue
        ids = ids[getattr(meta, ARRAYS[key])[ids] == wanted_value]
    facets = {name: _counts(meta, name, ids) for name in ARRAYS}
    # Ranking: score 2 for a title (or 发文字号) match, 1 for a whole-word match; then `within` (below).
    score = np.zeros(len(ids), dtype=np.int64)
    if titles is not None and len(titles):
        score += 2 * _member(meta, titles, ids)
    sort = options.sort if options is not None else "relevance"
    recency = meta.rank[ids].astype(np.int64)
    within = None
    if sort == "relevance" and titles is not None:
        # inside a relevance tier (issue 16): documents in force before 失效/已废止 ones, then the district's
        # own before external organisations' (laws, higher-level documents), then the newest
        if external_ids is None:
            external_ids = _external_ids()
        within = (2 * _lapsed(meta, ids) + _external(meta, ids, external_ids)) * (
            len(meta.order) + 1
        ) + recency
    if callable(words):
        words = _words_for_page(ids, score, within, words, offset + limit) if within is not None else None
    if words is not None and len(words):
        score += _member(meta, words, ids)
    if sort == "date":
        key = recency
    elif sort == "date_asc":  # oldest first, undated still last
        undated = meta.day[ids] == NO_DAY
        key = np.where(undated, len(meta.order) + recency, len(meta.order) - recency)
    elif sort == "doc_number":
        key = _doc_number_rank(meta)[ids].astype(np.int64)
    elif titles is None:  # no query: newest first
        key = recency
    else:
        key = (3 - score) * 4 * (len(meta.order) + 1) + within
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
