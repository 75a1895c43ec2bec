"""The policy index on PostgreSQL (see docs/search.md, "PostgreSQL").

A match is **(base postings − stale records) ∪ (delta match)**:

* ``search_pg_post`` (kind, key, seg, ids) — the *base* index, written only by `rebuild`: posting lists of
  our own (`gongkai.search.postings`), one row per key and segment of 65,536 record ids, the ids as
  little-endian uint16 offsets in the segment (``np.frombuffer`` reads them directly), primary key
  (kind, key, seg). Keys: every 2-, 3- and 4-gram of the normalised runs (packed exactly; a 4-gram outside
  the Basic Multilingual Plane is hashed and confirmed against the text), title grams and rjieba words as
  separate kinds. A term of two to four characters is one exact lookup; a longer one intersects its 4-gram
  lists (smallest first) and checks the few candidates with ``strpos`` (`search_pg_check`, by primary key).
* ``search_pg_grams`` (policy_id, chunk, multi, grams, words, title_grams) — the *delta*: records indexed
  since the rebuild (the ``post_save`` handler and `catch_up` write them record by record through
  `index_rows`). Tsvectors **without positions** written as literals from Python, GIN indexes with
  ``fastupdate = off``, cheap while the delta is small: ``grams`` holds every 4-gram of the record's runs
  and the last two and three characters of each run (`text.lexemes`), so a string of two or three
  characters is a prefix query ``'政务':*`` and one of four characters a single lexeme. ``words`` holds the
  rjieba words, ``title_grams`` the grams of title and 发文字号. A record longer than `CHUNK` characters is
  split into overlapping chunks (a tsvector is limited to 1 MB); `multi` marks such records.
* ``search_pg_stale`` (policy_id) — base records whose base entries are out of date: every record
  `index_rows` writes into the delta, and every deleted record (delete trigger). Emptied by `rebuild`.
* ``search_pg_text`` (policy_id, canon, title) — the normalised text of every record (base and delta),
  stored uncompressed in the row (``toast_tuple_target``), against which a term that the keys cannot prove
  (five characters or more, or with symbols) is checked with ``strpos`` — only for the candidates found.
* ``search_pg_pending`` (policy_id): records whose text changed by a path that bypasses ``post_save``
  (``bulk_create``, ``QuerySet.update``); filled by statement triggers on ``policies_policy``, indexed into
  the delta by the next search (`catch_up`) before it answers — or, above `REBUILD_ABOVE`, by a rebuild.
* ``search_changes`` (n): one row per statement that changed ``policies_policy`` (statement triggers); the
  sum of ``n`` is the generation the in-memory metadata copy of every process compares (`generation`).
"""

from __future__ import annotations

import logging

import numpy as np
from django.db import connection, transaction

from . import idsets, postings, text

log = logging.getLogger(__name__)

GRAMS = "search_pg_grams"
TEXT = "search_pg_text"
PENDING = "search_pg_pending"
POST = "search_pg_post"
STALE = "search_pg_stale"
CHANGES = "search_changes"
POLICY_TABLE = "policies_policy"
OLD_TABLE = "search_policy_pg"  # the bigram index of the first version, dropped by migration 0002

CHUNK = 20_000  # characters of normalised text per index row; tsvectors stay far below their 1 MB limit
OVERLAP = 400  # > 200, the longest query: every occurrence of a term lies wholly inside one chunk
CATCH_UP_BATCH = 500
REBUILD_ABOVE = 5000  # pending records above which catching up rebuilds the whole index instead


def _gin(name, table, column, where=""):
    return f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column}) WITH (fastupdate = off)" + (
        f" WHERE {where}" if where else ""
    )


TABLES = [
    f"""CREATE TABLE IF NOT EXISTS {GRAMS} (
        policy_id bigint NOT NULL,
        chunk integer NOT NULL,
        multi boolean NOT NULL,
        grams tsvector NOT NULL,
        words tsvector NOT NULL,
        title_grams tsvector,
        PRIMARY KEY (policy_id, chunk))""",
    # out of line but not compressed: pglz would cost more at COPY and at every index build than it saves
    f"ALTER TABLE {GRAMS} ALTER COLUMN grams SET STORAGE EXTERNAL, ALTER COLUMN words SET STORAGE EXTERNAL",
    # No planner statistics for `grams`: ANALYZE would read ~600 lexemes of each of 30,000 sampled rows (a
    # tenth of a rebuild at 5,000 records), and nothing uses them — `search_pg_match` never lets the planner
    # choose a sequential scan. `words` keeps its statistics (the whole-word query picks between two indexes).
    f"ALTER TABLE {GRAMS} ALTER COLUMN grams SET STATISTICS 0",
    f"""CREATE TABLE IF NOT EXISTS {TEXT} (
        policy_id bigint PRIMARY KEY,
        canon text NOT NULL,
        title text NOT NULL) WITH (toast_tuple_target = 8160)""",
    f"ALTER TABLE {TEXT} ALTER COLUMN canon SET STORAGE MAIN",
]
# The base index (`rebuild`): one row per (kind, key, segment), the ids as little-endian uint16 offsets in
# the segment (`postings`), out of line and uncompressed (numpy reads them as they come).
# The 4-gram kinds (`postings.POSITIONED`) add `pos`: the row's occurrence counts then their positions (uint16
# each), read only for the 4-grams that prove a phrase; NULL for the other kinds (and in an index built before
# positions were stored: such rows count as "unknown", checked with strpos, until `gongkai reindex`).
POST_TABLE = f"""CREATE TABLE IF NOT EXISTS {POST} (
        kind smallint NOT NULL,
        key bigint NOT NULL,
        seg integer NOT NULL,
        ids bytea NOT NULL,
        pos bytea)"""
POST_STORAGE = [
    f"ALTER TABLE {POST} ADD COLUMN IF NOT EXISTS pos bytea",
    f"ALTER TABLE {POST} ALTER COLUMN ids SET STORAGE EXTERNAL",
    f"ALTER TABLE {POST} ALTER COLUMN ids SET STATISTICS 0",
    f"ALTER TABLE {POST} ALTER COLUMN pos SET STORAGE EXTERNAL",
    f"ALTER TABLE {POST} ALTER COLUMN pos SET STATISTICS 0",
]
POST_KEY = f"ALTER TABLE {POST} ADD CONSTRAINT {POST}_pkey PRIMARY KEY (kind, key, seg)"
# No foreign keys to policies_policy (a TRUNCATE of the policy table, as Django's test flush does, would be
# refused): the statement triggers below delete a removed record's rows and empty the index on TRUNCATE.
# Constraints of an earlier development schema are dropped.
FOREIGN_KEYS = [
    f"ALTER TABLE {GRAMS} DROP CONSTRAINT IF EXISTS {GRAMS}_policy",
    f"ALTER TABLE {TEXT} DROP CONSTRAINT IF EXISTS {TEXT}_policy",
]
INDEXES = [
    _gin("search_pg_grams_grams", GRAMS, "grams"),
    _gin("search_pg_grams_multi", GRAMS, "grams", "multi"),
    _gin("search_pg_grams_words", GRAMS, "words"),
    _gin("search_pg_grams_title", GRAMS, "title_grams", "title_grams IS NOT NULL"),
]

# One round trip for a match: the GIN index, never a sequential scan (the planner does not count the cost of
# reading each row's tsvector out of line, and chose a sequential scan over 5,000 tsvectors for a term in
# most records); the function's SET applies to its own execution only.
MATCH_FUNCTION = f"""CREATE OR REPLACE FUNCTION search_pg_match(
        q tsquery, col text, checks text[], text_col text, only_multi boolean) RETURNS bytea
    LANGUAGE plpgsql STABLE SET enable_seqscan = off AS $$
    DECLARE result bytea;
    BEGIN
        IF coalesce(array_length(checks, 1), 0) = 0 THEN
            EXECUTE format('SELECT string_agg(int8send(policy_id), ''''::bytea) FROM {GRAMS} WHERE %I @@ $1'
                || CASE WHEN only_multi THEN ' AND multi' ELSE '' END, col) INTO result USING q;
        ELSE
            EXECUTE format('SELECT string_agg(int8send(g.policy_id), ''''::bytea) FROM {GRAMS} g'
                || ' JOIN {TEXT} t ON t.policy_id = g.policy_id WHERE g.%I @@ $1'
                || ' AND NOT EXISTS (SELECT 1 FROM unnest($2) c WHERE strpos(t.%I, c) = 0)'
                || CASE WHEN only_multi THEN ' AND g.multi' ELSE '' END, col, text_col)
                INTO result USING q, checks;
        END IF;
        RETURN result;
    END $$"""

# The strpos check of the base index's candidates: by the primary key, never a sequential scan of the texts.
CHECK_FUNCTION = f"""CREATE OR REPLACE FUNCTION search_pg_check(ids bigint[], checks text[], text_col text)
    RETURNS bytea LANGUAGE plpgsql STABLE SET enable_seqscan = off AS $$
    DECLARE result bytea;
    BEGIN
        EXECUTE format('SELECT string_agg(int8send(policy_id), ''''::bytea ORDER BY policy_id) FROM {TEXT}'
            || ' WHERE policy_id = ANY($1)'
            || ' AND NOT EXISTS (SELECT 1 FROM unnest($2) c WHERE strpos(%I, c) = 0)', text_col)
            INTO result USING ids, checks;
        RETURN result;
    END $$"""

TRIGGERS = [
    "DROP FUNCTION IF EXISTS search_pg_match(tsquery, text, text[], text, boolean)",
    MATCH_FUNCTION,
    f"CREATE TABLE IF NOT EXISTS {PENDING} (policy_id bigint PRIMARY KEY)",
    f"CREATE TABLE IF NOT EXISTS {STALE} (policy_id bigint PRIMARY KEY)",
    POST_TABLE,
    CHECK_FUNCTION,
    f"CREATE TABLE IF NOT EXISTS {CHANGES} (id bigserial PRIMARY KEY, n bigint NOT NULL DEFAULT 1)",
    f"""CREATE OR REPLACE FUNCTION search_policy_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {CHANGES} (n) VALUES (1);
        IF TG_OP = 'TRUNCATE' THEN
            DELETE FROM {GRAMS};
            DELETE FROM {TEXT};
            DELETE FROM {PENDING};
            DELETE FROM {POST};
            DELETE FROM {STALE};
        ELSIF TG_OP = 'DELETE' THEN
            INSERT INTO {STALE} (policy_id) SELECT id FROM old_rows ON CONFLICT DO NOTHING;
            DELETE FROM {GRAMS} WHERE policy_id IN (SELECT id FROM old_rows);
            DELETE FROM {TEXT} WHERE policy_id IN (SELECT id FROM old_rows);
            DELETE FROM {PENDING} WHERE policy_id IN (SELECT id FROM old_rows);
        ELSIF TG_OP = 'INSERT' THEN
            INSERT INTO {PENDING} (policy_id) SELECT id FROM new_rows ON CONFLICT DO NOTHING;
        ELSIF TG_OP = 'UPDATE' THEN
            INSERT INTO {PENDING} (policy_id)
                SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                WHERE (n.title, n.doc_number, n.summary, n.body)
                    IS DISTINCT FROM (o.title, o.doc_number, o.summary, o.body)
                ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
    END $$""",
    "DROP TRIGGER IF EXISTS search_policy_insert ON policies_policy",
    "DROP TRIGGER IF EXISTS search_policy_update ON policies_policy",
    "DROP TRIGGER IF EXISTS search_policy_delete ON policies_policy",
    f"""CREATE TRIGGER search_policy_insert AFTER INSERT ON {POLICY_TABLE}
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_policy_changed()""",
    f"""CREATE TRIGGER search_policy_update AFTER UPDATE ON {POLICY_TABLE}
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION search_policy_changed()""",
    f"""CREATE TRIGGER search_policy_delete AFTER DELETE ON {POLICY_TABLE}
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_policy_changed()""",
    "DROP TRIGGER IF EXISTS search_policy_truncate ON policies_policy",
    f"""CREATE TRIGGER search_policy_truncate AFTER TRUNCATE ON {POLICY_TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION search_policy_changed()""",
]

DROP = [
    "DROP TRIGGER IF EXISTS search_policy_truncate ON policies_policy",
    "DROP TRIGGER IF EXISTS search_policy_insert ON policies_policy",
    "DROP TRIGGER IF EXISTS search_policy_update ON policies_policy",
    "DROP TRIGGER IF EXISTS search_policy_delete ON policies_policy",
    "DROP FUNCTION IF EXISTS search_policy_changed()",
    "DROP FUNCTION IF EXISTS search_pg_match(tsquery, text, text[], text, boolean)",
    "DROP FUNCTION IF EXISTS search_pg_check(bigint[], text[], text)",
    f"DROP TABLE IF EXISTS {POST}",
    f"DROP TABLE IF EXISTS {STALE}",
    f"DROP TABLE IF EXISTS {GRAMS}",
    f"DROP TABLE IF EXISTS {TEXT}",
    f"DROP TABLE IF EXISTS {PENDING}",
    f"DROP TABLE IF EXISTS {CHANGES}",
    f"DROP TABLE IF EXISTS {OLD_TABLE}",
]


def create_schema(cursor) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {OLD_TABLE}")
    for sql in TABLES + FOREIGN_KEYS + INDEXES + TRIGGERS + POST_STORAGE:
        cursor.execute(sql)
    cursor.execute(f"SELECT 1 FROM pg_constraint WHERE conname = '{POST}_pkey'")
    if cursor.fetchone() is None:
        cursor.execute(POST_KEY)


def create_support(cursor) -> None:
    """What a rebuild needs besides the two tables it builds itself: the pending and change tables, the
    functions and the triggers. Unlike `create_schema` it does not ALTER the live index tables (an ACCESS
    EXCLUSIVE lock that queues every search behind it, only to change tables the rebuild then drops)."""
    cursor.execute(f"DROP TABLE IF EXISTS {OLD_TABLE}")
    for sql in TRIGGERS:
        cursor.execute(sql)


def drop_schema(cursor) -> None:
    for sql in DROP:
        cursor.execute(sql)


# --- rows ------------------------------------------------------------------------------------------------


def _literal(lexemes) -> str:
    # Lexemes are runs of letters/digits (or two words joined by one space): no quote or backslash to escape.
    return " ".join(["'" + x + "'" for x in lexemes])


def chunks(canon: str) -> list[str]:
    if len(canon) <= CHUNK:
        return [canon]
    step = CHUNK - OVERLAP
    return [canon[start : start + CHUNK] for start in range(0, len(canon) - OVERLAP, step)]


def document(policy_id, title, doc_number, summary, body):
    """(grams rows, text row) of one record: the normalised text and its chunks' lexemes."""
    title_canon = text.normalise(f"{title or ''}\n{doc_number or ''}")
    canon = text.normalise(f"{title or ''}\n{doc_number or ''}\n{summary or ''}\n{body or ''}")
    parts = chunks(canon)
    multi = len(parts) > 1
    rows = []
    for number, part in enumerate(parts):
        rows.append(
            (
                policy_id,
                number,
                multi,
                _literal(text.lexemes(part)),
                _literal(set(text.word_list(part))),
                _literal(text.lexemes(title_canon)) if number == 0 else None,
            )
        )
    return rows, (policy_id, canon, title_canon)


_INSERT_GRAMS = (
    f"INSERT INTO {GRAMS} (policy_id, chunk, multi, grams, words, title_grams)"
    " VALUES (%s, %s, %s, %s::tsvector, %s::tsvector, %s::tsvector)"
)
_UPSERT_TEXT = (
    f"INSERT INTO {TEXT} (policy_id, canon, title) VALUES (%s, %s, %s)"
    " ON CONFLICT (policy_id) DO UPDATE SET canon = EXCLUDED.canon, title = EXCLUDED.title"
)


def index_rows(rows) -> None:
    """rows: iterable of (id, title, doc_number, summary, body). Rewrites their index rows in the current
    transaction and clears them from the pending list."""
    grams_rows, text_rows, ids = [], [], []
    for row in rows:
        g, t = document(*row)
        grams_rows.extend(g)
        text_rows.append(t)
        ids.append(row[0])
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {GRAMS} WHERE policy_id = ANY(%s)", [ids])
        cursor.executemany(_INSERT_GRAMS, grams_rows)
        cursor.executemany(_UPSERT_TEXT, text_rows)
        cursor.execute(f"DELETE FROM {PENDING} WHERE policy_id = ANY(%s)", [ids])
        # the base index's entries of these records (if any) are out of date: the delta answers for them
        cursor.execute(
            f"INSERT INTO {STALE} (policy_id) SELECT unnest(%s::bigint[]) ON CONFLICT DO NOTHING", [ids]
        )


def index_if_changed(policy_id, title, doc_number, summary, body) -> None:
    """The `post_save` handler's work: rewrites the record's index rows unless its normalised text is the one
    already indexed (saving metadata, e.g. publishing or a validity change, costs one indexed read)."""
    canon = text.normalise(f"{title or ''}\n{doc_number or ''}\n{summary or ''}\n{body or ''}")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.canon = %s AND NOT EXISTS (SELECT 1 FROM {PENDING} p WHERE p.policy_id = t.policy_id)"
            f" FROM {TEXT} t WHERE t.policy_id = %s",
            [canon, policy_id],
        )
        row = cursor.fetchone()
    if row and row[0]:
        return
    index_rows([(policy_id, title, doc_number, summary, body)])


def index_stored(policy_id) -> None:
    for row in _policy_rows([policy_id]):
        index_if_changed(*row)


def _policy_rows(ids):
    from gongkai.policies.models import Policy

    return Policy.objects.filter(pk__in=ids).values_list("id", "title", "doc_number", "summary", "body")


def catch_up(limit: int | None = None) -> int:
    """Indexes the records in the pending list (changed by a path that bypassed `post_save`). Called by every
    search before it answers, so no search misses a committed record. Concurrent callers wait for each other
    on the pending rows' locks; a row another caller has indexed meanwhile is gone when the lock is granted."""
    if limit is None and pending_count() > REBUILD_ABOVE:
        # e.g. after a bulk import with bulk_create: one rebuild (COPY, GIN built once) is far faster than
        # indexing record by record.
        log.warning("search index: %s records pending, rebuilding the index", pending_count())
        return rebuild()
    done = 0
    while limit is None or done < limit:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {PENDING} WHERE policy_id IN (SELECT policy_id FROM {PENDING}"
                    f" ORDER BY policy_id LIMIT {CATCH_UP_BATCH} FOR UPDATE) RETURNING policy_id"
                )
                ids = [row[0] for row in cursor.fetchall()]
            if not ids:
                return done
            index_rows(_policy_rows(ids))
            with connection.cursor() as cursor:
                # records deleted meanwhile: the delete trigger removed their rows; nothing else to do
                cursor.execute(f"DELETE FROM {PENDING} WHERE policy_id = ANY(%s)", [ids])
        done += len(ids)
    return done


def delta_count() -> int:
    """Records answered by the delta or marked stale since the last rebuild (`maintenance.merge_delta`)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT policy_id FROM {GRAMS} UNION SELECT policy_id FROM {STALE}) d"
        )
        return cursor.fetchone()[0]


def pending_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {PENDING}")
        return cursor.fetchone()[0]


# --- generation (the metadata copies of all processes compare it) ----------------------------------------


def generation() -> tuple[int, bool, bool]:
    """(generation, cacheable, pending): the number of committed statements that changed policies_policy;
    whether a copy loaded now may be kept (not inside a transaction that has written: its uncommitted rows
    may be rolled back); whether records wait in the pending list. One round trip."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT coalesce(sum(n), 0) FROM {CHANGES}), (SELECT count(*) FROM {CHANGES}),"
            " pg_current_xact_id_if_assigned() IS NULL,"
            f" EXISTS (SELECT 1 FROM {PENDING})"
        )
        total, rows, cacheable, pending = cursor.fetchone()
    if rows > 1000 and cacheable:
        compact_changes()
    return int(total), bool(cacheable), bool(pending)


def compact_changes() -> None:
    """Folds the change rows into one (the sum, hence the generation, stays the same)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH gone AS (DELETE FROM {CHANGES} RETURNING n)"
            f" INSERT INTO {CHANGES} (n) SELECT sum(n) FROM gone HAVING count(*) > 0"
        )


# --- matching --------------------------------------------------------------------------------------------


def _parse_ids(value) -> np.ndarray:
    """Ids sent as one bytea of 8-byte big-endian integers (int8send): no text formatting or parsing."""
    if not value:
        return np.zeros(0, dtype=np.int64)
    return idsets.unique(np.frombuffer(bytes(value), dtype=">i8").astype(np.int64))


def _call(terms: list[text.PgTerm], column: str, only_multi=False) -> tuple[str, list]:
    """SQL (a scalar expression: the matching ids as one comma-separated string) and its parameters."""
    indexed = [t for t in terms if t.tsquery]
    checks = [t.needle for t in terms if not t.exact]
    text_column = "title" if column == "title_grams" else "canon"
    if not indexed:  # nothing indexed narrows the search: a literal scan of the normalised text
        where = " AND ".join(f"strpos(t.{text_column}, %s) > 0" for _ in checks)
        return f"(SELECT string_agg(int8send(t.policy_id), ''::bytea) FROM {TEXT} t WHERE {where})", checks
    query = " & ".join("(" + t.tsquery + ")" for t in indexed)
    return "search_pg_match(%s::tsquery, %s, %s::text[], %s, %s)", [
        query,
        column,
        checks,
        text_column,
        only_multi,
    ]


def _terms(parsed: text.ParsedQuery) -> list[text.PgTerm]:
    return [text.pg_term(t) for t in parsed.terms if t.usable or len(t.text) >= text.MIN_TERM_CHARS]


def _word_call(parsed: text.ParsedQuery):
    if not text.word_rankable(parsed):
        return None
    # Every word of every term (a term of two words: both words, not necessarily next to each other).
    lexemes = sorted({text.tsquery_lexeme(word) for term in parsed.usable_terms for word in term.words})
    return "search_pg_match(%s::tsquery, 'words', NULL, 'canon', false)", [" & ".join(lexemes)]


# Matching is (base postings − stale records) ∪ (delta match): the base index (`search_pg_post`, written by
# `rebuild`) answers for the records it was built from, the delta (`search_pg_grams`, GIN, written record by
# record by `index_rows`) for the records indexed since, and `search_pg_stale` lists the base records whose
# entries are out of date (changed or deleted since the rebuild).

_EMPTY = np.zeros(0, dtype=np.int64)


class _Ids:
    """Record ids sent as one binary int8[] parameter (a list of 100,000 Python ints costs ~10 ms to send)."""

    def __init__(self, array: np.ndarray):
        self.array = array


def _ids_dumper():
    import struct

    from psycopg.adapt import Dumper
    from psycopg.pq import Format

    class IdsDumper(Dumper):
        format = Format.BINARY
        oid = 1016  # int8[]

        def dump(self, obj):
            values = obj.array
            body = np.empty(len(values), dtype=[("size", ">i4"), ("value", ">i8")])
            body["size"] = 8
            body["value"] = values
            return struct.pack(">iiiii", 1, 0, 20, len(values), 1) + body.tobytes()

    return IdsDumper


_DUMPER = None


def _binding_cursor():
    """A cursor with server-side binding on Django's connection (same transaction): Django's own cursors bind
    on the client, which cannot send a binary parameter."""
    global _DUMPER
    import psycopg

    connection.ensure_connection()
    raw = connection.connection
    if _DUMPER is None:
        _DUMPER = _ids_dumper()
    cursor = psycopg.Cursor(raw)
    cursor.adapters.register_dumper(_Ids, _DUMPER)
    return cursor


def _fetch(keys, positioned=()) -> tuple[dict, dict]:
    """({(kind, key): sorted ids}, {(kind, key): (ids, counts, positions)} for the `positioned` keys) of the
    base index, one round trip; a key without rows is in neither."""
    keys = sorted(set(keys) | set(positioned))
    if not keys:
        return {}, {}
    positioned = sorted(set(positioned))
    values = ", ".join(["(%s::int2, %s::int8)"] * len(keys))
    pos = "NULL::bytea"
    if positioned:
        pos = (
            f"CASE WHEN (kind, key) IN ({', '.join(['(%s::int2, %s::int8)'] * len(positioned))}) THEN pos END"
        )
    cursor = _binding_cursor()
    try:  # binary results: the id lists arrive as they are stored, not as hex text
        cursor.execute(
            f"SELECT kind, key, seg, ids, {pos} FROM {POST} WHERE (kind, key) IN ({values})"
            " ORDER BY kind, key, seg",
            [x for pair in positioned for x in pair] + [x for pair in keys for x in pair],
            binary=True,
            prepare=False,
        )
        rows = cursor.fetchall()
    finally:
        cursor.close()
    grouped: dict = {}
    for kind, key, seg, ids, pos in rows:
        grouped.setdefault((kind, key), []).append((seg, ids, pos))
    wanted = set(positioned)
    return (
        {k: postings.decode([(seg, ids) for seg, ids, _ in v]) for k, v in grouped.items()},
        {k: postings.decode_positioned(v) for k, v in grouped.items() if k in wanted},
    )


def _stale() -> tuple[np.ndarray, bool]:
    """(stale ids, whether the delta holds any record), one round trip: an empty delta — every record in the
    base, as after a rebuild — needs no delta query."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT string_agg(int8send(policy_id), ''::bytea) FROM {STALE}),"
            f" EXISTS (SELECT 1 FROM {GRAMS})"
        )
        stale, delta = cursor.fetchone()
        return _parse_ids(stale), bool(delta)


def _check(ids: np.ndarray, needles: list[str], column: str) -> np.ndarray:
    """Those of `ids` whose normalised text (`column`: canon or title) contains every needle."""
    if not needles or not len(ids):
        return ids
    cursor = _binding_cursor()
    try:
        cursor.execute(
            "SELECT search_pg_check(%s, %s::text[], %s::text)", [_Ids(ids), needles, column], prepare=False
        )
        return _parse_ids(cursor.fetchone()[0])
    finally:
        cursor.close()


def _base(
    plans: list[postings.TermPlan],
    lists: dict,
    stale: np.ndarray,
    column: str,
    positioned: dict | None = None,
) -> np.ndarray:
    """Base records matching every term (the plans have keys), stale ones left out; a phrase whose 4-grams'
    positions were fetched (`positioned`) is decided from them (`postings.phrase_match`), the rest checked
    with strpos where the keys do not prove the match."""
    found = postings.intersect([lists.get(key, _EMPTY) for plan in plans for key in plan.keys])
    if len(stale) and len(found):
        found = found[~np.isin(found, stale, assume_unique=True)]
    needles = []
    for plan in plans:
        if plan.exact:
            continue
        if not plan.proof or not len(found) or positioned is None:
            needles.append(plan.needle)
            continue
        grams = [(offset, *positioned.get(key, (_EMPTY, _EMPTY, _EMPTY))) for offset, key in plan.proof]
        proved, unknown = postings.phrase_match(grams)
        unknown = idsets.intersect(found, unknown) if len(unknown) else _EMPTY
        found = idsets.union(idsets.intersect(found, proved), _check(unknown, [plan.needle], column))
    return _check(found, needles, column)


def _delta(terms: list[text.PgTerm]) -> tuple[np.ndarray, np.ndarray]:
    """(text matches, title matches) of the delta: records indexed since the rebuild."""
    calls = [_call(terms, "grams"), _call(terms, "title_grams")]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(c[0] for c in calls), [p for c in calls for p in c[1]])
        values = cursor.fetchone()
        found = _parse_ids(values[0])
        if len([t for t in terms if t.tsquery]) > 1:
            found = idsets.union(found, _multi_chunk(cursor, terms))
    return found, _parse_ids(values[1])


def _matches(parsed: text.ParsedQuery, titles: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(records containing every term, records whose title or 发文字号 does, (stale ids, whether the delta holds
    any record))."""
    chosen = [t for t in parsed.terms if t.usable or len(t.text) >= text.MIN_TERM_CHARS]
    terms = [text.pg_term(t) for t in chosen]
    if not any(t.tsquery for t in terms):
        # nothing indexed narrows the search: one literal scan of the normalised text of every record
        calls = [_call(terms, "grams"), _call(terms, "title_grams")]
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(c[0] for c in calls), [p for c in calls for p in c[1]])
            values = cursor.fetchone()
        return _parse_ids(values[0]), _parse_ids(values[1]), (_EMPTY, True)
    body_plans = [postings.term_plan(t, postings.BODY) for t in chosen]
    title_plans = [postings.term_plan(t, postings.TITLE) for t in chosen] if titles else []
    plans = body_plans + title_plans
    lists, positioned = _fetch(
        [key for plan in plans for key in plan.keys], [key for plan in plans for _, key in plan.proof]
    )
    stale, delta = _stale()
    delta_found, delta_titles = _delta(terms) if delta else (_EMPTY, _EMPTY)
    found = idsets.union(_base(body_plans, lists, stale, "canon", positioned), delta_found)
    titled = (
        idsets.union(_base(title_plans, lists, stale, "title", positioned), delta_titles)
        if titles
        else _EMPTY
    )
    return found, titled, (stale, delta)


def _words(parsed: text.ParsedQuery, state: tuple[np.ndarray, bool] | None = None):
    """The whole-word test (see `search_ids`), or None when a term has no such form."""
    call = _word_call(parsed)
    if call is None:
        return None
    keys = postings.word_keys(parsed)

    def words(candidates=None):
        lists = _fetch(keys)[0]
        base = postings.intersect([lists.get(key, _EMPTY) for key in keys])
        gone, delta = _stale() if state is None else state
        if len(gone) and len(base):
            base = base[~np.isin(base, gone, assume_unique=True)]
        found = base
        if delta:
            with connection.cursor() as cursor:
                cursor.execute("SELECT " + call[0], call[1])
                found = idsets.union(base, _parse_ids(cursor.fetchone()[0]))
        return found if candidates is None else np.intersect1d(found, candidates, assume_unique=True)

    return words


def search_ids(parsed: text.ParsedQuery):
    """(records containing every term, records whose title or 发文字号 contains every term, the whole-word
    test); ids of records in any state, sorted. The whole-word test is None (no term can be a whole word) or a
    function of candidate ids (None: all) giving those where every term is a whole word: for a term in most
    records, ranking asks it only for the newest candidates (`fast.rank`)."""
    found, titled, state = _matches(parsed)
    return found, titled, _words(parsed, state)


def match(parsed: text.ParsedQuery) -> np.ndarray:
    """Ids of the records (any state) containing every term of the query, sorted."""
    return _matches(parsed, titles=False)[0]


def word_match(parsed: text.ParsedQuery) -> np.ndarray | None:
    """Records in which every term occurs as a whole word, or None when a term has no such form (see
    `text.MAX_WORDS_RANKED`)."""
    words = _words(parsed)
    return None if words is None else words()


def _multi_chunk(cursor, terms) -> np.ndarray:
    """A record split into chunks may hold different terms in different chunks: for those few records (partial
    index) each term is matched on its own and the answers intersected."""
    found = None
    for term in terms:
        sql, params = _call([term], "grams", only_multi=bool(term.tsquery))
        cursor.execute("SELECT " + sql, params)
        ids = _parse_ids(cursor.fetchone()[0])
        found = ids if found is None else idsets.intersect(found, ids)
        if not len(found):
            break
    return found if found is not None else np.zeros(0, dtype=np.int64)


def as_subquery_sql(ids: np.ndarray):
    from django.db.models.expressions import RawSQL

    return RawSQL("SELECT unnest(%s::bigint[])", [ids.tolist()])


# --- rebuild ---------------------------------------------------------------------------------------------


def _documents(rows):
    """In a worker: the text rows and the posting entries of a batch of records of one segment (rows in id
    order)."""
    ids, canons, titles = [], [], []
    for policy_id, title, doc_number, summary, body in rows:
        ids.append(policy_id)
        titles.append(text.normalise(f"{title or ''}\n{doc_number or ''}"))
        canons.append(text.normalise(f"{title or ''}\n{doc_number or ''}\n{summary or ''}\n{body or ''}"))
    return list(zip(ids, canons, titles, strict=True)), postings.batch_segment_postings(ids, canons, titles)


class _Done:
    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value


class _Serial:
    def apply_async(self, func, args):
        return _Done(func(*args))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _tokenizers():
    """Worker processes for the tokenizing (pure Python, the larger part of a rebuild's CPU time), one per
    core, while this process feeds PostgreSQL; in-process where fork is unavailable or there is one core."""
    import multiprocessing
    import os

    cores = os.cpu_count() or 1
    if cores < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return _Serial()
    return multiprocessing.get_context("fork").Pool(cores)


class _IndexProgress:
    """Reports the build of the posting table's primary key (the one step of a rebuild without progress per
    record) through `stage(text)`: a thread polls ``pg_stat_progress_create_index`` on a connection of its own
    once a second (the table scan's blocks done of blocks total; the final write of the btree has no measure
    and shows as 写入索引)."""

    SQL = "SELECT phase, blocks_done, blocks_total FROM pg_stat_progress_create_index WHERE pid = %s"
    LABEL = "正在建立倒排表索引"

    def __init__(self, stage, count: int, interval: float = 1.0):
        self.stage, self.count, self.interval = stage, count, interval
        self.index = 0
        self._stop = None

    def __enter__(self):
        import threading

        if self.stage is None:
            return self
        self.stage(f"{self.LABEL} 1/{self.count}")
        self._stop = threading.Event()
        self._pid = connection.connection.info.backend_pid
        self._thread = threading.Thread(target=self._run, name="gin-progress", daemon=True)
        self._thread.start()
        return self

    def _run(self):
        try:
            watcher = connection.get_new_connection(connection.get_connection_params())
        except Exception:  # progress is a courtesy: never let it break the rebuild
            log.warning("search index: no progress for the index build", exc_info=True)
            return
        try:
            watcher.autocommit = True
            while not self._stop.wait(self.interval):
                row = watcher.execute(self.SQL, [self._pid]).fetchone()
                label = f"{self.LABEL} {self.index + 1}/{self.count}"
                if row and row[2]:
                    label += f"：扫描 {100 * row[1] // row[2]}%" if row[1] < row[2] else "：写入索引"
                self.stage(label)
        except Exception:
            log.warning("search index: progress of the index build stopped", exc_info=True)
        finally:
            watcher.close()

    def __exit__(self, *exc):
        if self._stop is not None:
            self._stop.set()
            self._thread.join()
        return False


def _batches(ids: list[int], size: int):
    """Consecutive id ranges of at most `size` records, none across a segment boundary."""
    import bisect

    start = 0
    while start < len(ids):
        segment_end = ((ids[start] >> postings.SEGMENT_BITS) + 1) << postings.SEGMENT_BITS
        stop = bisect.bisect_left(ids, segment_end, start, min(start + size, len(ids)))
        yield ids[start:stop]
        start = stop


def _encode(kind: int, seg: int, runs: list) -> tuple[bool, list[bytes]]:
    """In a worker: one kind's posting rows of one segment as binary COPY tuples, the batches' sorted runs
    merged (otherwise the largest step of the main process, which would leave the workers idle meanwhile);
    whether they carry positions (five fields)."""
    merged = postings.merge(runs)
    del runs[:]
    if len(merged) == 4:
        return True, list(postings.copy_positioned_chunks(kind, seg, *merged))
    return False, list(postings.copy_chunks(kind, seg, *merged))


def _encode_segment(pool, seg: int, parts: dict) -> list:
    """Hands a complete segment to the workers, one job per kind (both cores work on the last segment too)."""
    return [pool.apply_async(_encode, (kind, seg, parts[kind])) for kind in sorted(parts)]


def _write_segment(cur, jobs: list) -> None:
    """Rows with and without positions in two COPY statements (one column list each)."""
    results = [job.get() for job in jobs]
    for positioned, columns in ((False, "kind, key, seg, ids"), (True, "kind, key, seg, ids, pos")):
        chosen = [chunks for has, chunks in results if has == positioned]
        if not chosen:
            continue
        with cur.copy(f"COPY {POST}_new ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.write(postings.SIGNATURE)
            for chunks in chosen:
                for chunk in chunks:
                    copy.write(chunk)


def rebuild(progress=None, batch_size: int = 2000, stage=None) -> int:
    """Rebuilds the base index: the texts and the posting lists (`postings`, built with numpy by one worker
    process per core) written with COPY into new tables, the posting table's primary key built once at the
    end, then swapped in for the old ones; the delta and the stale list are emptied — all in one transaction,
    so searches see the old index until it commits. Writes to policies wait meanwhile (SHARE lock), so nothing
    changes unseen. `progress(n)` after each batch of n records; `stage(text)` when the key build (no
    progress per record) starts."""
    total = 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {POLICY_TABLE} IN SHARE MODE")
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")  # the primary key's sort in memory
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute(f"DROP TABLE IF EXISTS {POST}_new")
            cursor.execute(f"DROP TABLE IF EXISTS {TEXT}_new")
            for sql in [POST_TABLE, *POST_STORAGE] + [sql for sql in TABLES if GRAMS not in sql]:
                cursor.execute(sql.replace(POST, POST + "_new").replace(TEXT, TEXT + "_new"))
            cursor.execute(f"SELECT id FROM {POLICY_TABLE} ORDER BY id")
            ids = [row[0] for row in cursor.fetchall()]
        raw = connection.connection  # psycopg 3
        with _tokenizers() as pool, raw.cursor() as cur:
            # Rows are read here (this connection holds the lock); up to `ahead` batches are tokenized by the
            # workers while the oldest is copied. A segment's posting entries are kept until its last batch.
            waiting, ahead = [], 3
            parts: dict = {}
            segment = encoding = None
            batches = iter(list(_batches(ids, batch_size)))
            exhausted = False
            while True:
                while not exhausted and len(waiting) < ahead:
                    batch = next(batches, None)
                    if batch is None:
                        exhausted = True
                        break
                    cur.execute(
                        "SELECT id, title, doc_number, summary, body FROM policies_policy"
                        " WHERE id >= %s AND id <= %s ORDER BY id",
                        [batch[0], batch[-1]],
                    )
                    rows = cur.fetchall()
                    waiting.append((batch[0] >> postings.SEGMENT_BITS, pool.apply_async(_documents, (rows,))))
                if not waiting:
                    break
                seg, result = waiting.pop(0)
                text_rows, found = result.get()
                if segment is not None and seg != segment:
                    # merged and encoded by a worker while the next segment's batches are tokenized; at most
                    # one segment waits (its entries are in memory twice meanwhile: here and in the worker)
                    if encoding is not None:
                        _write_segment(cur, encoding)
                    encoding = _encode_segment(pool, segment, parts)
                    parts = {}
                segment = seg
                for kind, run in found.items():
                    parts.setdefault(kind, []).append(run)
                with cur.copy(f"COPY {TEXT}_new (policy_id, canon, title) FROM STDIN") as copy:
                    for row in text_rows:
                        copy.write_row(row)
                total += len(text_rows)
                if progress:
                    progress(len(text_rows))
            if encoding is not None:
                _write_segment(cur, encoding)
            if parts:
                _write_segment(cur, _encode_segment(pool, segment, parts))
        with connection.cursor() as cursor:
            with _IndexProgress(stage, 1) as watch:
                watch.index = 0
                cursor.execute(POST_KEY.replace(POST, POST + "_new"))
            cursor.execute(f"DROP TABLE IF EXISTS {POST}")
            cursor.execute(f"DROP TABLE IF EXISTS {TEXT}")
            cursor.execute(f"ALTER TABLE {POST}_new RENAME TO {POST}")
            cursor.execute(f"ALTER TABLE {TEXT}_new RENAME TO {TEXT}")
            cursor.execute(f"ALTER INDEX {POST}_new_pkey RENAME TO {POST}_pkey")
            cursor.execute(f"ALTER INDEX {TEXT}_new_pkey RENAME TO {TEXT}_pkey")
            for sql in [sql for sql in TABLES if GRAMS in sql] + INDEXES:
                cursor.execute(sql)
            cursor.execute(f"TRUNCATE {GRAMS}")  # the delta: every record is in the base now
            cursor.execute(f"DELETE FROM {STALE}")
            cursor.execute(f"DELETE FROM {PENDING}")
            cursor.execute(f"ANALYZE {POST}")
            cursor.execute(f"ANALYZE {TEXT}")
    return total
