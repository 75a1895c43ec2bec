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


_lut = None


def _ranked(codes: np.ndarray, local: np.ndarray, ids: np.ndarray, base: int) -> dict | None:
    """`gram_keys` + `dedupe` for a batch, several times cheaper: the batch's letters/digits are numbered in
    code point order (a few thousand: 12–13 bits), so a 4-gram and the record's place in the batch pack into
    one int64 that a plain (SIMD) sort orders by gram, then record — no argsort, no gather. None when the
    batch has too many distinct characters to pack (then the general path runs)."""
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
        out[base + 4] = (exact[~wide].view(np.int64), owners[~wide])
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
    ids ascending (grouped by key, in an order `merge` and `copy_chunks` accept)."""
    ids = np.asarray(ids, dtype=np.int64)
    out: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    if not len(ids):
        return out
    for base, values in ((BODY, canons), (TITLE, titles)):
        codes, local = _joined(values, np.arange(len(ids), dtype=np.int64))
        found = _ranked(codes, local, ids, base)
        if found is None:
            found = {
                kind: dedupe(keys, ids[owners])
                for kind, (keys, owners) in gram_keys(codes, local, base).items()
            }
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
        kind: (keys, (found & (SEGMENT - 1)).astype(np.uint16))
        for kind, (keys, found) in batch_postings(ids, canons, titles).items()
    }


def merge(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Sorted (key, id) runs of consecutive id ranges, merged into one sorted by key then id."""
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    keys = np.concatenate([p[0] for p in parts])
    ids = np.concatenate([p[1] for p in parts])
    order = np.argsort(keys, kind="stable")  # timsort: merges the sorted runs
    return keys[order], ids[order]


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


def copy_chunks(kind: int, seg: int, keys: np.ndarray, offsets: np.ndarray, rows_per_chunk: int = 200_000):
    """The binary COPY tuples (without signature) of one kind's (key, offset) pairs of one segment, grouped by
    key with the offsets of a key ascending: one row per key, in chunks of bytes (the stream never holds all
    rows at once). Rows go out grouped by their number of ids (COPY needs no order: the primary key is built
    afterwards), so that each group is one fixed-size numpy record array."""
    if not len(keys):
        return
    change = np.empty(len(keys), dtype=bool)
    change[0] = True
    np.not_equal(keys[1:], keys[:-1], out=change[1:])
    starts = np.flatnonzero(change)
    counts = np.diff(np.append(starts, len(keys)))
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


def decode(rows) -> np.ndarray:
    """Record ids of posting rows (seg, ids bytes) of one key, sorted (rows in segment order)."""
    parts = [
        np.frombuffer(bytes(ids), dtype="<u2").astype(np.int64) + (int(seg) << SEGMENT_BITS)
        for seg, ids in rows
    ]
    if not parts:
        return np.zeros(0, dtype=np.int64)
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


# --- query side ------------------------------------------------------------------------------------------


class TermPlan:
    """How the base index answers one term: `keys` ((kind, key) pairs, all of which a containing record
    has; empty: only a literal scan can answer), `exact` when they prove the match, else `needle` is
    checked with strpos."""

    def __init__(self, needle: str, keys: list[tuple[int, int]], exact: bool):
        self.needle, self.keys, self.exact = needle, keys, exact

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
    exact = len(term_runs) == 1 and term_runs[0] == needle and 2 <= len(needle) <= 4 and not hashed
    return TermPlan(needle, keys, exact)


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
