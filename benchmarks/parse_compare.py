"""Before/after of the end-to-end parse stages, in the same conditions: processes of an older checkout's `src`
and of this one alternate, so that both see the same machine load.

Run: `git archive <commit> src | tar -x -C /tmp/before && python benchmarks/parse_compare.py /tmp/before/src`
(from the repository root; uses ../shared or GONGKAI_SHARED_DIR). Prints MB of input per CPU second of the process
(`time.process_time()`), best of 7 per round, best round of `--rounds` (default 3), for the seed plans and the
site-shape fixtures of the older checkout (all, .html, text), and the whole-page fixtures of this checkout
(`tests/fixtures/full_pages/`).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FULL_PAGES = ROOT / "src" / "gongkai" / "documents" / "tests" / "fixtures" / "full_pages"

MEASURE = r"""
import json, os, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from gongkai.documents.extract import extract_text
from gongkai.documents.official import parse_official_document
from gongkai.documents.workplan import parse_workplan
from gongkai.documents.tests import site_shapes
seeds = sorted((Path(sys.argv[2]) / "seeds").glob("*.txt"))
directory = Path(tempfile.mkdtemp())
pages = []
for name in sorted(dir(site_shapes)):  # as gongkai.documents.tests.golden.site_shape_files
    value = getattr(site_shapes, name)
    if name.isupper() and isinstance(value, str):
        path = directory / (name.lower() + (".html" if "<html" in value[:200] else ".txt"))
        path.write_bytes(value.encode("gb18030" if name == "BEIJING_PAGE" else "utf-8"))
        pages.append(path)
full = sorted(Path(sys.argv[3]).glob("*.html"))  # the whole-page fixtures of this checkout
html = [p for p in pages if p.suffix == ".html"]
text = [p for p in pages if p.suffix != ".html"]

def rate(files, func, repeat):
    size = sum(p.stat().st_size for p in files) * repeat
    best = float("inf")
    for _ in range(7):
        start = time.process_time()
        for _ in range(repeat):
            for path in files:
                func(path)
        best = min(best, time.process_time() - start)
    return size / best / 1e6

document = lambda p: parse_official_document(extract_text(p), normalised=True)
print(json.dumps({
    "seed plans, parse-workplan": rate(seeds, lambda p: parse_workplan(extract_text(p), normalised=True), 10),
    "seed plans, parse-document": rate(seeds, document, 10),
    "government pages (all), parse-document": rate(pages, document, 20),
    "government pages (.html), parse-document": rate(html, document, 20),
    "government pages (text), parse-document": rate(text, document, 20),
    "government pages, full HTML, parse-document": rate(full, document, 5),
}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", help="the `src` folder of the older checkout")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    shared = os.environ.get("GONGKAI_SHARED_DIR", str(ROOT.parent / "shared"))
    runs: dict[str, list[dict]] = {"before": [], "after": []}
    for _ in range(args.rounds):
        for label, src in (("before", args.before), ("after", str(ROOT / "src"))):
            out = subprocess.run(
                [sys.executable, "-c", MEASURE, src, shared, str(FULL_PAGES)],
                capture_output=True,
                text=True,
                check=True,
            )
            runs[label].append(json.loads(out.stdout))
    print("| input, stage | before MB/s (CPU) | after MB/s (CPU) | × |")
    print("|---|---:|---:|---:|")
    for key in runs["before"][0]:
        before = max(r[key] for r in runs["before"])
        after = max(r[key] for r in runs["after"])
        print(f"| {key} | {before:.2f} | {after:.2f} | {after / before:.2f} |")


if __name__ == "__main__":
    main()
