"""`fast.rank`: asking the whole-word test only for the first candidates of a tier (in force before repealed,
the district's own before external, newest first) gives exactly the page that testing every hit gives (random
libraries, validities, issuers, pages and tiers)."""

import random

import numpy as np
import pytest

from gongkai.search import fast

VALIDITIES = ["valid", "valid", "valid", "repealed", "expired", ""]


def _meta(n, rng):
    rows = [
        (
            i,
            True,
            "proactive",
            rng.randint(1, 5),
            str(rng.randint(2012, 2025)),
            "notice",
            None,
            rng.choice(VALIDITIES),
        )
        for i in range(1, n + 1)
    ]
    rng.shuffle(rows)  # the recency order is the order of the rows
    return fast._build(0, rows, titles=False)


@pytest.mark.parametrize("seed", range(8))
def test_newest_candidates_give_the_same_page_as_testing_every_hit(seed, monkeypatch):
    rng = random.Random(seed)
    meta = _meta(6000, rng)
    # issuers 1–5; some of them external organisations (none, one or two)
    external = np.array(rng.sample(range(1, 6), rng.choice([0, 1, 2])), dtype=np.int64)
    monkeypatch.setattr(fast, "_external_ids", lambda: external)
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
        assert None not in asked[:1]  # the first page needed only the first candidates
    # the page really is in tier order: score, then validity, then origin, then recency
    full = fast.rank(meta, ids, titles, words, {}, 0, 200)
    lapsed = {i for i in ids.tolist() if meta.codes["validity"][meta.validity[i]] in ("repealed", "expired")}
    keys = [
        (-score, pk in lapsed, int(meta.issuer[pk]) in external.tolist(), int(meta.rank[pk]))
        for pk, score in full.page
    ]
    assert keys == sorted(keys)
