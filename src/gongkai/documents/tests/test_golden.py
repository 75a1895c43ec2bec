"""The parsers' outputs on the seed plans, the site-shape fixtures and the law corpus are the ones recorded in
`golden/` (see `golden.py`): speed work must not change a result."""

import json
import tempfile
from pathlib import Path

import pytest

from . import golden


def _recorded(name: str) -> dict:
    return json.loads((golden.GOLDEN_DIR / name).read_text(encoding="utf-8"))


def test_site_shape_outputs_are_unchanged():
    recorded = _recorded("site_shapes.json")
    with tempfile.TemporaryDirectory() as directory:
        files = golden.site_shape_files(Path(directory))
        assert sorted(f.name for f in files) == sorted(recorded)
        for path in files:
            now = golden.outputs(path)
            for key, value in recorded[path.name].items():
                assert now[key] == value, f"{path.name}: {key} changed"


@pytest.mark.parametrize("name", sorted(_recorded("seeds.json")))
def test_seed_outputs_are_unchanged(name):
    path = golden.SEEDS / name
    if not path.exists():
        pytest.skip(f"seed file {path} not available")
    now = golden.outputs(path)
    for key, value in _recorded("seeds.json")[name].items():
        assert now[key] == value, f"{name}: {key} changed"


@pytest.mark.corpus
def test_law_corpus_outputs_are_unchanged():
    if not golden.LAWS.exists():
        pytest.skip(f"no law corpus under {golden.LAWS}")
    recorded = _recorded("corpus_digests.json")
    changed = [
        name
        for name, digest in recorded.items()
        if (golden.LAWS / name).exists() and golden.corpus_digest(golden.LAWS / name) != digest
    ]
    assert not changed, f"{len(changed)} corpus files parse differently, e.g. {changed[:5]}"
