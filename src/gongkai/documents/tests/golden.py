"""Recorded parser outputs: what `extract_text`, `parse_official_document` and `parse_workplan` return for the
seed plans and the site-shape fixtures, and a digest per file of the law corpus. Speed work on the parsers must
not change any of it (`test_golden.py`).

Recorded before the speed work of issue 13 (benchmarks/results-parse.md). When a parser change is *meant* to
change results, re-record and review the diff: `python -m gongkai.documents.tests.golden --write`.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
SHARED = Path(os.environ.get("GONGKAI_SHARED_DIR", "/work/shared"))
SEEDS = SHARED / "seeds"
LAWS = SHARED / "corpus" / "laws"


def site_shape_files(directory: Path) -> list[Path]:
    """The documents of `site_shapes` written to files as the commands read them (the benchmark does the same)."""
    from . import site_shapes

    files = []
    for name in sorted(dir(site_shapes)):
        value = getattr(site_shapes, name)
        if name.isupper() and isinstance(value, str):
            suffix = ".html" if "<html" in value[:200] else ".txt"
            path = directory / f"{name.lower()}{suffix}"
            path.write_bytes(value.encode("gb18030" if name == "BEIJING_PAGE" else "utf-8"))
            files.append(path)
    return files


def outputs(path: Path, *, workplan: bool = True) -> dict:
    """Everything the parsers say about one file, as JSON-ready data."""
    from gongkai.documents.extract import extract_text
    from gongkai.documents.normalise import normalise_text
    from gongkai.documents.official import parse_official_document
    from gongkai.documents.workplan import parse_workplan

    text = extract_text(path)
    result = {
        "text": text,
        "parse_document": parse_official_document(text, normalised=True),
        "parse_document_raw": parse_official_document(path.read_bytes().decode("utf-8", "replace")),
    }
    if path.suffix == ".txt":
        result["normalise_no_reflow"] = normalise_text(
            path.read_bytes().decode("utf-8", "replace"), reflow_lines=False
        )
    if workplan:
        result["parse_workplan"] = parse_workplan(text, normalised=True)
    return json.loads(json.dumps(result, ensure_ascii=False, default=str))


def corpus_digest(path: Path) -> str:
    from gongkai.documents.extract import extract_text
    from gongkai.documents.official import parse_official_document
    from gongkai.documents.workplan import parse_workplan

    text = extract_text(path)
    data = {
        "text": text,
        "parse_document": parse_official_document(text, normalised=True),
        "parse_workplan": parse_workplan(text, normalised=True),
    }
    encoded = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()[:20]


def record_all() -> dict[str, dict]:
    recorded: dict[str, dict] = {}
    recorded["seeds.json"] = {path.name: outputs(path) for path in sorted(SEEDS.glob("*.txt"))}
    with tempfile.TemporaryDirectory() as directory:
        recorded["site_shapes.json"] = {
            path.name: outputs(path) for path in site_shape_files(Path(directory))
        }
    if LAWS.exists():
        recorded["corpus_digests.json"] = {
            str(path.relative_to(LAWS)): corpus_digest(path) for path in sorted(LAWS.rglob("*.md"))
        }
    return recorded


def main() -> None:
    if "--write" not in sys.argv:
        print(__doc__)
        return
    GOLDEN_DIR.mkdir(exist_ok=True)
    for name, data in record_all().items():
        (GOLDEN_DIR / name).write_text(
            json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        print(f"wrote {GOLDEN_DIR / name} ({len(data)} files)")


if __name__ == "__main__":
    main()
