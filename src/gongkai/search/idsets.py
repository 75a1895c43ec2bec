"""Set operations on arrays of record ids, by sorting.

numpy 2.3 and later give `np.unique` (and `np.union1d` / `np.intersect1d`, which call it) a hash table whose
cost per element grows with the array: 0.19 µs an id at 71,000 ids, 0.82 µs at 711,000, against 0.6 and 7.7 ms
for a whole sort of the same arrays (measured with numpy 2.4, `benchmarks/RESULTS.md`, "PostgreSQL with posting
lists at 100,000 and 1,000,000 documents"). A term in most of a million records went through two such unions:
1.2 s of its 1.44 s. The id arrays here are sorted or nearly so, where a sort and a neighbour mask cost
milliseconds."""

from __future__ import annotations

import numpy as np

EMPTY = np.zeros(0, dtype=np.int64)


def _is_sorted_unique(ids: np.ndarray) -> bool:
    return len(ids) < 2 or bool(np.all(ids[1:] > ids[:-1]))


def unique(ids: np.ndarray) -> np.ndarray:
    """The distinct ids, sorted (as `np.unique`)."""
    if _is_sorted_unique(ids):
        return ids
    ids = np.sort(ids)
    keep = np.empty(len(ids), dtype=bool)
    keep[0] = True
    np.not_equal(ids[1:], ids[:-1], out=keep[1:])
    return ids[keep]


def union(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Sorted distinct ids in either (as `np.union1d`)."""
    if not len(b):
        return unique(a)
    if not len(a):
        return unique(b)
    return unique(np.concatenate([a, b]))


def intersect(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Sorted distinct ids in both (as `np.intersect1d`)."""
    return np.intersect1d(unique(a), unique(b), assume_unique=True)
