"""No findings in the whole law corpus beyond the reviewed allow-list (secrecy/data/corpus_allowlist.tsv)."""

from pathlib import Path

import pytest
from django.conf import settings

from gongkai.secrecy.scanner import _TRIGGER_MARKING, scan_text

ALLOWLIST = Path(__file__).resolve().parent.parent / "data" / "corpus_allowlist.tsv"


def load_allowlist() -> set[tuple[str, str, str]]:
    entries = set()
    for line in ALLOWLIST.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        assert len(parts) == 4 and parts[3].strip(), (
            f"allow-list line needs file, type, text and a reason: {line!r}"
        )
        entries.add((parts[0], parts[1], parts[2]))
    return entries


@pytest.fixture(scope="module")
def corpus_files():
    root = Path(settings.SHARED_DIR) / "corpus" / "laws"
    files = sorted(root.rglob("*.md"))
    if not files:
        pytest.skip("corpus ../shared/corpus/laws is not available")
    return root, files


@pytest.mark.corpus
def test_no_findings_in_the_corpus_beyond_the_allow_list(corpus_files):
    root, files = corpus_files
    allowed = load_allowlist()
    found = set()
    unexpected = []
    near_misses = 0
    for path in files:
        text = path.read_text("utf-8", errors="replace")
        rel = str(path.relative_to(root))
        near_misses += sum(1 for _m in _TRIGGER_MARKING.finditer(text))
        for f in scan_text(text):
            key = (rel, f.type, f.text)
            found.add(key)
            if key not in allowed:
                unexpected.append(f"{rel}: {f.type} {f.text!r} ({f.rule})")
    assert not unexpected, "\n".join(unexpected[:50])
    assert not (allowed - found), f"allow-list entries that no longer occur: {sorted(allowed - found)}"
    # the test is not vacuous: the corpus is full of words the marking rules must see and reject
    assert near_misses > 1000
