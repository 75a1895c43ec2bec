"""Posting lists of our own for the PostgreSQL base index (see `gongkai.search.pg` and docs/search.md).

Pure numpy, no database: the keys of a batch of records, the keys a query term asks for, the binary COPY
stream of the posting rows, and decoding them.

Keys (a ``bigint`` each, in key spaces told apart by ``kind``):

* every 2-gram and 3-gram of the letters/digits runs of the normalised text, packed exactly (21 bits per
  code point: 42 and 63 bits);
* every 4-gram, packed exactly (16 bits per character) when its four characters lie in the Basic
  Multilingual Plane — all of Chinese in practice — and otherwise a 64-bit hash (kind ``+1``), which a query
  confirms against the text;
* the rjieba words: packed exactly up to three characters, a 64-bit hash (blake2b, negative) beyond;
* body (title, 发文字号, summary, body) and title (title, 发文字号) grams are separate kinds.

So a term of two, three or four characters is one exact lookup, and a longer one the intersection of its
4-grams, checked against the text with ``strpos``. A posting row holds the ids of one segment of 65,536
record ids as little-endian ``uint16`` offsets, which ``np.frombuffer`` reads directly.
"""

from __future__ import annotations

import hashlib
import struct

import numpy as np

from . import text

BODY, TITLE = 0, 10  # + 2, 3, 4 (exact) or 5 (hashed 4-gram)
WORD = 20
POSITIONED = (BODY + 4, TITLE + 4)  # kinds whose rows carry the positions of every occurrence
MAX_POSITIONED = 65535  # longer texts get count 0 ("unknown") in those rows: checked with strpos
SEGMENT_BITS = 16
SEGMENT = 1 << SEGMENT_BITS

_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xC2B2AE3D27D4EB4F)
_alnum = None


def alnum_table() -> np.ndarray:
    """For every code point, whether it belongs to a run (`text.RUN`: str.isalnum is the same test)."""
    global _alnum
    if _alnum is None:
        table = np.zeros(0x110000, dtype=bool)
        table[:] = np.fromiter((chr(c).isalnum() for c in range(0x110000)), dtype=bool, count=0x110000)
        _alnum = table
    return _alnum


def code_points(value: str) -> np.ndarray:
    return np.frombuffer(value.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def _hash4(a, b, c, d):
    h = ((a << np.uint64(42)) | (b << np.uint64(21)) | c) * _M1
    h ^= d * _M2
    h ^= h >> np.uint64(29)
    return h


def gram_keys(codes: np.ndarray, owner: np.ndarray, base: int) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """{kind: (keys int64, owner ids int64)} of every 2-, 3- and 4-gram inside a run, not deduplicated.
    `codes` may hold several records separated by a character that is not a letter or digit."""
    ok = alnum_table()[codes]
    c = codes.astype(np.uint64)
    m2 = ok[:-1] & ok[1:]
    i2 = np.flatnonzero(m2)
    out = {base + 2: ((c[i2] << np.uint64(21)) | c[i2 + 1], owner[i2])}
    m3 = m2[:-1] & ok[2:]
    i3 = np.flatnonzero(m3)
    out[base + 3] = ((c[i3] << np.uint64(42)) | (c[i3 + 1] << np.uint64(21)) | c[i3 + 2], owner[i3])
    i4 = np.flatnonzero(m3[:-1] & ok[3:])
    a, b, cc, d = c[i4], c[i4 + 1], c[i4 + 2], c[i4 + 3]
    wide = (a | b | cc | d) >= 0x10000
    exact = (a << np.uint64(48)) | (b << np.uint64(32)) | (cc << np.uint64(16)) | d
    out[base + 4] = (exact[~wide], owner[i4][~wide])
    out[base + 5] = (_hash4(a[wide], b[wide], cc[wide], d[wide]), owner[i4][wide])
    return {kind: (keys.view(np.int64), ids) for kind, (keys, ids) in out.items()}


_word_keys: dict[str, int] = {}


def word_key(word: str) -> int:
    key = _word_keys.get(word)
    if key is None:
        if len(word) <= 3:
            key = 0
            for ch in word:
                key = (key << 21) | ord(ch)
        else:
            key = -1 - (int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little") >> 1)
        if len(_word_keys) > 500_000:
            _word_keys.clear()
        _word_keys[word] = key
    return key


def dedupe(keys: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted by key, then id (the input is in id order: a stable sort keeps it), duplicates removed."""
    order = np.argsort(keys, kind="stable")
    return dedupe_sorted(keys[order], ids[order])


def _joined(values: list[str], ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    codes = code_points("\0".join(values) + "\0")
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values)) + 1
    return codes, np.repeat(ids, lengths)


def _record_starts(values: list[str]) -> np.ndarray:
    """Where each record starts in `_joined`'s codes; records too long for uint16 positions get -1."""
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    starts = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]]).astype(np.int64)
    starts[lengths > MAX_POSITIONED] = -1
    return starts


def _occurrences(keys: np.ndarray, at: np.ndarray, local: np.ndarray, record_starts: np.ndarray):
    """4-gram occurrences sorted by key (which tells records apart, as ``_ranked``'s packed values) with those
    of one key in text order (`at`: offsets in the batch's codes, `local`: record of each code) → (each key
    once, occurrence counts uint16, positions uint16: offsets in the record's text, grouped as the keys).
    A record too long for uint16 positions (start -1) gets count 0 and no positions."""
    if not len(keys):
        return keys, np.zeros(0, np.uint16), np.zeros(0, np.uint16)
    first = np.empty(len(keys), dtype=bool)
    first[0] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    found = np.diff(np.append(starts, len(keys)))
    record_start = record_starts[local[at]]
    known = record_start >= 0
    counts = np.where(known[starts], found, 0).astype(np.uint16)
    positions = (at - record_start)[known].astype(np.uint16)
    return keys[starts], counts, positions


def _general_fours(codes: np.ndarray, local: np.ndarray, ids: np.ndarray, record_starts: np.ndarray):
    """The exact 4-gram entries with positions, by global keys (the general path of `batch_postings`)."""
    ok = alnum_table()[codes]
    at = np.flatnonzero(ok[:-3] & ok[1:-2] & ok[2:-1] & ok[3:])
    c = codes.astype(np.uint64)
    a, b, cc, d = c[at], c[at + 1], c[at + 2], c[at + 3]
    narrow = (a | b | cc | d) < 0x10000
    keys = ((a << np.uint64(48)) | (b << np.uint64(32)) | (cc << np.uint64(16)) | d)[narrow].view(np.int64)
    at = at[narrow]
    order = np.argsort(keys, kind="stable")  # in text order within a key: records, then positions ascending
    keys, at = keys[order], at[order]
    # one entry per (key, record): a key of 64 bits leaves no room for the record, so group in two steps
    group = np.zeros(len(keys), dtype=np.int64)
    if len(keys) > 1:
        group[1:] = np.cumsum((keys[1:] != keys[:-1]) | (local[at[1:]] != local[at[:-1]]))
    entries, counts, positions = _occurrences(group, at, local, record_starts)
    first = np.searchsorted(group, entries)
    return keys[first], ids[local[at[first]]], counts, positions


_lut = None


def _ranked(
    codes: np.ndarray, local: np.ndarray, ids: np.ndarray, base: int, record_starts: np.ndarray
) -> dict | None:
    """`gram_keys` + `dedupe` for a batch, several times cheaper: the batch's letters/digits are numbered in
    code point order (a few thousand: 12–13 bits), so a 4-gram and the record's place in the batch pack into
    one int64 that a plain (SIMD) sort orders by gram, then record — no argsort, no gather (the 4-grams, whose
    positions are kept too, take a stable argsort). None when the batch has too many distinct characters to
    pack (then the general path runs)."""
    global _lut
    ok = alnum_table()[codes]
    uniq = np.unique(codes[ok])
    bits = max(1, int(len(uniq) - 1).bit_length())
    rbits = max(1, int(len(ids) - 1).bit_length())
    if 4 * bits + rbits > 63:
        return None
    if _lut is None:
        _lut = np.zeros(0x110000, dtype=np.int64)
    _lut[uniq] = np.arange(len(uniq), dtype=np.int64)
    rank = _lut[codes]  # meaningless where not ok: never read there
    out = {}
    starts = ok[:-1] & ok[1:]
    for n in (2, 3, 4):
        if n > 2:
            starts = starts[:-1] & ok[n - 1 :]
        at = np.flatnonzero(starts)
        packed = local[at].astype(np.int64)
        for j in range(n):
            packed |= rank[at + j] << (rbits + bits * (n - 1 - j))
        if n == 4:
            # the occurrences' positions too: a stable argsort keeps them in text order within (gram, record)
            order = np.argsort(packed, kind="stable")
            packed, counts, positions = _occurrences(packed[order], at[order], local, record_starts)
        else:
            packed.sort()
            if len(packed) > 1:
                keep = np.empty(len(packed), dtype=bool)
                keep[0] = True
                np.not_equal(packed[1:], packed[:-1], out=keep[1:])
                packed = packed[keep]
        owners = ids[packed & ((1 << rbits) - 1)]
        chars = [
            uniq[(packed >> (rbits + bits * (n - 1 - j))) & ((1 << bits) - 1)].astype(np.uint64)
            for j in range(n)
        ]
        if n < 4:
            key = chars[0]
            for c in chars[1:]:
                key = (key << np.uint64(21)) | c
            out[base + n] = (key.view(np.int64), owners)
            continue
        a, b, c, d = chars
        wide = (a | b | c | d) >= 0x10000
        exact = (a << np.uint64(48)) | (b << np.uint64(32)) | (c << np.uint64(16)) | d
        out[base + 4] = (
            exact[~wide].view(np.int64),
            owners[~wide],
            counts[~wide],
            positions[np.repeat(~wide, counts)],
        )
        hashed = _hash4(a[wide], b[wide], c[wide], d[wide]).view(np.int64)
        hashed_owners = owners[wide]
        order = np.lexsort((hashed_owners, hashed))  # two grams may share a hash: ids ascending per key
        out[base + 5] = dedupe_sorted(hashed[order], hashed_owners[order])
    return out


def dedupe_sorted(keys: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if len(keys) > 1:
        keep = np.empty(len(keys), dtype=bool)
        keep[0] = True
        np.not_equal(keys[1:], keys[:-1], out=keep[1:])
        keep[1:] |= ids[1:] != ids[:-1]
        keys, ids = keys[keep], ids[keep]
    return keys, ids


def batch_postings(ids, canons: list[str], titles: list[str]) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """{kind: (keys, ids)} of a batch of records in ascending id order: each (key, id) once; for each key its
    ids ascending (grouped by key, in an order `merge` and `copy_chunks` accept). The `POSITIONED` kinds add
    (counts, positions): how often each (key, id) occurs (0: unknown, the record is longer than
    `MAX_POSITIONED`) and where, as offsets in the record's normalised text, ascending, grouped as the
    entries."""
    ids = np.asarray(ids, dtype=np.int64)
    out: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    if not len(ids):
        return out
    for base, values in ((BODY, canons), (TITLE, titles)):
        codes, local = _joined(values, np.arange(len(ids), dtype=np.int64))
        starts = _record_starts(values)
        found = _ranked(codes, local, ids, base, starts)
        if found is None:
            found = {
                kind: dedupe(keys, ids[owners])
                for kind, (keys, owners) in gram_keys(codes, local, base).items()
            }
            found[base + 4] = _general_fours(codes, local, ids, starts)
        out.update(found)
    word_keys, word_ids = [], []
    for record, canon in zip(ids.tolist(), canons, strict=True):
        found = {word_key(w) for w in text.word_list(canon)}
        word_keys.extend(found)
        word_ids.extend([record] * len(found))
    out[WORD] = dedupe(np.array(word_keys, dtype=np.int64), np.array(word_ids, dtype=np.int64))
    return out


def batch_segment_postings(
    ids, canons: list[str], titles: list[str]
) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """`batch_postings` of records of one segment, the ids as uint16 offsets in it (a fifth of the bytes to
    send back from a worker and to keep until the segment is written)."""
    return {
        kind: (keys, (found & (SEGMENT - 1)).astype(np.uint16), *rest)
        for kind, (keys, found, *rest) in batch_postings(ids, canons, titles).items()
    }


def merge(parts: list[tuple]) -> tuple:
    """Sorted (key, id) runs of consecutive id ranges, merged into one sorted by key then id; with (counts,
    positions) for the `POSITIONED` kinds, the positions moved along with their entries."""
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    keys = np.concatenate([p[0] for p in parts])
    ids = np.concatenate([p[1] for p in parts])
    order = np.argsort(keys, kind="stable")  # timsort: merges the sorted runs
    if len(parts[0]) == 2:
        return keys[order], ids[order]
    counts = np.concatenate([p[2] for p in parts])
    positions = np.concatenate([p[3] for p in parts])
    first = np.cumsum(counts, dtype=np.int64) - counts
    moved = counts[order]
    ends = np.cumsum(moved, dtype=np.int64)
    source = np.repeat(first[order] - (ends - moved), moved) + np.arange(ends[-1] if len(ends) else 0)
    return keys[order], ids[order], moved, positions[source]


# --- binary COPY of posting rows (kind smallint, key bigint, seg integer, ids bytea) -----------------------

SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
_ROW = np.dtype(
    [
        ("fields", ">i2"),
        ("kind_len", ">i4"),
        ("kind", ">i2"),
        ("key_len", ">i4"),
        ("key", ">i8"),
        ("seg_len", ">i4"),
        ("seg", ">i4"),
        ("ids_len", ">i4"),
    ]
)
_HEADER = struct.Struct(">hihiqiii")  # the same 32 bytes


SMALL = 32  # rows of up to this many ids are laid out with one structured array per count


def _rows_of(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(first entry, number of entries) of each row: a run of equal keys."""
    change = np.empty(len(keys), dtype=bool)
    change[0] = True
    np.not_equal(keys[1:], keys[:-1], out=change[1:])
    starts = np.flatnonzero(change)
    return starts, np.diff(np.append(starts, len(keys)))


def copy_chunks(kind: int, seg: int, keys: np.ndarray, offsets: np.ndarray, rows_per_chunk: int = 200_000):
    """The binary COPY tuples (without signature) of one kind's (key, offset) pairs of one segment, grouped by
    key with the offsets of a key ascending: one row per key, in chunks of bytes (the stream never holds all
    rows at once). Rows go out grouped by their number of ids (COPY needs no order: the primary key is built
    afterwards), so that each group is one fixed-size numpy record array."""
    if not len(keys):
        return
    starts, counts = _rows_of(keys)
    offsets = offsets.astype("<u2", copy=False)
    small = counts <= SMALL
    for count in np.unique(counts[small]).tolist():
        chosen = starts[counts == count]
        row = np.dtype(_ROW.descr + [("ids", "<u2", (count,))])
        for first in range(0, len(chosen), rows_per_chunk):
            at = chosen[first : first + rows_per_chunk]
            rows = np.empty(len(at), dtype=row)
            rows["fields"] = 4
            rows["kind_len"] = 2
            rows["kind"] = kind
            rows["key_len"] = 8
            rows["key"] = keys[at]
            rows["seg_len"] = 4
            rows["seg"] = seg
            rows["ids_len"] = 2 * count
            rows["ids"] = offsets[at[:, None] + np.arange(count)]
            yield rows.tobytes()
    pieces, size = [], 0
    for start, count in zip(starts[~small].tolist(), counts[~small].tolist(), strict=True):
        pieces.append(_HEADER.pack(4, 2, kind, 8, keys[start], 4, seg, 2 * count))
        pieces.append(offsets[start : start + count].tobytes())
        size += 2 * count
        if size > 8_000_000:
            yield b"".join(pieces)
            pieces, size = [], 0
    if pieces:
        yield b"".join(pieces)


def copy_positioned_chunks(
    kind: int,
    seg: int,
    keys: np.ndarray,
    offsets: np.ndarray,
    counts: np.ndarray,
    positions: np.ndarray,
    chunk_bytes: int = 8_000_000,
):
    """As `copy_chunks`, for rows of five fields (kind, key, seg, ids, pos): ``pos`` holds the row's n
    occurrence counts then their positions, uint16 little-endian. Laid out by numpy (rows differ in size):
    each row's fields are scattered into one uint16 buffer a chunk."""
    if not len(keys):
        return
    starts, n = _rows_of(keys)
    occurrences = np.add.reduceat(counts.astype(np.int64), starts)
    units = 18 + 2 * n + occurrences  # uint16 units: 32 bytes of header, ids, pos length, counts, positions
    row_first = 0
    ends = np.cumsum(units)
    occurrence_ends = np.cumsum(occurrences)
    while row_first < len(starts):
        row_last = int(np.searchsorted(ends, ends[row_first] - units[row_first] + chunk_bytes // 2, "right"))
        row_last = max(row_last, row_first + 1)
        rows = slice(row_first, row_last)
        size, ns, occ = units[rows], n[rows], occurrences[rows]
        at = np.cumsum(size) - size
        header = np.empty(len(size), dtype=_ROW)
        header["fields"] = 5
        header["kind_len"] = 2
        header["kind"] = kind
        header["key_len"] = 8
        header["key"] = keys[starts[rows]]
        header["seg_len"] = 4
        header["seg"] = seg
        header["ids_len"] = 2 * ns
        pos_len = (2 * (ns + occ)).astype(">i4")
        buf = np.empty(int(size.sum()), dtype=np.uint16)
        buf[(at[:, None] + np.arange(16)).ravel()] = header.view(np.uint16)
        buf[(at[:, None] + 16 + ns[:, None] + np.arange(2)).ravel()] = pos_len.view(np.uint16)
        e0 = int(starts[row_first])
        e1 = int(starts[row_last]) if row_last < len(starts) else len(keys)
        rank = np.arange(e1 - e0) - np.repeat(starts[rows] - e0, ns)
        buf[np.repeat(at + 16, ns) + rank] = offsets[e0:e1]
        buf[np.repeat(at + 18 + ns, ns) + rank] = counts[e0:e1]
        p1 = int(occurrence_ends[row_last - 1])
        p0 = p1 - int(occ.sum())
        occ_rank = np.arange(p1 - p0) - np.repeat(np.cumsum(occ) - occ, occ)
        buf[np.repeat(at + 18 + 2 * ns, occ) + occ_rank] = positions[p0:p1]
        yield buf.tobytes()
        row_first = row_last


def decode(rows) -> np.ndarray:
    """Record ids of posting rows (seg, ids bytes) of one key, sorted (rows in segment order)."""
    parts = [
        np.frombuffer(bytes(ids), dtype="<u2").astype(np.int64) + (int(seg) << SEGMENT_BITS)
        for seg, ids in rows
    ]
    if not parts:
        return np.zeros(0, dtype=np.int64)
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def decode_positioned(rows) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ids, counts, positions) of posting rows (seg, ids bytes, pos bytes or None) of one key; a row without
    positions (an index built before they were stored) counts 0: unknown."""
    ids = decode([(seg, found) for seg, found, _ in rows])
    counts, positions = [], []
    for _, found, pos in rows:
        n = len(found) // 2
        if pos is None:
            counts.append(np.zeros(n, dtype=np.uint16))
            continue
        both = np.frombuffer(bytes(pos), dtype="<u2")
        counts.append(both[:n])
        positions.append(both[n:])
    if not counts:
        return ids, np.zeros(0, np.uint16), np.zeros(0, np.uint16)
    return ids, np.concatenate(counts), np.concatenate(positions) if positions else np.zeros(0, np.uint16)


def phrase_match(
    grams: list[tuple[int, np.ndarray, np.ndarray, np.ndarray]],
) -> tuple[np.ndarray, np.ndarray]:
    """The proof of a phrase from its 4-grams' positions: `grams` are (offset in the phrase, ids, counts,
    positions) of 4-grams that together cover every character of it. Returns (records where every one of them
    occurs at start + its offset for one start — they hold the phrase —, records whose positions are unknown,
    to be checked otherwise), both sorted. Records are told apart by packing (record << 16 | start)."""
    packed, unknown = [], None
    for offset, ids, counts, positions in grams:
        at = np.repeat(ids, counts) << 16
        start = positions.astype(np.int64) - offset
        keep = start >= 0
        packed.append(at[keep] | start[keep])  # sorted: ids ascending, positions ascending within a record
        if unknown is None:
            unknown = ids[counts == 0]  # the same records in every gram's list: it depends on the text only
    found = intersect(packed) >> 16
    if len(found) > 1:
        keep = np.empty(len(found), dtype=bool)
        keep[0] = True
        np.not_equal(found[1:], found[:-1], out=keep[1:])
        found = found[keep]
    return found, unknown if unknown is not None else np.zeros(0, np.int64)


def cover(length: int) -> list[int]:
    """Offsets of 4-grams covering every character of a phrase of `length` ≥ 4: 0, 4, 8, … and length − 4."""
    offsets = list(range(0, length - 3, 4))
    if offsets[-1] != length - 4:
        offsets.append(length - 4)
    return offsets


# --- query side ------------------------------------------------------------------------------------------


class TermPlan:
    """How the base index answers one term: `keys` ((kind, key) pairs, all of which a containing record
    has; empty: only a literal scan can answer), `exact` when they prove the match, else `needle` is
    checked with strpos — unless `proof` names the 4-grams whose stored positions decide it
    (`phrase_match`; strpos for records whose positions are unknown)."""

    def __init__(self, needle: str, keys: list[tuple[int, int]], exact: bool, proof=None):
        self.needle, self.keys, self.exact = needle, keys, exact
        self.proof: list[tuple[int, tuple[int, int]]] = proof or []  # (offset, key): see `phrase_match`

    def __repr__(self):
        return f"TermPlan({self.needle!r}, {self.keys!r}, exact={self.exact})"


def term_plan(term: text.Term, base: int = BODY) -> TermPlan:
    needle = text.normalise(term.text)
    term_runs = text.runs(term.text)
    keys: list[tuple[int, int]] = []
    hashed = False
    for run in term_runs:
        if len(run) < 2:
            continue  # a single character is not indexed: the strpos check covers it
        found = gram_keys(code_points(run), np.zeros(len(run), dtype=np.int64), base)
        if len(run) <= 3:
            kinds = [base + len(run)]
        else:
            kinds = [base + 4, base + 5]
            hashed = hashed or bool(len(found[base + 5][0]))
        for kind in kinds:
            for key in dict.fromkeys(found[kind][0].tolist()):
                keys.append((kind, key))
    one_run = len(term_runs) == 1 and term_runs[0] == needle and not hashed
    exact = one_run and 2 <= len(needle) <= 4
    proof = []
    if one_run and len(needle) > 4:
        grams = gram_keys(code_points(needle), np.zeros(len(needle), dtype=np.int64), base)[base + 4][0]
        proof = [(offset, (base + 4, int(grams[offset]))) for offset in cover(len(needle))]
    return TermPlan(needle, keys, exact, proof)


def word_keys(parsed: text.ParsedQuery) -> list[tuple[int, int]]:
    return sorted({(WORD, word_key(w)) for term in parsed.usable_terms for w in term.words})


def intersect(lists: list[np.ndarray]) -> np.ndarray:
    """Intersection of sorted unique id arrays, smallest first (binary search of the few candidates in the
    longer lists)."""
    if not lists:
        return np.zeros(0, dtype=np.int64)
    lists = sorted(lists, key=len)
    found = lists[0]
    for other in lists[1:]:
        if not len(found):
            break
        at = np.searchsorted(other, found)
        at[at == len(other)] = 0
        found = found[other[at] == found] if len(other) else found[:0]
    return found
