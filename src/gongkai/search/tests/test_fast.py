"""`fast.rank`: asking the whole-word test only for the newest candidates gives exactly the page that testing
every hit gives (random libraries, pages and tiers)."""

import random

import numpy as np
import pytest

from gongkai.search import fast


def _meta(n, rng):
    rows = [
        (i, True, "proactive", rng.randint(1, 5), str(rng.randint(2012, 2025)), "notice", None, "valid")
        for i in range(1, n + 1)
    ]
    rng.shuffle(rows)  # the recency order is the order of the rows
    return fast._build(0, rows, titles=False)


@pytest.mark.parametrize("seed", range(8))
def test_newest_candidates_give_the_same_page_as_testing_every_hit(seed):
    rng = random.Random(seed)
    meta = _meta(6000, rng)
    ids = np.array(sorted(rng.sample(range(1, 6001), rng.randint(1700, 5500))), dtype=np.int64)
    titles = np.array(sorted(rng.sample(ids.tolist(), rng.choice([0, 5, 30, 900]))), dtype=np.int64)
    share = rng.choice([0.001, 0.02, 0.3, 0.9])
    words = np.array(sorted(i for i in ids.tolist() if rng.random() < share), dtype=np.int64)
    asked = []

    def words_test(candidates=None):
        asked.append(None if candidates is None else len(candidates))
        return words if candidates is None else np.intersect1d(words, candidates)

    for offset, limit in ((0, 20), (20, 20), (380, 20), (0, 100)):
        full = fast.rank(meta, ids, titles, words, {}, offset, limit)
        lazy = fast.rank(meta, ids, titles, words_test, {}, offset, limit)
        assert lazy.page == full.page, (seed, offset, limit)
        assert lazy.total == full.total
    if share >= 0.3 and len(titles) < 100:
        assert None not in asked[:1]  # the first page needed only the newest candidates
